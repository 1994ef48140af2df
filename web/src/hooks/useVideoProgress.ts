import { useEffect, useReducer, useRef } from 'react';
import { api as defaultApi, ApiError, isTerminal, type ApiClient, type VideoStatus } from '../services/api';
import { readEvents } from '../services/sse';

export type Connection = 'connecting' | 'live' | 'polling' | 'closed';

export interface ProgressTimings {
  /** Polling period while the stream is down. */
  pollIntervalMs: number;
  /** How long to poll before trying the stream again. */
  reconnectDelayMs: number;
  /** A stream silent for this long (the server sends a heartbeat every ~15 s) counts as dropped. */
  stallTimeoutMs: number;
  /**
   * After a retry, how long a terminal status is taken for a leftover of the run that failed (see
   * FollowOptions.afterRetry) until the video is seen running again.
   */
  retryGraceMs: number;
}

export const DEFAULT_TIMINGS: ProgressTimings = {
  pollIntervalMs: 2_000,
  reconnectDelayMs: 10_000,
  stallTimeoutMs: 45_000,
  retryGraceMs: 30_000,
};

export interface VideoProgress {
  status: VideoStatus | null;
  /** The distinct `current_step` messages seen, oldest first (a repeated step is listed once). */
  steps: string[];
  connection: Connection;
  /** The last error: fatal when connection is 'closed' without a terminal status, transient otherwise. */
  error: Error | null;
}

export interface FollowOptions {
  client: ApiClient;
  videoId: string;
  timings: ProgressTimings;
  signal: AbortSignal;
  /** Resume after this version (Last-Event-ID); statuses at or below it are ignored. */
  lastVersion: number | null;
  /**
   * Following again after a retry was accepted. The views may still show the failed run for a moment, and
   * even change in it (a block that was still running fails after the video did: a newer version, still
   * failed), so a terminal status is skipped until the video is seen running again, or for at most
   * timings.retryGraceMs (a retry that fails again before any running status was seen).
   */
  afterRetry?: boolean;
  /** The clock, for tests. */
  now?: () => number;
  onStatus: (status: VideoStatus) => void;
  onConnection: (connection: Connection) => void;
  onError: (error: Error) => void;
}

/**
 * Follows one video until it reaches a terminal status: the SSE stream first; when it fails or drops,
 * polling GET /api/videos/{id}, then the stream again (resuming after the last version seen), and so on.
 * Not-found and authentication errors end it.
 */
export async function followVideo(options: FollowOptions): Promise<void> {
  const { client, videoId, timings, signal } = options;
  const now = options.now ?? Date.now;
  let lastVersion = options.lastVersion;
  const graceEnds = options.afterRetry ? now() + timings.retryGraceMs : null;
  let runningAgain = !options.afterRetry;

  /** Reports a newer status; true when it is terminal. */
  const accept = (status: VideoStatus): boolean => {
    if (lastVersion !== null && status.version <= lastVersion) {
      return false;
    }
    const terminal = isTerminal(status.status);
    if (!terminal) {
      runningAgain = true;
    } else if (status.status === 'failed' && !runningAgain && graceEnds !== null && now() < graceEnds) {
      // The failed run's last word, not the retry's: keep following. Not recorded as seen, so once the grace
      // is over the same view is taken if nothing newer came. (Only `failed` can be a leftover: a retry
      // follows a failure, so a `completed` or `cancelled` is the retry's own end.)
      return false;
    }
    lastVersion = status.version;
    options.onStatus(status);
    return terminal;
  };

  const fail = (error: unknown): boolean => {
    if (signal.aborted) {
      return true;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    options.onError(err);
    if (isFatal(err)) {
      options.onConnection('closed');
      return true;
    }
    return false;
  };

  const stream = async (): Promise<boolean> => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal.addEventListener('abort', abort);
    let stall: ReturnType<typeof setTimeout> | undefined;
    const armStallTimer = () => {
      clearTimeout(stall);
      stall = setTimeout(() => controller.abort(new Error('The event stream stalled.')), timings.stallTimeoutMs);
    };
    try {
      armStallTimer();
      const response = await client.openEvents(videoId, lastVersion, controller.signal);
      options.onConnection('live');
      for await (const event of readEvents(response.body as ReadableStream<Uint8Array>, {
        onChunk: armStallTimer,
        signal: controller.signal,
      })) {
        if (event.event !== 'status' && event.event !== 'message') {
          continue;
        }
        let status: VideoStatus;
        try {
          status = JSON.parse(event.data) as VideoStatus;
        } catch {
          continue;
        }
        if (accept(status)) {
          return true;
        }
      }
      return false; // the server closed the stream before a terminal status: a drop
    } finally {
      clearTimeout(stall);
      signal.removeEventListener('abort', abort);
      controller.abort();
    }
  };

  while (!signal.aborted) {
    try {
      if (await stream()) {
        options.onConnection('closed');
        return;
      }
    } catch (error) {
      if (fail(error)) {
        return;
      }
    }
    if (signal.aborted) {
      return;
    }
    options.onConnection('polling');
    for (let waited = 0; waited < timings.reconnectDelayMs; waited += timings.pollIntervalMs) {
      try {
        if (accept(await client.getVideo(videoId, signal))) {
          options.onConnection('closed');
          return;
        }
      } catch (error) {
        if (fail(error)) {
          return;
        }
      }
      await sleep(timings.pollIntervalMs, signal);
      if (signal.aborted) {
        return;
      }
    }
  }
}

