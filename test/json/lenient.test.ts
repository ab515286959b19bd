import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPartialParser,
  createTokenizer,
  ParseError,
  type Lenient,
  type ParseWarning,
  type ParseWarningCode,
  type TokenHandler,
  lenient as lenientMode,
} from '../../src/index.js';
import { chunked, jsonText, utf8Chunks } from '../../src/testing/index.js';
import { findLoneSurrogate } from '../../src/testing/chunked.js';
import { containers, damagedValue } from '../support/lenient-damage.js';
import { runs } from '../support/shared.js';

/** Every token as data (strings merged: how a string is split into parts depends on the chunking). */
function recorder(): { handler: TokenHandler; tokens: unknown[] } {
  const tokens: unknown[] = [];
  let open = '';
  const handler: TokenHandler = {
    startObject: () => tokens.push('{'),
    endObject: () => tokens.push('}'),
    startArray: () => tokens.push('['),
    endArray: () => tokens.push(']'),
    key: (k) => tokens.push(['key', k]),
    string: (s) => tokens.push(['string', s]),
    startString: () => {
      open = '';
    },
    stringPart: (t) => {
      open += t;
    },
    endString: () => tokens.push(['string', open]),
    number: (n) => tokens.push(['number', n]),
    literal: (v) => tokens.push(['literal', v]),
  };
  return { handler, tokens };
}

type Run = { tokens: unknown[]; warnings: ParseWarning[]; error?: { code: string; position: number } };

function tokenize(chunks: readonly (string | Uint8Array)[], lenient: Lenient | false = lenientMode()): Run {
  const { handler, tokens } = recorder();
  const warnings: ParseWarning[] = [];
  const tokenizer = createTokenizer(handler, { lenient, onWarning: (w) => warnings.push(w) });
  try {
    for (const chunk of chunks) tokenizer.write(chunk);
    tokenizer.end();
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { tokens, warnings, error: { code: error.code, position: error.position } };
  }
  expect(tokenizer.warnings).toEqual(warnings);
  return { tokens, warnings };
}

/** The final value in lenient mode, the warning codes, and the error if any. */
function parse(text: string | readonly (string | Uint8Array)[], lenient: Lenient | false = lenientMode()): { value?: unknown; codes: ParseWarningCode[]; error?: string } {
  const codes: ParseWarningCode[] = [];
  const parser = createPartialParser({ lenient, maxDepth: Infinity, onWarning: (w) => codes.push(w.code) });
  try {
    for (const chunk of typeof text === 'string' ? [text] : text) parser.write(chunk);
    return { value: parser.end(), codes };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { codes, error: `${error.code}@${error.position}` };
  }
}

/** Checks that every chunking of `text` (strings, and UTF-8 bytes) gives the run of the whole text. */
function sameForEveryChunking(text: string, numRuns = runs(0.3)): void {
  const whole = tokenize([text]);
  fc.assert(
    fc.property(chunked(text), (chunks) => {
      expect(tokenize(chunks)).toEqual(whole);
    }),
    { numRuns },
  );
  if (findLoneSurrogate(text) === -1) {
    fc.assert(
      fc.property(utf8Chunks(text), (chunks) => {
        expect(tokenize(chunks)).toEqual(whole);
      }),
      { numRuns },
    );
  }
  // And one character at a time.
  expect(tokenize([...text])).toEqual(whole);
}

