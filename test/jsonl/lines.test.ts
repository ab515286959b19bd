import { describe, expect, it } from 'vitest';
import { createJsonlParser } from '../../src/jsonl/index.js';
import { ParseError } from '../../src/json/errors.js';
import { pieces, run, summary, utf8, values } from './helpers.js';

describe('createJsonlParser, lines mode', () => {
  it('reads LF and CRLF lines, skips blank and whitespace-only lines, delivers a last line without newline at end()', () => {
    const text = '{"a":1}\n\n  \t \r\n[1,2]\r\n"x"\n \r\n3';
    const expected = ['#0 line 1 @0: {"a":1}', '#1 line 4 @15: [1,2]', '#2 line 5 @22: "x"', '#3 line 7 @29: 3'];
    for (const size of [1, 2, 3, 7, text.length]) {
      expect(summary(run(pieces(text, size)))).toEqual(expected);
    }
    // The last record comes at end(), not before.
    const seen: unknown[] = [];
    const parser = createJsonlParser({ onValue: (v) => seen.push(v) });
    parser.write('1\n2');
    expect(seen).toEqual([1]);
    parser.end();
    expect(seen).toEqual([1, 2]);
  });

  it('reports a bad line with its position in the line and in the stream, and loses no neighbour', () => {
    const events = run(pieces('{"a":1}\n{"b": tru}\r\n[3]\n{"c":\n', 5));
    expect(summary(events)).toEqual([
      '#0 line 1 @0: {"a":1}',
      '#1 line 2 @8: unexpected-character at 17 (2:10) +9',
      '#2 line 3 @20: [3]',
      '#3 line 4 @24: unexpected-end at 29 (4:6) +5',
    ]);
    const bad = events[1];
    expect(bad?.type).toBe('error');
    if (bad?.type !== 'error') return;
    expect(bad.error).toBeInstanceOf(ParseError);
    expect(bad.error).toBeInstanceOf(SyntaxError);
    expect(bad.error.message).toMatchInlineSnapshot(`"Unexpected "}" in JSON at position 17 (line 2 column 10)"`);
    expect(bad.info.text).toBe('{"b": tru}');
  });

  it('throws the first bad record when onError is absent, after the good records before it', () => {
    const seen: unknown[] = [];
    const parser = createJsonlParser({ onValue: (v) => seen.push(v) });
    expect(() => parser.write('1\n2\n{x}\n4\n')).toThrowError(ParseError);
    expect(seen).toEqual([1, 2]);
    expect(() => parser.write('5\n')).toThrowError(/called after the parser threw; create a new parser/);
    expect(() => parser.end()).toThrowError(TypeError);

    const atEnd = createJsonlParser();
    atEnd.write('{"a":');
    expect(() => atEnd.end()).toThrowError(expect.objectContaining({ code: 'unexpected-end', position: 5 }));
  });

  it('skips a byte order mark at the start only, in text or bytes split between chunks', () => {
    expect(summary(run(['\ufeff{"a":1}\n2']))).toEqual(['#0 line 1 @1: {"a":1}', '#1 line 2 @9: 2']);
    const bytes = utf8('\ufeff{"a":1}\n2');
    for (const size of [1, 2, 4]) {
      expect(summary(run(pieces(bytes, size)))).toEqual(['#0 line 1 @1/3b: {"a":1}', '#1 line 2 @9/11b: 2']);
    }
    // Elsewhere U+FEFF is not whitespace, as for JSON.parse.
    expect(summary(run(['1\n\ufeff2\n']))).toEqual(['#0 line 1 @0: 1', '#1 line 2 @2: unexpected-character at 2 (2:1) +0']);
    // Bytes that only start like a BOM.
    expect(summary(run([new Uint8Array([0xef]), new Uint8Array([0xbb])]))).toEqual([
      '#0 line 1 @0/0b: invalid-utf8 at 0 (1:1) +0',
    ]);
    expect(values(run([new Uint8Array([0x31]), new Uint8Array([0x0a, 0x32])]))).toEqual([1, 2]);
  });

  it('decodes UTF-8 split anywhere and reports byte offsets beside code-unit offsets', () => {
    const text = '{"é":"😀"}\n["日本"]\r\n"x"';
    const bytes = utf8(text);
    const expected = ['#0 line 1 @0/0b: {"é":"😀"}', '#1 line 2 @11/14b: ["日本"]', '#2 line 3 @19/26b: "x"'];
    for (const size of [1, 2, 3, 5, bytes.length]) {
      expect(summary(run(pieces(bytes, size)))).toEqual(expected);
    }
    // Text input has no byte offsets.
    expect(run([text]).every((e) => e.info.byteOffset === undefined)).toBe(true);
  });

  it('makes invalid UTF-8 the error of its line, not of the stream', () => {
    const bytes = new Uint8Array([...utf8('1\n["a'), 0xff, 0xfe, ...utf8('b"]\n"é"\n'), 0xe2, 0x82, ...utf8('\n2')]);
    for (const size of [1, 3, bytes.length]) {
      const events = run(pieces(bytes, size));
      expect(summary(events)).toEqual([
        '#0 line 1 @0/0b: 1',
        '#1 line 2 @2/2b: invalid-utf8 at 5 (2:4) +3',
        '#2 line 3 @11/11b: "é"',
        '#3 line 4 @15/16b: invalid-utf8 at 15 (4:1) +0',
        '#4 line 5 @17/19b: 2',
      ]);
      const bad = events[1];
      expect(bad?.type === 'error' && bad.info.text).toBe('["a\ufffd\ufffdb"]');
    }
    // A syntax error before the bad bytes comes first.
    expect(summary(run([new Uint8Array([...utf8('[x'), 0xff, 0x0a])]))).toEqual(['#0 line 1 @0/0b: unexpected-character at 1 (1:2) +1']);
    // A character cut off by the end of the stream.
    expect(summary(run([new Uint8Array([0x31, 0x0a, 0x22, 0xf0, 0x9f])]))).toEqual([
      '#0 line 1 @0/0b: 1',
      '#1 line 2 @2/2b: invalid-utf8 at 3 (2:2) +1',
    ]);
  });

  it('accepts text and bytes in one stream', () => {
    const events = run(['{"a":', utf8('"é"}\n[1'), ',2]\n', utf8('3')]);
    // Byte offsets only while every chunk was bytes.
    expect(summary(events)).toEqual(['#0 line 1 @0: {"a":"é"}', '#1 line 2 @10: [1,2]', '#2 line 3 @16: 3']);
  });

  describe('maxLineLength', () => {
    it('reports a too-long line once, at its first code unit past the limit, and goes on', () => {
      const text = '{"a":"0123456789"}\n[1]\n{"b":"' + 'x'.repeat(50) + '"}\r\n"ok"\n';
      for (const size of [1, 4, 16, text.length]) {
        const events = run(pieces(text, size), { maxLineLength: 10 });
        expect(summary(events)).toEqual([
          '#0 line 1 @0: max-line-length-exceeded at 10 (1:11) +10',
          '#1 line 2 @19: [1]',
          '#2 line 3 @23: max-line-length-exceeded at 33 (3:11) +10',
          '#3 line 4 @83: "ok"',
        ]);
        const bad = events[0];
        expect(bad?.type === 'error' && bad.info.text).toBe(undefined);
      }
      const message = run(['[1,2,3,4,5,6]'], { maxLineLength: 4 })[0];
      expect(message?.type === 'error' && message.error.message).toMatchInlineSnapshot(
        `"Maximum line length of 4 exceeded in JSON at position 4 (line 1 column 5)"`,
      );
    });

    it('does not count the line ending, and reports a too-long line as soon as the limit is passed', () => {
      expect(values(run(pieces('[1,2]\r\n[3,4]\n[5,6]', 1), { maxLineLength: 5 }))).toEqual([[1, 2], [3, 4], [5, 6]]);
      const errors: number[] = [];
      const parser = createJsonlParser({ maxLineLength: 8, onError: (e) => errors.push(e.position) });
      parser.write('"abcdef');
      expect(errors).toEqual([]);
      parser.write('gh');
      expect(errors).toEqual([8]);
      parser.write('x'.repeat(1000));
      parser.write('"\n1\n');
      parser.end();
      expect(errors).toEqual([8]);
      expect(parser.records).toBe(2);
    });

    it('counts bytes for byte input', () => {
      const bytes = utf8('["éé"]\n["ééé"]\n1');
      // ["éé"] is 8 bytes, ["ééé"] 10.
      for (const size of [1, 3, bytes.length]) {
        expect(summary(run(pieces(bytes, size), { maxLineLength: 8 }))).toEqual([
          '#0 line 1 @0/0b: ["éé"]',
          '#1 line 2 @7/9b: max-line-length-exceeded at 12 (2:6) +5',
          '#2 line 3 @15/20b: 1',
        ]);
      }
    });
  });

  describe('onPartial', () => {
    it('gives partial values of the line in progress, and none for lines complete within a write', () => {
      const events = run(['{"a":1}\n{"b":[1', '0,', '2', '0]}\n{"c":"x', 'y"}'], { partials: true });
      expect(events.map((e) => [e.type, e.info.index, e.type === 'error' ? e.error.code : e.value])).toEqual([
        ['value', 0, { a: 1 }],
        ['partial', 1, { b: [] }],
        ['partial', 1, { b: [10] }],
        ['value', 1, { b: [10, 20] }],
        ['partial', 2, { c: 'x' }],
        ['partial', 2, { c: 'xy' }], // still in progress: no line ending until end()
        ['value', 2, { c: 'xy' }],
      ]);
    });

    it('works on bytes, and stops for a line that turns bad (reported when it ends)', () => {
      const events = run([utf8('["é'), new Uint8Array([0xc3]), new Uint8Array([0xa9, 0x22]), utf8(', tx'), utf8('"]\n1')], {
        partials: true,
      });
      expect(events.map((e) => [e.type, e.type === 'error' ? e.error.code : e.value])).toEqual([
        ['partial', ['é']],
        ['partial', ['éé']],
        ['error', 'unexpected-character'],
        ['value', 1],
      ]);
    });
  });

  it('refuses misuse with TypeErrors that say what to do', () => {
    const parser = createJsonlParser();
    expect(() => parser.write(42 as unknown as string)).toThrowError(/takes a string or a Uint8Array, got number/);
    parser.end();
    expect(() => parser.write('1')).toThrowError(/after end\(\); create a new parser/);
    expect(() => createJsonlParser({ mode: 'csv' as 'lines' })).toThrowError(TypeError);
    expect(() => createJsonlParser({ maxLineLength: 0 })).toThrowError(RangeError);
    expect(() => createJsonlParser({ maxLineLength: 1.5 })).toThrowError(RangeError);
  });

  it('counts records and errors', () => {
    const parser = createJsonlParser({ onError: () => {} });
    parser.write('1\nx\n2\n');
    parser.end();
    expect([parser.records, parser.errors]).toEqual([3, 1]);
  });
});

