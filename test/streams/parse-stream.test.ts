import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyDelta, ParseError, PartialJsonStream, parseStream, SchemaValidationError, type PartialUpdate } from '../../src/index.js';

async function* chunks(parts: readonly (string | Uint8Array)[], delayMs = 0): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    yield part;
  }
}

/**
 * A source that serves chunk i only once `allow(n)` with n > i has been called: the test decides
 * how far the parser may read, so update sequences are deterministic.
 */
function gatedSource(parts: readonly string[]) {
  let allowed = 0;
  let served = 0;
  let wake: (() => void) | undefined;
  const source: AsyncIterable<string> = {
    [Symbol.asyncIterator]() {
      return {
        async next() {
          while (served >= allowed && served < parts.length) await new Promise<void>((r) => (wake = r));
          return served < parts.length ? { done: false, value: parts[served++]! } : { done: true, value: undefined };
        },
      };
    },
  };
  return {
    source,
    served: () => served,
    allow(n: number) {
      allowed = Math.max(allowed, n);
      wake?.();
    },
  };
}

/** An async iterable that records whether it was closed early. */
function tracked(parts: readonly string[]) {
  const state = { returned: false, pulled: 0 };
  const iterable: AsyncIterable<string> = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        async next() {
          state.pulled++;
          return i < parts.length ? { done: false, value: parts[i++]! } : { done: true, value: undefined };
        },
        async return() {
          state.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, state };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('parseStream', () => {
  it('yields an update per chunk that changed something when the consumer keeps up, then the final value', async () => {
    // A source that hands out its next chunk only once the consumer has its update: no coalescing.
    const parts = ['{"a": [1', ', 2', ']', '  ', ', "b": "x"}'];
    const gate = gatedSource(parts);
    const stream = parseStream(gate.source);
    const updates: PartialUpdate[] = [];
    gate.allow(1);
    for await (const update of stream) {
      updates.push(update);
      // The fourth chunk is whitespace (no update): let it through with the fifth.
      gate.allow(gate.served() === 3 ? 5 : gate.served() + 1);
    }
    expect(updates.map((u) => u.value)).toEqual([{ a: [] }, { a: [1] }, { a: [1, 2] }, { a: [1, 2], b: 'x' }, { a: [1, 2], b: 'x' }]);
    expect(updates.map((u) => u.done)).toEqual([false, false, false, false, true]);
    expect(updates.at(-2)?.complete).toBe(true);
    let replayed: unknown;
    for (const u of updates) replayed = applyDelta(replayed, u.deltas);
    expect(replayed).toEqual({ a: [1, 2], b: 'x' });
  });

  it('with a fast source, updates may merge chunks, and their deltas still replay to the final value', async () => {
    const updates = await collect(parseStream(chunks(['{"a": [1', ', 2', ']', '  ', ', "b": "x"}'])));
    expect(updates.at(-1)).toMatchObject({ done: true, value: { a: [1, 2], b: 'x' } });
    expect(updates.filter((u) => u.done)).toHaveLength(1);
    let replayed: unknown;
    for (const u of updates) replayed = applyDelta(replayed, u.deltas);
    expect(replayed).toEqual({ a: [1, 2], b: 'x' });
  });

  it('reads a ReadableStream of UTF-8 bytes split inside characters', async () => {
    const bytes = new TextEncoder().encode('{"city": "Zürich 🚋"}');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const updates = await collect(parseStream(body));
    expect(updates.at(-1)).toMatchObject({ done: true, value: { city: 'Zürich 🚋' } });
    for (const u of updates) expect(JSON.stringify(u.value)).not.toMatch(/\\ud[89ab]/i);
  });

  it('throttles: at most one update per window, the latest value wins, deltas are merged, the last is delivered', async () => {
    const parts: string[] = Array.from({ length: 40 }, (_, i) => (i === 0 ? '["' : 'x'));
    parts.push('"]');
    const updates = await collect(parseStream(chunks(parts, 2), { throttleMs: 25 }));
    expect(updates.length).toBeLessThan(parts.length / 2);
    expect(updates.at(-1)).toMatchObject({ done: true, value: ['x'.repeat(39)] });
    let replayed: unknown;
    for (const u of updates) replayed = applyDelta(replayed, u.deltas);
    expect(replayed).toEqual(['x'.repeat(39)]);
  });

  it('delivers a pending throttled update even when the source goes quiet', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* source() {
      yield '{"a": 1, ';
      yield '"b": 2, ';
      await gate;
      yield '"c": 3}';
    }
    const stream = parseStream(source(), { throttleMs: 20 });
    const first = await stream.next();
    const second = await stream.next(); // the source is blocked: this must come from the timer
    expect(first.value).toMatchObject({ value: { a: 1 } });
    expect((second.value as PartialUpdate).value).toEqual({ a: 1, b: 2 });
    release();
    const rest = await collect(stream);
    expect(rest.at(-1)).toMatchObject({ done: true, value: { a: 1, b: 2, c: 3 } });
  });

  it('stopping the loop early cancels the source', async () => {
    const { iterable, state } = tracked(['[1,', '2,', '3,', '4]']);
    for await (const update of parseStream(iterable)) {
      if (Array.isArray(update.value) && update.value.length >= 1) break;
    }
    expect(state.returned).toBe(true);
  });

  it('an AbortSignal cancels the source and rejects with its reason', async () => {
    const controller = new AbortController();
    let cancelled = false;
    const body = new ReadableStream<string>({
      pull(c) {
        c.enqueue('[1,');
      },
      cancel() {
        cancelled = true;
      },
    });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const update of parseStream(body, { signal: controller.signal })) {
          seen.push(update.value);
          if (seen.length === 3) controller.abort(new Error('user navigated away'));
        }
      })(),
    ).rejects.toThrow('user navigated away');
    expect(cancelled).toBe(true);
  });

  it('a source error surfaces as the error, with the last snapshot still readable', async () => {
    async function* failing() {
      yield '{"title": "Half';
      throw new Error('connection reset');
    }
    const stream = parseStream(failing());
    await expect(collect(stream)).rejects.toThrow('connection reset');
    expect(stream.value).toEqual({ title: 'Half' });
  });

  it('a ParseError and an early SchemaValidationError surface with the snapshot kept', async () => {
    const bad = parseStream(chunks(['{"a": 1', ', "b" 2}']));
    await expect(collect(bad)).rejects.toBeInstanceOf(ParseError);
    expect(bad.value).toEqual({ a: 1 });
    const schema = z.object({ kind: z.enum(['cat', 'dog']) });
    const wrong = parseStream(chunks(['{"kind": "c', 'ow"}']), { schema });
    await expect(collect(wrong)).rejects.toBeInstanceOf(SchemaValidationError);
  });

  it('with a schema, the last update carries the schema output (defaults applied)', async () => {
    const schema = z.object({ n: z.number(), tags: z.array(z.string()).default([]) });
    const updates = await collect(parseStream(chunks(['{"n":', ' 3}']), { schema }));
    expect(updates.at(-1)).toMatchObject({ value: { n: 3, tags: [] }, complete: true, done: true });
    let replayed: unknown;
    for (const u of updates) replayed = applyDelta(replayed, u.deltas);
    expect(replayed).toEqual({ n: 3 }); // the deltas rebuild the JSON; the schema's defaults are in the final value
  });
});

describe('PartialJsonStream', () => {
  it('pipes text or bytes to updates, ending with the final value', async () => {
    const body = new ReadableStream<string>({
      start(c) {
        for (const part of ['{"steps": ["Boil', ' water", "Salt', '"]}']) c.enqueue(part);
        c.close();
      },
    });
    const updates = await collect(body.pipeThrough(new PartialJsonStream()));
    // The third chunk only closes things: nothing visible changes, so no update until the last.
    expect(updates.map((u) => u.value)).toEqual([
      { steps: ['Boil'] },
      { steps: ['Boil water', 'Salt'] },
      { steps: ['Boil water', 'Salt'] },
    ]);
    expect(updates.at(-1)?.done).toBe(true);
  });

  it('errors the stream on a ParseError and keeps the snapshot readable', async () => {
    const transform = new PartialJsonStream();
    const body = new ReadableStream<string>({
      start(c) {
        c.enqueue('[1, 2');
        c.enqueue(', x]');
        c.close();
      },
    });
    await expect(collect(body.pipeThrough(transform))).rejects.toBeInstanceOf(ParseError);
    expect(transform.value).toEqual([1, 2]);
  });
});