// [text, value, warning codes in order]
const REPAIRS: [string, unknown, ParseWarningCode[]][] = [
  ['Here is the result:\n{"a": 1}', { a: 1 }, ['leading-text']],
  ['```json\n{"a": 1}\n```', { a: 1 }, ['code-fence', 'code-fence']],
  ['```\n[1]\n```', [1], ['code-fence', 'code-fence']],
  ['Sure!\n\n```json\n{"a": [1, 2]}\n```\n\nLet me know if you need more.', { a: [1, 2] }, ['leading-text', 'code-fence', 'code-fence', 'trailing-text']],
  ['<think>The user wants {"a": 1}; "quotes" ``` and } braces.</think>\n{"a": 2}', { a: 2 }, ['reasoning-block']],
  ['<thinking>x</thinking><reasoning>y</reasoning>[true]', [true], ['reasoning-block', 'reasoning-block']],
  ['{"a": 1} and that is all.', { a: 1 }, ['trailing-text']],
  ['[1, 2, 3,]', [1, 2, 3], ['trailing-comma']],
  ['{"a": 1, "b": [1,], }', { a: 1, b: [1] }, ['trailing-comma', 'trailing-comma']],
  ['{"a": 1, // the answer\n"b": 2}', { a: 1, b: 2 }, ['comment']],
  ['[1, /* two */ 2 /* end */]', [1, 2], ['comment', 'comment']],
  ['// leading comment\n{"a": 1} // trailing', { a: 1 }, ['comment', 'comment']],
  ["{'a': 'it\"s'}", { a: 'it"s' }, ['single-quoted-string', 'single-quoted-string']],
  ["['it\\'s']", ["it's"], ['single-quoted-string']],
  ['{a: 1, _b$2: 2}', { a: 1, _b$2: 2 }, ['unquoted-key', 'unquoted-key']],
  ['[True, False, None]', [true, false, null], ['python-literal', 'python-literal', 'python-literal']],
  ['[undefined, NaN, Infinity, -Infinity]', [null, 'NaN', 'Infinity', '-Infinity'], ['javascript-literal', 'javascript-literal', 'javascript-literal', 'javascript-literal']],
  ['True', true, ['python-literal']],
  ['{"a": "line 1\nline 2\ttab"}', { a: 'line 1\nline 2\ttab' }, ['control-character', 'control-character']],
  ['{"path": "C:\\Users\\xavier\\Documents"}', { path: 'C:\\Users\\xavier\\Documents' }, ['invalid-escape', 'invalid-escape', 'invalid-escape']],
  ['["\\a\\U0001\\u12G4"]', ['\\a\\U0001\\u12G4'], ['invalid-escape', 'invalid-escape', 'invalid-escape']],
  ['{"a": "no closing quote\n  "b": 1}', { a: 'no closing quote', b: 1 }, ['unterminated-string']],
  ['{"a": "x\r\n"b c" :1, "c": "two\nlines"}', { a: 'x', 'b c': 1, c: 'two\nlines' }, ['unterminated-string', 'control-character']],
  ['{"a": "line\n"}', { a: 'line\n' }, ['control-character']],
  ['{"a": "line\n"b"}', undefined, []],
  ['["x\n"b": 1]', undefined, []],
  ['{"a": "trunc', { a: 'trunc' }, ['truncated']],
  ['[1, 2, {"k": [tr', [1, 2, { k: [] }], ['truncated']],
  ['[1, 12', [1, 12], ['truncated']],
  ['[1, 1.', [1], ['truncated']],
  ['[-', [], ['truncated']],
  ['{"key', {}, ['truncated']],
  ['{"key": ', {}, ['truncated']],
  ['{"a": 1, b', { a: 1 }, ['truncated']],
  ['["\\u12', [''], ['truncated']],
  ['["a\\', ['a'], ['truncated']],
  ['[Tru', [], ['truncated']],
  ['[True', [true], ['python-literal', 'truncated']],
  ['```json\n{"a": [1, 2,', { a: [1, 2] }, ['code-fence', 'truncated']],
  ['', undefined, ['truncated']],
  ['Sorry, I cannot help with that.', undefined, ['leading-text', 'truncated']],
  ['<think>still thinking', undefined, ['reasoning-block', 'truncated']],
  ['the answer is [1]', [1], ['leading-text']],
  ['- item {"a": 1}', { a: 1 }, ['leading-text']],
  ['The value: {"a": 1}', { a: 1 }, ['leading-text']],
  ['Note: `x` <b> see {"a": 1}', { a: 1 }, ['leading-text']],
  ['Answer:\n``json\n[1]', [1], ['leading-text']],
];

