/**
 * Issue 16 item 4: createPartialStore, the `useSyncExternalStore`-shaped store. Frames are a
 * hand-driven `requestAnimationFrame` stub, so coalescing is asserted by counting (notifications
 * per frame), never by time; a watchdog fails a test that leaves a store timer, a frame request
 * or an escaped error behind.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPartialStore, ParseError, parseStream, SchemaValidationError, type PartialSnapshot, type PartialStore, lenient } from '../../src/index.js';
import { chunked, jsonTextWithValue, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

// ---------------------------------------------------------------------------------------------
// Frames by hand, and the watchdog (timers made by the store, frame requests, escapes).

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const liveTimers = new Map<unknown, string>();
const frames = new Map<number, () => void>();
let frameId = 0;
let framesRun = 0;
const escaped: unknown[] = [];
const onEscape = (error: unknown) => void escaped.push(error);

/** Runs every requested frame callback (one animation frame). */
function frame(): void {
  framesRun++;
  const callbacks = [...frames.values()];
  frames.clear();
  for (const callback of callbacks) callback();
}

/** Lets promises and macrotasks settle (a few real macrotasks, not a timing assertion). */
async function settle(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((resolve) => realSetTimeout(resolve, 0));
}

function installFrames(): void {
  (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = (callback: () => void) => {
    frames.set(++frameId, callback);
    return frameId;
  };
  (globalThis as { cancelAnimationFrame?: unknown }).cancelAnimationFrame = (id: number) => void frames.delete(id);
}

function removeFrames(): void {
  delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
  delete (globalThis as { cancelAnimationFrame?: unknown }).cancelAnimationFrame;
}

beforeEach(() => {
  liveTimers.clear();
  frames.clear();
  framesRun = 0;
  escaped.length = 0;
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const stack = new Error().stack ?? '';
    const handle = realSetTimeout(() => {
      liveTimers.delete(handle);
      fn(...args);
    }, ms);
    if (/[/\\]src[/\\]streams[/\\]/.test(stack)) liveTimers.set(handle, stack);
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
    liveTimers.delete(handle);
    realClearTimeout(handle);
  }) as typeof clearTimeout;
});

afterEach(async () => {
  await settle();
  globalThis.setTimeout = realSetTimeout;
  globalThis.clearTimeout = realClearTimeout;
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  const pendingFrames = frames.size;
  removeFrames();
  expect([...liveTimers.values()], 'timers left behind by the store').toEqual([]);
  expect(pendingFrames, 'frame requests left behind by the store').toBe(0);
  expect(escaped, 'errors thrown outside the store').toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Sources.

/** A source the test feeds by hand; records whether it was cancelled. */
function manualSource<T = string | Uint8Array>() {
  const queue: IteratorResult<T>[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let failWith: ((error: unknown) => void) | undefined;
  const state = { returned: false, pulls: 0 };
  const deliver = (result: IteratorResult<T>) => {
    if (waiting !== undefined) {
      const w = waiting;
      waiting = undefined;
      failWith = undefined;
      w(result);
    } else queue.push(result);
  };
  const iterable: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      next() {
        state.pulls++;
        const queued = queue.shift();
        if (queued !== undefined) return Promise.resolve(queued);
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          waiting = resolve;
          failWith = reject;
        });
      },
      return() {
        state.returned = true;
        return Promise.resolve({ done: true as const, value: undefined });
      },
    }),
  };
  return {
    iterable,
    state,
    push: (chunk: T) => deliver({ done: false, value: chunk }),
    end: () => deliver({ done: true, value: undefined }),
    fail: (error: unknown) => failWith?.(error),
  };
}

