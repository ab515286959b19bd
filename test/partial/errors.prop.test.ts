import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, createPartialParser, ParseError, SchemaValidationError, type Delta, type PartialParserOptions } from '../../src/index.js';
import { chunked, deepEqualJson, jsonText, mutatedJson, utf8Chunks } from '../../src/testing/index.js';
import { findLoneSurrogate } from '../../src/testing/chunked.js';
import { runs } from '../support/shared.js';
import { zodGuide } from '../../src/schema/index.js';

/** What a parse left behind: the error (if any), the snapshot, and the deltas replayed from `undefined`. */
interface Left {
  code: string | undefined;
  position: number | undefined;
  value: unknown;
  replayed: unknown;
  /** The parser's `position`, `path` and `pending` after the error (or the last write). */
  where: unknown;
}

function leftBy(chunks: readonly (string | Uint8Array)[], options: PartialParserOptions = {}): Left {
  let replayed: unknown;
  const parser = createPartialParser({ ...options, onDelta: (d: Delta[]) => void (replayed = applyDelta(replayed, d)) });
  let error: unknown;
  try {
    for (const chunk of chunks) parser.write(chunk);
  } catch (e) {
    error = e;
  }
  if (error !== undefined && !(error instanceof ParseError)) throw error;
  const where = [parser.position, parser.path, parser.pending];
  return { code: error?.code, position: error?.position, value: parser.value, replayed, where };
}

function sameLeft(a: Left, b: Left): void {
  expect([a.code, a.position]).toEqual([b.code, b.position]);
  expect(a.where).toEqual(b.where);
  // After an error the parser reads where the error points.
  if (a.position !== undefined) expect((a.where as number[])[0]).toBe(a.position);
  expect(deepEqualJson(a.value, b.value)).toBe(true);
  expect(deepEqualJson(a.replayed, a.value)).toBe(true);
}

/** True when `prefix` ends inside a number (outside any string): a lenient scan of strings only. */
function endsInNumber(prefix: string): boolean {
  let inString = false;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
  }
  return !inString && /[0-9]$/.test(prefix);
}

/**
 * The value the text before the bad character says, found without the failing text: the prefix
 * parsed at once. A number at the prefix's end is complete when the bad character ends it (`[12x`
 * shows 12), not when it is a digit JSON forbids there (`[01`) or a bad byte.
 */
function saidBefore(prefix: string, badEndsNumber: boolean, options: PartialParserOptions = {}): unknown {
  const parser = createPartialParser(options);
  parser.write(badEndsNumber && endsInNumber(prefix) ? `${prefix} ` : prefix);
  return parser.value;
}

// Corruptions that hit each error path of the tokenizer: escapes, \u escapes, control characters,
// structure, numbers, literals; plus fast-check's general mutations.
const BAD = ['\\z', '\\u12x', '\\uZ', '\u0001', '\n', 'x', '}', ']', ',', ':', '01', '1.x', '-x', '1ex', 'tx', 'nulx', '\\', '"', '\uFEFF'];

const corrupted = fc.oneof(
  fc
    .tuple(jsonText({ maxLength: 6 }), fc.nat(), fc.constantFrom(...BAD))
    .map(([text, at, bad]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + bad + text.slice(i);
    }),
  jsonText({ maxLength: 6 }).chain((text) => mutatedJson(text)),
);

