import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialParser, type JsonPath, lenient, pointers } from '../../src/index.js';
import { chunked, jsonText } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

type Completed = [unknown, string][];

/** Lenient parse of `chunks` then end(): the onComplete calls (value, path as JSON) and the final value. */
function completions(chunks: readonly string[]): { completed: Completed; final: unknown } {
  const completed: Completed = [];
  const parser = createPartialParser({
    lenient: lenient(),
    maxDepth: Infinity,
    onComplete: (value: unknown, path: JsonPath) => void completed.push([value, JSON.stringify(path)]),
  });
  for (const chunk of chunks) parser.write(chunk);
  return { completed, final: parser.end() };
}

/** A JSON text whose root is a container, and a cut inside it (a strict prefix). */
const cutText = jsonText({ nonAscii: true })
  .filter((text) => /^\s*[[{]/.test(text))
  .chain((text) => fc.tuple(fc.constant(text), fc.integer({ min: 1, max: text.length - 1 })))
  .chain(([text, cut]) => fc.tuple(fc.constant(text), fc.constant(text.slice(0, cut)), chunked(text.slice(0, cut))));

describe('lenient end() on a cut text: a value the text cut short is never reported complete', () => {
  it('every onComplete on the cut text is one the whole text makes too (same value, same path), for every chunking', () => {
    fc.assert(
      fc.property(cutText, ([text, prefix, chunks]) => {
        const whole = completions([text]).completed.map((c) => JSON.stringify(c));
        const cut = completions(chunks);
        const remaining = new Map<string, number>();
        for (const c of whole) remaining.set(c, (remaining.get(c) ?? 0) + 1);
        for (const c of cut.completed) {
          const key = JSON.stringify(c);
          const left = remaining.get(key) ?? 0;
          expect(left, `${key} reported complete on ${JSON.stringify(prefix)}, not on the whole text`).toBeGreaterThan(0);
          remaining.set(key, left - 1);
        }
        // The same calls for every chunking, and what was reported complete during the writes.
        expect(cut.completed).toEqual(completions([prefix]).completed);
      }),
      { numRuns: runs() },
    );
  });

  it('onElement: a cut element is not delivered, and with keep: false it stays in the value', () => {
    fc.assert(
      fc.property(
        cutText.filter(([text]) => /^\s*\[/.test(text)),
        fc.boolean(),
        ([text, prefix, chunks], keep) => {
          const delivered: unknown[] = [];
          const parser = createPartialParser({ lenient: lenient(), select: pointers('/*'), keep, onElement: (v) => void delivered.push(v) });
          for (const chunk of chunks) parser.write(chunk);
          const final = (parser.end() ?? []) as unknown[];
          const kept = createPartialParser({ lenient: lenient() });
          kept.write(prefix);
          const all = (kept.end() ?? []) as unknown[];
          // Delivered elements are elements of the whole text, in order.
          const wholeArray = JSON.parse(text) as unknown[];
          expect(delivered).toEqual(wholeArray.slice(0, delivered.length));
          // Every element of the cut value is delivered or still in the value, never lost.
          if (keep) expect(final).toEqual(all);
          else expect([...delivered, ...final]).toEqual(all);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('examples: a cut string and the containers it closes', () => {
    const { completed, final } = completions(['{"steps": [{"tool": "search", "query": "Call Al']);
    expect(final).toEqual({ steps: [{ tool: 'search', query: 'Call Al' }] });
    expect(completed).toEqual([['search', '["steps",0,"tool"]']]);
    // A trailing number inside a container is cut too (it may have gone on: 12 → 123).
    expect(completions(['[1, 12']).completed).toEqual([[1, '[0]']]);
    // At the top level a number or literal does end at end().
    expect(completions(['12']).completed).toEqual([[12, '[]']]);
    expect(completions(['True']).completed).toEqual([[true, '[]']]);
    // A cut top-level string is not complete.
    expect(completions(['"abc']).completed).toEqual([]);
    expect(completions(['"ab', 'c']).completed).toEqual([]);
  });
});