describe('lenient repairs: examples', () => {
  it.each(REPAIRS)('%j', (text, value, codes) => {
    const got = parse(text);
    if (value === undefined && codes.length === 0) expect(got.error).toBeDefined(); // no repair covers it
    else expect(got).toEqual({ value, codes });
  });

  it.each(REPAIRS)('%j: the same tokens and warnings (code, position, line, column) for every chunking', (text) => {
    sameForEveryChunking(text, runs(0.2));
  });

  it('positions, lines and columns are those of the original text', () => {
    const text = 'Hi\n```json\n{\n  "a": [1,],\n  b: True // c\n}\n```\nBye';
    const { warnings } = tokenize([text]);
    const at = (w: ParseWarning) => [w.code, w.position, w.line, w.column, text.slice(w.position, w.position + 2)];
    expect(warnings.map(at)).toEqual([
      ['leading-text', 0, 1, 1, 'Hi'],
      ['code-fence', 3, 2, 1, '``'],
      ['trailing-comma', 22, 4, 10, ',]'],
      ['unquoted-key', 28, 5, 3, 'b:'],
      ['python-literal', 31, 5, 6, 'Tr'],
      ['comment', 36, 5, 11, '//'],
      ['code-fence', 43, 7, 1, '``'],
      ['trailing-text', 47, 8, 1, 'By'],
    ]);
  });

  it('a lone high surrogate kept at a truncation is part of the value', () => {
    expect(parse('["ab\\ud83d').value).toEqual(['ab\ud83d']);
  });

  it('each repair can be turned off: then strict mode\'s error', () => {
    expect(parse('[1,]', lenientMode({ 'trailing-comma': false })).error).toBe('unexpected-character@3');
    expect(parse('[True]', lenientMode({ 'python-literal': false })).error).toBe('unexpected-character@1');
    expect(parse('{"a": 1', lenientMode({ truncated: false })).error).toBe('unexpected-end@7');
    expect(parse('"C:\\Users"', lenientMode({ 'invalid-escape': false })).error).toBe('invalid-escape@4');
    expect(parse('x {"a": 1}', lenientMode({ 'leading-text': false })).error).toBe('unexpected-character@0');
    expect(parse('[1] x', lenientMode({ 'trailing-text': false })).error).toBe('unexpected-character@4');
    expect(parse('[1] x', lenientMode({ 'trailing-comma': false }))).toEqual({ value: [1], codes: ['trailing-text'] });
  });

  it('rejects an unknown repair name and a non-boolean, non-object option', () => {
    expect(() => createTokenizer(recorder().handler, { lenient: lenientMode({ 'no-such-repair': true } as never) })).toThrow(TypeError);
    expect(() => createTokenizer(recorder().handler, { lenient: 'yes' as never })).toThrow(TypeError);
  });
});

describe('lenient mode never corrupts what strict mode reads', () => {
  const NEVER_CORRUPT = [
    '{"path": "C:\\\\Users\\\\x\\\\new", "unc": "\\\\\\\\server\\\\share"}',
    '{"md": "```json\\n{\\"a\\": 1}\\n```", "think": "<think>not a block</think>"}',
    '{"code": "if (a) { b[\\"c\\"] = \'d\'; } // done /* x */", "braces": "}{][,:"}',
    '{"url": "https://example.com/a//b?c=1#d", "comment": "// not a comment"}',
    '[true, false, null, "True", "None", "NaN", -0, 1e-7, "\\u0000\\t"]',
    '  {"a": [ ] , "b": { } }  ',
    '"just a string"',
    '12',
  ];

  it.each(NEVER_CORRUPT)('%j is read exactly as strict mode reads it, with no warning', (text) => {
    const strict = tokenize([text], false);
    expect(strict.error).toBeUndefined();
    expect(tokenize([text])).toEqual(strict);
    expect(strict.warnings).toEqual([]);
    sameForEveryChunking(text, runs(0.2));
  });

  it('a bare Windows path in a damaged answer keeps every backslash', () => {
    expect(parse('```json\n{"path": "C:\\Users\\Xavier\\Documents\\data.csv"}\n```').value).toEqual({
      path: 'C:\\Users\\Xavier\\Documents\\data.csv',
    });
    // `\n`, `\t`, `\b`… are valid escapes: they stay escapes (as in JSON.parse and jsonrepair).
    expect(parse('["C:\\new"]').value).toEqual(['C:\new']);
  });

  it('fences, braces, quotes and // inside strings of a damaged answer come through unchanged', () => {
    const text = "Result:\n```json\n{'a': \"```\", b: '} // {', c: \"http://x.y//z\", d: '\"',}\n```";
    expect(parse(text)).toEqual({
      value: { a: '```', b: '} // {', c: 'http://x.y//z', d: '"' },
      codes: ['leading-text', 'code-fence', 'single-quoted-string', 'unquoted-key', 'single-quoted-string', 'unquoted-key', 'unquoted-key', 'single-quoted-string', 'trailing-comma', 'code-fence'],
    });
  });
});

