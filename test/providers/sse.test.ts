import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  fromOpenAIChatCompletions,
  readServerSentEvents,
  readServerSentEventsJson,
  type OpenAIChatCompletionChunk,
  type ServerSentEvent,
} from '../../src/providers/index.js';
import { collect } from './helpers.js';

const encoder = new TextEncoder();

function byteStream(chunks: Uint8Array[], onCancel?: (reason: unknown) => void): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel(reason) {
      onCancel?.(reason);
    },
  });
}

/** Split bytes into pieces of `size` (cutting UTF-8 sequences on purpose). */
function splitBytes(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe('readServerSentEvents', () => {
  const body =
    'event: message_start\ndata: {"type":"message_start"}\n\n' +
    ': a comment\n' +
    'id: 7\ndata: {"text":"h\u00e9llo \u{1F600}"}\n\n' +
    'data: line one\ndata: line two\n\n' +
    'event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n';
  const expected: ServerSentEvent[] = [
    { event: 'message_start', data: '{"type":"message_start"}', id: undefined },
    { event: undefined, data: '{"text":"héllo 😀"}', id: '7' },
    // eventsource-parser reports the id of each event's own block (no carry-over).
    { event: undefined, data: 'line one\nline two', id: undefined },
    { event: 'error', data: '{"type":"error","error":{"type":"overloaded_error"}}', id: undefined },
  ];

  it('reads the same events from a string, strings, and bytes cut at every size (one streaming decoder)', async () => {
    expect(await collect(readServerSentEvents(body))).toEqual(expected);
    expect(await collect(readServerSentEvents(body.split(/(?<=\n)/)))).toEqual(expected);
    const bytes = encoder.encode(body);
    for (const size of [1, 2, 3, 5, 64]) {
      expect(await collect(readServerSentEvents(byteStream(splitBytes(bytes, size))))).toEqual(expected);
      async function* gen() {
        yield* splitBytes(bytes, size);
      }
      expect(await collect(readServerSentEvents(gen()))).toEqual(expected);
    }
  });

  it('ends at data: [DONE] and cancels the source', async () => {
    let cancelled = false;
    const stream = byteStream([encoder.encode('data: {"a":1}\n\ndata: [DONE]\n\n'), encoder.encode('data: {"never":1}\n\n'), encoder.encode('\n')], () => {
      cancelled = true;
    });
    expect((await collect(readServerSentEvents(stream))).map((e) => e.data)).toEqual(['{"a":1}']);
    expect(cancelled).toBe(true);
  });

  it('drops an event the body leaves unfinished (a cut stream)', async () => {
    expect((await collect(readServerSentEvents('data: {"a":1}\n\ndata: {"b":'))).map((e) => e.data)).toEqual(['{"a":1}']);
  });

  it('cancels the source when the consumer stops early', async () => {
    let cancelled = false;
    const stream = byteStream([encoder.encode('data: 1\n\n'), encoder.encode('data: 2\n\n')], () => {
      cancelled = true;
    });
    for await (const event of readServerSentEvents(stream)) {
      expect(event.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);

    let returned = false;
    async function* source() {
      try {
        yield 'data: 1\n\n';
        yield 'data: 2\n\n';
      } finally {
        returned = true;
      }
    }
    for await (const event of readServerSentEvents(source())) {
      expect(event.data).toBe('1');
      break;
    }
    expect(returned).toBe(true);
  });

  it('stops with signal.reason when aborted, before or while waiting for data', async () => {
    const before = new AbortController();
    before.abort(new Error('stop now'));
    await expect(collect(readServerSentEvents('data: 1\n\n', { signal: before.signal }))).rejects.toThrow('stop now');

    const during = new AbortController();
    let cancelReason: unknown;
    const hanging = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: first\n\n'));
      },
      cancel(reason) {
        cancelReason = reason;
      },
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of readServerSentEvents(hanging, { signal: during.signal })) {
          seen.push(event.data);
          setTimeout(() => during.abort(), 0);
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['first']);
    expect(cancelReason).toMatchObject({ name: 'AbortError' });
  });

  it('reads a fetch Response and throws on a non-2xx status with the body quoted', async () => {
    const ok = new Response('data: {"a":1}\n\n', { headers: { 'content-type': 'text/event-stream' } });
    expect(await collect(readServerSentEventsJson(ok))).toEqual([{ a: 1 }]);
    const denied = new Response('{"error":{"message":"Incorrect API key"}}', { status: 401, statusText: 'Unauthorized' });
    await expect(collect(readServerSentEvents(denied))).rejects.toThrow(/^HTTP 401 Unauthorized: \{"error":\{"message":"Incorrect API key"\}\}$/);
    expect(await collect(readServerSentEvents(new Response(null)))).toEqual([]);
  });

  it('rejects sources of the wrong kind with a TypeError', async () => {
    await expect(collect(readServerSentEvents(42 as never))).rejects.toThrow(TypeError);
  });

  it('throws eventsource-parser errors only for a blown buffer', async () => {
    expect(await collect(readServerSentEvents('retry: soon\nunknown: x\ndata: ok\n\n'))).toHaveLength(1);
    await expect(collect(readServerSentEvents('data: ' + 'x'.repeat(100), { maxBufferSize: 10 }))).rejects.toMatchObject({
      type: 'max-buffer-size-exceeded',
    });
  });
});

describe('readServerSentEventsJson', () => {
  it('parses data as JSON, skips empty data, and turns a non-JSON error event into an error chunk', async () => {
    const values = await collect(readServerSentEventsJson('data: {"a":1}\n\ndata:\n\nevent: error\ndata: upstream timeout\n\n'));
    expect(values).toEqual([{ a: 1 }, { type: 'error', error: { message: 'upstream timeout' } }]);
  });

  it('throws a SyntaxError for non-JSON data', async () => {
    await expect(collect(readServerSentEventsJson('data: {"a":\n\n'))).rejects.toThrow(/Server-sent event data is not JSON: "\{\\"a\\":"/);
  });

  it('feeds an adapter, with the chunk type inferred from it', async () => {
    const sse =
      'data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n' +
      'data: {"error":{"message":"overloaded"}}\n\n' +
      'data: [DONE]\n\n';
    const chunks = readServerSentEventsJson(sse);
    const events = await collect(fromOpenAIChatCompletions(readServerSentEventsJson(sse)));
    expectTypeOf(readServerSentEventsJson<OpenAIChatCompletionChunk>(sse)).toEqualTypeOf<AsyncGenerator<OpenAIChatCompletionChunk, void, undefined>>();
    expectTypeOf(chunks).toEqualTypeOf<AsyncGenerator<unknown, void, undefined>>();
    expect(events).toEqual([
      { type: 'text-delta', delta: 'Hi' },
      { type: 'error', error: { message: 'overloaded' } },
    ]);
  });
});

describe('readServerSentEvents without eventsource-parser', () => {
  afterEach(() => {
    vi.doUnmock('eventsource-parser');
    vi.resetModules();
  });

  it('throws an error that says to install it', async () => {
    vi.resetModules();
    vi.doMock('eventsource-parser', () => {
      throw new Error('Cannot find package "eventsource-parser"');
    });
    const { readServerSentEvents: read } = await import('../../src/providers/sse.js');
    await expect(collect(read('data: 1\n\n'))).rejects.toThrow(/npm install eventsource-parser/);
  });
});
