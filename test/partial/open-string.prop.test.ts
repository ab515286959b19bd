// The open string's text (issue 12, item 4): pieces gather in a fixed array and reach the rope
// 16 at a time, or when the text is read. The text seen by snapshots, deltas, a schema guide and
// the final value must be exactly the pieces so far, in every chunking and with any read pattern;
// and without reads, a stream of 1-character pieces adds one rope node per 16 pieces, not one per
// piece (counted by `parserWork.textNodes`, not timed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyDelta, createPartialParser, type Delta } from '../../src/index.js';
import { zodGuide } from '../../src/schema/index.js';
import { parserWork } from '../../src/partial/parser.js';
import { chunked, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/** A document with one long string (and a short one before it), as tool-call arguments have. */
const documentArbitrary = fc
  .record({
    short: fc.string({ maxLength: 20, unit: 'grapheme' }),
    long: fc.string({ minLength: 0, maxLength: 300, unit: fc.oneof(fc.constant('a'), fc.constant('\n'), fc.constant('"'), fc.constant('é'), fc.constant('—'), fc.constant('😀'), fc.constant('\\')) }),
  })
  .map((value) => ({ value, text: JSON.stringify(value) }));

describe('the open string gathers its pieces', () => {
  it('snapshots, deltas and the final value show exactly the text so far, whatever the chunking and the reads', () => {
    fc.assert(
      fc.property(
        documentArbitrary.chain(({ value, text }) =>
          fc.record({
            value: fc.constant(value),
            text: fc.constant(text),
            chunks: fc.oneof(chunked(text), utf8Chunks(text)) as fc.Arbitrary<(string | Uint8Array)[]>,
            reads: fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }),
          }),
        ),
        fc.boolean(),
        ({ value, chunks, reads }, withSchema) => {
          let replayed: unknown = undefined;
          const parser = createPartialParser({
            onDelta: (deltas: Delta[]) => {
              for (const d of deltas) replayed = applyDelta(replayed, d);
            },
            ...(withSchema ? { schema: z.object({ short: z.string(), long: z.string() }), guide: zodGuide } : {}),
          });
          const decoder = new TextDecoder();
          let seen = '';
          chunks.forEach((chunk: string | Uint8Array, i: number) => {
            parser.write(chunk);
            seen += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
            if (reads[i % reads.length] === true) {
              const snapshot = parser.value as { short?: string; long?: string } | undefined;
              // Whatever a string shows is a prefix of its final text, and the replayed deltas agree.
              if (snapshot?.long !== undefined) expect(value.long.startsWith(snapshot.long)).toBe(true);
              if (snapshot?.short !== undefined) expect(value.short.startsWith(snapshot.short)).toBe(true);
              expect(replayed).toEqual(snapshot);
            }
          });
          expect(parser.end()).toEqual(value);
          expect(replayed).toEqual(value);
          expect(seen.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('1-character pieces of a long string add one rope node per 16 pieces when nobody reads; one per read otherwise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4000 }), fc.boolean(), (length, tracking) => {
        const text = JSON.stringify({ s: 'x'.repeat(length) });
        const parser = createPartialParser(tracking ? { onDelta: () => {} } : {});
        const before = parserWork.textNodes;
        for (const c of text) parser.write(c);
        // Pieces of the string: `length` characters; the end folds the last < 16.
        expect(parser.end()).toEqual({ s: 'x'.repeat(length) });
        expect(parserWork.textNodes - before).toBeLessThanOrEqual(Math.ceil(length / 16));

        const reading = createPartialParser();
        const start = parserWork.textNodes;
        for (const c of text) {
          reading.write(c);
          void reading.value;
        }
        // A read after every piece: one node per piece read while the string grows.
        expect(parserWork.textNodes - start).toBeLessThanOrEqual(length);
        expect((reading.value as { s: string }).s).toBe('x'.repeat(length));
      }),
      { numRuns: runs() },
    );
  });
});
