/**
 * Issue 11 item 4: stream plumbing never takes the process down. Every helper is driven with
 * invalid input mid-stream, a throwing source, a silent source plus an AbortSignal, an early
 * break, a cancelled reader and a slow reader, under a watchdog that fails the test when a timer
 * created by the library is left behind or an exception / rejection escapes (process
 * 'uncaughtException' / 'unhandledRejection').
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyDelta, JsonlStream, ParseError, parseJsonl, PartialJsonStream, parseStream, type PartialUpdate, SchemaValidationError } from '../../src/index.js';
import { assembleToolCalls, type StreamEvent } from '../../src/tool-calls/index.js';
import { z } from 'zod';
import { receiveUpdates, toToolCallEventStream, toUpdateEventStream } from '../../src/forward/index.js';
import { chunked, jsonTextWithValue, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';
import { drain } from './helpers.js';
import { zodGuide } from '../../src/schema/index.js';

// ---------------------------------------------------------------------------------------------
// The watchdog: timers made by library code that are neither fired nor cleared, and escapes.

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const live = new Map<unknown, string>();
const escaped: unknown[] = [];
let timersMade = 0;
const onEscape = (error: unknown) => void escaped.push(error);

function fromLibrary(stack: string | undefined): boolean {
  return stack !== undefined && /[/\\]src[/\\](streams|tool-calls|partial|jsonl|providers)[/\\]/.test(stack);
}

beforeEach(() => {
  live.clear();
  escaped.length = 0;
  timersMade = 0;
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const stack = new Error().stack;
    const handle = realSetTimeout(() => {
      live.delete(handle);
      fn(...args);
    }, ms);
    if (fromLibrary(stack)) {
      live.set(handle, stack!);
      timersMade++;
    }
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
    live.delete(handle);
    realClearTimeout(handle);
  }) as typeof clearTimeout;
});

afterEach(async () => {
  // Let any stray rejection or timer callback surface: a few macrotasks, not a timing assertion.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => realSetTimeout(resolve, 5));
  globalThis.setTimeout = realSetTimeout;
  globalThis.clearTimeout = realClearTimeout;
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  expect([...live.values()], 'timers left behind by the library').toEqual([]);
  expect(escaped, 'errors thrown outside the consumer').toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Sources.

/** An async iterable over `parts` that records pulls and whether it was returned. */
function iterableSource<T>(parts: readonly T[], options: { failAt?: number; silentAfter?: number } = {}) {
  const state = { pulled: 0, returned: false };
  const iterable: AsyncIterable<T> = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next() {
          state.pulled++;
          if (options.silentAfter !== undefined && i >= options.silentAfter) return new Promise<never>(() => {});
          if (options.failAt !== undefined && i >= options.failAt) return Promise.reject(new Error('connection reset'));
          return Promise.resolve(i < parts.length ? { done: false as const, value: parts[i++]! } : { done: true as const, value: undefined });
        },
        return() {
          state.returned = true;
          return Promise.resolve({ done: true as const, value: undefined });
        },
      };
    },
  };
  return { iterable, state };
}

