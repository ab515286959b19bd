import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialParser, ParseError, type ParseWarning } from '../../src/index.js';
import { chunked } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

// Review of lenient mode (issue 14) by a fresh pair of eyes: each block pins one bug found.

/** Value, warnings (code@position) and error of a lenient parse of `chunks`. */
function lenient(chunks: readonly string[]): { value: unknown; warnings: string[]; error?: string } {
  const parser = createPartialParser({ lenient: true, maxDepth: Infinity });
  const at = (w: ParseWarning): string => `${w.code}@${w.position}:${w.line}:${w.column}`;
  try {
    for (const chunk of chunks) parser.write(chunk);
    const value = parser.end();
    return { value, warnings: parser.warnings.map(at) };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { value: parser.value, warnings: parser.warnings.map(at), error: `${error.code}@${error.position}` };
  }
}

describe('unterminated-string: the line-end lookahead decides the same for every chunking', () => {
  // The lookahead after a raw line end reads at most 64 whitespace characters. When a chunk
  // ended exactly 64 characters after the line end it answered "no key follows", while the
  // whole text read the key at index 64 and answered "yes": a chunk-dependent value.
  it('whitespace runs of any length around the 64 limit, cut anywhere', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 55, max: 70 }).chain((spaces) => {
          const text = `{"a": "x\n${' '.repeat(spaces)}"b": 1}`;
          return fc.tuple(fc.constant(text), chunked(text));
        }),
        ([text, chunks]) => {
          expect(lenient(chunks)).toEqual(lenient([text]));
          expect(lenient([...text])).toEqual(lenient([text]));
        },
      ),
      { numRuns: runs() },
    );
  });

  it('63 spaces after the line end (64 characters of whitespace), cut right after them', () => {
    const text = `{"a": "x\n${' '.repeat(63)}"b": 1}`;
    const cut = text.indexOf('"b"');
    expect(lenient([text.slice(0, cut), text.slice(cut)])).toEqual(lenient([text]));
  });
});

describe('maxStringLength bounds unquoted keys as it bounds quoted ones', () => {
  // An unquoted key was buffered without limit: `maxStringLength`, the guard against a stream
  // that never ends its key, did not apply to `{aaaa…: 1}` in lenient mode.
  it('a key longer than the limit is max-string-length-exceeded at its first unit over it, for every chunking', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.stringMatching(/^[a-z_$][a-z0-9_$]{0,11}$/),
        fc.boolean(),
        (limit, key, quoted) => {
          const text = quoted ? `{"${key}": 1}` : `{${key}: 1}`;
          const whole = limited([text], limit);
          if (key.length > limit) expect(whole).toEqual({ error: `max-string-length-exceeded@${(quoted ? 2 : 1) + limit}` });
          else expect(whole).toEqual({ value: { [key]: 1 } });
          expect(limited([...text], limit)).toEqual(whole);
        },
      ),
      { numRuns: runs() },
    );
  });
});

function limited(chunks: readonly string[], maxStringLength: number): { value?: unknown; error?: string } {
  const parser = createPartialParser({ lenient: true, maxStringLength });
  try {
    for (const chunk of chunks) parser.write(chunk);
    return { value: parser.end() };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { error: `${error.code}@${error.position}` };
  }
}

describe('leading prose that starts like a number but is none (a numbered list)', () => {
  // `1. Here is the JSON:` before the value: `1.` followed by a space can start no number, and
  // text that cannot start a value is prose; it was an error, so the answer gave no value.
  it('`N. text` / `N.text` / `-1.e` then the value: one leading-text warning at 0, for every chunking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('1. ', '2.', '10. ', '3.\n', '1e ', '1e+x ', '0.', '-1.'),
        fc.stringMatching(/^[A-Za-z][A-Za-z ,:!']{0,20}$/),
        fc.constantFrom('{"a": [1, 2]}', '[true]', '```json\n{"b": "c"}\n```'),
        (head, prose, json) => {
          const text = `${head}${prose}\n${json}`;
          const whole = lenient([text]);
          const expected = JSON.parse(json.replace(/```(json)?/g, '')) as unknown;
          expect(whole.value).toEqual(expected);
          expect(whole.warnings[0]).toMatch(/^leading-text@0:1:1$/);
          expect(whole.error).toBeUndefined();
          expect(lenient([...text])).toEqual(whole);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('inside a container a malformed number is still an error', () => {
    expect(lenient(['[1. 2]']).error).toBe('unexpected-character@3');
    expect(lenient(['{"a": 1.x}']).error).toBe('unexpected-character@8');
  });
});

describe('the order of warnings (documented on ParsePartialResult.warnings)', () => {
  it('a trailing comma is reported at its bracket, after a comment between them', () => {
    expect(lenient(['[1, // c\n]']).warnings).toEqual(['comment@4:1:5', 'trailing-comma@2:1:3']);
  });
});

describe('held-back text is bounded (no quadratic re-reading), written one character at a time', () => {
  // What a write holds back for a decision is re-read with the next write; it is the text
  // written minus `position`. Adversarial runs must keep it bounded (README: about 150).
  const ADVERSARIAL = [
    `Text ${'/'.repeat(3000)} {"a": 1}`,
    `\n${'`'.repeat(3000)}\n{"a": 1}`,
    `Hi ${'<thi'.repeat(800)} {"a": 1}`,
    `<think>${'</thin'.repeat(500)}</think>{}`,
    `{"a": "x${'\n \t'.repeat(1000)}"}`,
    `{"a": "${'\n "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" '.repeat(40)}"}`,
    `[1 /*${'*'.repeat(3000)}*/]`,
    ('\n```' + 'a'.repeat(31) + 'x').repeat(80),
    `{"a": 1}${' /'.repeat(1500)}`,
  ];
  it.each(ADVERSARIAL.map((t) => [t.slice(0, 24), t]))('%j…', (_, text) => {
    const parser = createPartialParser({ lenient: true });
    let written = 0;
    let most = 0;
    try {
      for (const c of text) {
        parser.write(c);
        written += c.length;
        most = Math.max(most, written - parser.position);
      }
      parser.end();
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
    }
    expect(most).toBeLessThanOrEqual(150);
  });
});

describe('the lenient option rejects every unknown repair name', () => {
  // Names inherited from Object.prototype (`toString`, `constructor`, `__proto__`) were looked up
  // on the prototype, found, and silently ignored.
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])('%s', (name) => {
    const option = JSON.parse(`{"${name}": false}`) as never;
    expect(() => createPartialParser({ lenient: option })).toThrow(TypeError);
  });
});