describe('the value left after a ParseError is what the text before the bad character says', () => {
  it('the same error, position, path, pending, value and deltas for every chunking of text and of bytes, equal to the prefix parsed at once; with and without partialNumbers', () => {
    fc.assert(
      fc.property(
        corrupted.chain((text) =>
          fc.tuple(
            fc.constant(text),
            chunked(text),
            findLoneSurrogate(text) === -1 ? utf8Chunks(text) : fc.constant(undefined),
            fc.boolean(),
          ),
        ),
        ([text, chunks, bytes, partialNumbers]) => {
          const options = { partialNumbers };
          const whole = leftBy([text], options);
          sameLeft(leftBy([...text], options), whole);
          sameLeft(leftBy(chunks, options), whole);
          if (bytes !== undefined) sameLeft(leftBy(bytes, options), whole);
          if (whole.position !== undefined) {
            const bad = text.charAt(whole.position);
            // With partialNumbers, a number the bad character cuts shows what its text says (`[1.x` shows 1).
            const expected = saidBefore(text.slice(0, whole.position), !partialNumbers && !/[0-9]/.test(bad), options);
            expect(deepEqualJson(whole.value, expected)).toBe(true);
          }
        },
      ),
      { numRuns: runs(3) },
    );
  });

  it('max-string-length: the string keeps the code units within the limit, for every chunking', () => {
    fc.assert(
      fc.property(
        jsonText({ maxLength: 5, maxStringLength: 16 }).chain((text) =>
          fc.tuple(fc.constant(text), fc.integer({ min: 0, max: 8 }), chunked(text)),
        ),
        ([text, limit, chunks]) => {
          const options = { maxStringLength: limit };
          const whole = leftBy([text], options);
          sameLeft(leftBy([...text], options), whole);
          sameLeft(leftBy(chunks, options), whole);
          if (whole.position !== undefined) {
            expect(whole.code).toBe('max-string-length-exceeded');
            expect(deepEqualJson(whole.value, saidBefore(text.slice(0, whole.position), false, options))).toBe(true);
          }
        },
      ),
      { numRuns: runs(2) },
    );
  });

  it('invalid UTF-8: the text before the bad byte stays, at the same position, for every byte chunking', () => {
    const badBytes = [[0xff], [0xc0, 0x80], [0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80]];
    fc.assert(
      fc.property(
        jsonText({ maxLength: 5 })
          .filter((text) => findLoneSurrogate(text) === -1)
          .chain((text) => fc.tuple(fc.constant(text), fc.nat(), fc.constantFrom(...badBytes)))
          .map(([text, at, bad]) => {
            const valid = new TextEncoder().encode(text);
            // Insert at a character boundary or inside a character: both must fail the same way.
            const i = at % (valid.length + 1);
            const bytes = new Uint8Array([...valid.subarray(0, i), ...bad, ...valid.subarray(i)]);
            return bytes;
          })
          .chain((bytes) => fc.tuple(fc.constant(bytes), fc.array(fc.nat(bytes.length), { maxLength: 6 }))),
        ([bytes, cutList]) => {
          const cuts = [...new Set(cutList)].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let previous = 0;
          for (const cut of [...cuts, bytes.length]) {
            chunks.push(bytes.slice(previous, cut));
            previous = cut;
          }
          const whole = leftBy([bytes]);
          sameLeft(leftBy([...bytes].map((b) => new Uint8Array([b]))), whole);
          sameLeft(leftBy(chunks), whole);
          if (whole.code === 'invalid-utf8') {
            const decoded = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
            expect(deepEqualJson(whole.value, saidBefore(decoded.slice(0, whole.position), false))).toBe(true);
          }
        },
      ),
      { numRuns: runs(2) },
    );
  });

  it('end() on a cut text: the value it leaves (a trailing number it completes included) is what onDelta and onPartial reported', () => {
    fc.assert(
      fc.property(
        jsonText({ maxLength: 6 }).chain((text) =>
          fc.nat(text.length).chain((cut) => fc.tuple(fc.constant(text.slice(0, cut)), chunked(text.slice(0, cut)))),
        ),
        ([, chunks]) => {
          let replayed: unknown;
          let last: unknown;
          const parser = createPartialParser({
            onDelta: (d: Delta[]) => void (replayed = applyDelta(replayed, d)),
            onPartial: (v) => void (last = v),
          });
          for (const chunk of chunks) parser.write(chunk);
          let error: unknown;
          try {
            parser.end();
          } catch (e) {
            error = e;
          }
          if (error === undefined) return;
          expect(error).toBeInstanceOf(ParseError);
          expect(deepEqualJson(replayed, parser.value)).toBe(true);
          if (parser.value !== undefined) expect(last).toBe(parser.value);
        },
      ),
      { numRuns: runs(2) },
    );
  });

  it('[8 then end(): the 8 that end() completes is reported before unexpected-end', () => {
    const deltas: Delta[][] = [];
    const parser = createPartialParser({ onDelta: (d) => void deltas.push(d) });
    parser.write('[8');
    expect(() => parser.end()).toThrow(ParseError);
    expect(parser.value).toEqual([8]);
    expect(deltas).toEqual([[{ op: 'add', path: [], value: [] }], [{ op: 'add', path: [0], value: 8 }]]);
  });

  it('the examples of the issue', () => {
    const text = '{"a": "b", "c": "d\\z';
    expect(leftBy([text]).value).toEqual({ a: 'b', c: 'd' });
    expect(leftBy([...text]).value).toEqual({ a: 'b', c: 'd' });
    const left = leftBy(['{"a": "xy', 'zw\\q']);
    expect(left).toEqual({ code: 'invalid-escape', position: 12, value: { a: 'xyzw' }, replayed: { a: 'xyzw' }, where: [12, ['a'], ['/a']] });
  });
});