function isFatal(error: Error): boolean {
  return error instanceof ApiError && [401, 403, 404].includes(error.status);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

type Action =
  | { type: 'reset'; videoId: string }
  | { type: 'status'; status: VideoStatus }
  | { type: 'connection'; connection: Connection }
  | { type: 'error'; error: Error };

interface State extends VideoProgress {
  videoId: string | null;
}

const INITIAL: State = { videoId: null, status: null, steps: [], connection: 'connecting', error: null };

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'reset':
      return { ...INITIAL, videoId: action.videoId };
    case 'status': {
      const next = action.status;
      if (state.status && next.version <= state.status.version) {
        return state;
      }
      const steps =
        next.current_step && !state.steps.includes(next.current_step)
          ? [...state.steps, next.current_step]
          : state.steps;
      return { ...state, status: next, steps, error: null };
    }
    case 'connection':
      return state.connection === action.connection ? state : { ...state, connection: action.connection };
    case 'error':
      return { ...state, error: action.error };
  }
}

export interface UseVideoProgressOptions {
  timings?: Partial<ProgressTimings>;
  client?: ApiClient;
  /** Change it to follow the video again after it ended (e.g. after a retry). */
  restartKey?: number;
}

/** The live status of one video (see followVideo). */
export function useVideoProgress(videoId: string | undefined, options: UseVideoProgressOptions = {}): VideoProgress {
  const client = options.client ?? defaultApi;
  const pollIntervalMs = options.timings?.pollIntervalMs ?? DEFAULT_TIMINGS.pollIntervalMs;
  const reconnectDelayMs = options.timings?.reconnectDelayMs ?? DEFAULT_TIMINGS.reconnectDelayMs;
  const stallTimeoutMs = options.timings?.stallTimeoutMs ?? DEFAULT_TIMINGS.stallTimeoutMs;
  const retryGraceMs = options.timings?.retryGraceMs ?? DEFAULT_TIMINGS.retryGraceMs;
  const restartKey = options.restartKey ?? 0;

  const [state, dispatch] = useReducer(reducer, INITIAL);
  const followed = useRef<{ videoId: string; lastVersion: number | null } | null>(null);

  useEffect(() => {
    if (!videoId) {
      return undefined;
    }
    if (followed.current?.videoId !== videoId) {
      followed.current = { videoId, lastVersion: null };
      dispatch({ type: 'reset', videoId });
    }
    const current = followed.current;
    const controller = new AbortController();
    dispatch({ type: 'connection', connection: 'connecting' });
    void followVideo({
      client,
      videoId,
      timings: { pollIntervalMs, reconnectDelayMs, stallTimeoutMs, retryGraceMs },
      signal: controller.signal,
      lastVersion: current.lastVersion,
      afterRetry: restartKey > 0,
      onStatus: (status) => {
        current.lastVersion = status.version;
        dispatch({ type: 'status', status });
      },
      onConnection: (connection) => dispatch({ type: 'connection', connection }),
      onError: (error) => dispatch({ type: 'error', error }),
    });
    return () => controller.abort();
  }, [videoId, restartKey, client, pollIntervalMs, reconnectDelayMs, stallTimeoutMs, retryGraceMs]);

  return { status: state.status, steps: state.steps, connection: state.connection, error: state.error };
}
