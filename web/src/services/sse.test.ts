import { describe, expect, it } from 'vitest';
import { readEvents, SseParser } from './sse';

describe('SseParser', () => {
  it('parses event, id and multi-line data, ignoring comments', () => {
    const parser = new SseParser();
    const events = parser.feed(':heartbeat\n\nevent: status\nid: 3\ndata: {"a":\ndata: 1}\n\n:heartbeat\n\n');
    expect(events).toEqual([{ id: '3', event: 'status', data: '{"a":\n1}' }]);
  });

  it('handles CRLF line ends, also when split across chunks', () => {
    const parser = new SseParser();
    expect(parser.feed('event: status\r\nid: 4\r')).toEqual([]);
    expect(parser.feed('\ndata: x\r\n\r')).toEqual([{ id: '4', event: 'status', data: 'x' }]);
    expect(parser.feed('\ndata: y\r\n\r\n')).toEqual([{ id: '4', event: 'message', data: 'y' }]);
  });

  it('assembles a field split across chunks and strips only one leading space', () => {
    const parser = new SseParser();
    expect(parser.feed('da')).toEqual([]);
    expect(parser.feed('ta:  two spaces\n')).toEqual([]);
    expect(parser.feed('\n')).toEqual([{ id: null, event: 'message', data: ' two spaces' }]);
  });

  it('does not dispatch an event without data', () => {
    const parser = new SseParser();
    expect(parser.feed('event: status\nid: 9\n\n')).toEqual([]);
  });
});

describe('readEvents', () => {
  it('reads the events of a byte stream, chunk boundaries anywhere', async () => {
    const text = 'event: status\nid: 1\ndata: {"v":1}\n\n: hb\n\nevent: status\nid: 2\ndata: {"v":2}\n\n';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) {
          controller.enqueue(bytes.slice(i, i + 7));
        }
        controller.close();
      },
    });
    let chunks = 0;
    const events = [];
    for await (const event of readEvents(body, { onChunk: () => chunks++ })) {
      events.push(event);
    }
    expect(events.map((e) => [e.id, e.data])).toEqual([
      ['1', '{"v":1}'],
      ['2', '{"v":2}'],
    ]);
    expect(chunks).toBe(Math.ceil(bytes.length / 7));
  });
});

describe('readEvents with a signal', () => {
  it('closes the stream and throws when the signal aborts', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      cancel() {
        cancelled = true;
      },
    });
    const controller = new AbortController();
    const reading = (async () => {
      for await (const event of readEvents(body, { signal: controller.signal })) {
        void event;
      }
    })();
    controller.abort(new Error('stalled'));
    await expect(reading).rejects.toThrow('stalled');
    expect(cancelled).toBe(true);
  });
});