/** A ReadableStream over `parts` (pulled one at a time) that records pulls and cancellation. */
function readableSource<T>(parts: readonly T[], options: { failAt?: number; silentAfter?: number } = {}) {
  const state = { pulled: 0, cancelled: false };
  let i = 0;
  const stream = new ReadableStream<T>(
    {
      pull(controller) {
        state.pulled++;
        if (options.silentAfter !== undefined && i >= options.silentAfter) return new Promise<void>(() => {});
        if (options.failAt !== undefined && i >= options.failAt) {
          controller.error(new Error('connection reset'));
          return undefined;
        }
        if (i < parts.length) controller.enqueue(parts[i++]!);
        else controller.close();
        return undefined;
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

function replay(updates: readonly { deltas: readonly unknown[] }[]): unknown {
  let value: unknown;
  for (const u of updates) value = applyDelta(value, u.deltas as never);
  return value;
}

const JSON_PARTS = ['{"items": [', '{"name": "a"}, ', '{"name": "b', '"}, ', '{"name": "c"}', ']}'];
const BAD_PARTS = ['{"items": [', '{"name": "a"}, ', '{"name": "b', '"} x'];
const encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------------

describe('parseStream', () => {
  for (const throttleMs of [0, 20]) {
    for (const bytes of [false, true]) {
      const mode = `throttleMs ${throttleMs}, ${bytes ? 'bytes' : 'text'}`;
      const parts = (p: string[]) => (bytes ? p.map((s) => encoder.encode(s)) : p);

      it(`invalid input mid-stream: the changes before it, then the ParseError (${mode})`, async () => {
        const { iterable, state } = iterableSource<string | Uint8Array>(parts(BAD_PARTS));
        const stream = parseStream(iterable, { throttleMs });
        const updates: PartialUpdate[] = [];
        const result = await settle((async () => {
          for await (const u of stream) updates.push(u);
        })());
        expect(result.ok === false && result.error).toBeInstanceOf(ParseError);
        expect(replay(updates)).toEqual({ items: [{ name: 'a' }, { name: 'b' }] });
        expect(stream.value).toEqual({ items: [{ name: 'a' }, { name: 'b' }] });
        expect(state.returned).toBe(true);
      });

      it(`a throwing source: the error through the iteration (${mode})`, async () => {
        const { stream: body, state } = readableSource<string | Uint8Array>(parts(JSON_PARTS), { failAt: 3 });
        const stream = parseStream(body, { throttleMs });
        const updates: PartialUpdate[] = [];
        const result = await settle((async () => {
          for await (const u of stream) updates.push(u);
        })());
        expect(result.ok === false && (result.error as Error).message).toBe('connection reset');
        expect(replay(updates)).toEqual(stream.value);
        expect(state.pulled).toBeGreaterThan(0);
      });

      it(`a silent source and an abort: the loop ends at once, the source is cancelled (${mode})`, async () => {
        for (const kind of ['iterable', 'readable'] as const) {
          const controller = new AbortController();
          const src =
            kind === 'iterable'
              ? iterableSource<string | Uint8Array>(parts(JSON_PARTS), { silentAfter: 1 })
              : readableSource<string | Uint8Array>(parts(JSON_PARTS), { silentAfter: 1 });
          const source = 'iterable' in src ? src.iterable : src.stream;
          const seen: unknown[] = [];
          const loop = settle((async () => {
            for await (const u of parseStream(source, { signal: controller.signal, throttleMs })) {
              seen.push(u.value);
              // The source goes quiet after this: abort while its read is pending.
              queueMicrotask(() => controller.abort(new Error('user left')));
            }
          })());
          const result = await loop; // would hang (test timeout) if the abort waited for the read
          expect(result.ok === false && (result.error as Error).message).toBe('user left');
          expect(seen).toEqual([{ items: [] }]);
          expect('returned' in src.state ? src.state.returned : src.state.cancelled).toBe(true);
        }
      });

      it(`an early break and a return() while a pull is pending cancel the source (${mode})`, async () => {
        const { iterable, state } = iterableSource<string | Uint8Array>(parts(JSON_PARTS));
        for await (const u of parseStream(iterable, { throttleMs })) {
          if (u.value !== undefined) break;
        }
        expect(state.returned).toBe(true);

        const silent = readableSource<string | Uint8Array>(parts(JSON_PARTS), { silentAfter: 2 });
        const stream = parseStream(silent.stream, { throttleMs });
        await stream.next();
        const pending = stream.next(); // waits on the silent source (or the throttle timer)
        await stream.return();
        expect(await pending).toEqual({ done: true, value: undefined });
        expect(silent.state.cancelled).toBe(true);
      });
    }
  }

  it('with a schema: an early SchemaValidationError mid-stream, after the changes before it (throttled or not)', async () => {
    const schema = z.object({ items: z.array(z.object({ name: z.enum(['a', 'b']) })) });
    for (const throttleMs of [0, 20]) {
      const { iterable, state } = iterableSource(['{"items": [', '{"name": "a"}, ', '{"name": "', 'c"}]}']);
      const stream = parseStream(iterable, { schema, guide: zodGuide, throttleMs });
      const updates: PartialUpdate[] = [];
      const result = await settle((async () => {
        for await (const u of stream) updates.push(u as PartialUpdate);
      })());
      expect(result.ok === false && result.error).toBeInstanceOf(SchemaValidationError);
      expect(replay(updates)).toEqual(stream.value);
      expect(stream.value).toEqual({ items: [{ name: 'a' }, {}] }); // the enum string never appears: it cannot complete
      expect(state.returned).toBe(true);
    }
  });

  it('a chunk of the wrong type is a TypeError through the iteration; misuse is a TypeError at once', async () => {
    const { iterable, state } = iterableSource<unknown>(['[1,', { choices: [] }]);
    const result = await settle((async () => {
      for await (const _ of parseStream(iterable as AsyncIterable<string>)) void _;
    })());
    expect(result.ok === false && (result.error as Error).message).toMatchInlineSnapshot(
      `"parseStream(): chunk 1 of the source is an object, not a string or a Uint8Array; it looks like a provider SDK's event: pass the text it carries, or use a provider adapter (fromOpenAIChatCompletions…) with assembleToolCalls"`,
    );
    expect(state.returned).toBe(true);
    const response = new Response('[1]');
    expect(() => parseStream(response as never)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: parseStream() got a fetch Response, not its body; pass \`response.body\` (after checking \`response.ok\`)]`,
    );
    expect(() => parseStream('[1]' as never)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: parseStream() reads a stream of chunks, got a string; for a whole text use parsePartial(text) or JSON.parse(text), or pass it as a stream: ReadableStream.from([text])]`,
    );
    expect(() => parseStream(null as never)).toThrow(/got null \(a fetch Response without a body has `body: null`\)/);
    expect(() => parseStream({} as never)).toThrow(/got an object, which is not async iterable/);
  });

  it('a slow reader: the source is read ahead only up to maxReadAhead (backpressure)', async () => {
    const parts = ['[', ...Array.from({ length: 200 }, (_, i) => `"${'x'.repeat(8)}${i}",`), '0]'];
    const { iterable, state } = iterableSource(parts);
    const stream = parseStream(iterable, { maxReadAhead: 100 });
    await stream.next();
    // The consumer is busy: let the pump run as far as it may.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
    const pulledWhileBusy = state.pulled;
    // Each chunk is 12 units: 100 units of read-ahead is at most 9 chunks, plus the one being parsed.
    expect(pulledWhileBusy).toBeLessThanOrEqual(1 + 10 + 1);
    const rest: PartialUpdate[] = [];
    for await (const u of stream) rest.push(u);
    expect(rest.at(-1)?.done).toBe(true);
    expect(state.pulled).toBe(parts.length + 1);
  });

  it('property: for any text cut anywhere and turned invalid, the updates replay to stream.value and the error follows', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonTextWithValue().chain(({ text }) =>
          fc.tuple(fc.nat({ max: text.length }), fc.constantFrom('x', '}', ']]', '"\\q')).chain(([cut, junk]) => {
            // Never cut a surrogate pair: bytes could not encode the half.
            const at = cut > 0 && /[\ud800-\udbff]/.test(text[cut - 1]!) ? cut - 1 : cut;
            const bad = text.slice(0, at) + junk;
            return fc.oneof(chunked(bad), utf8Chunks(bad));
          }),
        ),
        async (chunks: (string | Uint8Array)[]) => {
          const source = iterableSource<string | Uint8Array>(chunks);
          const stream = parseStream(source.iterable);
          const updates: PartialUpdate[] = [];
          const result = await settle((async () => {
            for await (const u of stream) updates.push(u);
          })());
          if (result.ok) {
            expect(updates.at(-1)?.done).toBe(true);
          } else {
            expect(result.error).toBeInstanceOf(ParseError);
            expect(replay(updates)).toEqual(stream.value);
          }
        },
      ),
      { numRuns: runs(0.5) },
    );
  });
});

describe('PartialJsonStream', () => {
  it('the reported crash: a throttled update pending when the input turns invalid errors the stream, nothing escapes', async () => {
    const transform = new PartialJsonStream({ throttleMs: 50 });
    const { items, error } = await drain(readableSource(BAD_PARTS).stream.pipeThrough(transform));
    expect(error).toBeInstanceOf(ParseError);
    expect(replay(items)).toEqual({ items: [{ name: 'a' }, { name: 'b' }] });
    expect(transform.value).toEqual({ items: [{ name: 'a' }, { name: 'b' }] });
  });

  it('the reported crash: the reader cancels with a throttled update pending; the source is cancelled', async () => {
    const { stream: body, state } = readableSource(JSON_PARTS, { silentAfter: 3 });
    const reader = body.pipeThrough(new PartialJsonStream({ throttleMs: 50 })).getReader();
    await reader.read();
    const pending = reader.read(); // waits for the throttle window
    await reader.cancel(new Error('client went away'));
    expect(await pending).toEqual({ done: true, value: undefined });
    for (let i = 0; i < 3; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
    expect(state.cancelled).toBe(true);
  });

  it('a throwing source, text and bytes: the error through the readable side', async () => {
    for (const parts of [JSON_PARTS, JSON_PARTS.map((p) => encoder.encode(p))]) {
      const { items, error } = await drain(readableSource<string | Uint8Array>(parts, { failAt: 2 }).stream.pipeThrough(new PartialJsonStream({ throttleMs: 5 })));
      expect((error as Error).message).toBe('connection reset');
      expect(replay(items)).toEqual({ items: [{ name: 'a' }] });
    }
  });

  it('a chunk of the wrong type errors the stream with a TypeError', async () => {
    const { error } = await drain(readableSource<unknown>(['[1,', 2]).stream.pipeThrough(new PartialJsonStream() as never));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^PartialJsonStream: chunk 1 of the source is a number/);
  });

  it('a slow reader: the writable side is read only up to maxReadAhead ahead of the reader', async () => {
    const parts = ['[', ...Array.from({ length: 100 }, (_, i) => `${i},`), '0]'];
    const { stream: body, state } = readableSource(parts);
    const reader = body.pipeThrough(new PartialJsonStream({ maxReadAhead: 20 })).getReader();
    await reader.read();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
    // Chunks of 2-3 units: 20 units is at most 10 chunks, plus the pipe's own small queue.
    expect(state.pulled).toBeLessThanOrEqual(1 + 11 + 4);
    const rest = await drain(new ReadableStream({ pull: async (c) => { const r = await reader.read(); if (r.done) c.close(); else c.enqueue(r.value); } }));
    expect((rest.items.at(-1) as PartialUpdate).value).toEqual([...Array.from({ length: 100 }, (_, i) => i), 0]);
  });

  it('is still a TransformStream for pipeThrough and instanceof', () => {
    const t = new PartialJsonStream();
    expect(t).toBeInstanceOf(TransformStream);
    expect(t.readable).toBeInstanceOf(ReadableStream);
    expect(t.writable).toBeInstanceOf(WritableStream);
  });
});

describe('a failure cancels the source at once, also when only a text stream is read', () => {
  // The text breaks inside the string a text stream follows, then the source goes silent.
  const BROKEN = ['{"answer": "h', '\u0000'];
  /** A few macrotasks: time for the cancel to arrive, not a timing assertion. */
  const turns = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
  };
  const sourceOf = (kind: 'iterable' | 'readable', parts: readonly string[], options: { failAt?: number; silentAfter?: number } = {}) => {
    const src = kind === 'iterable' ? iterableSource(parts, options) : readableSource(parts, options);
    const cancelled = () => ('returned' in src.state ? src.state.returned : src.state.cancelled);
    return { source: 'iterable' in src ? src.iterable : src.stream, cancelled };
  };
  const text = async (pieces: AsyncIterable<string>, got: string[]) => {
    for await (const piece of pieces) got.push(piece);
  };
  /** Iterates the updates into `into`; how the iteration ended. */
  const drain = (stream: AsyncIterable<PartialUpdate>, into: PartialUpdate[]) =>
    settle(
      (async () => {
        for await (const u of stream) into.push(u);
      })(),
    );

  for (const kind of ['iterable', 'readable'] as const) {
    it(`parseStream, only textStream read: it rejects and the source is cancelled; the updates still end with the error (${kind})`, async () => {
      const { source, cancelled } = sourceOf(kind, BROKEN, { silentAfter: 2 });
      const stream = parseStream(source);
      const got: string[] = [];
      const result = await settle(text(stream.textStream('/answer'), got));
      expect(result.ok === false && result.error).toBeInstanceOf(ParseError);
      expect(got).toEqual(['h']);
      await turns();
      expect(cancelled()).toBe(true);
      const updates: PartialUpdate[] = [];
      const after = await drain(stream, updates);
      expect(after.ok === false && after.error).toBe(result.ok === false && result.error);
      expect(replay(updates)).toEqual(stream.value);
    });

    it(`parseStream, a consumer busy with an update: the source is cancelled before its next pull, which gets the last update, then the error (${kind})`, async () => {
      const { source, cancelled } = sourceOf(kind, BROKEN, { silentAfter: 2 });
      const stream = parseStream(source);
      const updates: PartialUpdate[] = [(await stream.next()).value as PartialUpdate];
      await turns();
      expect(cancelled()).toBe(true);
      const after = await drain(stream, updates);
      expect(after.ok === false && after.error).toBeInstanceOf(ParseError);
      expect(replay(updates)).toEqual({ answer: 'h' });
    });
  }

  it('PartialJsonStream piped from a ReadableStream, only textStream read: it rejects, the pipe cancels the source', async () => {
    const { source, cancelled } = sourceOf('readable', BROKEN, { silentAfter: 2 });
    const transform = new PartialJsonStream();
    void (source as ReadableStream<string>).pipeThrough(transform);
    const got: string[] = [];
    const result = await settle(text(transform.textStream('/answer'), got));
    expect(result.ok === false && result.error).toBeInstanceOf(ParseError);
    expect(got).toEqual(['h']);
    await turns();
    expect(cancelled()).toBe(true);
  });

  it('PartialJsonStream written from an async iterable, only textStream read: the next write rejects, so the writing loop returns its source', async () => {
    const { source, cancelled } = sourceOf('iterable', [...BROKEN, '"}'], { silentAfter: 3 });
    const transform = new PartialJsonStream();
    const writer = transform.writable.getWriter();
    const writing = settle((async () => {
      for await (const chunk of source as AsyncIterable<string>) await writer.write(chunk);
    })());
    const got: string[] = [];
    const result = await settle(text(transform.textStream('/answer'), got));
    expect(result.ok === false && result.error).toBeInstanceOf(ParseError);
    expect(got).toEqual(['h']);
    await turns();
    expect(cancelled()).toBe(true);
    const written = await Promise.race([writing, turns().then(() => 'still pending')]);
    expect(written).toEqual({ ok: false, error: result.ok === false && result.error });
    await expect(writer.closed).rejects.toBe(result.ok === false && result.error);
  });

  it('a text stream whose string closed does not stop the reading: the source is read on, and a later error cancels it', async () => {
    const { source, cancelled } = sourceOf('readable', ['{"answer": "hi", ', '"n": 1', ' x'], { silentAfter: 3 });
    const stream = parseStream(source);
    expect(await settle(text(stream.textStream('/answer'), []))).toEqual({ ok: true, value: undefined });
    await turns();
    expect(stream.value).toEqual({ answer: 'hi', n: 1 });
    expect(cancelled()).toBe(true);
    const updates: PartialUpdate[] = [];
    const after = await drain(stream, updates);
    expect(after.ok === false && after.error).toBeInstanceOf(ParseError);
    expect(replay(updates)).toEqual({ answer: 'hi', n: 1 });
  });

  it('a schema error, a throwing callback, a source error: the text stream rejects, the source is cancelled', async () => {
    const schema = z.object({ n: z.number() });
    const failures = [
      { parts: ['{"n": ', '"x'], options: { schema, guide: zodGuide }, error: SchemaValidationError },
      { parts: ['{"n": 1', ', "m": 2'], options: { onComplete: () => { throw new RangeError('callback'); } }, error: RangeError },
      { parts: ['{"n": 1', ', "m": 2'], failAt: 1, options: {}, error: Error },
    ];
    for (const { parts, failAt, options, error } of failures) {
      for (const kind of ['iterable', 'readable'] as const) {
        const { source, cancelled } = sourceOf(kind, parts, failAt === undefined ? { silentAfter: 2 } : { failAt });
        const stream = parseStream(source, options);
        const result = await settle(text(stream.textStream('/missing'), []));
        expect(result.ok === false && result.error).toBeInstanceOf(error);
        await turns();
        // A ReadableStream that errored has nothing to cancel.
        if (failAt === undefined || kind === 'iterable') expect(cancelled()).toBe(true);
      }
    }
  });
});

describe('parseJsonl and JsonlStream', () => {
  const LINES = ['{"a":1}\n{"a"', ':2}\n', '{"a":3}\n'];

  it('invalid input mid-stream: the good records, then the ParseError, source cancelled', async () => {
    const { iterable, state } = iterableSource(['{"a":1}\n{"a"', ':2}\n{x}\n', '{"a":3}\n']);
    const values: unknown[] = [];
    const result = await settle((async () => {
      for await (const r of parseJsonl(iterable)) values.push(r.value);
    })());
    expect(result.ok === false && result.error).toBeInstanceOf(ParseError);
    expect(values).toEqual([{ a: 1 }, { a: 2 }]);
    expect(state.returned).toBe(true);

    const streamed = await drain(readableSource(['{"a":1}\n{"a"', ':2}\n{x}\n', '{"a":3}\n']).stream.pipeThrough(new JsonlStream()));
    expect(streamed.error).toBeInstanceOf(ParseError);
    expect(streamed.items.map((r) => r.type === 'value' && r.value)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('a throwing source, a silent source with an abort, an early break, a cancelled reader', async () => {
    const failing = iterableSource(LINES, { failAt: 1 });
    const r1 = await settle((async () => {
      for await (const _ of parseJsonl(failing.iterable)) void _;
    })());
    expect(r1.ok === false && (r1.error as Error).message).toBe('connection reset');

    const controller = new AbortController();
    const silent = readableSource(LINES, { silentAfter: 1 });
    const r2 = await settle((async () => {
      for await (const _ of parseJsonl(silent.stream, { signal: controller.signal })) queueMicrotask(() => controller.abort());
    })());
    expect(r2.ok === false && (r2.error as Error).name).toBe('AbortError');
    expect(silent.state.cancelled).toBe(true);

    const endless = iterableSource(LINES);
    for await (const _ of parseJsonl(endless.iterable)) break;
    expect(endless.state.returned).toBe(true);

    const quiet = readableSource(LINES, { silentAfter: 1 });
    const reader = quiet.stream.pipeThrough(new JsonlStream()).getReader();
    await reader.read();
    const pending = reader.read();
    await reader.cancel();
    expect(await pending).toEqual({ done: true, value: undefined });
    for (let i = 0; i < 3; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
    expect(quiet.state.cancelled).toBe(true);
  });

  it('a slow reader: one chunk at a time is taken from the source', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `${i}\n`);
    const { stream: body, state } = readableSource(lines);
    const reader = body.pipeThrough(new JsonlStream()).getReader();
    await reader.read();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
    expect(state.pulled).toBeLessThanOrEqual(5);
    await reader.cancel();
  });

  it('misuse: a whole string, a Response, a chunk of the wrong type', async () => {
    expect(() => parseJsonl('{"a":1}\n' as never)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: parseJsonl() reads a stream of chunks, got a string; for a whole text use createJsonlParser({ onValue }) and call write(text) then end(), or pass it as a stream: ReadableStream.from([text])]`,
    );
    expect(() => parseJsonl(new Response('1\n') as never)).toThrow(/got a fetch Response, not its body/);
    const result = await settle((async () => {
      for await (const _ of parseJsonl(iterableSource<unknown>([new ArrayBuffer(2)]).iterable as never)) void _;
    })());
    expect(result.ok === false && (result.error as Error).message).toBe(
      'parseJsonl(): chunk 0 of the source is an ArrayBuffer, not a string or a Uint8Array; wrap it: `new Uint8Array(buffer)`',
    );
  });
});

describe('the SSE forwarding pair', () => {
  it('invalid input and a throwing source become the error event; the browser throws it', async () => {
    const bad = await settle((async () => {
      const out: unknown[] = [];
      for await (const u of receiveUpdates(toUpdateEventStream(parseStream(iterableSource(BAD_PARTS).iterable, { throttleMs: 20 })))) out.push(u);
      return out;
    })());
    expect(bad.ok === false && (bad.error as Error).name).toBe('ParseError');

    const failing = await settle((async () => {
      for await (const _ of receiveUpdates(toUpdateEventStream(parseStream(readableSource(JSON_PARTS, { failAt: 2 }).stream)))) void _;
    })());
    expect(failing.ok === false && (failing.error as Error).message).toBe('The stream failed');
  });

  it('the client disconnects while the upstream is silent: the upstream is cancelled at once', async () => {
    const silent = readableSource(JSON_PARTS, { silentAfter: 2 });
    const reader = toUpdateEventStream(parseStream(silent.stream, { throttleMs: 30 })).getReader();
    await reader.read();
    const pending = reader.read();
    await reader.cancel();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(silent.state.cancelled).toBe(true);

    const events = iterableSource<StreamEvent>(
      [{ type: 'tool-call-start', id: 'c1', name: 'f', index: 0 }, { type: 'tool-call-delta', id: 'c1', delta: '{"q":' }],
      { silentAfter: 2 },
    );
    const toolReader = toToolCallEventStream(assembleToolCalls(events.iterable)).getReader();
    await toolReader.read();
    const toolPending = toolReader.read();
    await toolReader.cancel();
    expect(await toolPending).toEqual({ done: true, value: undefined });
    expect(events.state.returned).toBe(true);
  });

  it('a slow client: the upstream is read at most maxReadAhead ahead of it, nothing before its first read', async () => {
    const parts = ['[', ...Array.from({ length: 100 }, () => `"${'y'.repeat(7)}",`), '""]'];
    const { iterable, state } = iterableSource(parts);
    const body = toUpdateEventStream(parseStream(iterable, { maxReadAhead: 50 }));
    for (let i = 0; i < 3; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
    expect(state.pulled).toBe(0);
    const reader = body.getReader();
    await reader.read();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
    // 10 units per chunk: 50 units of read-ahead is 5 chunks, plus the one being parsed.
    expect(state.pulled).toBeLessThanOrEqual(1 + 6 + 1);
    await reader.cancel();
    expect(state.returned).toBe(true);
  });

  it('the server serializer throwing falls back to a generic error event', async () => {
    const stream = toUpdateEventStream(parseStream(iterableSource(BAD_PARTS).iterable), {
      serializeError: () => {
        throw new Error('bad serializer');
      },
    });
    const result = await settle((async () => {
      for await (const _ of receiveUpdates(stream)) void _;
    })());
    expect(result.ok === false && (result.error as Error).message).toBe('The stream failed');
  });

  it('receiveUpdates: a silent server and an abort end at once; a malicious delta is a TypeError, no prototype touched', async () => {
    const controller = new AbortController();
    const quiet = readableSource([encoder.encode('event: delta\ndata: [{"op":"add","path":[],"value":{}}]\n\n')], { silentAfter: 1 });
    const r = await settle((async () => {
      for await (const _ of receiveUpdates(quiet.stream, { signal: controller.signal })) queueMicrotask(() => controller.abort());
    })());
    expect(r.ok === false && (r.error as Error).name).toBe('AbortError');

    const evil =
      'event: delta\ndata: [{"op":"add","path":[],"value":{}}]\n\n' +
      'event: delta\ndata: [{"op":"add","path":[["__proto__"]],"value":{"isAdmin":true}}]\n\n' +
      'event: done\ndata: {}\n\n';
    const seen: unknown[] = [];
    const result = await settle((async () => {
      for await (const u of receiveUpdates(evil)) seen.push(u.value);
    })());
    expect(result.ok === false && result.error).toBeInstanceOf(TypeError);
    expect((result as { error: Error }).error.message).toMatch(/^receiveUpdates: event 1 \(delta\) does not apply: applyDelta: delta 0 \(add\): step 0/);
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(seen).toEqual([{}]);
  });
});

describe('assembleToolCalls', () => {
  const EVENTS: StreamEvent[] = [
    { type: 'tool-call-start', id: 'c1', name: 'search', index: 0 },
    { type: 'tool-call-delta', id: 'c1', delta: '{"q":"x' },
    { type: 'tool-call-delta', id: 'c1', delta: '"}' },
    { type: 'tool-call-end', id: 'c1' },
    { type: 'finish', reason: 'tool-calls' },
  ];

  it('a throwing source, an early break, a silent source with an abort, return() while pending', async () => {
    const failing = iterableSource(EVENTS, { failAt: 2 });
    const seen: string[] = [];
    const r1 = await settle((async () => {
      for await (const e of assembleToolCalls(failing.iterable)) seen.push(e.type);
    })());
    expect(r1.ok === false && (r1.error as Error).message).toBe('connection reset');
    expect(seen).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-partial']);

    const endless = iterableSource(EVENTS);
    for await (const _ of assembleToolCalls(endless.iterable)) break;
    expect(endless.state.returned).toBe(true);

    const controller = new AbortController();
    const silent = iterableSource(EVENTS, { silentAfter: 2 });
    const r2 = await settle((async () => {
      for await (const e of assembleToolCalls(silent.iterable, { signal: controller.signal })) {
        if (e.type === 'tool-call-partial') queueMicrotask(() => controller.abort());
      }
    })());
    expect(r2.ok === false && (r2.error as Error).name).toBe('AbortError');
    expect(silent.state.returned).toBe(true);

    const quiet = iterableSource(EVENTS, { silentAfter: 1 });
    const it = assembleToolCalls(quiet.iterable);
    await it.next();
    const pending = it.next();
    await it.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(quiet.state.returned).toBe(true);
  });

  it('a slow reader: one event at a time is taken from the source', async () => {
    const many: StreamEvent[] = [EVENTS[0]!, ...Array.from({ length: 50 }, () => ({ type: 'tool-call-delta', id: 'c1', delta: ' ' }) as StreamEvent)];
    const { iterable, state } = iterableSource(many);
    const it = assembleToolCalls(iterable);
    await it.next();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => realSetTimeout(resolve, 1));
    expect(state.pulled).toBe(1);
    await it.return();
    expect(state.returned).toBe(true);
  });

  it('misuse is a TypeError at once', () => {
    expect(() => assembleToolCalls(new Response('') as never)).toThrow(/assembleToolCalls\(\) takes an \(async\) iterable of StreamEvents, got a Response/);
  });
});

describe('the watchdog itself', () => {
  it('sees the timers the library makes (a throttled update waiting for its window)', async () => {
    const { stream: body } = readableSource(['[1,', '2,', '3,'], { silentAfter: 3 });
    const stream = parseStream(body, { throttleMs: 10 });
    expect((await stream.next()).value).toMatchObject({ value: [1] });
    // The next chunks arrive at once but the window is closed: this update comes from the timer.
    expect((await stream.next()).value).toMatchObject({ value: [1, 2, 3] });
    expect(timersMade).toBeGreaterThan(0);
    await stream.return();
  });
});
