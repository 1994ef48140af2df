import { useEffect, useState } from 'react';
import { api as defaultApi, type ApiClient } from '../services/api';

/**
 * A media token for <img>/<video>/download URLs (they cannot send the Authorization header), renewed
 * before it expires. null until the first one arrives, or while `enabled` is false.
 */
export function useMediaToken(enabled = true, client: ApiClient = defaultApi): string | null {
  const [token, setToken] = useState<string | null>(null);

  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchToken = async () => {
      let renewIn = 30_000; // after a failure, try again in a while
      try {
        const response = await client.mediaToken();
        if (cancelled) {
          return;
        }
        setToken(response.media_token);
        renewIn = Math.max(response.expires_in * 800, 5_000); // at 80 % of its lifetime
      } catch {
        // a 401 already signs the user out; other failures: no media for now, retry later
      }
      if (!cancelled) {
        timer = setTimeout(fetchToken, renewIn);
      }
    };
    void fetchToken();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [enabled, client]);

  return enabled ? token : null;
}
