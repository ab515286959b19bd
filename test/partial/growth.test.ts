import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, createPartialParser, type Delta } from '../../src/index.js';
import { parserWork } from '../../src/partial/parser.js';
import { chunked, deepEqualJson, jsonTextWithValue } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/**
 * Growth on counts, not time (issue 12): the parser counts the entries it copies into snapshots
 * and the path steps it allocates for deltas (`parserWork`); 4x the input must give about 4x the
 * work. Ratios are asserted with slack (at most 5 for a linear cost, where quadratic gives 16).
 */

type Mode = 'deltas' | 'snapshots';

interface Work {
  copied: number;
  pathSteps: number;
  deltas: number;
}

/** Writes `text` in chunks of `size` code units; in snapshot mode reads `value` `reads` times, evenly spread. */
function work(text: string, mode: Mode, options: { size?: number; reads?: number; everyWrite?: boolean } = {}): Work {
  const size = options.size ?? 3;
  const copied = parserWork.copied;
  const pathSteps = parserWork.pathSteps;
  let deltas = 0;
  const parser = createPartialParser({
    maxDepth: Infinity,
    ...(mode === 'deltas' ? { onDelta: (d: Delta[]) => void (deltas += d.length) } : {}),
  });
  const writes = Math.ceil(text.length / size);
  const every = options.everyWrite === true ? 1 : Math.max(1, Math.floor(writes / (options.reads ?? 100)));
  for (let w = 0; w < writes; w++) {
    parser.write(text.slice(w * size, (w + 1) * size));
    if (mode === 'snapshots' && w % every === 0) void parser.value;
  }
  return { copied: parserWork.copied - copied, pathSteps: parserWork.pathSteps - pathSteps, deltas };
}

const shapes: Record<string, (n: number) => string> = {
  'one long string': (n) => `{"text": "${'lorem ipsum '.repeat(n / 12)}`,
  'wide array of small objects': (n) => `[${'{"id": 1, "ok": true},'.repeat(n / 23)}`,
  'object with many keys': (n) => `{${Array.from({ length: n / 12 }, (_, i) => `"k${String(i).padStart(5, '0')}": 1`).join(', ')}`,
  'array of numbers': (n) => `[${'12345, '.repeat(n / 7)}`,
  'deep nesting of arrays': (n) => '['.repeat(n),
  'deep nesting of objects': (n) => '{"a":'.repeat(n / 5),
};

function ratio(big: number, small: number): number {
  return small === 0 ? (big === 0 ? 1 : Infinity) : big / small;
}

describe('growth: 4x the input gives about 4x the work', () => {
  for (const [name, make] of Object.entries(shapes)) {
    it(`deltas mode, ${name}: path steps allocated`, () => {
      const small = work(make(4000), 'deltas');
      const big = work(make(16000), 'deltas');
      expect(ratio(big.pathSteps, small.pathSteps)).toBeLessThanOrEqual(5);
      expect(ratio(big.copied, small.copied)).toBeLessThanOrEqual(5);
      // Never more than a few path steps per delta, however deep the document.
      expect(big.pathSteps / Math.max(1, big.deltas)).toBeLessThanOrEqual(40);
    });

    it(`snapshot mode, ${name}: entries copied for 100 reads`, () => {
      const small = work(make(4000), 'snapshots');
      const big = work(make(16000), 'snapshots');
      expect(ratio(big.copied, small.copied)).toBeLessThanOrEqual(5);
    });
  }

  it('snapshot mode, reading after every write: a growing string copies only the open path', () => {
    const small = work(shapes['one long string']!(4000), 'snapshots', { everyWrite: true });
    const big = work(shapes['one long string']!(16000), 'snapshots', { everyWrite: true });
    expect(ratio(big.copied, small.copied)).toBeLessThanOrEqual(5);
  });

  it('snapshot mode: a read copies only the open containers that changed since the last read', () => {
    const parser = createPartialParser();
    parser.write(`{"done": [${'1, '.repeat(1000)}2], "list": [${'{"a": 1}, '.repeat(500)}{"a": "x`);
    void parser.value;
    let before = parserWork.copied;
    parser.write('y');
    void parser.value;
    // The growing string's object {a} (1 entry), the list (501) and the root (2): not `done`.
    expect(parserWork.copied - before).toBe(1 + 501 + 2);
    before = parserWork.copied;
    void parser.value; // nothing changed: nothing copied
    expect(parserWork.copied - before).toBe(0);
  });
});

