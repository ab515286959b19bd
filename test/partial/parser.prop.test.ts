import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, createPartialParser, type Delta, type JsonPath } from '../../src/index.js';
import {
  chunked,
  deepEqualJson,
  deepFreeze,
  findSnapshotViolation,
  jsonTextWithValue,
  llmChunks,
  utf8Chunks,
} from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

interface Trace {
  snapshots: unknown[];
  partials: number[]; // onPartial calls per write
  deltaCalls: number[]; // onDelta calls per write
  deltas: Delta[][];
  /** onComplete's value and path, with the parser's `position` and `path` read inside the call. */
  completions: [unknown, JsonPath, number, JsonPath | undefined][];
  final: unknown;
}

/** Parses `chunks`, reading the snapshot after every write (deep-frozen, so any later mutation by the parser throws). */
function trace(chunks: readonly (string | Uint8Array)[], options: { completions?: boolean } = {}): Trace {
  const t: Trace = { snapshots: [], partials: [], deltaCalls: [], deltas: [], completions: [], final: undefined };
  let partials = 0;
  let deltaCalls = 0;
  const parser = createPartialParser({
    onPartial: () => partials++,
    onDelta: (d) => {
      deltaCalls++;
      t.deltas.push(d);
    },
    ...(options.completions === true
      ? { onComplete: (v: unknown, p: JsonPath) => void t.completions.push([v, p, parser.position, parser.path]) }
      : {}),
  });
  for (const chunk of chunks) {
    partials = 0;
    deltaCalls = 0;
    parser.write(chunk);
    t.partials.push(partials);
    t.deltaCalls.push(deltaCalls);
    t.snapshots.push(deepFreeze(parser.value));
  }
  t.final = parser.end();
  return t;
}

const textAndChunks = jsonTextWithValue({ loneSurrogates: true }).chain(({ text }) =>
  fc.tuple(fc.constant(text), fc.oneof(chunked(text), chunked(text, { modes: ['units'] }), llmChunks(text))),
);
const textAndChunksNoRepeats = textAndChunks;
const textAndRepeats = jsonTextWithValue({ repeatedKeys: true }).chain(({ text }) => fc.tuple(fc.constant(text), chunked(text)));

