/**
 * `pointers()`: the `select` / `text` plug-in (issue 13: an app that never selects bundles no
 * matching code). The plug-in contract: what `pointers()` checks, what every API that takes the
 * options refuses (at creation, not at the first value), and that one plug-in serves many parsers.
 * Selection itself is pinned by select.prop.test.ts and text.prop.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { createPartialParser, createPartialStore, parseStream, pointers, type PartialParserOptions } from '../../src/index.js';
import { createToolCallAssembler } from '../../src/tool-calls/index.js';

/** Something that is not a plug-in, as earlier versions and plain mistakes pass it. */
const wrong: unknown[] = [['/items/*'], '/items/*', { patterns: ['/items/*'] }, null, true, 1];

async function* never(): AsyncGenerator<string> {
  // The helpers must refuse before reading: this source fails the test if it is read.
  throw new Error('the source was read');
}

describe('pointers()', () => {
  it('keeps the patterns as given, frozen', () => {
    const p = pointers('/items/*', '', '/a~1b/~0');
    expect(p.patterns).toEqual(['/items/*', '', '/a~1b/~0']);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.patterns)).toBe(true);
    expect(Object.keys(p)).toEqual(['patterns']); // the watch factory is under a symbol
  });

  it('checks each pattern and the count when called, where the mistake is', () => {
    expect(() => pointers('items/*')).toThrow(SyntaxError);
    expect(() => pointers('/a~2')).toThrow(SyntaxError);
    expect(() => pointers(7 as unknown as string)).toThrow(TypeError);
    expect(() => pointers(...Array.from({ length: 32 }, (_, i) => `/${i}`))).toThrow(RangeError);
    expect(() => pointers(...Array.from({ length: 31 }, (_, i) => `/${i}`))).not.toThrow();
  });

  it('the first parser of a process may have 31 patterns (the idle parser kept for the JIT is made with one)', async () => {
    for (const name of ['select', 'text'] as const) {
      vi.resetModules(); // a fresh module: the next parser is the first with a plug-in
      const fresh = await import('../../src/index.js');
      const many = fresh.pointers(...Array.from({ length: 31 }, (_, i) => `/k${i}`));
      const got: unknown[] = [];
      const parser = fresh.createPartialParser({ [name]: many, onElement: (v: unknown) => got.push(v), onText: (d: string) => got.push(d) });
      parser.write('{"k30": "x"}');
      parser.end();
      expect(got, name).toEqual(['x']); // a string within one write: one onText call
    }
  });

  it('select and text of one parser share the limit of 31 patterns', () => {
    const twenty = pointers(...Array.from({ length: 20 }, (_, i) => `/s${i}`));
    const twelve = pointers(...Array.from({ length: 12 }, (_, i) => `/t${i}`));
    expect(() => createPartialParser({ select: twenty, onElement: () => {}, text: twelve, onText: () => {} })).toThrow(RangeError);
  });

  it('one plug-in serves any number of parsers, each with its own state', () => {
    const items = pointers('/items/*');
    const got: string[][] = [[], []];
    const parsers = got.map((seen) => createPartialParser({ select: items, keep: false, onElement: (_, pointer) => void seen.push(pointer) }));
    parsers[0]!.write('{"items": [1, 2');
    parsers[1]!.write('{"items": [3');
    parsers[0]!.write(']}');
    parsers[1]!.write(', 4, 5]}');
    expect(parsers.map((p) => p.end())).toEqual([{ items: [] }, { items: [] }]);
    expect(got).toEqual([['/items/0', '/items/1'], ['/items/0', '/items/1', '/items/2']]);
  });
});

describe('select and text take only pointers(…), in every API that takes them', () => {
  it('createPartialParser refuses anything else, callback or not, naming the option and what to pass', () => {
    for (const value of wrong) {
      for (const name of ['select', 'text'] as const) {
        const options = { [name]: value } as PartialParserOptions;
        expect(() => createPartialParser(options), `${name}: ${JSON.stringify(value)}`).toThrow(TypeError);
        expect(() => createPartialParser(options)).toThrow(new RegExp(`^${name}: pass pointers\\(`));
        expect(() => createPartialParser({ ...options, onElement: () => {}, onText: () => {} })).toThrow(TypeError);
      }
    }
    // The old form's message carries the patterns over.
    expect(() => createPartialParser({ select: ['/items/*', '/x'] as never, onElement: () => {} })).toThrow(`pass pointers("/items/*", "/x") from 'streamshape'`);
  });

  it('parseStream, PartialJsonStream and createPartialStore refuse it at the call, before reading the source', () => {
    for (const value of wrong) {
      expect(() => parseStream(never(), { select: value as never })).toThrow(/^select: pass pointers\(/);
      expect(() => parseStream(never(), { text: value as never, onText: () => {} })).toThrow(/^text: pass pointers\(/);
      expect(() => createPartialStore(never(), { select: value as never })).toThrow(/^select: pass pointers\(/);
    }
  });

  it('the message reads the meant patterns off the value and says what the value was', () => {
    const message = (select: unknown) => {
      try {
        createPartialParser({ select: select as never });
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message('/a')).toMatch(/^select: pass pointers\("\/a"\) from 'streamshape', not "\/a":/);
    expect(message([])).toMatch(/^select: pass pointers\("\/items\/\*"\) .*, not an array:/);
    expect(message(pointers)).toMatch(/not a function \(call it\):/);
    expect(message(new Set(['/a']))).toMatch(/not an object:/);
    expect(message({ patterns: ['/a'] })).toMatch(/not an object:/);
    expect(() => pointers(['/a'] as never)).toThrow('pointers() takes each pattern as an argument: pointers(...patterns), not an array');
    expect(() => pointers(null as never)).toThrow('A pointer pattern must be a string, got null');
  });

  it('textStream() past the 31-pattern limit (with select and text) fails at the call that goes over', () => {
    const stream = parseStream(never(), { select: pointers(...Array.from({ length: 20 }, (_, i) => `/s${i}`)), text: pointers('/t'), onText: () => {} });
    for (let i = 0; i < 10; i++) stream.textStream(`/x${i}`);
    expect(() => stream.textStream('/one-too-many')).toThrow(/^textStream\(\): at most 31 pointer patterns .*got 32$/);
  });

  it('the tool-call assembler refuses a text option that is not pointers(…) when it is made', () => {
    for (const value of wrong) {
      expect(() => createToolCallAssembler({ text: value as never, onText: () => {} })).toThrow(/^text: pass pointers\(/);
    }
  });

  it('undefined is no selection; a plug-in without its callback selects nothing', () => {
    const parser = createPartialParser({ select: undefined, text: pointers('/a'), keep: false });
    parser.write('{"a": "x", "b": [1]}');
    expect(parser.end()).toEqual({ a: 'x', b: [1] });
  });
});