function streamOf(chunks: readonly string[]): ReadableStream<string> {
  return new ReadableStream<string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Subscribes and records every snapshot a notification shows, with the frame it came in. */
function watch<T, P>(store: PartialStore<T, P>) {
  const seen: { snapshot: PartialSnapshot<T, P>; frame: number }[] = [];
  const unsubscribe = store.subscribe(() => {
    const snapshot = store.getSnapshot();
    // The contract: a notification means a new snapshot; reading it twice gives the same object.
    expect(store.getSnapshot()).toBe(snapshot);
    seen.push({ snapshot, frame: framesRun });
  });
  return { seen, unsubscribe };
}

/** Runs frames until the store has ended (done, error or stopped). */
async function runToEnd(store: PartialStore<unknown, unknown>, limit = 10_000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await settle(1);
    const { status } = store.getSnapshot();
    if (status === 'done' || status === 'error' || status === 'stopped') return;
    frame();
  }
  throw new Error('the store did not end');
}

describe('createPartialStore', () => {
  it('a bad source is reported under its own name', () => {
    expect(() => createPartialStore(undefined as never)).toThrow(/^createPartialStore\(\) got undefined/);
    expect(() => createPartialStore('[1]' as never)).toThrow(/^createPartialStore\(\) reads a stream of chunks, got a string/);
  });

  beforeEach(installFrames);

  it('starts on the first subscribe, not before; the idle snapshot is the server snapshot', async () => {
    const source = manualSource<string>();
    const store = createPartialStore(source.iterable);
    await settle();
    expect(source.state.pulls).toBe(0);
    const idle = store.getSnapshot();
    expect(idle).toEqual({ status: 'idle', value: undefined, done: false, error: undefined, pending: [], warnings: [] });
    expect(store.getServerSnapshot()).toBe(idle);
    expect(Object.isFrozen(idle)).toBe(true);
    const { seen, unsubscribe } = watch(store);
    expect(seen.map((s) => s.snapshot.status)).toEqual(['streaming']);
    await settle();
    expect(source.state.pulls).toBe(1);
    source.push('{"a": "he');
    source.push('llo"}');
    source.end();
    await runToEnd(store);
    expect(store.getSnapshot()).toMatchObject({ status: 'done', value: { a: 'hello' }, done: true, error: undefined, pending: [] });
    expect(store.getServerSnapshot()).toBe(idle);
    unsubscribe();
  });

  it('snapshot identity: the same object until something changed, value keeps structural sharing', async () => {
    const source = manualSource<string>();
    const store = createPartialStore(source.iterable);
    const { seen } = watch(store);
    source.push('{"done": {"x": [1, 2]}, "text": "a');
    await settle();
    const first = store.getSnapshot();
    expect(first.value).toEqual({ done: { x: [1, 2] }, text: 'a' });
    expect(first.pending).toEqual(['/text']);
    // Nothing new: every read, across frames, gives the same object.
    for (let i = 0; i < 3; i++) {
      frame();
      await settle();
      expect(store.getSnapshot()).toBe(first);
    }
    source.push('bc');
    await settle();
    frame();
    await settle();
    const second = store.getSnapshot();
    expect(second).not.toBe(first);
    expect(second.value).toEqual({ done: { x: [1, 2] }, text: 'abc' });
    expect((second.value as { done: unknown }).done).toBe((first.value as { done: unknown }).done);
    source.end();
    await runToEnd(store);
    // Each notification brought a different snapshot.
    const snapshots = seen.map((s) => s.snapshot);
    expect(new Set(snapshots).size).toBe(snapshots.length);
  });

  it('coalesces: many chunks within a frame make one notification', async () => {
    const source = manualSource<string>();
    const store = createPartialStore(source.iterable);
    const { seen } = watch(store);
    const words = Array.from({ length: 300 }, (_, i) => `w${i} `);
    source.push('{"answer": "');
    let pushed = 0;
    for (let f = 0; f < 30; f++) {
      for (let k = 0; k < 10; k++) {
        source.push(words[pushed++]!);
        await settle(1); // the parser reads each chunk as it comes
      }
      frame();
    }
    source.push('"}');
    source.end();
    await runToEnd(store);
    expect(store.getSnapshot().value).toEqual({ answer: words.join('') });
    // 'streaming' at subscribe, then at most one snapshot per frame (the first one at once).
    const data = seen.slice(1);
    for (let i = 1; i < data.length; i++) expect(data[i]!.frame).toBeGreaterThan(data[i - 1]!.frame);
    expect(seen.length).toBeLessThanOrEqual(framesRun + 2);
    expect(seen.length).toBeLessThan(pushed / 5);
  });

  it('property: any text, any chunking, text or bytes: the final snapshot is JSON.parse\'s, notifications never outnumber frames', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonTextWithValue().chain(({ text, value }) =>
          fc.record({
            value: fc.constant(value),
            chunks: fc.oneof(chunked(text), utf8Chunks(text)) as fc.Arbitrary<(string | Uint8Array)[]>,
            perFrame: fc.integer({ min: 1, max: 4 }),
          }),
        ),
        async ({ value, chunks, perFrame }) => {
          frames.clear();
          framesRun = 0;
          const source = manualSource<string | Uint8Array>();
          const store = createPartialStore(source.iterable);
          const { seen, unsubscribe } = watch(store);
          let i = 0;
          for (const chunk of chunks) {
            source.push(chunk);
            await settle(1);
            if (++i % perFrame === 0) frame();
          }
          source.end();
          await runToEnd(store);
          const last = store.getSnapshot();
          expect(last.status).toBe('done');
          expect(last.value).toEqual(value);
          expect(last.pending).toEqual([]);
          const data = seen.slice(1);
          for (let j = 1; j < data.length; j++) expect(data[j]!.frame).toBeGreaterThan(data[j - 1]!.frame);
          for (const { snapshot } of seen) expect(Object.isFrozen(snapshot)).toBe(true);
          unsubscribe();
          expect(frames.size).toBe(0);
        },
      ),
      { numRuns: runs(0.3) },
    );
  });

  it('property: a text cut and broken anywhere, text or bytes, with or without a schema: status error, the ParseError, the last partial value', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonTextWithValue().chain(({ text }) =>
          fc.tuple(fc.nat({ max: text.length }), fc.constantFrom('x', '}', ']]', '"\\q'), fc.boolean()).chain(([cut, junk, schema]) => {
            // Never cut a surrogate pair: bytes could not encode the half.
            const at = cut > 0 && /[\ud800-\udbff]/.test(text[cut - 1]!) ? cut - 1 : cut;
            const bad = text.slice(0, at) + junk;
            return fc.record({
              bad: fc.constant(bad),
              schema: fc.constant(schema),
              chunks: fc.oneof(chunked(bad), utf8Chunks(bad)) as fc.Arbitrary<(string | Uint8Array)[]>,
            });
          }),
        ),
        async ({ bad, schema, chunks }) => {
          frames.clear();
          framesRun = 0;
          const source = manualSource<string | Uint8Array>();
          const store = schema ? createPartialStore(source.iterable, { schema: z.unknown() }) : createPartialStore(source.iterable);
          const { seen, unsubscribe } = watch(store);
          for (const chunk of chunks) {
            source.push(chunk);
            await settle(1);
            frame();
          }
          source.end();
          await runToEnd(store);
          const last = store.getSnapshot();
          let expected: { value: unknown } | undefined;
          try {
            expected = { value: JSON.parse(bad) };
          } catch {
            // A text some junk leaves valid (`1` + `}` is not, `[]` + `]]` is not…): compared below.
          }
          if (expected !== undefined) {
            expect(last).toMatchObject({ status: 'done', value: expected.value });
          } else {
            expect(last.status).toBe('error');
            expect(last.done).toBe(false);
            expect(last.error).toBeInstanceOf(ParseError);
            // The value is the last partial one: what parseStream holds after the same error.
            const reference = parseStream(streamOf([bad]));
            await expect((async () => { for await (const _ of reference); })()).rejects.toBeInstanceOf(ParseError);
            expect(last.value).toEqual(reference.value);
          }
          const data = seen.slice(1);
          for (let j = 1; j < data.length; j++) expect(data[j]!.frame).toBeGreaterThan(data[j - 1]!.frame);
          unsubscribe();
          expect(frames.size).toBe(0);
        },
      ),
      { numRuns: runs(0.3) },
    );
  });

  it('errors arrive as snapshot.error, with the last partial value and the unfinished field', async () => {
    const source = manualSource<string>();
    const store = createPartialStore(source.iterable);
    watch(store);
    source.push('{"title": "Stream", "body": "A quiet room with a');
    source.push('\u0001');
    await runToEnd(store);
    const snapshot = store.getSnapshot();
    expect(snapshot.status).toBe('error');
    expect(snapshot.done).toBe(false);
    expect(snapshot.error).toBeInstanceOf(ParseError);
    expect(snapshot.value).toEqual({ title: 'Stream', body: 'A quiet room with a' });
    expect(snapshot.pending).toEqual(['/body']);
  });

  it('a cut connection and a schema failure are errors too; a truncated text is not "done"', async () => {
    const cut = manualSource<string>();
    const store = createPartialStore(cut.iterable);
    watch(store);
    cut.push('{"notes": "A quiet room with a');
    await settle();
    cut.fail(new TypeError('network error'));
    await runToEnd(store);
    expect(store.getSnapshot()).toMatchObject({ status: 'error', done: false, error: new TypeError('network error'), pending: ['/notes'] });

    const truncated = manualSource<string>();
    const store2 = createPartialStore(truncated.iterable);
    watch(store2);
    truncated.push('{"notes": "A quiet');
    truncated.end();
    await runToEnd(store2);
    expect(store2.getSnapshot().status).toBe('error');
    expect((store2.getSnapshot().error as ParseError).code).toBe('unexpected-end');

    const invalid = manualSource<string>();
    const store3 = createPartialStore(invalid.iterable, { schema: z.object({ days: z.number().int() }) });
    watch(store3);
    invalid.push('{"days": 1.5}');
    invalid.end();
    await runToEnd(store3);
    expect(store3.getSnapshot().error).toBeInstanceOf(SchemaValidationError);
  });

  it('property: pending is the parser\'s: at most the one value still growing, a string or (partialNumbers) a number; [] once done', async () => {
    const resolve = (value: unknown, pointer: string): unknown => {
      let v = value as Record<string, unknown> | undefined;
      if (pointer === '') return v;
      for (const s of pointer.slice(1).split('/')) v = v?.[s.replace(/~1/g, '/').replace(/~0/g, '~')] as Record<string, unknown> | undefined;
      return v;
    };
    await fc.assert(
      fc.asyncProperty(
        jsonTextWithValue().chain(({ text, value }) =>
          fc.record({ value: fc.constant(value), chunks: chunked(text), partialNumbers: fc.boolean() }),
        ),
        async ({ value, chunks, partialNumbers }) => {
          frames.clear();
          const source = manualSource<string>();
          const store = createPartialStore(source.iterable, { partialNumbers });
          const { seen, unsubscribe } = watch(store);
          for (const chunk of chunks) {
            source.push(chunk);
            await settle(1);
            frame();
          }
          source.end();
          await runToEnd(store);
          for (const { snapshot } of seen) {
            expect(Object.isFrozen(snapshot.pending)).toBe(true);
            expect(snapshot.pending.length).toBeLessThanOrEqual(1);
            if (snapshot.pending.length === 1) {
              const shown = resolve(snapshot.value, snapshot.pending[0]!);
              expect(typeof shown).toBe(partialNumbers && typeof shown === 'number' ? 'number' : 'string');
              expect(typeof resolve(value, snapshot.pending[0]!)).toBe(typeof shown);
            }
          }
          expect(store.getSnapshot()).toMatchObject({ status: 'done', pending: [] });
          unsubscribe();
        },
      ),
      { numRuns: runs(0.3) },
    );
  });

  it('pending keeps the value a cut connection left unfinished, also a growing number', async () => {
    const cut = manualSource<string>();
    const store = createPartialStore(cut.iterable, { partialNumbers: true });
    const { seen } = watch(store);
    cut.push('{"title": "Stream", "price": 12');
    await settle();
    frame();
    await settle();
    expect(store.getSnapshot()).toMatchObject({ status: 'streaming', value: { title: 'Stream', price: 12 }, pending: ['/price'] });
    const before = store.getSnapshot().pending;
    cut.push('.');
    await settle();
    frame();
    await settle();
    // Same pending array object while the same value grows.
    expect(store.getSnapshot().pending).toBe(before);
    cut.fail(new TypeError('network error'));
    await runToEnd(store);
    expect(store.getSnapshot()).toMatchObject({ status: 'error', value: { title: 'Stream', price: 12 }, pending: ['/price'] });
    expect(seen.length).toBeGreaterThan(0);
  });

  it('lenient mode closing a truncated text: done, with the value it cut off in pending (strings and growing numbers)', async () => {
    for (const [text, value, pending] of [
      ['{"title": "Stream", "body": "A quiet room with a', { title: 'Stream', body: 'A quiet room with a' }, ['/body']],
      ['{"title": "Stream", "price": 12.', { title: 'Stream', price: 12 }, ['/price']],
      ['{"title": "Stream", "tags": [', { title: 'Stream', tags: [] }, []],
      ['{"title": "Stream"}', { title: 'Stream' }, []],
    ] as const) {
      const source = manualSource<string>();
      const store = createPartialStore(source.iterable, { lenient: lenient(), partialNumbers: true });
      watch(store);
      source.push(text);
      source.end();
      await runToEnd(store);
      expect(store.getSnapshot()).toMatchObject({ status: 'done', done: true, value, pending });
    }
    // Not lenient: never a cut-off entry on a done snapshot.
    const whole = await (async () => {
      let last: unknown;
      for await (const update of parseStream(streamOf(['{"a": "x', 'y"}']))) last = update;
      return last as { done: boolean; pending: readonly string[] };
    })();
    expect(whole).toMatchObject({ done: true, pending: [] });
  });

  it('the schema\'s final parse is the done value; options reach parseStream unchanged', async () => {
    const source = manualSource<string>();
    const completed: string[] = [];
    const store = createPartialStore(source.iterable, {
      schema: z.object({ n: z.string().transform((s) => s.length) }),
      onComplete: (_value, path) => void completed.push(path.join('/')),
    });
    watch(store);
    source.push('{"n": "four"}');
    source.end();
    await runToEnd(store);
    expect(store.getSnapshot().value).toEqual({ n: 4 });
    expect(completed).toEqual(['n', '']);
  });

  it('aborting the signal ends the store with the abort reason and cancels the source', async () => {
    const source = manualSource<string>();
    const abort = new AbortController();
    const store = createPartialStore(source.iterable, { signal: abort.signal });
    watch(store);
    source.push('[1, 2');
    await settle();
    abort.abort(new Error('user cancelled'));
    await runToEnd(store);
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: new Error('user cancelled'), value: [1] });
    expect(source.state.returned).toBe(true);
  });

  it('unsubscribing the last listener stops the work one macrotask later; a StrictMode re-subscribe keeps it', async () => {
    const source = manualSource<string>();
    const store = createPartialStore(source.iterable);
    // StrictMode: subscribe, unsubscribe, subscribe again in one go.
    const first = watch(store);
    first.unsubscribe();
    const second = watch(store);
    await settle();
    expect(source.state.returned).toBe(false);
    source.push('["a", ');
    await settle();
    frame();
    expect(second.seen.at(-1)?.snapshot.value).toEqual(['a']);
    second.unsubscribe();
    second.unsubscribe(); // idempotent
    await settle();
    expect(source.state.returned).toBe(true);
    expect(store.getSnapshot().status).toBe('stopped');
    const pullsAtStop = source.state.pulls;
    source.push('"b"]');
    source.end();
    await settle();
    frame();
    await settle();
    expect(source.state.pulls).toBe(pullsAtStop);
    expect(store.getSnapshot().value).toEqual(['a']);
    // A stopped store stays stopped: a new subscriber sees the last snapshot, nothing restarts.
    const late = watch(store);
    await settle();
    expect(late.seen).toEqual([]);
    late.unsubscribe();
  });

  it('stopWhenUnsubscribed: false keeps reading; stop() ends it at once', async () => {
    const source = manualSource<string>();
    const store = createPartialStore(source.iterable, { stopWhenUnsubscribed: false });
    watch(store).unsubscribe();
    await settle();
    source.push('[1, ');
    await settle();
    frame();
    await settle();
    expect(store.getSnapshot().value).toEqual([1]);
    expect(source.state.returned).toBe(false);
    store.stop();
    store.stop();
    expect(store.getSnapshot().status).toBe('stopped');
    await settle();
    expect(source.state.returned).toBe(true);
  });

  it('throttleMs goes to parseStream: the store ends with the final value and leaves no throttle timer', async () => {
    const source = manualSource<string>();
    const store = createPartialStore(source.iterable, { throttleMs: 20 });
    const { seen } = watch(store);
    source.push('["a"');
    await settle();
    source.push(', "b"');
    await settle();
    frame();
    source.push(']');
    source.end();
    await runToEnd(store);
    expect(store.getSnapshot()).toMatchObject({ status: 'done', value: ['a', 'b'] });
    expect(seen.length).toBeLessThanOrEqual(4);
  });

  it('a hidden page gets no animation frames: the store paces with timers and still ends', async () => {
    (globalThis as { document?: unknown }).document = { visibilityState: 'hidden' };
    try {
      const source = manualSource<string>();
      const store = createPartialStore(source.iterable);
      watch(store);
      source.push('{"a": [1, ');
      source.push('2]}');
      source.end();
      for (let i = 0; i < 50 && store.getSnapshot().status !== 'done'; i++) await settle(1); // no frame() here
      expect(store.getSnapshot()).toMatchObject({ status: 'done', value: { a: [1, 2] } });
      expect(frames.size).toBe(0);
    } finally {
      delete (globalThis as { document?: unknown }).document;
    }
  });

  it('a throwing listener is reported, and neither the store nor the other listeners stop', async () => {
    const source = manualSource<string>();
    const store = createPartialStore(source.iterable);
    const reported: unknown[] = [];
    const onReport = (error: unknown) => void reported.push(error);
    process.off('uncaughtException', onEscape);
    process.on('uncaughtException', onReport);
    try {
      store.subscribe(() => {
        throw new Error('render failed');
      });
      const { seen } = watch(store);
      source.push('"ok"');
      source.end();
      await runToEnd(store);
      await settle();
      expect(seen.at(-1)?.snapshot).toMatchObject({ status: 'done', value: 'ok' });
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.every((e) => (e as Error).message === 'render failed')).toBe(true);
    } finally {
      process.off('uncaughtException', onReport);
      process.on('uncaughtException', onEscape);
    }
  });
});