describe('partial values (DESIGN.md "Semantics of partial values")', () => {
  it('1. oracle: the final value is JSON.parse of the whole text, for text and byte chunks', () => {
    fc.assert(
      fc.property(textAndChunks, ([text, chunks]) => {
        expect(deepEqualJson(trace(chunks).final, JSON.parse(text))).toBe(true);
      }),
      { numRuns: runs() },
    );
    fc.assert(
      fc.property(
        jsonTextWithValue().chain(({ text }) => fc.tuple(fc.constant(text), utf8Chunks(text))),
        ([text, chunks]) => {
          expect(deepEqualJson(trace(chunks).final, JSON.parse(text))).toBe(true);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('2-5. type stability, atomic scalars, growing strings without lone surrogates, append-only containers', () => {
    fc.assert(
      fc.property(textAndChunksNoRepeats, ([, chunks]) => {
        const t = trace(chunks);
        const violation = findSnapshotViolation(t.snapshots, t.final);
        expect(violation?.message).toBeUndefined();
      }),
      { numRuns: runs(2) },
    );
  });

  it('2. with repeated keys, only a repeated key may change its value (last one wins)', () => {
    fc.assert(
      fc.property(textAndRepeats, ([text, chunks]) => {
        const t = trace(chunks);
        expect(findSnapshotViolation(t.snapshots, t.final, { repeatedKeys: true })?.message).toBeUndefined();
        expect(deepEqualJson(t.final, JSON.parse(text))).toBe(true);
      }),
      { numRuns: runs() },
    );
  });

  it('5. empty containers appear as soon as they open', () => {
    const parser = createPartialParser();
    parser.write('{"a": [');
    expect(parser.value).toEqual({ a: [] });
    parser.write('{');
    expect(parser.value).toEqual({ a: [{}] });
    parser.write('"k": "');
    expect(parser.value).toEqual({ a: [{ k: '' }] });
    parser.write('v", "n": 1');
    expect(parser.value).toEqual({ a: [{ k: 'v' }] });
    parser.write('2}');
    expect(parser.value).toEqual({ a: [{ k: 'v', n: 12 }] });
  });

  it('6. onComplete fires once per value, innermost first, the same for every chunking (position and path read inside it too)', () => {
    fc.assert(
      fc.property(textAndChunks, ([text, chunks]) => {
        const whole = trace([text], { completions: true }).completions;
        const cut = trace(chunks, { completions: true }).completions;
        expect(cut).toEqual(whole);
        // The last completion is the root, with the final value.
        expect(whole[whole.length - 1]?.[1]).toEqual([]);
        expect(deepEqualJson(whole[whole.length - 1]?.[0], JSON.parse(text))).toBe(true);
      }),
      { numRuns: runs() },
    );
  });

  it('8. snapshots are never mutated, and unchanged subtrees keep their identity', () => {
    fc.assert(
      fc.property(textAndChunks, ([, chunks]) => {
        // trace() deep-freezes every snapshot: a mutation by the parser would throw here.
        const t = trace(chunks);
        expect(findSnapshotViolation(t.snapshots, t.final, { structuralSharing: true })?.message).toBeUndefined();
      }),
      { numRuns: runs() },
    );
  });

  it('9. replaying every delta from undefined gives the final value; deltas survive JSON', () => {
    fc.assert(
      fc.property(textAndChunks, ([text, chunks]) => {
        const t = trace(chunks);
        let replayed: unknown;
        for (const batch of t.deltas) replayed = applyDelta(replayed, batch);
        expect(deepEqualJson(replayed, t.final)).toBe(true);
        if (!/[eE]\d{3}/.test(text)) {
          // Through JSON (as a server would forward them), except for -0 and overflowing numbers.
          let viaJson: unknown;
          for (const batch of t.deltas) viaJson = applyDelta(viaJson, JSON.parse(JSON.stringify(batch)) as Delta[]);
          expect(JSON.stringify(viaJson)).toBe(JSON.stringify(t.final));
        }
      }),
      { numRuns: runs() },
    );
  });

  it('9. the snapshot after each write equals the deltas replayed so far', () => {
    fc.assert(
      fc.property(textAndChunks, ([, chunks]) => {
        let replayed: unknown;
        const parser = createPartialParser({ onDelta: (d) => void (replayed = applyDelta(replayed, d)) });
        for (const chunk of chunks) {
          parser.write(chunk);
          expect(deepEqualJson(replayed, parser.value)).toBe(true);
        }
      }),
      { numRuns: runs() },
    );
  });

  it('10. at most one onPartial and one onDelta per write, and none when nothing visible changed', () => {
    fc.assert(
      fc.property(textAndChunks, ([, chunks]) => {
        const t = trace(chunks);
        let previous: unknown;
        for (let i = 0; i < chunks.length; i++) {
          expect(t.partials[i]).toBeLessThanOrEqual(1);
          expect(t.deltaCalls[i]).toBe(t.partials[i]);
          const changed = !deepEqualJson(t.snapshots[i], previous) || (i > 0 && t.snapshots[i] !== previous);
          if (t.partials[i] === 1) expect(deepEqualJson(t.snapshots[i], previous)).toBe(false);
          else expect(t.snapshots[i]).toBe(previous);
          void changed;
          previous = t.snapshots[i];
        }
      }),
      { numRuns: runs() },
    );
  });

  it('10. whitespace and half a key change nothing', () => {
    let partials = 0;
    const parser = createPartialParser({ onPartial: () => partials++ });
    parser.write('{');
    expect(partials).toBe(1);
    parser.write('  \n ');
    parser.write('"ke');
    parser.write('y"');
    parser.write(' : ');
    expect(partials).toBe(1);
    parser.write('"');
    expect(partials).toBe(2);
    expect(parser.value).toEqual({ key: '' });
  });
});
