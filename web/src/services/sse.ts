// A small server-sent events reader for fetch() bodies (the browser's EventSource cannot send an
// Authorization header). Follows the HTML "event stream" interpretation: LF, CR or CRLF line ends,
// `:` comments, `data:` lines joined with "\n", `event:`, `id:`; `retry:` is ignored.

export interface SseEvent {
  /** The last event id seen so far on the stream (it carries over to later events), or null. */
  id: string | null;
  /** The event type; "message" when the event has no `event:` field. */
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private skipLeadingLf = false;
  private data: string[] = [];
  private eventType = '';
  private lastEventId: string | null = null;

  /** Feeds decoded text and returns the events it completed. */
  feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let chunk = text;
    if (this.skipLeadingLf && chunk.startsWith('\n')) {
      chunk = chunk.slice(1); // the LF of a CRLF split across two chunks
    }
    this.skipLeadingLf = false;
    this.buffer += chunk;
    let start = 0;
    for (;;) {
      const end = nextLineEnd(this.buffer, start);
      if (end < 0) {
        break;
      }
      const line = this.buffer.slice(start, end);
      if (this.buffer[end] === '\r') {
        if (end + 1 < this.buffer.length) {
          start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
        } else {
          start = end + 1;
          this.skipLeadingLf = true;
        }
      } else {
        start = end + 1;
      }
      const event = this.line(line);
      if (event) {
        events.push(event);
      }
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      return this.dispatch();
    }
    if (line.startsWith(':')) {
      return null; // comment (heartbeat)
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
        }
        break;
      default:
        break; // retry and unknown fields
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const data = this.data;
    const eventType = this.eventType;
    this.data = [];
    this.eventType = '';
    if (data.length === 0) {
      return null;
    }
    return { id: this.lastEventId, event: eventType || 'message', data: data.join('\n') };
  }
}

function nextLineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      return i;
    }
  }
  return -1;
}

/**
 * Reads the events of a response body until the server ends the stream. `onChunk` is called for every
 * chunk received (heartbeats included), which lets a caller notice a stalled connection; aborting `signal`
 * closes the stream and throws its reason.
 */
export async function* readEvents(
  body: ReadableStream<Uint8Array>,
  options: { onChunk?: () => void; signal?: AbortSignal } = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const { onChunk, signal } = options;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const cancel = () => {
    reader.cancel(signal?.reason).catch(() => undefined);
  };
  signal?.addEventListener('abort', cancel);
  let finished = false;
  try {
    signal?.throwIfAborted();
    for (;;) {
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) {
        finished = true;
        break;
      }
      onChunk?.();
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    yield* parser.feed(decoder.decode());
  } finally {
    signal?.removeEventListener('abort', cancel);
    if (!finished) {
      cancel(); // the consumer stopped early or gave up: close the connection
    }
  }
}