describe('a throwing callback fails the parser', () => {
  const kinds = ['onComplete', 'onDelta', 'onPartial'] as const;

  it('write rethrows it, later writes are refused, and the value stops where the callback threw', () => {
    fc.assert(
      fc.property(
        jsonText({ maxLength: 5 }).chain((text) =>
          fc.tuple(fc.constant(text), chunked(text), fc.constantFrom(...kinds), fc.nat(6)),
        ),
        ([text, chunks, kind, throwAt]) => {
          const boom = new Error('boom');
          let calls = 0;
          let callsAfter = 0;
          let thrown = false;
          const callback = (): void => {
            if (thrown) callsAfter++;
            if (calls++ === throwAt) {
              thrown = true;
              throw boom;
            }
          };
          const parser = createPartialParser({ [kind]: callback });
          let caught: unknown;
          let index = 0;
          let final: unknown;
          // Every write, then end() (which may complete a trailing top-level number).
          for (; index <= chunks.length; index++) {
            try {
              if (index < chunks.length) parser.write(chunks[index]!);
              else final = parser.end();
            } catch (e) {
              caught = e;
              break;
            }
          }
          if (!thrown) {
            expect(caught).toBeUndefined();
            expect(deepEqualJson(final, JSON.parse(text))).toBe(true);
            return;
          }
          expect(caught).toBe(boom);
          expect(callsAfter).toBe(0);
          const value = parser.value;
          for (const rest of [...chunks.slice(index + 1), ']']) {
            expect(() => parser.write(rest)).toThrow(TypeError);
          }
          expect(() => parser.end()).toThrow(/a callback threw \(boom\)/);
          expect(parser.value).toBe(value);
          expect(callsAfter).toBe(0);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('[10,20,30,40 then ,50] never ends as [10,20,50]', () => {
    const parser = createPartialParser({
      onComplete: (value) => {
        if (value === 30) throw new Error('no 30');
      },
    });
    parser.write('[10,20');
    expect(() => parser.write(',30,40')).toThrow('no 30');
    expect(() => parser.write(',50]')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: write() called after a callback threw (no 30); create a new parser]`,
    );
    expect(parser.value).toEqual([10, 20, 30]);
  });
});

describe('bytes and text agree on byte order marks', () => {
  it('the same outcome, position and value with 0, 1 or 2 BOMs, written as text or bytes, whole or cut', () => {
    fc.assert(
      fc.property(
        jsonText({ maxLength: 4 })
          .filter((text) => findLoneSurrogate(text) === -1)
          .chain((text) => fc.tuple(fc.constantFrom('', '\uFEFF', '\uFEFF\uFEFF', ' \uFEFF'), fc.constant(text)))
          .map(([bom, text]) => bom + text)
          .chain((text) => fc.tuple(fc.constant(text), chunked(text), utf8Chunks(text))),
        ([text, chunks, bytes]) => {
          const whole = leftBy([text]);
          sameLeft(leftBy(chunks), whole);
          sameLeft(leftBy(bytes), whole);
          sameLeft(leftBy([new TextEncoder().encode(text)]), whole);
          const boms = /^\uFEFF*/.exec(text)![0].length;
          if (boms === 1) expect(whole.code).toBeUndefined();
          if (boms === 2) expect([whole.code, whole.position]).toEqual(['unexpected-character', 1]);
        },
      ),
      { numRuns: runs() },
    );
  });
});

describe('a schema failure when a container closes', () => {
  it('the deltas of the failed write still give the value left (a container opened and closed in it)', async () => {
    const { z } = await import('zod');
    const item = z.object({ a: z.number(), b: z.string() }); // `b` missing: fails at the close
    for (const [schema, chunks] of [
      [item, ['{"a":1}']],
      [z.array(item), ['[', '{"a":1}]']],
      [z.array(item), ['[{"a":1}']],
    ] as const) {
      let replayed: unknown;
      const parser = createPartialParser({
        schema,
        guide: zodGuide,
        onDelta: (d) => void (replayed = applyDelta(replayed, d)),
      });
      expect(() => {
        for (const chunk of chunks) parser.write(chunk);
      }).toThrow(SchemaValidationError);
      expect(replayed).toStrictEqual(parser.value);
    }
  });
});