describe('createPartialStore without requestAnimationFrame (server, tests)', () => {
  it('paces with macrotasks and leaves no timer behind, on success, error and stop', async () => {
    removeFrames();
    for (const text of ['{"a": [1, 2, 3], "b": "xyz"}', '{"a": [1, 2, 3], "b": "xy', '[1, 2, 3']) {
      const chunks = text.match(/.{1,3}/gs)!;
      const store = createPartialStore(streamOf(chunks));
      const { seen } = watch(store);
      for (let i = 0; i < 50 && !['done', 'error'].includes(store.getSnapshot().status); i++) await settle(1);
      expect(['done', 'error']).toContain(store.getSnapshot().status);
      expect(seen.length).toBeGreaterThan(1);
    }
    const silent = manualSource<string>();
    const store = createPartialStore(silent.iterable);
    const { unsubscribe } = watch(store);
    silent.push('{"a": ');
    await settle();
    unsubscribe();
    await settle();
    expect(silent.state.returned).toBe(true);
  });

  it('throws at once for a bad source or option, like parseStream', () => {
    expect(() => createPartialStore('{"a": 1}' as never)).toThrow(TypeError);
    expect(() => createPartialStore(streamOf(['1']), { throttleMs: -1 })).toThrow(RangeError);
  });
});
