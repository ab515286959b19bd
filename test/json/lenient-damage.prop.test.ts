/**
 * Issue 14, tests: lenient mode against the `modelDamage` arbitrary. Random model damage applied
 * to random JSON gives, at every chunking (text and UTF-8 bytes), the undamaged value (or its
 * truncation), exactly the warnings the damage calls for, in order, and the same warnings for
 * every chunking; valid JSON gives exactly strict mode's results and no warning.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyDelta, createPartialParser, parsePartial, lenient as lenientMode } from '../../src/index.js';
import type { Delta, Lenient, ParseWarning } from '../../src/index.js';
import { chunked, deepEqualJson, findSnapshotViolation, jsonText, modelDamage, utf8Chunks } from '../../src/testing/index.js';
import type { ModelDamage } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/** `parsePartial` in lenient mode, with its warnings (a strict result may leave them out). */
function lenientParse(text: string, lenient: Lenient = lenientMode()): { value: unknown; complete: boolean; warnings: readonly ParseWarning[] } {
  const { value, complete, warnings } = parsePartial(text, { lenient });
  return { value, complete, warnings: warnings ?? [] };
}

interface Run {
  value: unknown;
  warnings: readonly ParseWarning[];
  /** What `onWarning` received, in order. */
  heard: ParseWarning[];
  snapshots: unknown[];
  deltas: Delta[][];
  completions: Array<{ value: unknown; path: string }>;
}

/** Feeds `chunks` to a fresh parser, reading the value after every write, then ends it. */
function feed(chunks: readonly (string | Uint8Array)[], lenient: boolean, partialNumbers = false): Run {
  const heard: ParseWarning[] = [];
  const deltas: Delta[][] = [];
  const completions: Array<{ value: unknown; path: string }> = [];
  const parser = createPartialParser({
    maxDepth: Infinity,
    partialNumbers,
    ...(lenient ? { lenient: lenientMode(), onWarning: (warning: ParseWarning) => void heard.push(warning) } : {}),
    onDelta: (d) => void deltas.push(d),
    onComplete: (value, path) => void completions.push({ value, path: JSON.stringify(path) }),
  });
  const snapshots: unknown[] = [];
  for (const chunk of chunks) {
    parser.write(chunk);
    snapshots.push(parser.value);
  }
  const value = parser.end();
  return { value, warnings: parser.warnings, heard, snapshots, deltas, completions };
}

/** 1-based line and column of `position` (lines end at `\n`), as ParseError counts them. */
function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: position - start + 1 };
}

