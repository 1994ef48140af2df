import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { vi } from 'vitest';
import { AuthProvider } from '../auth/AuthContext';
import { I18nProvider } from '../i18n';
import type { VideoStatus } from '../services/api';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function apiError(status: number, code: string, message: string, field?: string): Response {
  return json(status, { error: field ? { code, message, field } : { code, message } });
}

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

/** Stubs the global fetch; the handler answers every call. */
export function stubFetch(handler: Handler) {
  const mock = vi.fn((input: RequestInfo | URL, init: RequestInit = {}) =>
    Promise.resolve().then(() => handler(String(input), init)),
  );
  vi.stubGlobal('fetch', mock);
  return mock;
}

/** The calls of a fetch mock as [url, init] pairs, optionally only those whose URL contains `part`. */
export function callsTo(mock: ReturnType<typeof stubFetch>, part = ''): Array<[string, RequestInit]> {
  return mock.mock.calls
    .map(([input, init]) => [String(input), init ?? {}] as [string, RequestInit])
    .filter(([url]) => url.includes(part));
}

export function header(init: RequestInit, name: string): string | undefined {
  return (init.headers as Record<string, string> | undefined)?.[name];
}

/** A server-sent event stream whose chunks the test pushes. */
export function sseStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    response: () => new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    status: (status: VideoStatus) => controller.enqueue(encoder.encode(statusEvent(status))),
    close: () => controller.close(),
    fail: (error: Error) => controller.error(error),
  };
}

export function statusEvent(status: VideoStatus): string {
  return `event: status\nid: ${status.version}\ndata: ${JSON.stringify(status)}\n\n`;
}

export function videoStatus(overrides: Partial<VideoStatus> = {}): VideoStatus {
  return {
    video_id: 'vid-1',
    user_id: 'user-1',
    version: 1,
    status: 'queued',
    current_step: 'En attente',
    total_blocks: 0,
    completed_blocks: 0,
    progress: 0,
    created_at: '2025-11-30T10:00:00Z',
    updated_at: '2025-11-30T10:00:00Z',
    request: { theme: "Les volcans d'Islande", target_duration: 36, style: 'informative', language: 'fr', aspect_ratio: '9:16' },
    idempotency_key: null,
    agent_video_id: null,
    blocks: [],
    final_url: null,
    duration_s: null,
    error: null,
    final_version: null,
    edit: null,
    ...overrides,
  };
}

/** Shows the current location, so tests can see navigations. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

/** Renders `element` at `path` (a route pattern) inside the app's providers, the URL being `url`. */
export function renderPage(element: ReactElement, { path, url }: { path: string; url: string }) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <I18nProvider initialLang="fr">
        <AuthProvider>
          <Routes>
            <Route path={path} element={element} />
            <Route path="*" element={null} />
          </Routes>
          <LocationProbe />
        </AuthProvider>
      </I18nProvider>
    </MemoryRouter>,
  );
}