describe('text that no repair covers is still an error, at the earliest bad character', () => {
  const ERRORS: [string, string][] = [
    ['{"a" 1}', 'unexpected-character@5'],
    ['[abc]', 'unexpected-character@1'],
    ['[Nope]', 'unexpected-character@3'],
    ['[Tru, 1]', 'unexpected-character@4'],
    ['{"a": }', 'unexpected-character@6'],
    ['[1,,2]', 'unexpected-character@3'],
    ['[1 2]', 'unexpected-character@3'],
    ['{"a": 1 "b": 2}', 'unexpected-character@8'],
    ['[-x]', 'unexpected-character@2'],
    ['{"a": 1}}', 'unexpected-character@8'.replace('@8', '@8')],
  ];
  it.each(ERRORS)('%j', (text, error) => {
    const got = parse(text);
    if (text === '{"a": 1}}') {
      // after the value: trailing text, not an error
      expect(got).toEqual({ value: { a: 1 }, codes: ['trailing-text'] });
      return;
    }
    expect(got.error).toBe(error);
    sameForEveryChunking(text, runs(0.2));
  });
});

describe('lenient mode on valid JSON is strict mode (properties)', () => {
  it('same tokens, no warning, for any JSON text and any chunking of text or bytes', () => {
    fc.assert(
      fc.property(
        jsonText({ nonAscii: true }).chain((text) => chunked(text)),
        (chunks) => {
          const strict = tokenize(chunks, false);
          expect(tokenize(chunks)).toEqual(strict);
          expect(strict.warnings).toEqual([]);
        },
      ),
      { numRuns: runs() },
    );
    fc.assert(
      fc.property(
        jsonText({ nonAscii: true })
          .filter((text) => findLoneSurrogate(text) === -1)
          .chain((text) => fc.tuple(fc.constant(text), utf8Chunks(text))),
        ([, chunks]) => {
          expect(tokenize(chunks)).toEqual(tokenize(chunks, false));
        },
      ),
      { numRuns: runs() },
    );
  });
});

describe('damaged JSON (properties)', () => {
  it('gives the undamaged value, one warning per damage in order, the same for every chunking', () => {
    fc.assert(
      fc.property(
        containers.chain((value) =>
          damagedValue(value, fc.nat()).chain((damaged) => fc.tuple(fc.constant(value), fc.constant(damaged), chunked(damaged.text))),
        ),
        ([value, { text, codes }, chunks]) => {
          const expected = JSON.parse(JSON.stringify(value)) as unknown;
          expect(parse(text)).toEqual({ value: expected, codes });
          expect(tokenize(chunks)).toEqual(tokenize([text]));
        },
      ),
      { numRuns: runs() },
    );
  });

  it('bytes: the same warnings as the text, for every chunking', () => {
    fc.assert(
      fc.property(
        containers.chain((value) => damagedValue(value, fc.nat())).filter(({ text }) => findLoneSurrogate(text) === -1).chain((d) => fc.tuple(fc.constant(d.text), utf8Chunks(d.text))),
        ([text, chunks]) => {
          expect(tokenize(chunks)).toEqual(tokenize([text]));
        },
      ),
      { numRuns: runs() },
    );
  });

  it('raw control characters and invalid escapes in strings: kept, one warning each', () => {
    const bad = fc.constantFrom('\n', '\t', '\r', '\u0001', '\\U', '\\x', '\\a', '\\ ', '\\z');
    const piece = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '😀') }), bad);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = `["${pieces.join('')}"]`;
        const codes = pieces.flatMap((p): ParseWarningCode[] =>
          p.length === 2 && p.startsWith('\\') ? ['invalid-escape'] : /^[\u0000-\u001f]$/.test(p) ? ['control-character'] : [],
        );
        expect(parse(text)).toEqual({ value: [pieces.join('')], codes });
        sameForEveryChunking(text, 5);
      }),
      { numRuns: runs(0.5) },
    );
  });

  it('truncation: any prefix of a (damaged) text gives a value and at most one truncated warning, for every chunking', () => {
    fc.assert(
      fc.property(
        containers.chain((value) => damagedValue(value, fc.nat())).chain((d) => fc.tuple(fc.constant(d.text), fc.nat(d.text.length))),
        ([text, cut]) => {
          const prefix = text.slice(0, cut);
          const got = parse(prefix);
          expect(got.error).toBeUndefined();
          expect(got.codes.filter((c) => c === 'truncated').length).toBeLessThanOrEqual(1);
          expect(tokenize([...prefix])).toEqual(tokenize([prefix]));
        },
      ),
      { numRuns: runs() },
    );
  });

  it('truncation of valid JSON: the strict snapshot of the prefix (a trailing number completed)', () => {
    fc.assert(
      fc.property(
        jsonText().chain((text) => fc.tuple(fc.constant(text), fc.nat(text.length))),
        ([text, cut]) => {
          const prefix = text.slice(0, cut);
          // A high surrogate at the cut: snapshots hold it back, the truncated value keeps it
          // (see the example above).
          fc.pre(!/\\u[dD][89abAB][0-9a-fA-F]{2}(\\(u[0-9a-fA-F]{0,3})?)?$/.test(prefix) && !/[\uD800-\uDBFF](\\(u[0-9a-fA-F]{0,3})?)?$/.test(prefix));
          const strict = createPartialParser({ maxDepth: Infinity });
          strict.write(prefix);
          const candidates = [strict.value];
          try {
            const spaced = createPartialParser({ maxDepth: Infinity });
            spaced.write(prefix + ' ');
            candidates.push(spaced.value);
          } catch {
            // not a number's end
          }
          let ends = true;
          try {
            const ended = createPartialParser({ maxDepth: Infinity });
            ended.write(prefix);
            ended.end();
          } catch {
            ends = false;
          }
          const got = parse(prefix);
          expect(candidates).toContainEqual(got.value);
          expect(got.codes).toEqual(ends ? [] : ['truncated']);
        },
      ),
      { numRuns: runs() },
    );
  });
});