/** What the repaired text at a warning's position starts with. */
const STARTS: Partial<Record<ParseWarning['code'], RegExp>> = {
  'reasoning-block': /^<(think|thinking|reasoning)>/,
  'code-fence': /^```/,
  'trailing-comma': /^,/,
  comment: /^\/[/*]/,
  'single-quoted-string': /^'/,
  'unquoted-key': /^[A-Za-z_$]/,
  'python-literal': /^(True|False|None)/,
  'javascript-literal': /^(undefined|NaN|-?Infinity)/,
  'control-character': /^[\u0000-\u001f]/,
  'invalid-escape': /^\\[^"\\/bfnrtu]/,
};

const plain = (w: ParseWarning): [string, number, number, number] => [w.code, w.position, w.line, w.column];

/** Checks one run against the sample and against the whole-text result. */
function check(sample: ModelDamage, run: Run, whole: readonly ParseWarning[], partialNumbers = false): void {
  expect(deepEqualJson(run.value, sample.expected)).toBe(true);
  expect(run.warnings.map((w) => w.code)).toStrictEqual(sample.warnings);
  // The same decisions, at the same places, whatever the chunking; onWarning heard each once, in order.
  expect(run.warnings.map(plain)).toStrictEqual(whole.map(plain));
  expect(run.heard.map(plain)).toStrictEqual(whole.map(plain));
  // Every partial-value invariant still holds under repair.
  const violation = findSnapshotViolation(run.snapshots, run.value, { structuralSharing: true, partialNumbers });
  expect(violation?.message).toBeUndefined();
  expect(deepEqualJson(run.deltas.reduce<unknown>((value, d) => applyDelta(value, d), undefined), run.value)).toBe(true);
}

const numRuns = runs();

describe('lenient mode on model damage (modelDamage)', () => {
  it('parsePartial gives the expected value and exactly the expected warnings, each at the repaired text', () => {
    fc.assert(
      fc.property(modelDamage(undefined, { maxDamages: 6 }), (sample) => {
        const result = lenientParse(sample.text);
        expect(deepEqualJson(result.value, sample.expected)).toBe(true);
        expect(result.warnings.map((w) => w.code)).toStrictEqual(sample.warnings);
        let previous = -1;
        for (const warning of result.warnings) {
          expect(lineColumn(sample.text, warning.position)).toStrictEqual({ line: warning.line, column: warning.column });
          expect(typeof warning.message).toBe('string');
          expect(warning.message.length).toBeGreaterThan(0);
          const start = STARTS[warning.code];
          if (start !== undefined) expect(sample.text.slice(warning.position)).toMatch(start);
          if (warning.code !== 'trailing-comma' && warning.code !== 'truncated') {
            // In stream order: positions grow (a trailing comma is reported at its bracket).
            expect(warning.position).toBeGreaterThan(previous);
            previous = warning.position;
          }
        }
        if (sample.damages.includes('truncation')) expect(result.complete).toBe(false);
      }),
      { numRuns: runs(2) },
    );
  });

  it('every chunking of the text gives the same value and the same warnings at the same positions, with and without partialNumbers', () => {
    fc.assert(
      fc.property(
        modelDamage().chain((sample) => fc.tuple(fc.constant(sample), chunked(sample.text), fc.boolean())),
        ([sample, chunks, partialNumbers]) => {
          const whole = feed([sample.text], true);
          check(sample, whole, whole.warnings);
          check(sample, feed(chunks, true, partialNumbers), whole.warnings, partialNumbers);
          check(sample, feed([...sample.text], true, partialNumbers), whole.warnings, partialNumbers);
        },
      ),
      { numRuns },
    );
  });

  it('partialNumbers: a top-level number that turns out to be prose never shows (1. Here is {…})', () => {
    for (const text of ['1.{"a":1}', '1. Here it is: {"a": 1}', '2.x', '2e-x', '12 apples: [3]']) {
      const whole = feed([text], true);
      for (const chunks of [[...text], [text.slice(0, 1), text.slice(1)]]) {
        const run = feed(chunks, true, true);
        expect(deepEqualJson(run.value, whole.value), `${text} in ${JSON.stringify(chunks)}`).toBe(true);
        expect(findSnapshotViolation(run.snapshots, run.value, { partialNumbers: true })?.message).toBeUndefined();
        expect(deepEqualJson(run.deltas.reduce<unknown>((value, d) => applyDelta(value, d), undefined), run.value)).toBe(true);
      }
    }
  });

  it('every chunking of the UTF-8 bytes gives the same value and the same warnings', () => {
    fc.assert(
      fc.property(
        modelDamage().chain((sample) => fc.tuple(fc.constant(sample), utf8Chunks(sample.text))),
        ([sample, chunks]) => {
          const whole = feed([sample.text], true);
          check(sample, feed(chunks, true), whole.warnings);
        },
      ),
      { numRuns },
    );
  });

  it('one character at a time, each damage kind alone', () => {
    fc.assert(
      fc.property(modelDamage(undefined, { minDamages: 1, maxDamages: 1 }), (sample) => {
        const whole = feed([sample.text], true);
        check(sample, feed([...sample.text], true), whole.warnings);
      }),
      { numRuns },
    );
  });

  it('with a schema: the same value (validated) and the same warnings, for every chunking', () => {
    // Finite numbers and no `__proto__` keys: what z.json() accepts as it is.
    const json = jsonText({ topLevel: 'container', edgeNumbers: false, protoKeys: false });
    fc.assert(
      fc.property(
        modelDamage(json).chain((sample) => fc.tuple(fc.constant(sample), chunked(sample.text))),
        ([sample, chunks]) => {
          const warnings: string[] = [];
          const parser = createPartialParser({ schema: z.json(), lenient: lenientMode(), onWarning: (w) => void warnings.push(w.code) });
          for (const chunk of chunks) parser.write(chunk);
          expect(deepEqualJson(parser.end(), sample.expected)).toBe(true);
          expect(warnings).toStrictEqual(sample.warnings);
        },
      ),
      { numRuns },
    );
  });

  it('a repair can be switched off: that damage is then an error again, and the other repairs stay on', () => {
    fc.assert(
      fc.property(modelDamage(undefined, { kinds: ['trailing-comma', 'python-literal', 'comment', 'single-quoted-string'], maxDamages: 1 }), (sample) => {
        fc.pre(sample.damages.length === 1);
        const code = sample.warnings[0]!;
        const off = createPartialParser({ lenient: lenientMode({ [code]: false }) });
        expect(() => {
          off.write(sample.text);
          off.end();
        }).toThrow(SyntaxError);
        // parsePartial never throws for model text: it stops at the bad character and says so.
        expect(lenientParse(sample.text, lenientMode({ [code]: false })).warnings.at(-1)?.code).toBe('truncated');
        const others = createPartialParser({ lenient: lenientMode({ 'string-as-json': false }) });
        others.write(sample.text);
        expect(deepEqualJson(others.end(), sample.expected)).toBe(true);
      }),
      { numRuns },
    );
  });
});

describe('lenient mode on valid JSON is strict mode', () => {
  it('same values after every write, same deltas, same completion events, no warning (text chunks)', () => {
    fc.assert(
      fc.property(
        jsonText().chain((text) => fc.tuple(fc.constant(text), chunked(text))),
        ([text, chunks]) => {
          const strict = feed(chunks, false);
          const lenient = feed(chunks, true);
          expect(lenient.warnings).toStrictEqual([]);
          expect(lenient.heard).toStrictEqual([]);
          expect(deepEqualJson(lenient.value, strict.value)).toBe(true);
          expect(lenient.snapshots.length).toBe(strict.snapshots.length);
          lenient.snapshots.forEach((snapshot, i) => expect(deepEqualJson(snapshot, strict.snapshots[i])).toBe(true));
          expect(lenient.deltas).toStrictEqual(strict.deltas);
          expect(lenient.completions).toStrictEqual(strict.completions);
          // parsePartial in lenient mode takes the text as the whole answer: it ends it.
          expect(lenientParse(text)).toStrictEqual({ value: strict.value, complete: true, warnings: [] });
        },
      ),
      { numRuns },
    );
  });

  it('same values, deltas and completion events for byte chunks', () => {
    fc.assert(
      fc.property(
        jsonText().chain((text) => utf8Chunks(text)),
        (chunks) => {
          const strict = feed(chunks, false);
          const lenient = feed(chunks, true);
          expect(lenient.warnings).toStrictEqual([]);
          expect(deepEqualJson(lenient.value, strict.value)).toBe(true);
          expect(lenient.deltas).toStrictEqual(strict.deltas);
          expect(lenient.completions).toStrictEqual(strict.completions);
        },
      ),
      { numRuns },
    );
  });

  it('every prefix of a valid text: lenient parsePartial shows what strict shows, or (at the end) the truncation', () => {
    fc.assert(
      fc.property(
        jsonText({ topLevel: 'container' }).chain((text) => fc.tuple(fc.constant(text), fc.nat(text.length))),
        ([text, cut]) => {
          const prefix = text.slice(0, cut);
          const strict = parsePartial(prefix);
          const lenient = lenientParse(prefix);
          if (strict.complete) {
            expect(lenient).toStrictEqual({ value: strict.value, complete: true, warnings: [] });
            return;
          }
          expect(lenient.complete).toBe(false);
          // Only the truncation is reported, once, and never for an empty or blank prefix's missing value.
          expect(lenient.warnings.every((w) => w.code === 'truncated')).toBe(true);
          expect(lenient.warnings.length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: runs(2) },
    );
  });
});
