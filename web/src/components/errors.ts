import type { Messages } from '../i18n';
import { ApiError } from '../services/api';

/** The text to show for a failed call: the server's message, or a translated stand-in. */
export function errorText(error: unknown, t: Messages): string {
  if (error instanceof ApiError) {
    return error.message || t.common.unknownError;
  }
  if (error instanceof TypeError) {
    return t.common.networkError; // fetch() rejects with a TypeError when the server cannot be reached
  }
  return t.common.unknownError;
}
