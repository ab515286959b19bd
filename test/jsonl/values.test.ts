import { describe, expect, it } from 'vitest';
import { createJsonlParser } from '../../src/jsonl/index.js';
import { ndjson } from '../fixtures/documents.js';
import { loadRecordedFixture, recordedAvailable, recordedSkipMessage } from '../fixtures/recorded.js';
import { pieces, run, summary, utf8, values } from './helpers.js';

describe('createJsonlParser, concatenated mode', () => {
  const mode = 'concatenated' as const;

  it('reads values separated by whitespace or nothing, with their lines and positions', () => {
    const text = '{"a":1}{"b":2} [3]\n4 "x""y"truefalse null\r\n-1.5e3 0-2\n{\n  "c": [\n    1\n  ]\n}';
    const expected = [
      '#0 line 1 @0: {"a":1}',
      '#1 line 1 @7: {"b":2}',
      '#2 line 1 @15: [3]',
      '#3 line 2 @19: 4',
      '#4 line 2 @21: "x"',
      '#5 line 2 @24: "y"',
      '#6 line 2 @27: true',
      '#7 line 2 @31: false',
      '#8 line 2 @37: null',
      '#9 line 3 @43: -1500',
      '#10 line 3 @50: 0',
      '#11 line 3 @51: -2',
      '#12 line 4 @54: {"c":[1]}',
    ];
    for (const size of [1, 2, 5, text.length]) {
      expect(summary(run(pieces(text, size), { mode }))).toEqual(expected);
    }
    for (const size of [1, 3]) {
      expect(values(run(pieces(utf8(text), size), { mode }))).toEqual(values(run([text], { mode })));
    }
  });

  it('completes a trailing number at end(), not before', () => {
    const seen: unknown[] = [];
    const parser = createJsonlParser({ mode, onValue: (v) => seen.push(v) });
    parser.write('1 2');
    expect(seen).toEqual([1]);
    parser.write('3');
    expect(seen).toEqual([1]);
    parser.end();
    expect(seen).toEqual([1, 23]);
  });

  it('reports bad records with their positions and reads on', () => {
    const text = '{"a":1} 01 ] {"a" 1}\n{"b":2} tx [4] "\\x" 1. [5]\n{"c":';
    expect(summary(run(pieces(text, 3), { mode }))).toEqual([
      '#0 line 1 @0: {"a":1}',
      '#1 line 1 @8: unexpected-character at 9 (1:10) +1',
      '#2 line 1 @11: unexpected-character at 11 (1:12) +0',
      '#3 line 1 @13: unexpected-character at 18 (1:19) +5',
      '#4 line 2 @21: {"b":2}',
      '#5 line 2 @29: unexpected-character at 30 (2:10) +1',
      '#6 line 2 @32: [4]',
      '#7 line 2 @36: invalid-escape at 38 (2:18) +2',
      '#8 line 2 @41: unexpected-character at 43 (2:23) +2',
      '#9 line 2 @44: [5]',
      '#10 line 3 @48: unexpected-end at 53 (3:6) +5',
    ]);
  });

  it('charges invalid UTF-8 to the record it falls in, counting it as one U+FFFD per bad sequence', () => {
    const bytes = new Uint8Array([...utf8('["a'), 0xff, ...utf8('"] 1 '), 0xc0, 0x80, ...utf8(' "é" 2')]);
    for (const size of [1, 2, bytes.length]) {
      expect(summary(run(pieces(bytes, size), { mode }))).toEqual([
        '#0 line 1 @0/0b: invalid-utf8 at 3 (1:4) +3',
        '#1 line 1 @7/7b: 1',
        '#2 line 1 @9/9b: invalid-utf8 at 9 (1:10) +0',
        '#3 line 1 @12/12b: "é"',
        '#4 line 1 @16/17b: 2',
      ]);
    }
  });

  it('limits the length of a record without keeping its text', () => {
    const text = `[1] "${'x'.repeat(40)}" {"a":\n[2,3,4,5,6]} [2]`;
    for (const size of [1, 7, text.length]) {
      expect(summary(run(pieces(text, size), { mode, maxLineLength: 10 }))).toEqual([
        '#0 line 1 @0: [1]',
        '#1 line 1 @4: max-line-length-exceeded at 14 (1:15) +10',
        '#2 line 1 @47: max-line-length-exceeded at 57 (2:5) +10',
        '#3 line 2 @66: [2]',
      ]);
    }
  });

  it('gives partial values of the record in progress', () => {
    const events = run(['{"a":"x', 'y","b":[1', ']} [', '2]'], { mode, partials: true });
    expect(events.map((e) => [e.type, e.info.index, e.type === 'error' ? e.error.code : e.value])).toEqual([
      ['partial', 0, { a: 'x' }],
      ['partial', 0, { a: 'xy', b: [] }],
      ['value', 0, { a: 'xy', b: [1] }],
      ['partial', 1, []],
      ['value', 1, [2]],
    ]);
  });
});

