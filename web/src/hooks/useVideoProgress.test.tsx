import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient, type TokenStore } from '../services/api';
import { apiError, callsTo, header, json, sseStream, stubFetch, videoStatus } from '../test/helpers';
import { useVideoProgress, type Connection } from './useVideoProgress';

const tokens: TokenStore = { get: () => 'tok', set: () => undefined, clear: () => undefined };
const client = new ApiClient({ tokens });
const FAST = { pollIntervalMs: 15, reconnectDelayMs: 45, stallTimeoutMs: 1_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Renders the hook and records every connection state it went through. */
function follow(timings = FAST) {
  const connections: Connection[] = [];
  const hook = renderHook(() => {
    const progress = useVideoProgress('vid-1', { client, timings });
    if (connections[connections.length - 1] !== progress.connection) {
      connections.push(progress.connection);
    }
    return progress;
  });
  return { ...hook, connections };
}

describe('useVideoProgress', () => {
  it('delivers the statuses of the stream and stops at a terminal one', async () => {
    const stream = sseStream();
    const fetch = stubFetch(() => stream.response());
    const { result } = follow();

    await waitFor(() => expect(result.current.connection).toBe('live'));
    act(() => {
      stream.send(':heartbeat\n\n');
      stream.status(videoStatus({ version: 1, status: 'queued', current_step: 'En attente' }));
      stream.status(videoStatus({ version: 2, status: 'generating_script', current_step: 'Génération du script' }));
    });
    await waitFor(() => expect(result.current.status?.version).toBe(2));
    expect(result.current.steps).toEqual(['En attente', 'Génération du script']);

    act(() => {
      stream.status(videoStatus({ version: 3, status: 'completed', current_step: 'Terminé', progress: 100 }));
      stream.close();
    });
    await waitFor(() => expect(result.current.connection).toBe('closed'));
    expect(result.current.status?.status).toBe('completed');
    expect(result.current.steps).toEqual(['En attente', 'Génération du script', 'Terminé']);

    await sleep(FAST.reconnectDelayMs * 2);
    expect(callsTo(fetch)).toHaveLength(1); // nothing after the terminal status
    const [[url, init]] = callsTo(fetch) as [[string, RequestInit]];
    expect(url).toBe('/api/videos/vid-1/events');
    expect(header(init, 'Authorization')).toBe('Bearer tok');
    expect(header(init, 'Last-Event-ID')).toBeUndefined();
  });

  it('falls back to polling when the stream drops, then resumes it after the last version seen', async () => {
    const first = sseStream();
    const second = sseStream();
    const streams = [first, second];
    let polls = 0;
    const fetch = stubFetch((url) => {
      if (url.endsWith('/events')) {
        const next = streams.shift();
        return next ? next.response() : apiError(500, 'unexpected', 'no more streams');
      }
      polls++;
      return json(200, videoStatus({ version: 3, status: 'script_generated', current_step: 'Génération script terminée' }));
    });
    const { result, connections } = follow();

    await waitFor(() => expect(result.current.connection).toBe('live'));
    act(() => {
      first.status(videoStatus({ version: 1 }));
      first.status(videoStatus({ version: 2, status: 'generating_script', current_step: 'Génération du script' }));
      first.close(); // dropped before a terminal status
    });

    await waitFor(() => expect(result.current.status?.version).toBe(3));
    expect(connections).toContain('polling');

    // After reconnectDelayMs the stream is opened again, resuming after version 3.
    await waitFor(() => expect(callsTo(fetch, '/events')).toHaveLength(2));
    const [, [, resumed]] = callsTo(fetch, '/events') as [[string, RequestInit], [string, RequestInit]];
    expect(header(resumed, 'Last-Event-ID')).toBe('3');
    await waitFor(() => expect(result.current.connection).toBe('live'));

    act(() => {
      second.status(
        videoStatus({ version: 4, status: 'generating_parallel', current_step: 'Génération vidéos (0/3 blocs)' }),
      );
      second.status(videoStatus({ version: 5, status: 'failed', current_step: 'Erreur' }));
    });
    await waitFor(() => expect(result.current.connection).toBe('closed'));
    expect(result.current.steps).toEqual([
      'En attente',
      'Génération du script',
      'Génération script terminée',
      'Génération vidéos (0/3 blocs)',
      'Erreur',
    ]);
    expect(connections).toEqual(['connecting', 'live', 'polling', 'live', 'closed']);
    expect(polls).toBeGreaterThanOrEqual(1);

    const callsAtEnd = callsTo(fetch).length;
    await sleep(FAST.reconnectDelayMs * 2);
    expect(callsTo(fetch)).toHaveLength(callsAtEnd);
  });

  it('after a retry, follows on past a late status of the failed run until the retry ends', async () => {
    // The failed run: the stream ends at its failed status.
    const failedRun = sseStream();
    // After the retry, the views still show the failed run, and even change in it (a block still running
    // failed after the video did): a newer version, still failed. Then the retry runs and completes.
    const leftover = sseStream();
    const streams = [failedRun, leftover];
    let polls = 0;
    const fetch = stubFetch((url) => {
      if (url.endsWith('/events')) {
        return streams.length > 0 ? streams.shift()!.response() : apiError(503, 'unavailable', 'Down.');
      }
      polls++;
      return json(
        200,
        polls === 1
          ? videoStatus({ version: 7, status: 'generating_parallel', current_step: 'Génération vidéos (0/2 blocs)' })
          : videoStatus({ version: 9, status: 'completed', current_step: 'Terminé', progress: 100 }),
      );
    });
    const { result, rerender } = renderHook(({ restartKey }) => useVideoProgress('vid-1', { client, timings: FAST, restartKey }), {
      initialProps: { restartKey: 0 },
    });
    await waitFor(() => expect(result.current.connection).toBe('live'));
    act(() => {
      failedRun.status(videoStatus({ version: 5, status: 'failed', current_step: 'Erreur' }));
      failedRun.close();
    });
    await waitFor(() => expect(result.current.connection).toBe('closed'));

    // When the user's retry is accepted
    rerender({ restartKey: 1 });
    await waitFor(() => expect(callsTo(fetch, '/events')).toHaveLength(2));
    expect(header(callsTo(fetch, '/events')[1]![1], 'Last-Event-ID')).toBe('5');
    act(() => {
      leftover.status(videoStatus({ version: 6, status: 'failed', current_step: 'Erreur' }));
      leftover.close();
    });

    // Then the leftover does not end the follow: the retry is seen running, then completed
    await waitFor(() => expect(result.current.status?.status).toBe('completed'));
    expect(result.current.connection).toBe('closed');
    expect(result.current.steps).toEqual(['Erreur', 'Génération vidéos (0/2 blocs)', 'Terminé']);
  });

  it('after a retry that completes before any running status is seen, shows it completed', async () => {
    const failedRun = sseStream();
    const streams = [failedRun];
    const fetch = stubFetch((url) => {
      if (url.endsWith('/events')) {
        return streams.length > 0 ? streams.shift()!.response() : apiError(503, 'unavailable', 'Down.');
      }
      return json(200, videoStatus({ version: 9, status: 'completed', current_step: 'Terminé', progress: 100 }));
    });
    const { result, rerender } = renderHook(({ restartKey }) => useVideoProgress('vid-1', { client, timings: FAST, restartKey }), {
      initialProps: { restartKey: 0 },
    });
    await waitFor(() => expect(result.current.connection).toBe('live'));
    act(() => {
      failedRun.status(videoStatus({ version: 5, status: 'failed', current_step: 'Erreur' }));
      failedRun.close();
    });
    await waitFor(() => expect(result.current.connection).toBe('closed'));

    // When the retry is accepted and the next view seen is already its end
    rerender({ restartKey: 1 });

    // Then the page shows it completed, without waiting out the grace for a failed run's leftover
    await waitFor(() => expect(result.current.status?.status).toBe('completed'));
    expect(result.current.connection).toBe('closed');
    expect(callsTo(fetch, '/events').length).toBeGreaterThanOrEqual(2);
  });

  it('polls when the stream cannot be opened and stops when polling sees a terminal status', async () => {
    let polls = 0;
    const fetch = stubFetch((url) => {
      if (url.endsWith('/events')) {
        return apiError(503, 'unavailable', 'Stream unavailable.');
      }
      polls++;
      return json(
        200,
        polls < 3
          ? videoStatus({ version: polls, status: 'assembling', current_step: 'Assemblage' })
          : videoStatus({ version: 3, status: 'cancelled', current_step: 'Annulé' }),
      );
    });
    const { result } = follow({ ...FAST, reconnectDelayMs: 10_000 });

    await waitFor(() => expect(result.current.connection).toBe('closed'));
    expect(result.current.status?.status).toBe('cancelled');
    expect(result.current.steps).toEqual(['Assemblage', 'Annulé']);
    expect(callsTo(fetch, '/events')).toHaveLength(1);

    const callsAtEnd = callsTo(fetch).length;
    await sleep(FAST.pollIntervalMs * 4);
    expect(callsTo(fetch)).toHaveLength(callsAtEnd);
  });

  it('treats a silent stream (no heartbeat) as dropped', async () => {
    const silent = sseStream();
    const fetch = stubFetch((url) =>
      url.endsWith('/events')
        ? silent.response()
        : json(200, videoStatus({ version: 1, status: 'completed', current_step: 'Terminé' })),
    );
    const { result, connections } = follow({ ...FAST, stallTimeoutMs: 40 });

    await waitFor(() => expect(result.current.connection).toBe('closed'));
    expect(connections).toEqual(['connecting', 'live', 'closed']); // 'polling' lasted a single render batch
    expect(callsTo(fetch).map(([url]) => url)).toEqual(['/api/videos/vid-1/events', '/api/videos/vid-1']);
    expect(result.current.status?.status).toBe('completed');
  });

  it('stops with an error when the video does not exist', async () => {
    const fetch = stubFetch(() => apiError(404, 'not_found', 'No such video.'));
    const { result } = follow();

    await waitFor(() => expect(result.current.connection).toBe('closed'));
    expect(result.current.error).toMatchObject({ status: 404, message: 'No such video.' });
    await sleep(FAST.reconnectDelayMs * 2);
    expect(callsTo(fetch)).toHaveLength(1);
  });

  it('stops every request when unmounted', async () => {
    const fetch = stubFetch((url) =>
      url.endsWith('/events')
        ? apiError(503, 'unavailable', 'down')
        : json(200, videoStatus({ version: 1, status: 'assembling', current_step: 'Assemblage' })),
    );
    const { result, unmount } = follow();

    await waitFor(() => expect(result.current.connection).toBe('polling'));
    unmount();
    const callsAtUnmount = callsTo(fetch).length;
    await sleep(FAST.reconnectDelayMs * 2);
    expect(callsTo(fetch)).toHaveLength(callsAtUnmount);
  });
});
