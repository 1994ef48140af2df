// The one typed client of the Reetik gateway API. JSON is snake_case on the wire and stays snake_case here,
// so these types match the server's answers exactly.

export const STYLES = ['informative', 'storytelling', 'humorous', 'inspirational', 'promotional'] as const;
export const LANGUAGES = ['fr', 'en'] as const;
export const ASPECT_RATIOS = ['9:16', '16:9'] as const;
export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;
export const REFERENCE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

export type Style = (typeof STYLES)[number];
export type VideoLanguage = (typeof LANGUAGES)[number];
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export type ReferenceImageType = (typeof REFERENCE_IMAGE_TYPES)[number];

export type VideoStatusName =
  | 'queued'
  | 'generating_script'
  | 'script_generated'
  | 'generating_parallel'
  | 'ready_for_assembly'
  | 'assembling'
  | 'completed'
  | 'failed'
  | 'cancelled';

export type BlockStateName = 'pending' | 'generating' | 'retrying' | 'completed' | 'failed';

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

export interface MediaTokenResponse {
  media_token: string;
  expires_in: number;
}

export interface VideoRequest {
  theme: string;
  target_duration: number;
  style: Style;
  language: VideoLanguage;
  aspect_ratio: AspectRatio;
  /** 'burned': the subtitles drawn into the picture as well (they are always files beside the video). */
  subtitles?: 'none' | 'burned';
  /** 'fade': a half-second crossfade between blocks (the picture is encoded again); 'cut' by default. */
  transition?: 'cut' | 'fade';
  /** Images that keep one look across the blocks (characters, product, place): at most 3, 3 MB each. */
  reference_images?: ReferenceImageInput[];
}

/** A reference image as sent: its type and its bytes in base64 (a data: URL is accepted too). */
export interface ReferenceImageInput {
  mime_type: ReferenceImageType;
  data: string;
}

/** A reference image as the status shows it (the bytes at GET /api/videos/{id}/references/{n}). */
export interface ReferenceImage {
  mime_type: string;
  sha256: string;
  size: number;
}

/** The request as the status view shows it: the reference images without their bytes. */
export type VideoRequestView = Omit<VideoRequest, 'reference_images'> & {
  /** Absent or empty when the video has none (and in videos made before they existed). */
  reference_images?: ReferenceImage[];
};

export interface AcceptedVideo {
  video_id: string;
  status: VideoStatusName;
  status_url: string;
  events_url: string;
}

export interface Estimate {
  blocks: number;
  block_seconds: number;
  generated_seconds: number;
  estimated_seconds: number | null;
  cost: number;
  currency: string;
  /** The assembly encodes the picture again (crossfades or burned subtitles): it takes longer. */
  reencoded_assembly?: boolean;
}

export interface VideoSummary {
  video_id: string;
  theme: string;
  status: VideoStatusName;
  current_step: string;
  progress: number;
  total_blocks: number;
  completed_blocks: number;
  created_at: string;
  updated_at: string;
  final_url: string | null;
  duration_s: number | null;
  idempotency_key: string | null;
  version: number;
  /** The video's language (absent from summaries written before subtitles existed). */
  language?: VideoLanguage | null;
  /** The version of the playable final.mp4 (1 after the first completion, 2 after the first completed edit…). */
  final_version: number | null;
}

export interface VideoPage {
  videos: VideoSummary[];
  page: number;
  size: number;
  total: number;
}

export interface BlockState {
  index: number;
  state: BlockStateName;
  attempt: number;
  prompt: string | null;
  narration: string | null;
  duration_s: number;
  clip_uri: string | null;
  operation: string | null;
  error_code: string | null;
}

export interface VideoError {
  code: string;
  message: string;
  stage: string | null;
  detail: string | null;
}

/** An edit of one block, in progress or failed: the version it will produce and the block it regenerates. */
export interface BlockEdit {
  version: number;
  block: number;
}

/** PUT /api/videos/{id}/blocks/{n}: at least one field; an omitted one keeps the block's current text. */
export interface BlockEditRequest {
  prompt?: string;
  narration?: string;
}

export interface VideoStatus {
  video_id: string;
  user_id: string;
  version: number;
  status: VideoStatusName;
  current_step: string;
  total_blocks: number;
  completed_blocks: number;
  progress: number;
  created_at: string;
  updated_at: string;
  request: VideoRequestView;
  idempotency_key: string | null;
  agent_video_id: string | null;
  blocks: BlockState[];
  /**
   * The playable file, whenever a version is playable: also while an edit runs and after an edit failed (the
   * previous version stays playable until the new one is complete).
   */
  final_url: string | null;
  duration_s: number | null;
  error: VideoError | null;
  /** The version of the playable final.mp4 (1 after the first completion, +1 per completed edit); null before. */
  final_version: number | null;
  /** The edit in progress or the one that failed; null when none. */
  edit: BlockEdit | null;
}