describe('createJsonlParser, array mode', () => {
  const mode = 'array' as const;

  it('delivers each element of the top-level array as soon as it completes', () => {
    const seen: unknown[] = [];
    const parser = createJsonlParser({ mode, onValue: (v) => seen.push(v) });
    parser.write(' [{"a":1}');
    expect(seen).toEqual([{ a: 1 }]);
    parser.write('\n,\r\n{"b":');
    expect(seen).toEqual([{ a: 1 }]);
    parser.write('[2]}, 3');
    expect(seen).toEqual([{ a: 1 }, { b: [2] }]);
    parser.write(' , "s"]\n');
    expect(seen).toEqual([{ a: 1 }, { b: [2] }, 3, 's']);
    parser.end();
  });

  it('gives element lines and positions, for text and bytes', () => {
    const text = '[{"a":"é"}\n,\r\n{"b":2},\n3]';
    const expected = ['#0 line 1 @1: {"a":"é"}', '#1 line 3 @14: {"b":2}', '#2 line 4 @23: 3'];
    for (const size of [1, 4, text.length]) expect(summary(run(pieces(text, size), { mode }))).toEqual(expected);
    expect(summary(run(pieces(utf8(text), 1), { mode }))).toEqual([
      '#0 line 1 @1/1b: {"a":"é"}',
      '#1 line 3 @14/15b: {"b":2}',
      '#2 line 4 @23/24b: 3',
    ]);
  });

  it('reports bad elements and broken punctuation, and reads on', () => {
    const text = '[1,,2 x, {"a" 1}, [3, 4], tru, 5,]';
    expect(summary(run(pieces(text, 2), { mode }))).toEqual([
      '#0 line 1 @1: 1',
      '#1 line 1 @3: unexpected-character at 3 (1:4) +0',
      '#2 line 1 @4: 2',
      '#3 line 1 @6: unexpected-character at 6 (1:7) +0',
      '#4 line 1 @9: unexpected-character at 14 (1:15) +5',
      '#5 line 1 @18: [3,4]',
      '#6 line 1 @26: unexpected-character at 29 (1:30) +3',
      '#7 line 1 @31: 5',
      '#8 line 1 @33: unexpected-character at 33 (1:34) +0',
    ]);
  });

  it('reports what is not one array: no array, text after it, an array cut short', () => {
    expect(summary(run(['[] []'], { mode }))).toEqual(['#0 line 1 @3: unexpected-character at 3 (1:4) +0']);
    expect(summary(run(['{"a":1}'], { mode }))).toEqual(['#0 line 1 @0: unexpected-character at 0 (1:1) +0']);
    // Whatever the first character begins (a number, a literal, cut or not), it is not `[`: the
    // error is there, from the write that brings it, never an `unexpected-end` at the end.
    for (const text of ['0', '-', 't', 'tr', 'nul', '1.5e', '"x"']) {
      expect(summary(run([text], { mode }))).toEqual(['#0 line 1 @0: unexpected-character at 0 (1:1) +0']);
    }
    expect(summary(run([' 1', '2'], { mode }))).toEqual(['#0 line 1 @1: unexpected-character at 1 (1:2) +0']);
    expect(summary(run(['  \n', ' -'], { mode }))).toEqual(['#0 line 2 @4: unexpected-character at 4 (2:2) +0']);
    expect(summary(run([utf8(' t')], { mode }))).toEqual(['#0 line 1 @1/1b: unexpected-character at 1 (1:2) +0']);
    expect(summary(run(['  '], { mode }))).toEqual(['#0 line 1 @2: unexpected-end at 2 (1:3) +0']);
    expect(summary(run(['[1, 2'], { mode }))).toEqual(['#0 line 1 @1: 1', '#1 line 1 @4: 2', '#2 line 1 @5: unexpected-end at 5 (1:6) +0']);
    expect(summary(run(['[1, {"a":'], { mode }))).toEqual(['#0 line 1 @1: 1', '#1 line 1 @4: unexpected-end at 9 (1:10) +5']);
    expect(values(run([' [ ] \n'], { mode }))).toEqual([]);
    expect(() => {
      const parser = createJsonlParser({ mode });
      parser.write('[1, 2');
      parser.end();
    }).toThrowError(expect.objectContaining({ code: 'unexpected-end' }));
  });

  it('gives partial values of the element in progress', () => {
    const events = run(['[{"a":[1,', '2]}, {"b"', ':"x', '"}]'], { mode, partials: true });
    expect(events.map((e) => [e.type, e.info.index, e.type === 'error' ? e.error.code : e.value])).toEqual([
      ['partial', 0, { a: [1] }],
      ['value', 0, { a: [1, 2] }],
      ['partial', 1, {}],
      ['partial', 1, { b: 'x' }],
      ['value', 1, { b: 'x' }],
    ]);
  });

  if (!recordedAvailable) console.warn(recordedSkipMessage);
  describe.skipIf(!recordedAvailable)('Gemini streamGenerateContent body (recorded)', () => {
    it('comes out as its records, whatever the chunking, from text or gzip-decoded bytes', () => {
      // The cassette body is gzip + base64 in YAML; the loader decodes it.
      const fixture = loadRecordedFixture('google/test_prompt_with_pydantic_schema.yaml');
      const stream = fixture.streams[0]!;
      expect(stream.bodyFormat).toBe('json-array');
      expect(stream.body).toContain('}\n,\r\n{');
      const expected = JSON.parse(stream.body) as unknown[];
      expect(expected.length).toBeGreaterThan(1);
      const bytes = utf8(stream.body);
      for (const size of [1, 7, 64, 1000, stream.body.length]) {
        const fromText = run(pieces(stream.body, size), { mode });
        expect(fromText.every((e) => e.type === 'value')).toBe(true);
        expect(values(fromText)).toEqual(expected);
        expect(values(run(pieces(bytes, size), { mode }))).toEqual(expected);
      }
      // Each record starts where its `{` is.
      for (const event of run([stream.body], { mode })) expect(stream.body[event.info.position]).toBe('{');
    });
  });
});

describe('createJsonlParser on large inputs (decoded in pieces)', () => {
  const text = ndjson(300 * 1024, 7);
  const lines = text.split('\n').filter((line) => line !== '');
  const expected = lines.map((line) => JSON.parse(line) as unknown);
  const inputs = {
    lines: text,
    concatenated: text,
    array: `[${lines.join(',\r\n')}]`,
  } as const;
  for (const mode of ['lines', 'concatenated', 'array'] as const) {
    it(`${mode}: every record, from text or bytes in chunks of any size, with exact byte offsets`, () => {
      const input = inputs[mode];
      const bytes = utf8(input);
      for (const size of [64 * 1024, 65_537, 999]) {
        const fromBytes = run(pieces(bytes, size), { mode });
        expect(values(fromBytes)).toEqual(expected);
        let at = 0;
        let byteAt = 0;
        for (const event of fromBytes) {
          byteAt += utf8(input.slice(at, event.info.position)).length;
          at = event.info.position;
          expect(event.info.byteOffset).toBe(byteAt);
        }
        expect(values(run(pieces(input, size), { mode }))).toEqual(expected);
      }
    });
  }
});
