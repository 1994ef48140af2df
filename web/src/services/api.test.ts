import { describe, expect, it, vi } from 'vitest';
import { apiError, callsTo, header, json, stubFetch } from '../test/helpers';
import { ApiClient, ApiError, sessionTokenStore, type TokenStore } from './api';

function memoryTokens(token: string | null): TokenStore {
  let current = token;
  return {
    get: () => current,
    set: (value) => {
      current = value;
    },
    clear: () => {
      current = null;
    },
  };
}

const REQUEST = {
  theme: "Les volcans d'Islande",
  target_duration: 36,
  style: 'informative',
  language: 'fr',
  aspect_ratio: '9:16',
} as const;

describe('ApiClient requests', () => {
  it('logs in without a bearer token and with a JSON body', async () => {
    const fetch = stubFetch(() => json(200, { access_token: 'tok', token_type: 'bearer', expires_in: 3600 }));
    const client = new ApiClient({ tokens: memoryTokens('old') });

    const response = await client.login('a@b.fr', 'secret123');

    expect(response.access_token).toBe('tok');
    const [[url, init]] = callsTo(fetch) as [[string, RequestInit]];
    expect(url).toBe('/api/auth/login');
    expect(init.method).toBe('POST');
    expect(header(init, 'Content-Type')).toBe('application/json');
    expect(header(init, 'Authorization')).toBeUndefined();
    expect(JSON.parse(init.body as string)).toEqual({ email: 'a@b.fr', password: 'secret123' });
  });

  it('creates a video with the bearer token, the Idempotency-Key and a snake_case body', async () => {
    const fetch = stubFetch(() =>
      json(202, { video_id: 'v1', status: 'queued', status_url: '/api/videos/v1', events_url: '/api/videos/v1/events' }),
    );
    const client = new ApiClient({ baseUrl: 'https://api.example.com/', tokens: memoryTokens('tok') });

    const accepted = await client.createVideo(REQUEST, 'key-1');

    expect(accepted.video_id).toBe('v1');
    const [[url, init]] = callsTo(fetch) as [[string, RequestInit]];
    expect(url).toBe('https://api.example.com/api/videos');
    expect(init.method).toBe('POST');
    expect(header(init, 'Authorization')).toBe('Bearer tok');
    expect(header(init, 'Idempotency-Key')).toBe('key-1');
    expect(JSON.parse(init.body as string)).toEqual({
      theme: "Les volcans d'Islande",
      target_duration: 36,
      style: 'informative',
      language: 'fr',
      aspect_ratio: '9:16',
    });
  });

  it('lists, reads, estimates, cancels and retries on the documented paths', async () => {
    const fetch = stubFetch(() => json(200, {}));
    const client = new ApiClient({ tokens: memoryTokens('tok') });

    await client.listVideos(2, 12);
    await client.getVideo('a/b');
    await client.estimate(REQUEST);
    await client.cancelVideo('v1');
    await client.retryVideo('v1');
    await client.mediaToken();

    expect(callsTo(fetch).map(([url, init]) => `${init.method} ${url}`)).toEqual([
      'GET /api/videos?page=2&size=12',
      'GET /api/videos/a%2Fb',
      'POST /api/videos/estimate',
      'POST /api/videos/v1/cancel',
      'POST /api/videos/v1/retry',
      'POST /api/media-token',
    ]);
    expect(callsTo(fetch).every(([, init]) => header(init, 'Authorization') === 'Bearer tok')).toBe(true);
  });

  it('edits one block with a PUT of the JSON body and returns the accepted video', async () => {
    const fetch = stubFetch(() =>
      json(202, { video_id: 'v1', status: 'queued', status_url: '/api/videos/v1', events_url: '/api/videos/v1/events' }),
    );
    const client = new ApiClient({ baseUrl: 'https://api.example.com', tokens: memoryTokens('tok') });

    const accepted = await client.editBlock('v/1', 3, { prompt: 'A glacier at dawn' });

    expect(accepted).toEqual({
      video_id: 'v1',
      status: 'queued',
      status_url: '/api/videos/v1',
      events_url: '/api/videos/v1/events',
    });
    const [[url, init]] = callsTo(fetch) as [[string, RequestInit]];
    expect(url).toBe('https://api.example.com/api/videos/v%2F1/blocks/3');
    expect(init.method).toBe('PUT');
    expect(header(init, 'Authorization')).toBe('Bearer tok');
    expect(header(init, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(init.body as string)).toEqual({ prompt: 'A glacier at dawn' });
  });

  it('estimates a block edit with a POST of the same body', async () => {
    const estimate = { blocks: 1, block_seconds: 8, generated_seconds: 8, estimated_seconds: 90, cost: 0.4, currency: 'USD' };
    const fetch = stubFetch(() => json(200, estimate));
    const client = new ApiClient({ tokens: memoryTokens('tok') });

    await expect(client.estimateEdit('v1', 2, { narration: 'Bonjour' })).resolves.toEqual(estimate);

    const [[url, init]] = callsTo(fetch) as [[string, RequestInit]];
    expect(url).toBe('/api/videos/v1/blocks/2/estimate');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ narration: 'Bonjour' });
  });

  it('opens the event stream with Accept and Last-Event-ID', async () => {
    const fetch = stubFetch(() => new Response('', { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
    const client = new ApiClient({ tokens: memoryTokens('tok') });

    await client.openEvents('v1', 7);
    await client.openEvents('v1', null);

    const [[url, first], [, second]] = callsTo(fetch) as [[string, RequestInit], [string, RequestInit]];
    expect(url).toBe('/api/videos/v1/events');
    expect(header(first, 'Accept')).toBe('text/event-stream');
    expect(header(first, 'Last-Event-ID')).toBe('7');
    expect(header(first, 'Authorization')).toBe('Bearer tok');
    expect(header(second, 'Last-Event-ID')).toBeUndefined();
  });

  it('builds media URLs carrying the media token', () => {
    const client = new ApiClient({ baseUrl: 'https://api.example.com', tokens: memoryTokens(null) });
    expect(client.fileUrl('v1', 'm t')).toBe('https://api.example.com/api/videos/v1/file?media_token=m%20t');
    expect(client.fileUrl('v1', 'mt', true)).toBe('https://api.example.com/api/videos/v1/file?media_token=mt&download=1');
    expect(client.posterUrl('v1', 'mt')).toBe('https://api.example.com/api/videos/v1/poster?media_token=mt');
  });

  it('adds the final version to media URLs so an edited video is not taken from the cache', () => {
    const client = new ApiClient({ tokens: memoryTokens(null) });
    expect(client.fileUrl('v1', 'mt', false, 2)).toBe('/api/videos/v1/file?media_token=mt&v=2');
    expect(client.fileUrl('v1', 'mt', true, 2)).toBe('/api/videos/v1/file?media_token=mt&download=1&v=2');
    expect(client.captionsUrl('v1', 'mt', 'vtt', 3)).toBe('/api/videos/v1/captions.vtt?media_token=mt&v=3');
    expect(client.posterUrl('v1', 'mt', 2)).toBe('/api/videos/v1/poster?media_token=mt&v=2');
    expect(client.fileUrl('v1', 'mt', false, null)).toBe('/api/videos/v1/file?media_token=mt');
  });
});

describe('ApiClient errors', () => {
  it('throws an ApiError with the server message, code and field', async () => {
    stubFetch(() => apiError(400, 'invalid', 'theme must be 3 to 500 characters long.', 'theme'));
    const client = new ApiClient({ tokens: memoryTokens('tok') });

    const error = await client.createVideo({ ...REQUEST, theme: 'ab' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid',
      message: 'theme must be 3 to 500 characters long.',
      field: 'theme',
    });
  });

  it('turns a 409 on a block edit into an ApiError video_busy', async () => {
    stubFetch(() => apiError(409, 'video_busy', 'The video is being generated.'));
    const client = new ApiClient({ tokens: memoryTokens('tok') });

    const error = await client.editBlock('v1', 1, { narration: 'Hello' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'video_busy', message: 'The video is being generated.' });
  });

  it('maps a body that is not the error JSON to an http_<status> code', async () => {
    stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const client = new ApiClient({ tokens: memoryTokens('tok') });

    const error = await client.getVideo('v1').catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 502, code: 'http_502', message: 'Bad Gateway', field: undefined });
  });

  it('reports a 401 on an authenticated call to the unauthorized listeners', async () => {
    stubFetch(() => apiError(401, 'unauthorized', 'The token has expired.'));
    const client = new ApiClient({ tokens: memoryTokens('tok') });
    const listener = vi.fn();
    client.onUnauthorized(listener);

    await expect(client.listVideos()).rejects.toMatchObject({ status: 401, message: 'The token has expired.' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('does not treat a wrong password (401 on log-in) as an expired session', async () => {
    stubFetch(() => apiError(401, 'unauthorized', 'Wrong e-mail or password.'));
    const client = new ApiClient({ tokens: memoryTokens(null) });
    const listener = vi.fn();
    client.onUnauthorized(listener);

    await expect(client.login('a@b.fr', 'nope12345')).rejects.toMatchObject({ status: 401 });
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('sessionTokenStore', () => {
  it('keeps the token and its expiry in sessionStorage', () => {
    sessionTokenStore.set('tok', 60);
    expect(sessionStorage.getItem('reetik.token')).toBe('tok');
    expect(sessionTokenStore.expiresAt()).toBeGreaterThan(Date.now());
    sessionTokenStore.clear();
    expect(sessionTokenStore.get()).toBeNull();
  });
});
