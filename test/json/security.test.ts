import { describe, expect, it } from 'vitest';
import { createPartialParser, ParseError } from '../../src/index.js';

function parse(chunks: readonly (string | Uint8Array)[], options: Parameters<typeof createPartialParser>[0] = {}): unknown {
  const parser = createPartialParser(options);
  for (const chunk of chunks) parser.write(chunk);
  return parser.end();
}

describe('__proto__ keys', () => {
  const texts = [
    '{"__proto__": {"polluted": 1}}',
    '[{"a": {"__proto__": {"polluted": 1}}}]',
    '{"x": [1, {"__proto__": {"polluted": 1}, "b": 2}]}',
  ];
  for (const text of texts) {
    for (const [name, options] of [
      ['fast path', {}],
      ['built in JS', { onComplete: () => {} }],
      ['with deltas', { onDelta: () => {} }],
    ] as const) {
      it(`${text} (${name}, 1-char chunks and whole) leaves Object.prototype alone`, () => {
        for (const chunks of [[...text], [text]]) {
          const value = parse(chunks, options);
          expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
          expect(value).toEqual(JSON.parse(text));
          const parser = createPartialParser(options);
          for (const chunk of chunks) {
            parser.write(chunk);
            void parser.value; // snapshots copy objects: they must keep __proto__ an own property too
          }
          const snapshotted = parser.end();
          expect(JSON.stringify(snapshotted)).toBe(JSON.stringify(JSON.parse(text)));
        }
        const found: object[] = [];
        const walk = (v: unknown): void => {
          if (typeof v !== 'object' || v === null) return;
          if (Object.prototype.hasOwnProperty.call(v, '__proto__')) found.push(v);
          for (const child of Object.values(v)) walk(child);
        };
        walk(parse([text], { onComplete: () => {} }));
        expect(found).toHaveLength(1);
        expect(Object.getPrototypeOf(found[0])).toBe(Object.prototype);
      });
    }
  }
});

describe('deep nesting without recursion', () => {
  const depth = 1_000_000;
  const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('parses 10^6 nested arrays in one chunk (fast path)', () => {
    let value = parse([text], { maxDepth: Infinity }) as unknown[];
    let levels = 1;
    while (value.length === 1) {
      value = value[0] as unknown[];
      levels++;
    }
    expect(levels).toBe(depth);
  });

  it('parses 10^6 nested arrays in one chunk, built in JS', () => {
    // A string limit turns the JSON.parse fast path off, so the tokenizer and builder do it all.
    // (onComplete would too, but it hands out each value's full path: O(depth) per call.)
    let value = parse([text], { maxStringLength: 1e9, maxDepth: Infinity }) as unknown[];
    let levels = 1;
    while (value.length === 1) {
      value = value[0] as unknown[];
      levels++;
    }
    expect(levels).toBe(depth);
  });

  it('parses 10^6 opening brackets in 64 KB chunks and fails at end()', () => {
    const parser = createPartialParser({ maxDepth: Infinity });
    const open = '['.repeat(depth);
    for (let i = 0; i < open.length; i += 65536) parser.write(open.slice(i, i + 65536));
    expect(() => parser.end()).toThrow(ParseError);
  });

  it('the default limit is 128: the 129th bracket fails, in every mode, with the value before it kept', () => {
    for (const options of [{}, { onDelta: () => {} }, { onComplete: () => {} }, { maxStringLength: 1e9 }]) {
      const ok = createPartialParser(options);
      ok.write(`${'['.repeat(128)}${']'.repeat(128)}`);
      expect(ok.end()).toBeDefined();
      const deep = createPartialParser(options);
      let error: unknown;
      try {
        deep.write(`${'['.repeat(129)}${']'.repeat(129)}`);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ParseError);
      expect([(error as ParseError).code, (error as ParseError).position]).toEqual(['max-depth-exceeded', 128]);
      let levels = 0;
      for (let v = deep.value; Array.isArray(v); v = v[0]) levels++;
      expect(levels).toBe(128);
    }
  });

  it('fails cleanly with max-depth-exceeded at the first bracket too deep', () => {
    for (const options of [{ maxDepth: 1000 }, { maxDepth: 1000, maxStringLength: 1e9 }]) {
      const parser = createPartialParser(options);
      let error: unknown;
      try {
        parser.write(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).code).toBe('max-depth-exceeded');
      expect((error as ParseError).position).toBe(1000);
    }
  });
});

describe('large strings', () => {
  it('parses a 50 MB string value in one chunk and in 64 KB chunks', () => {
    const body = 'abcdefghij'.repeat(5_000_000);
    const text = `{"s":"${body}"}`;
    expect((parse([text]) as { s: string }).s.length).toBe(body.length);
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 65536) chunks.push(text.slice(i, i + 65536));
    expect((parse(chunks) as { s: string }).s === body).toBe(true);
  });

  it('enforces maxStringLength at the first code unit over the limit', () => {
    const parser = createPartialParser({ maxStringLength: 5 });
    let error: unknown;
    try {
      parser.write('["abcdefgh"]');
    } catch (e) {
      error = e;
    }
    expect((error as ParseError).code).toBe('max-string-length-exceeded');
    expect((error as ParseError).position).toBe(7);
  });
});