describe('createJsonlParser recordInfo', () => {
  it('passes the info object unless recordInfo is false, whatever the callback declares', () => {
    const seen: unknown[][] = [];
    const full = createJsonlParser({ onValue: (...args: unknown[]) => seen.push(args) });
    full.write('1\n2');
    full.end();
    expect(seen).toEqual([
      [1, { index: 0, line: 1, position: 0, byteOffset: undefined }],
      [2, { index: 1, line: 2, position: 2, byteOffset: undefined }],
    ]);
    seen.length = 0;
    // A one-parameter callback gets the info too: arity decides nothing (issue 13 item 5).
    let infoSeen: unknown = 'unset';
    const one = createJsonlParser({
      onValue: function (this: unknown, value: unknown) {
        infoSeen = arguments[1];
        seen.push([value]);
      },
    });
    one.write('1\n');
    one.end();
    expect(infoSeen).toEqual({ index: 0, line: 1, position: 0, byteOffset: undefined });
    for (const mode of ['lines', 'concatenated', 'array'] as const) {
      const args: unknown[][] = [];
      const lean = createJsonlParser({ mode, recordInfo: false, onValue: (...values: unknown[]) => args.push(values) });
      lean.write(mode === 'array' ? '[1, 2]' : '1\n2');
      lean.end();
      expect(args).toEqual([[1], [2]]);
    }
    expect(() => createJsonlParser({ recordInfo: 'no' as unknown as boolean })).toThrowError(TypeError);
  });

  it('a schema (which plain JavaScript may pass as to the other parsers) is refused, not ignored', async () => {
    const { z } = await import('zod');
    const { parseJsonl } = await import('../../src/index.js');
    const options = { schema: z.object({ a: z.string() }) } as never;
    expect(() => createJsonlParser(options)).toThrowError(/takes no schema option: validate each record yourself/);
    const source = (async function* () {
      yield '{"a":1}\n';
    })();
    expect(() => parseJsonl(source, options)).toThrowError(/takes no schema/);
  });
});
