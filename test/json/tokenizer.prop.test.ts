import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialParser, createTokenizer, lenient, ParseError, type TokenizerOptions } from '../../src/index.js';
import { NO_TOKENS } from '../../src/json/tokenizer.js';
import { chunked, jsonText, jsonTextWithValue, mutatedJson, utf8Chunks } from '../../src/testing/index.js';
import { findLoneSurrogate } from '../../src/testing/chunked.js';
import { runs } from '../support/shared.js';
import { earliestErrorPosition, isViablePrefix } from '../support/viable.js';

type Outcome = { ok: true; value: unknown } | { ok: false; error: ParseError };

function parseChunks(chunks: readonly (string | Uint8Array)[]): Outcome {
  const parser = createPartialParser();
  try {
    for (const chunk of chunks) parser.write(chunk);
    return { ok: true, value: parser.end() };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { ok: false, error };
  }
}

describe('the reference viable-prefix checker', () => {
  it('knows the classic cases', () => {
    expect(earliestErrorPosition('[tx')).toBe(2);
    expect(earliestErrorPosition('[01')).toBe(2);
    expect(earliestErrorPosition('{"a" 1')).toBe(5);
    expect(earliestErrorPosition('[1,]')).toBe(3);
    expect(earliestErrorPosition('[1')).toBe(2);
    expect(earliestErrorPosition('[1]')).toBe(-1);
    expect(isViablePrefix('{"a":"\\u12')).toBe(true);
    expect(isViablePrefix('{"a":"\\u1x')).toBe(false);
  });
});

describe('tokenizer properties (oracle: JSON.parse)', () => {
  it('the final value equals JSON.parse for any JSON text and any chunking of text', () => {
    fc.assert(
      fc.property(
        jsonTextWithValue().chain(({ text }) => fc.tuple(fc.constant(text), chunked(text))),
        ([text, chunks]) => {
          const outcome = parseChunks(chunks);
          expect(outcome).toEqual({ ok: true, value: JSON.parse(text) });
        },
      ),
      { numRuns: runs() },
    );
  });

  it('the final value equals JSON.parse for any chunking of the UTF-8 bytes', () => {
    fc.assert(
      fc.property(
        jsonText({ nonAscii: true }).chain((text) => fc.tuple(fc.constant(text), utf8Chunks(text))),
        ([text, chunks]) => {
          // Texts with lone surrogates cannot round-trip through UTF-8.
          fc.pre(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text));
          expect(parseChunks(chunks)).toEqual({ ok: true, value: JSON.parse(text) });
        },
      ),
      { numRuns: runs() },
    );
  });

  it('JSON.parse on fc.jsonValue texts with random whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(8), fc.nat(), (value, indent, cut) => {
        const text = JSON.stringify(value, null, indent);
        const at = text.length === 0 ? 0 : cut % text.length;
        expect(parseChunks([text.slice(0, at), text.slice(at)])).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: runs() },
    );
  });

  it('accept/reject agrees with JSON.parse on mutated texts, and errors are at the earliest position', () => {
    fc.assert(
      fc.property(
        jsonText({ maxLength: 60 })
          .chain((text) => mutatedJson(text))
          .chain((text) => fc.tuple(fc.constant(text), chunked(text))),
        ([text, chunks]) => {
          const outcome = parseChunks(chunks);
          const expected = earliestErrorPosition(text.replace(/^\uFEFF/, ''));
          if (expected === -1) {
            expect(outcome).toEqual({ ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) });
          } else {
            expect(outcome.ok).toBe(false);
            const offset = text.startsWith('\uFEFF') ? 1 : 0;
            if (!outcome.ok) expect(outcome.error.position).toBe(expected + offset);
          }
        },
      ),
      { numRuns: runs() },
    );
  });

  it('line and column of an error are those of its position, whatever the chunking (closed containers skipped to JSON.parse included)', () => {
    fc.assert(
      fc.property(
        jsonText({ maxLength: 40 })
          .chain((text) => mutatedJson(text))
          .chain((text) => fc.tuple(fc.constant(text), chunked(text))),
        ([text, chunks]) => {
          const outcome = parseChunks(chunks);
          if (outcome.ok) return;
          const { position, line, column } = outcome.error;
          const before = text.slice(0, position);
          expect([line, column]).toEqual([before.split('\n').length, position - (before.lastIndexOf('\n') + 1) + 1]);
        },
      ),
      { numRuns: runs() },
    );
    // A pretty-printed container that closes in the write, then an error on a later line.
    const error = (parseChunks(['[\n [\n  ""\n ]"\n]']) as { error: ParseError }).error;
    expect([error.position, error.line, error.column]).toEqual([12, 4, 3]);
  });

  it('an unexpected lone high surrogate is shown alone, not with the character after it', () => {
    for (const text of ['\uD83D{}', '[\uD83Dx]', '{"a":1,\uD83D"b":2}']) {
      const whole = parseChunks([text]);
      const units = parseChunks([...text]);
      expect(whole.ok || units.ok).toBe(false);
      if (!whole.ok && !units.ok) {
        expect(whole.error.message).toBe(units.error.message);
        expect(whole.error.found).toBe('\uD83D');
      }
    }
  });

  it('accept/reject agrees with JSON.parse on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'[]{}",:0123456789-+.eEtrufalsn \\/u\n'.split('')), maxLength: 30 }), (text) => {
        const outcome = parseChunks([...text]);
        const expected = earliestErrorPosition(text);
        expect(outcome.ok).toBe(expected === -1);
        if (!outcome.ok) expect(outcome.error.position).toBe(expected);
      }),
      { numRuns: runs(3) },
    );
  });
});

