/**
 * Issue 12 item 2 (stream side): parseStream and PartialJsonStream keep parsing while the
 * consumer is busy and hand it one coalesced update per pull, so the number of snapshot reads
 * (`parser.value`) is bounded by the consumer's pulls, not by the writes; the deltas of all
 * updates, concatenated, replay to the final value. Counted, not timed: the parser is wrapped to
 * count `write` calls and `value` reads.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { applyDelta, PartialJsonStream, parseStream, type PartialUpdate } from '../../src/index.js';
import { chunked, jsonTextWithValue, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const counts = vi.hoisted(() => ({ writes: 0, reads: 0 }));

vi.mock(import('../../src/partial/parser.js'), async (importOriginal) => {
  const original = await importOriginal();
  return {
    ...original,
    createPartialParser: ((options: Parameters<typeof original.createPartialParser>[0]) => {
      const parser = original.createPartialParser(options);
      return new Proxy(parser, {
        get(target, key) {
          if (key === 'value') counts.reads++;
          if (key === 'write') counts.writes++;
          return Reflect.get(target, key, target);
        },
      });
    }) as typeof original.createPartialParser,
  };
});

function reset(): void {
  counts.writes = 0;
  counts.reads = 0;
}

/** A source that yields at once (microtasks only): it can outrun any consumer that awaits a macrotask. */
async function* fast<T>(parts: readonly T[]): AsyncGenerator<T> {
  for (const part of parts) yield part;
}

/** A consumer that is busy for one macrotask per update (a renderer). */
const busy = () => new Promise<void>((resolve) => setImmediate(resolve));

function replay(updates: readonly PartialUpdate[]): unknown {
  let value: unknown;
  for (const u of updates) value = applyDelta(value, u.deltas);
  return value;
}

describe('coalescing for a slow consumer', () => {
  it('parseStream: 2,000 writes, a consumer busy per update: snapshot reads = updates, far fewer than writes', async () => {
    const text = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) });
    const parts = Array.from({ length: Math.ceil(text.length / 3) }, (_, i) => text.slice(i * 3, i * 3 + 3));
    reset();
    const updates: PartialUpdate[] = [];
    let pulls = 0;
    for await (const update of parseStream(fast(parts))) {
      pulls++;
      updates.push(update);
      await busy();
    }
    console.info(`[coalescing] parseStream: ${counts.writes} writes, ${counts.reads} snapshot reads, ${updates.length} updates`);
    expect(counts.writes).toBe(parts.length);
    // One snapshot per non-final update (the final value comes from end()), never one per write.
    expect(counts.reads).toBe(updates.filter((u) => !u.done).length);
    expect(counts.reads).toBeLessThanOrEqual(pulls);
    expect(updates.length).toBeLessThan(parts.length / 10);
    expect(replay(updates)).toEqual(JSON.parse(text));
  });

  it('PartialJsonStream: the same through a pipe, one update per read', async () => {
    const text = JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ n: i })));
    const parts = Array.from({ length: text.length }, (_, i) => text[i]!);
    reset();
    let i = 0;
    const body = new ReadableStream<string>({
      pull(c) {
        if (i < parts.length) c.enqueue(parts[i++]!);
        else c.close();
      },
    });
    const reader = body.pipeThrough(new PartialJsonStream()).getReader();
    const updates: PartialUpdate[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      updates.push(value);
      await busy();
    }
    console.info(`[coalescing] PartialJsonStream: ${counts.writes} writes, ${counts.reads} snapshot reads, ${updates.length} updates`);
    expect(counts.writes).toBe(parts.length);
    expect(counts.reads).toBe(updates.filter((u) => !u.done).length);
    expect(updates.length).toBeLessThan(parts.length / 10);
    expect(replay(updates)).toEqual(JSON.parse(text));
  });

  it('property: any text, any chunking (text or bytes), any consumer pacing: reads <= pulls and the deltas replay to the value', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonTextWithValue().chain(({ text, value }) =>
          fc.oneof(chunked(text), utf8Chunks(text)).map((chunks: (string | Uint8Array)[]) => ({ chunks, value })),
        ),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        async ({ chunks, value }, pacing) => {
          reset();
          const source = fast(chunks);
          const updates: PartialUpdate[] = [];
          let pulls = 0;
          for await (const update of parseStream(source)) {
            if (pacing[pulls++ % pacing.length]) await busy();
            updates.push(update);
          }
          expect(counts.reads).toBeLessThanOrEqual(pulls);
          expect(updates.at(-1)?.done).toBe(true);
          expect(updates.filter((u) => u.done)).toHaveLength(1);
          expect(replay(updates)).toEqual(value);
        },
      ),
      { numRuns: runs(0.5) },
    );
  });
});
