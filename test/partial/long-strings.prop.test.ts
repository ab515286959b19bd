import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, createPartialParser, type Delta } from '../../src/index.js';
import { chunked, deepEqualJson, deepFreeze, findSnapshotViolation, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/**
 * The parser flattens an open string's text every 1/32 of its length (at least every 32 appends)
 * and when it closes, so a string streamed in 1-character deltas does not keep a rope node per
 * append (issue 12 item 4). Strings of the default arbitraries are shorter than 32 characters and
 * never reach a flatten: these texts have strings of 40-300 characters (escapes, astral characters and
 * lone surrogates included), cut into chunks of 1-3 code units or bytes.
 */
function longText(unit: 'binary' | 'grapheme'): fc.Arbitrary<string> {
  const long = fc.oneof(
    fc.string({ unit, minLength: 40, maxLength: 300 }),
    fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', 'é', '😀'), minLength: 40, maxLength: 300 }),
  );
  const value = fc.oneof(
    long,
    fc.record({ a: long, b: fc.array(long, { maxLength: 3 }), n: fc.nat() }),
    fc.array(fc.record({ text: long, ok: fc.boolean() }), { maxLength: 3 }),
  );
  return fc.tuple(value, fc.boolean()).map(([v, pretty]) => JSON.stringify(v, null, pretty ? 2 : undefined));
}

function parse(chunks: readonly (string | Uint8Array)[]): { snapshots: unknown[]; deltas: Delta[][]; final: unknown } {
  const snapshots: unknown[] = [];
  const deltas: Delta[][] = [];
  const parser = createPartialParser({ onDelta: (d) => void deltas.push(d) });
  for (const chunk of chunks) {
    parser.write(chunk);
    snapshots.push(deepFreeze(parser.value));
  }
  return { snapshots, deltas, final: parser.end() };
}

describe('long strings streamed in tiny chunks (flattened while they grow)', () => {
  it('every snapshot obeys the partial-value semantics, deltas replay to the final value, which is JSON.parse', () => {
    fc.assert(
      fc.property(
        longText('binary').chain((text) => fc.tuple(fc.constant(text), chunked(text, { maxChunkLength: 3 }))),
        ([text, chunks]) => {
          const t = parse(chunks);
          expect(deepEqualJson(t.final, JSON.parse(text))).toBe(true);
          expect(findSnapshotViolation(t.snapshots, t.final, { structuralSharing: true })?.message).toBeUndefined();
          let replayed: unknown;
          for (const batch of t.deltas) replayed = applyDelta(replayed, batch);
          expect(deepEqualJson(replayed, t.final)).toBe(true);
        },
      ),
      // Hundreds of snapshots per text, each checked against the next: a quarter of the budget.
      { numRuns: runs(0.25) },
    );
  });

  it('the same with UTF-8 byte chunks', () => {
    fc.assert(
      fc.property(
        longText('grapheme').chain((text) => fc.tuple(fc.constant(text), utf8Chunks(text, { maxChunkLength: 3 }))),
        ([text, chunks]) => {
          const t = parse(chunks);
          expect(deepEqualJson(t.final, JSON.parse(text))).toBe(true);
          expect(findSnapshotViolation(t.snapshots, t.final)?.message).toBeUndefined();
        },
      ),
      { numRuns: runs() },
    );
  });

  it('a text cut by an error keeps every character before it, the same for 1-character and whole writes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 40, maxLength: 300 }), fc.nat(), (body, at) => {
        const valid = JSON.stringify({ text: body });
        // An unescaped control character inside the string is a ParseError at that position.
        const cut = 10 + (at % (valid.length - 12));
        const text = `${valid.slice(0, cut)}\u0001${valid.slice(cut)}`;
        const values = [[text], Array.from(text)].map((chunks) => {
          const parser = createPartialParser();
          try {
            for (const chunk of chunks) parser.write(chunk);
            parser.end();
          } catch {
            // expected for most cuts; what matters is the value left
          }
          return parser.value;
        });
        expect(values[1]).toEqual(values[0]);
      }),
      { numRuns: runs() },
    );
  });

  it('write and end work detached from the parser (bound to it)', () => {
    const { write, end } = createPartialParser();
    write('{"a": "');
    for (const c of 'x'.repeat(100)) write(c);
    write('"}');
    expect(end()).toEqual({ a: 'x'.repeat(100) });
  });
});