describe('deep documents in deltas mode stay linear', () => {
  for (const [name, open] of [
    ['[', '['],
    ['{"a":', '{"a":'],
  ] as const) {
    it(`60 KB of ${name} in one write and in 1-character writes`, () => {
      const text = open.repeat(Math.ceil(60_000 / open.length));
      for (const size of [text.length, 1]) {
        const steps = parserWork.pathSteps;
        let count = 0;
        let last: Delta | undefined;
        const parser = createPartialParser({
          maxDepth: Infinity,
          onDelta: (d) => {
            count += d.length;
            last = d[d.length - 1];
          },
        });
        for (let i = 0; i < text.length; i += size) parser.write(text.slice(i, i + size));
        expect(count).toBeGreaterThan(0);
        // Paths are built only when read: nothing was read so far.
        expect(parserWork.pathSteps - steps).toBeLessThanOrEqual(40 * count);
        // The last delta's path is a real array when read, and survives JSON.
        const path = last!.path;
        expect(Array.isArray(path)).toBe(true);
        expect(path.length).toBe(size === 1 ? text.length / open.length - 1 : 0);
        // (JSON.stringify of the whole-write delta would recurse 60,000 deep: V8's stringify does.)
        if (size === 1) expect((JSON.parse(JSON.stringify(last)) as Delta).path).toEqual(path);
      }
    });
  }

  it('a container opened in a write is one delta of its content when the write ends', () => {
    const deltas: Delta[][] = [];
    const parser = createPartialParser({ onDelta: (d) => void deltas.push(d) });
    parser.write('{"a": [1, 2, {"b": "x');
    parser.write('y"}, [3');
    expect(deltas).toEqual([
      [{ op: 'add', path: [], value: { a: [1, 2, { b: 'x' }] } }],
      [
        { op: 'append', path: ['a', 2, 'b'], value: 'y' },
        { op: 'add', path: ['a', 3], value: [] },
      ],
    ]);
  });
});

/** A random JSON text inside `depth` random wrappers (arrays, or objects with a random key). */
const deepText = fc
  .tuple(
    jsonTextWithValue({ maxLength: 3 }),
    fc.array(fc.oneof(fc.constant('['), fc.constantFrom('{"a":', '{"":', '{"__proto__":', '{"k\\u0030":')), {
      minLength: 28,
      maxLength: 45,
    }),
  )
  .map(([{ text }, wrappers]) => {
    const close = wrappers.map((w) => (w === '[' ? ']' : '}')).reverse().join('');
    return `${wrappers.join('')}${text}${close}`;
  })
  .chain((text) => fc.tuple(fc.constant(text), chunked(text)));

describe('lazily built delta paths are plain deltas to every consumer', () => {
  it('replay, JSON, spread and deep equality see the same deltas, at depths past the eager limit', () => {
    fc.assert(
      fc.property(deepText, ([text, chunks]) => {
        const batches: Delta[][] = [];
        const parser = createPartialParser({ onDelta: (d) => void batches.push(d) });
        for (const chunk of chunks) parser.write(chunk);
        const final = parser.end();
        expect(deepEqualJson(final, JSON.parse(text))).toBe(true);
        let replayed: unknown;
        let viaJson: unknown;
        let viaSpread: unknown;
        for (const batch of batches) {
          replayed = applyDelta(replayed, batch);
          viaJson = applyDelta(viaJson, JSON.parse(JSON.stringify(batch)) as Delta[]);
          viaSpread = applyDelta(viaSpread, batch.map((d) => ({ ...d })));
          for (const d of batch) {
            expect(Array.isArray(d.path)).toBe(true);
            expect(d).toEqual({ op: d.op, path: [...d.path], value: d.value });
            expect(structuredClone(d).path).toEqual(d.path);
          }
        }
        expect(deepEqualJson(replayed, final)).toBe(true);
        expect(deepEqualJson(viaSpread, final)).toBe(true);
        if (!/[eE]\d{3}/.test(text)) expect(JSON.stringify(viaJson)).toBe(JSON.stringify(final));
      }),
      { numRuns: runs() },
    );
  });
});