describe('unterminated strings (properties)', () => {
  it('a string value whose closing quote and comma are missing before the next key line: the value, one warning each, every chunking', () => {
    const plain = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '{', ']', ':', ',', '😀') });
    const key = fc.string({ unit: fc.constantFrom('k', 'x', ' ', '-', 'é'), maxLength: 8 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, plain, fc.boolean()), { minLength: 2, maxLength: 6, selector: ([k]) => k }),
        fc.constantFrom('\n', '\r\n', '\n\n    '),
        ([...entries], newline) => {
          let text = '{';
          const codes: ParseWarningCode[] = [];
          entries.forEach(([k, v, cut], index) => {
            const last = index === entries.length - 1;
            text += `${index === 0 ? '' : newline}${JSON.stringify(k)}: "${v}`;
            if (cut && !last) codes.push('unterminated-string');
            else text += last ? '"' : '",';
          });
          text += '}';
          expect(parse(text)).toEqual({ value: Object.fromEntries(entries.map(([k, v]) => [k, v])), codes });
          sameForEveryChunking(text, 10);
        },
      ),
      { numRuns: runs(0.5) },
    );
  });
});

describe('lenient lookahead stays bounded (O(n) at any chunking)', () => {
  it('the text held back for a decision is never more than a line-end lookahead (~150 code units)', () => {
    const nasty = fc.constantFrom(
      '<think>' + '<'.repeat(50) + '</thin' + '</think>[1]',
      '[1, /*' + '*'.repeat(80) + '*/ 2]',
      '```' + 'j'.repeat(40) + '\n[1]',
      '{"a": "x\n' + ' '.repeat(70) + '"' + 'k'.repeat(70) + '": 1}',
      '{"a": "x\n  "' + 'k'.repeat(60) + '"' + ' '.repeat(10) + ': 1}',
    );
    fc.assert(
      fc.property(fc.oneof(nasty, containers.chain((value) => damagedValue(value, fc.nat())).map((d) => d.text)), (text) => {
        const tokenizer = createTokenizer(recorder().handler, { lenient: lenientMode() });
        let written = 0;
        try {
          for (const c of text) {
            tokenizer.write(c);
            written += c.length;
            expect(written - tokenizer.position).toBeLessThanOrEqual(150);
          }
          tokenizer.end();
        } catch (error) {
          if (!(error instanceof ParseError)) throw error;
          return; // (the 70-space case is no repair: a raw newline, then an error)
        }
        expect(tokenizer.position).toBe(text.length);
      }),
      { numRuns: runs(0.5) },
    );
  });
});

describe('lenient with multiple (concatenated values)', () => {
  it('prose and fences between values are skipped, one warning per run', () => {
    const { handler, tokens } = recorder();
    const codes: string[] = [];
    const tokenizer = createTokenizer(handler, { multiple: true, lenient: lenientMode(), onWarning: (w) => codes.push(w.code) });
    tokenizer.write('{"a": 1}\nthen: [True,]\n```json\n"s"');
    tokenizer.end();
    expect(tokens).toEqual(['{', ['key', 'a'], ['number', 1], '}', '[', ['literal', true], ']', ['string', 's']]);
    expect(codes).toEqual(['leading-text', 'python-literal', 'trailing-comma', 'code-fence']);
  });
});