describe('the tokenizer after an error', () => {
  const handler = NO_TOKENS; // every token ignored
  /** Where a tokenizer stands once `chunks` were written and ended (or one threw). */
  function standing(chunks: readonly (string | Uint8Array)[], options: TokenizerOptions): unknown {
    const tokenizer = createTokenizer(handler, options);
    let error: ParseError | undefined;
    try {
      for (const chunk of chunks) tokenizer.write(chunk);
      tokenizer.end();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      error = e;
    }
    if (error !== undefined) expect(tokenizer.position, 'position reads where the error points').toBe(error.position);
    const { position, depth, tokenPosition, numberText, complete } = tokenizer;
    return { error: error && [error.code, error.position], position, depth, tokenPosition, numberText, complete };
  }

  it('position (the error\'s), depth, tokenPosition and numberText are the same for every chunking of text and bytes, strict and lenient', () => {
    fc.assert(
      fc.property(
        jsonText({ maxLength: 20 })
          .chain((text) => mutatedJson(text))
          .chain((text) => fc.tuple(fc.constant(text), chunked(text), findLoneSurrogate(text) === -1 ? utf8Chunks(text) : fc.constant(undefined))),
        fc.boolean(),
        ([text, chunks, bytes], relaxed) => {
          const options = relaxed ? { lenient: lenient() } : {};
          const whole = standing([text], options);
          expect(standing([...text], options)).toEqual(whole);
          expect(standing(chunks, options)).toEqual(whole);
          if (bytes !== undefined) expect(standing(bytes, options)).toEqual(whole);
        },
      ),
      { numRuns: runs(2) },
    );
  });

  it('a number cut by the bad character keeps its text: [1.x, [01, [-x', () => {
    for (const [text, numberText, position] of [['[1.x', '1.', 3], ['[01', '0', 2], ['[-x', '-', 2], ['[1e+]', '1e+', 4]] as const) {
      for (const chunks of [[text], [...text]]) {
        const tokenizer = createTokenizer(handler);
        expect(() => chunks.forEach((c) => tokenizer.write(c))).toThrow(ParseError);
        expect([tokenizer.numberText, tokenizer.position]).toEqual([numberText, position]);
      }
    }
  });
});