/** Every non-2xx answer: the server's {"error": {code, message, field?}}, or a stand-in when the body is not one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function isTerminal(status: VideoStatusName): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** Where the bearer token lives. */
export interface TokenStore {
  get(): string | null;
  set(token: string, expiresInSeconds: number): void;
  clear(): void;
}

const TOKEN_KEY = 'reetik.token';
const TOKEN_EXPIRY_KEY = 'reetik.token_expires_at';

/** The token is kept for the browser tab's session only. */
export const sessionTokenStore: TokenStore & { expiresAt(): number | null } = {
  get() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token, expiresInSeconds) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(TOKEN_EXPIRY_KEY, String(Date.now() + expiresInSeconds * 1000));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(TOKEN_EXPIRY_KEY);
  },
  expiresAt() {
    const value = Number(sessionStorage.getItem(TOKEN_EXPIRY_KEY));
    return Number.isFinite(value) && value > 0 ? value : null;
  },
};

export interface ApiClientOptions {
  /** Prefix of every path; '' (same origin) by default. */
  baseUrl?: string;
  tokens?: TokenStore;
}

type Listener = () => void;

export class ApiClient {
  readonly baseUrl: string;
  private readonly tokens: TokenStore;
  private readonly unauthorizedListeners = new Set<Listener>();

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.tokens = options.tokens ?? sessionTokenStore;
  }

  /** Called when an authenticated call answers 401 (expired or revoked token). Returns the unsubscribe. */
  onUnauthorized(listener: Listener): () => void {
    this.unauthorizedListeners.add(listener);
    return () => {
      this.unauthorizedListeners.delete(listener);
    };
  }

  // --- auth ---------------------------------------------------------------------------------------------

  register(email: string, password: string): Promise<TokenResponse> {
    return this.request<TokenResponse>('POST', '/api/auth/register', { body: { email, password }, auth: false });
  }

  login(email: string, password: string): Promise<TokenResponse> {
    return this.request<TokenResponse>('POST', '/api/auth/login', { body: { email, password }, auth: false });
  }

  mediaToken(): Promise<MediaTokenResponse> {
    return this.request<MediaTokenResponse>('POST', '/api/media-token');
  }

  // --- videos -------------------------------------------------------------------------------------------

  createVideo(request: VideoRequest, idempotencyKey?: string): Promise<AcceptedVideo> {
    const headers: Record<string, string> = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
    return this.request<AcceptedVideo>('POST', '/api/videos', { body: request, headers });
  }

  estimate(request: VideoRequest, signal?: AbortSignal): Promise<Estimate> {
    return this.request<Estimate>('POST', '/api/videos/estimate', { body: request, signal });
  }

  listVideos(page = 0, size = 20, signal?: AbortSignal): Promise<VideoPage> {
    return this.request<VideoPage>('GET', `/api/videos?page=${page}&size=${size}`, { signal });
  }

  getVideo(id: string, signal?: AbortSignal): Promise<VideoStatus> {
    return this.request<VideoStatus>('GET', `/api/videos/${encodeURIComponent(id)}`, { signal });
  }

  cancelVideo(id: string): Promise<AcceptedVideo> {
    return this.request<AcceptedVideo>('POST', `/api/videos/${encodeURIComponent(id)}/cancel`);
  }

  /**
   * Deletes a video (cancelled first if it is running): its file, subtitles and poster go from storage.
   * 204 once the server no longer has it, 202 while the deletion goes on: either way it is gone for the user.
   */
  async deleteVideo(id: string): Promise<void> {
    await this.send('DELETE', `/api/videos/${encodeURIComponent(id)}`, {});
  }

  /** Deletes the caller's account and all their videos; the password is asked again (403 wrong_password). */
  async deleteAccount(password: string): Promise<void> {
    await this.send('DELETE', '/api/account', { body: { password } });
  }

  retryVideo(id: string): Promise<AcceptedVideo> {
    return this.request<AcceptedVideo>('POST', `/api/videos/${encodeURIComponent(id)}/retry`);
  }

  /**
   * Regenerates one block (1-based `index`, as BlockState.index) of a completed or failed video with a new prompt
   * and/or narration. 202 like a retry; 409 video_busy while the video is being generated.
   */
  editBlock(id: string, index: number, body: BlockEditRequest): Promise<AcceptedVideo> {
    return this.request<AcceptedVideo>('PUT', blockPath(id, index), { body });
  }

  /** What editing one block would cost (one clip), before the user confirms. */
  estimateEdit(id: string, index: number, body: BlockEditRequest, signal?: AbortSignal): Promise<Estimate> {
    return this.request<Estimate>('POST', `${blockPath(id, index)}/estimate`, { body, signal });
  }

  /**
   * Opens the server-sent event stream of one video (fetch, so the Authorization header can be sent).
   * Resolves with the open response once the server accepted it; errors are thrown like other calls.
   */
  async openEvents(id: string, lastEventId: number | null, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (lastEventId !== null) {
      headers['Last-Event-ID'] = String(lastEventId);
    }
    const response = await this.send('GET', `/api/videos/${encodeURIComponent(id)}/events`, {
      headers,
      signal,
      cache: 'no-store',
    });
    if (!response.body) {
      throw new ApiError(response.status, 'no_stream', 'The event stream has no body.');
    }
    return response;
  }

  // Media URLs carry the media token as a query (media elements cannot send the Authorization header). An edit
  // serves the new version at the same URL: `version` (final_version) adds v=N so a browser does not keep the
  // previous version's file from its cache.

  /** URL of the MP4 for <video> or a download link. */
  fileUrl(id: string, mediaToken: string, download = false, version?: number | null): string {
    const query = `media_token=${encodeURIComponent(mediaToken)}${download ? '&download=1' : ''}${versionQuery(version)}`;
    return `${this.baseUrl}/api/videos/${encodeURIComponent(id)}/file?${query}`;
  }

  /** URL of the poster frame (JPEG) of a completed video. */
  posterUrl(id: string, mediaToken: string, version?: number | null): string {
    return `${this.baseUrl}/api/videos/${encodeURIComponent(id)}/poster?media_token=${encodeURIComponent(mediaToken)}${versionQuery(version)}`;
  }

  /** URL of the n-th (from 1) reference image of a video's request. */
  referenceUrl(id: string, n: number, mediaToken: string): string {
    return `${this.baseUrl}/api/videos/${encodeURIComponent(id)}/references/${encodeURIComponent(String(n))}?media_token=${encodeURIComponent(mediaToken)}`;
  }

  /** URL of the subtitles of a completed video: WebVTT for a <track>, SubRip to download. */
  captionsUrl(id: string, mediaToken: string, format: 'vtt' | 'srt' = 'vtt', version?: number | null): string {
    return `${this.baseUrl}/api/videos/${encodeURIComponent(id)}/captions.${format}?media_token=${encodeURIComponent(mediaToken)}${versionQuery(version)}`;
  }

  // --- plumbing -----------------------------------------------------------------------------------------

  private async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }

  /** Sends a request and throws ApiError for any non-2xx answer. */
  private async send(method: string, path: string, options: RequestOptions & { cache?: RequestCache }): Promise<Response> {
    const auth = options.auth ?? true;
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (auth) {
      const token = this.tokens.get();
      if (token) {
        headers.Authorization = `Bearer ${token}`;
      }
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      cache: options.cache,
    });
    if (response.ok) {
      return response;
    }
    const error = await toApiError(response);
    if (response.status === 401 && auth) {
      this.unauthorizedListeners.forEach((listener) => listener());
    }
    throw error;
  }
}

function blockPath(id: string, index: number): string {
  return `/api/videos/${encodeURIComponent(id)}/blocks/${encodeURIComponent(String(index))}`;
}

function versionQuery(version: number | null | undefined): string {
  return version == null ? '' : `&v=${encodeURIComponent(String(version))}`;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the bearer token (and report a 401 as an expired session); true by default. */
  auth?: boolean;
  signal?: AbortSignal;
}

async function toApiError(response: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // not JSON (a proxy's HTML page, an empty body): fall back below
  }
  const error = (payload as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  if (error && typeof error.message === 'string') {
    return new ApiError(
      response.status,
      typeof error.code === 'string' ? error.code : `http_${response.status}`,
      error.message,
      typeof error.field === 'string' ? error.field : undefined,
    );
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || `HTTP ${response.status}`);
}

/** The application's client: same origin unless VITE_API_URL says otherwise. */
export const api = new ApiClient({ baseUrl: import.meta.env.VITE_API_URL ?? '' });
