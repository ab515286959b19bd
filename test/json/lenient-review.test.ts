import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialParser, createTokenizer, ParseError, type Lenient, type ParseWarning, type TokenHandler, lenient as lenientMode } from '../../src/index.js';
import { chunked, jsonText, mutatedJson, utf8Chunks } from '../../src/testing/index.js';
import { findLoneSurrogate } from '../../src/testing/chunked.js';
import { runs } from '../support/shared.js';

// Review of lenient mode (issue 14) by a fresh pair of eyes: each block pins one bug found.

/** Value, warnings (code@position) and error of a lenient parse of `chunks`. */
function lenient(chunks: readonly string[]): { value: unknown; warnings: string[]; error?: string } {
  const parser = createPartialParser({ lenient: lenientMode(), maxDepth: Infinity });
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
  const parser = createPartialParser({ lenient: lenientMode(), maxStringLength });
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
    const parser = createPartialParser({ lenient: lenientMode() });
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

describe('every chunking gives the same tokens, warnings and errors (broad alphabet, multiple, repairs off)', () => {
  // The damage generator of lenient.test.ts builds texts that repair cleanly; this one throws
  // the pieces lenient decisions hinge on (`</think>`, fences, `/*`, quotes, words, line ends)
  // at random into JSON texts and on their own, with `multiple` and with single repairs off.
  const piece = fc.constantFrom(
    '{', '}', '[', ']', '"', ':', ',', '\\', 'u', '0', '1', '-', '.', 'e', ' ', '\n', '\r', '\t', '/', '*', "'",
    'T', 'N', 'I', 'a', '`', '<', '>', '<think>', '</think>', '```json\n', '```', 'True', 'None', 'Infinity',
    'undefined', '//', '/*', '*/', 'é', '😀', 'x',
  );
  const text = fc.oneof(
    fc.array(jsonText({ maxLength: 40 }), { maxLength: 3 }).map((texts) => texts.join('\n')),
    jsonText({ maxLength: 40 }).chain((t) => mutatedJson(t)),
    fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join('')),
    jsonText({ maxLength: 40 }).chain((t) =>
      fc
        .tuple(fc.array(piece, { maxLength: 4 }), fc.nat(t.length), fc.array(piece, { maxLength: 4 }))
        .map(([a, k, b]) => a.join('') + t.slice(0, k) + b.join('') + t.slice(k)),
    ),
  );
  const option = fc.constantFrom<Lenient>(lenientMode(), lenientMode({ 'leading-text': false }), lenientMode({ truncated: false }), lenientMode({ comment: false }), lenientMode({ 'code-fence': false }), lenientMode({ 'trailing-text': false }), lenientMode({ 'control-character': false }), lenientMode({ 'unterminated-string': false }));

  function tokens(chunks: readonly (string | Uint8Array)[], lenient: Lenient, multiple: boolean): unknown[] {
    const out: unknown[] = [];
    let open = '';
    const handler: TokenHandler = {
      startObject: () => out.push('{'),
      endObject: () => out.push('}'),
      startArray: () => out.push('['),
      endArray: () => out.push(']'),
      key: (k) => out.push(['key', k]),
      string: (s) => out.push(['string', s]),
      startString: () => void (open = ''),
      stringPart: (p) => void (open += p),
      endString: () => out.push(['string', open]),
      number: (n) => out.push(['number', n]),
      literal: (v) => out.push(['literal', v]),
    };
    const tokenizer = createTokenizer(handler, { lenient, multiple, onWarning: (w) => out.push([w.code, w.position, w.line, w.column]) });
    try {
      for (const chunk of chunks) tokenizer.write(chunk);
      tokenizer.end();
      out.push(['complete', tokenizer.complete]);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      out.push(['error', error.code, error.position, error.line, error.column]);
    }
    return out;
  }

  it('as text, one character at a time, and as UTF-8 bytes', () => {
    fc.assert(
      fc.property(
        text.chain((t) => fc.tuple(fc.constant(t), chunked(t), findLoneSurrogate(t) === -1 ? utf8Chunks(t) : fc.constant([t]))),
        option,
        fc.boolean(),
        ([t, chunks, bytes], lenient, multiple) => {
          const whole = tokens([t], lenient, multiple);
          expect(tokens(chunks, lenient, multiple)).toEqual(whole);
          expect(tokens([...t], lenient, multiple)).toEqual(whole);
          expect(tokens(bytes, lenient, multiple)).toEqual(whole);
        },
      ),
      { numRuns: runs(2) },
    );
  });
});
