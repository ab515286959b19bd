import { describe, expect, it } from 'vitest';
import { createPartialParser } from '../../src/index.js';

describe('createPartialParser state: path, complete, done, position', () => {
  it('path names the value being written, for typing indicators', () => {
    const parser = createPartialParser();
    expect(parser.path).toBeUndefined();
    parser.write('{"items": [{"name": "Ba');
    expect(parser.path).toEqual(['items', 0, 'name']);
    parser.write('sil"');
    expect(parser.path).toEqual(['items', 0]);
    parser.write('}, "tx');
    expect(parser.path).toEqual(['items', 1]);
    parser.write('t" ');
    expect(parser.path).toEqual(['items']);
    parser.write('], "note": "');
    expect(parser.path).toEqual(['note']);
    parser.write('ok"}');
    expect(parser.path).toBeUndefined();
  });

  it('a top-level string or number in progress has the root path', () => {
    const parser = createPartialParser();
    parser.write('"ab');
    expect(parser.path).toEqual([]);
    const numbers = createPartialParser();
    numbers.write('12');
    expect(numbers.path).toEqual([]);
    expect(numbers.complete).toBe(false); // 12 may still become 123
    expect(numbers.end()).toBe(12);
    expect(numbers.done).toBe(true);
  });

  it('complete, done and position follow the text', () => {
    const parser = createPartialParser();
    parser.write('[1, 2');
    expect(parser.complete).toBe(false);
    expect(parser.position).toBe(5);
    parser.write(']  ');
    expect(parser.complete).toBe(true);
    expect(parser.done).toBe(false);
    expect(parser.end()).toEqual([1, 2]);
    expect(parser.done).toBe(true);
    expect(parser.path).toBeUndefined();
  });

  it('byte input: position counts UTF-16 code units of the decoded text', () => {
    const parser = createPartialParser();
    const bytes = new TextEncoder().encode('["é😀"]');
    parser.write(bytes.slice(0, 4)); // `["` and the two bytes of é
    expect(parser.value).toEqual(['é']);
    parser.write(bytes.slice(4));
    expect(parser.position).toBe('["é😀"]'.length);
    expect(parser.end()).toEqual(['é😀']);
  });
});

describe('misuse is a TypeError that says what to do', () => {
  it('a chunk that is neither text nor bytes, write after end, end twice', () => {
    const parser = createPartialParser();
    expect(() => parser.write(42 as unknown as string)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: write() takes a string or a Uint8Array, got number; decode or stringify the chunk first]`,
    );
    const ended = createPartialParser();
    ended.write('[]');
    ended.end();
    expect(() => ended.write('[]')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: write() called after end(); create a new parser for the next JSON text]`,
    );
    expect(() => ended.end()).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: end() called twice; create a new parser for the next JSON text]`,
    );
  });

  it('a JSON Schema (or anything but a schema) as schema, and bad limits, fail when the parser is made', () => {
    for (const schema of [{ type: 'object', properties: {} }, 'z.object()', null, { '~standard': {} }]) {
      expect(() => createPartialParser({ schema: schema as never })).toThrow(/schema is not a schema .*z\.fromJSONSchema/);
    }
    for (const maxDepth of [-1, Number.NaN]) expect(() => createPartialParser({ maxDepth })).toThrow(RangeError);
    expect(() => createPartialParser({ maxStringLength: -5 })).toThrow(/maxStringLength must be >= 0/);
    // Standard Schema objects and callable ones (as some validation libraries make them) are schemas.
    const standard = { '~standard': { version: 1 as const, vendor: 'x', validate: (value: unknown) => ({ value }) } };
    for (const schema of [standard, Object.assign(() => true, standard)]) {
      const parser = createPartialParser({ schema });
      parser.write('[1]');
      expect(parser.end()).toEqual([1]);
    }
  });
});

describe('error positions', () => {
  it('invalid UTF-8 fails after the valid text, which stays parsed', () => {
    const parser = createPartialParser();
    const bytes = new Uint8Array([...new TextEncoder().encode('[1, "é",'), 0xff, 0x5d]);
    let error: unknown;
    try {
      parser.write(bytes.slice(0, 7)); // cut inside é
      parser.write(bytes.slice(7));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'ParseError', code: 'invalid-utf8', position: 8, line: 1, column: 9 });
    expect(parser.value).toEqual([1, 'é']);
  });

  it('line and column count lines of pretty-printed text (UTF-16 code units, 1-based)', () => {
    const parser = createPartialParser();
    expect(() => parser.write('{\n  "a": 1,\r\n  "b" 2\n}')).toThrowErrorMatchingInlineSnapshot(
      `[ParseError: Unexpected "2" in JSON at position 19 (line 3 column 7)]`,
    );
    expect(parser.value).toEqual({ a: 1 });
  });
});
