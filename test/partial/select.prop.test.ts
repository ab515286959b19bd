import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { applyDelta, createPartialParser, type Delta, type JsonPath, type PartialParserOptions, pointers } from '../../src/index.js';
import { toJsonPointer } from '../../src/json/json-pointer.js';
import { chunked, deepEqualJson, jsonTextWithValue, utf8Chunks } from '../../src/testing/index.js';
import { zodGuide } from '../../src/index.js';
import { runs } from '../support/shared.js';

/**
 * Issue 16 item 2: `select` / `onElement` / `keep: false`. The oracle for which elements come,
 * in which order, with which value, is `onComplete` (its own invariant 6 is tested elsewhere):
 * the completions whose path matches a pattern, innermost first in document order.
 */

interface Run {
  elements: [string, unknown][];
  /** Snapshot after each write, and the value replaying the deltas gives then. */
  snapshots: unknown[];
  replayed: unknown[];
  final: unknown;
}

function parse(chunks: readonly (string | Uint8Array)[], options: PartialParserOptions): Run {
  const run: Run = { elements: [], snapshots: [], replayed: [], final: undefined };
  let replay: unknown;
  const parser = createPartialParser({
    ...options,
    onElement: (value, pointer) => void run.elements.push([pointer, value]),
    onDelta: (deltas: Delta[]) => {
      replay = applyDelta(replay, deltas);
    },
  });
  for (const chunk of chunks) {
    parser.write(chunk);
    run.snapshots.push(parser.value);
    run.replayed.push(replay);
  }
  run.final = parser.end();
  run.snapshots.push(parser.value);
  run.replayed.push(replay);
  return run;
}

/** Whether `path` matches one of `patterns` (JSON Pointers with `*`). */
function matches(patterns: readonly string[], path: JsonPath): boolean {
  return patterns.some((pattern) => {
    const segs = pattern === '' ? [] : pattern.slice(1).split('/');
    return segs.length === path.length && segs.every((s, i) => s === '*' || s === String(path[i]));
  });
}

/** The elements `onElement` must deliver (keep: true), from `onComplete`. */
function expected(text: string, patterns: readonly string[], options: PartialParserOptions = {}): [string, unknown][] {
  const out: [string, unknown][] = [];
  const parser = createPartialParser({
    ...options,
    onComplete: (value, path) => {
      if (matches(patterns, path)) out.push([toJsonPointer(path), value]);
    },
  });
  parser.write(text);
  parser.end();
  return out;
}

const patternSets: readonly (readonly string[])[] = [['/*'], ['/*/*'], ['/*', '/*/*'], ['', '/*/*/*'], ['/0', '/a/*'], ['/*/0']];
/** Pattern sets whose patterns never nest (one length): keep: false then delivers the same values. */
const flatSets: readonly (readonly string[])[] = [['/*'], ['/*/*'], ['/0', '/a']];

const textAndChunks = jsonTextWithValue({ maxDepth: 3 }).chain(({ text }) =>
  fc.tuple(fc.constant(text), fc.oneof(chunked(text), chunked(text, { modes: ['units'] }), utf8Chunks(text))),
);

/** `{"items": [...], "meta": ...}` documents, pretty or compact: the shape `select` is for. */
const itemsDoc = fc
  .record({
    items: fc.array(fc.oneof(fc.record({ id: fc.integer(), title: fc.string(), tags: fc.array(fc.string(), { maxLength: 3 }) }), fc.jsonValue({ maxDepth: 2 })), {
      maxLength: 6,
    }),
    meta: fc.jsonValue({ maxDepth: 1 }),
  })
  .chain((doc) => fc.constantFrom(JSON.stringify(doc), JSON.stringify(doc, null, 1)))
  .chain((text) => fc.tuple(fc.constant(text), fc.oneof(chunked(text), chunked(text, { modes: ['units'] }), utf8Chunks(text))));

describe('select / onElement', () => {
  it('delivers each selected element exactly once, in order, equal to the final value (any JSON, every chunking, text and bytes)', () => {
    fc.assert(
      fc.property(textAndChunks, fc.constantFrom(...patternSets), ([text, chunks], select) => {
        const run = parse(chunks, { select: pointers(...select) });
        const want = expected(text, select);
        expect(run.elements.map((e) => e[0])).toEqual(want.map((e) => e[0]));
        for (let i = 0; i < want.length; i++) expect(deepEqualJson(run.elements[i]![1], want[i]![1])).toBe(true);
        expect(deepEqualJson(run.final, JSON.parse(text))).toBe(true);
      }),
      { numRuns: runs() },
    );
  });

  it('keep: false delivers the same elements and the snapshot never holds a delivered one; deltas replay to every snapshot', () => {
    fc.assert(
      fc.property(textAndChunks, fc.constantFrom(...flatSets), ([text, chunks], select) => {
        const kept = parse(chunks, { select: pointers(...select) });
        const dropped = parse(chunks, { select: pointers(...select), keep: false });
        expect(dropped.elements.length).toBe(kept.elements.length);
        for (let i = 0; i < kept.elements.length; i++) {
          expect(dropped.elements[i]![0]).toBe(kept.elements[i]![0]);
          expect(deepEqualJson(dropped.elements[i]![1], kept.elements[i]![1])).toBe(true);
        }
        for (let i = 0; i < dropped.snapshots.length; i++) {
          expect(deepEqualJson(dropped.replayed[i], dropped.snapshots[i])).toBe(true);
        }
        // The final value is JSON.parse's without the delivered elements.
        const removeDelivered = (value: unknown, path: (string | number)[]): unknown => {
          if (path.length > 0 && matches(select, path) && value !== undefined) return undefined;
          if (Array.isArray(value)) {
            const out: unknown[] = [];
            value.forEach((v, i) => {
              const r = removeDelivered(v, [...path, i]);
              if (r !== undefined) out.push(r);
            });
            return out;
          }
          if (typeof value === 'object' && value !== null) {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value)) {
              const r = removeDelivered(v, [...path, k]);
              if (r !== undefined) Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
            }
            return out;
          }
          return value;
        };
        expect(deepEqualJson(dropped.final, removeDelivered(JSON.parse(text), []))).toBe(true);
      }),
      { numRuns: runs() },
    );
  });

  it('keep: false on /items/*: the snapshot holds at most the element still streaming, never one onElement has', () => {
    fc.assert(
      fc.property(itemsDoc, ([text, chunks]) => {
        const elements: unknown[] = [];
        let replay: unknown;
        const parser = createPartialParser({
          select: pointers('/items/*'),
          keep: false,
          onElement: (value) => void elements.push(value),
          onDelta: (d) => {
            replay = applyDelta(replay, d);
          },
        });
        for (const chunk of chunks) {
          const before = elements.length;
          parser.write(chunk);
          const items = (parser.value as { items?: unknown[] } | undefined)?.items ?? [];
          expect(items.length).toBeLessThanOrEqual(1);
          // What it shows is not delivered: it is the element after the last delivered one.
          if (items.length === 1 && elements.length > before) expect(items[0]).not.toBe(elements[elements.length - 1]);
          expect(deepEqualJson(replay, parser.value)).toBe(true);
        }
        const final = parser.end() as { items: unknown[] };
        expect(final.items).toEqual([]);
        expect(deepEqualJson(elements, JSON.parse(text).items)).toBe(true);
      }),
      { numRuns: runs() },
    );
  });

  it('with a schema: elements are delivered after the guide validated them, with the same values', () => {
    const schema = z.object({
      items: z.array(z.object({ id: z.number(), title: z.string(), tags: z.array(z.string()) })),
      meta: z.unknown(),
    });
    const doc = fc
      .record({
        items: fc.array(fc.record({ id: fc.integer(), title: fc.string(), tags: fc.array(fc.string(), { maxLength: 3 }) }), { maxLength: 5 }),
        meta: fc.jsonValue({ maxDepth: 1 }),
      })
      .map((d) => JSON.stringify(d, null, 1))
      .chain((text) => fc.tuple(fc.constant(text), fc.oneof(chunked(text), utf8Chunks(text))));
    fc.assert(
      fc.property(doc, fc.boolean(), ([text, chunks], keep) => {
        const run = parse(chunks, { schema, guide: zodGuide, select: pointers('/items/*', '/items/*/tags/*'), keep: keep || undefined });
        const want = expected(text, ['/items/*', '/items/*/tags/*']);
        expect(run.elements.map((e) => e[0])).toEqual(want.map((e) => e[0]));
        if (keep) for (let i = 0; i < want.length; i++) expect(deepEqualJson(run.elements[i]![1], want[i]![1])).toBe(true);
      }),
      { numRuns: runs(0.5) },
    );
  });

  it('a schema failure inside an element: the element is never delivered', () => {
    const schema = z.object({ items: z.array(z.object({ n: z.number() })) });
    const elements: unknown[] = [];
    const parser = createPartialParser({ schema, guide: zodGuide, select: pointers('/items/*'), onElement: (v) => void elements.push(v) });
    parser.write('{"items": [{"n": 1}, {"n": ');
    expect(elements).toEqual([{ n: 1 }]);
    expect(() => parser.write('"x"}]}')).toThrow();
    expect(elements).toEqual([{ n: 1 }]);
  });

  it('pointers use document indices, delta paths the snapshot indices (keep: false)', () => {
    const seen: string[] = [];
    const deltas: Delta[] = [];
    const parser = createPartialParser({
      select: pointers('/items/*'),
      keep: false,
      onElement: (_, pointer) => void seen.push(pointer),
      onDelta: (d) => void deltas.push(...d),
    });
    for (const chunk of ['{"items": [', '{"a": 1}, {"a":', ' 2}, {"a"', ': 3}]}']) parser.write(chunk);
    expect(seen).toEqual(['/items/0', '/items/1', '/items/2']);
    expect(deltas).toEqual([
      { op: 'add', path: [], value: { items: [] } },
      { op: 'add', path: ['items', 0], value: {} },
      { op: 'add', path: ['items', 0, 'a'], value: 2 },
      { op: 'remove', path: ['items', 0] },
      { op: 'add', path: ['items', 0], value: {} },
      { op: 'add', path: ['items', 0, 'a'], value: 3 },
      { op: 'remove', path: ['items', 0] },
    ]);
    expect(parser.end()).toEqual({ items: [] });
  });

  it('keys with / and ~ are escaped in pointers and patterns', () => {
    const got: [string, unknown][] = [];
    const parser = createPartialParser({ select: pointers('/a~1b/*', '/~0'), onElement: (v, p) => void got.push([p, v]) });
    parser.write('{"a/b": {"c/d": 1, "~": 2}, "~": 3}');
    parser.end();
    expect(got).toEqual([
      ['/a~1b/c~1d', 1],
      ['/a~1b/~0', 2],
      ['/~0', 3],
    ]);
  });

  it('pointers keep keys past Latin-1 and astral characters exactly (prefixes are rebuilt from characters)', () => {
    const got: string[] = [];
    const parser = createPartialParser({ select: pointers('/ключ/*', '/😀x/*/é'), keep: false, onElement: (_, pointer) => void got.push(pointer) });
    parser.write('{"ключ": [{"a": 1}, {"a": 2}], "😀x": [{"é": 3}]}');
    parser.end();
    expect(got).toEqual(['/ключ/0', '/ключ/1', '/😀x/0/é']);
  });

  it('an invalid pattern is a SyntaxError at creation', () => {
    expect(() => createPartialParser({ select: pointers('items/*'), onElement: () => {} })).toThrow(SyntaxError);
  });

  it('a throwing onElement stops the parser like a throwing onComplete', () => {
    const parser = createPartialParser({
      select: pointers('/*'),
      onElement: () => {
        throw new Error('boom');
      },
    });
    expect(() => parser.write('[1, 2]')).toThrow('boom');
    expect(() => parser.write(']')).toThrow(TypeError);
  });
});

describe('select: runs of elements parsed at once', () => {
  /** `{"items": [...]}` with elements of any JSON (nested, strings holding "},{"), compact or pretty. */
  const runDoc = fc
    .array(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant({ s: '},{"x":1},{' }), fc.constant([[[[1]]]])), { minLength: 1, maxLength: 30 })
    .chain((items) => fc.constantFrom(JSON.stringify({ items }), JSON.stringify({ items }, null, 1)))
    .chain((text) => fc.tuple(fc.constant(text), fc.oneof(fc.constant([text]), chunked(text, { modes: ['sizes', 'cuts'] }))));

  function outcome(
    chunks: readonly (string | Uint8Array)[],
    options: PartialParserOptions,
  ): { value?: unknown; error?: string; elements: unknown[]; pointers: string[] } {
    const elements: unknown[] = [];
    const pointers: string[] = [];
    const parser = createPartialParser({
      ...options,
      onElement: (v, pointer) => {
        elements.push(v);
        pointers.push(pointer);
      },
    });
    try {
      for (const chunk of chunks) parser.write(chunk);
      return { value: parser.end(), elements, pointers };
    } catch (error) {
      const e = error as { code?: string; position?: number; line?: number; column?: number };
      return { error: `${e.code} ${e.position} ${e.line}:${e.column}`, elements, pointers };
    }
  }

  /** Runs `chunks` with the fast paths and on the token path (onComplete turns every fast path off) and expects the same outcome. */
  function sameAsTokenPath(chunks: readonly (string | Uint8Array)[], options: PartialParserOptions): ReturnType<typeof outcome> {
    const fast = outcome(chunks, options);
    const slow = outcome(chunks, { ...options, onComplete: () => {} });
    expect(fast.error).toBe(slow.error);
    expect(fast.elements).toStrictEqual(slow.elements);
    expect(fast.pointers).toStrictEqual(slow.pointers);
    if (slow.error === undefined) expect(fast.value).toStrictEqual(slow.value);
    return fast;
  }

  it('same value, elements and errors (max depth included, positions and lines) as element by element', () => {
    fc.assert(
      fc.property(runDoc, fc.constantFrom(128, 5, 3), fc.boolean(), ([text, chunks], maxDepth, keep) => {
        const fast = sameAsTokenPath(chunks, { select: pointers('/items/*'), keep, maxDepth });
        if (fast.error === undefined && maxDepth === 128) expect(fast.elements).toStrictEqual(JSON.parse(text).items);
        // A bad element after a run: the same error at the same position.
        const broken = `${text.slice(0, text.lastIndexOf(']'))}, {"bad": tru}]}`;
        expect(outcome([broken], { select: pointers('/items/*'), keep, maxDepth }).error).toBe(outcome([broken], { select: pointers('/items/*'), keep, maxDepth, onComplete: () => {} }).error);
      }),
      { numRuns: runs() },
    );
  });

  /** `value` once the parser failed: onElement throws at its `stopAt`-th call (or the text is bad); `tokenPath` turns the fast paths off. */
  function valueAfterThrow(parts: readonly (string | Uint8Array)[], stopAt: number, keep: boolean, tokenPath: boolean): string {
    let seen = 0;
    const parser = createPartialParser({
      select: pointers('/items/*'),
      keep,
      onElement: () => {
        if (seen++ === stopAt) throw new Error('stop');
      },
      ...(tokenPath ? { onComplete: () => {} } : {}),
    });
    try {
      for (const part of parts) parser.write(part);
      parser.end();
    } catch {
      // the callback's error or the text's: the value is what is compared
    }
    return JSON.stringify(parser.value);
  }

  it('after onElement throws, the value is the same at every chunking and on the token path (kept or dropped)', () => {
    fc.assert(
      fc.property(runDoc, fc.nat(40), fc.boolean(), ([text, chunks], stopAt, keep) => {
        const reference = valueAfterThrow([text], stopAt, keep, true);
        expect(valueAfterThrow(chunks, stopAt, keep, false)).toBe(reference);
        expect(valueAfterThrow([text], stopAt, keep, false)).toBe(reference);
        expect(valueAfterThrow(chunks, stopAt, keep, true)).toBe(reference);
      }),
      { numRuns: runs() },
    );
  });

  it('a write or end() from inside onElement is a TypeError, and the parser is rejected', () => {
    const parser = createPartialParser({ select: pointers('/items/*'), onElement: () => parser.write('1') });
    expect(() => parser.write('{"items": [{"a": 0}, {"a": 1}]}')).toThrow(/inside a callback of the same parser/);
    expect(() => parser.end()).toThrow(TypeError);
    const ender = createPartialParser({ select: pointers('/*'), onElement: () => void ender.end() });
    expect(() => ender.write('[1, 2]')).toThrow(/end\(\) called from inside a callback/);
  });

  it('arrays that open and close within one write still go to JSON.parse element by element, nested patterns too', () => {
    const spy = vi.spyOn(JSON, 'parse');
    try {
      const items = Array.from({ length: 300 }, (_, i) => ({ i, tags: ['x', 'y'] }));
      for (const [select, text, count] of [
        [['/items/*'], JSON.stringify({ items }), 300],
        [['/a/*/b/*'], JSON.stringify({ a: Array.from({ length: 30 }, () => ({ b: items.slice(0, 10) })) }), 300],
      ] as const) {
        let delivered = 0;
        spy.mockClear();
        const parser = createPartialParser({ select: pointers(...select), keep: false, onElement: () => void delivered++ });
        parser.write(text); // the whole document: every container closes within this write
        parser.end();
        expect(delivered).toBe(count);
        // Declining the containers a pattern reaches inside must not turn the fast path off within them.
        expect(spy.mock.calls.length).toBeGreaterThanOrEqual(count);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('pointers past index 999 (a run builds them from digit tables) are the document indices, at every chunk size', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 999, 1000, 1001, 2345), fc.constantFrom(',', ',\n'), fc.integer({ min: 7, max: 4096 }), fc.boolean(), (count, separator, size, keep) => {
        const items = Array.from({ length: count }, (_, i) => ({ i }));
        const text = `{"items": [${items.map((item) => JSON.stringify(item)).join(separator)}]}`;
        const seen: string[] = [];
        const values: unknown[] = [];
        const parser = createPartialParser({
          select: pointers('/items/*'),
          keep,
          onElement: (value, pointer) => {
            values.push(value);
            seen.push(pointer);
          },
        });
        for (let at = 0; at < text.length; at += size) parser.write(text.slice(at, at + size));
        parser.end();
        expect(values).toStrictEqual(items);
        expect(seen).toStrictEqual(items.map((_, i) => `/items/${i}`));
      }),
      { numRuns: runs(0.3) },
    );
  });

  /**
   * What each run's guess (the separator after its first element, searched for the others) can
   * meet: separators that change between elements, nested arrays of objects whose `},{` is not a
   * separator, strings holding one, arrays among objects, elements deeper than `maxDepth`, and a
   * bad element anywhere in a run.
   */
  const element = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({ list: fc.array(fc.record({ a: fc.integer() }), { maxLength: 3 }) }),
    fc.constant({ s: '},{"x":1},{' }),
    fc.constant([[{ a: [] }], {}]),
    // Deeper than maxDepth allows (an error at its innermost bracket), after a shallow first element.
    fc.constant({ d: { d: { d: { d: 1 } } } }),
    fc.constant([[[[1]]], 2]),
  );
  const badElement = fc.constantFrom('{"bad": tru}', '[1,]', '{"a":1}}', '{"a" 1}', '{"a":"\u0001"}', '{"a":[}');
  const variedDoc = fc
    .record({
      items: fc.array(fc.tuple(element, fc.boolean()), { minLength: 1, maxLength: 20 }),
      separators: fc.array(fc.constantFrom(',', ', ', ',\n', ',\n  ', ' ,\t'), { minLength: 1, maxLength: 4 }),
      bad: fc.option(fc.tuple(fc.nat(), badElement), { nil: undefined }),
    })
    .map(({ items, separators, bad }) => {
      const texts = items.map(([value, pretty]) => (pretty ? JSON.stringify(value, null, 1) : JSON.stringify(value)));
      if (bad !== undefined) texts.splice(bad[0] % (texts.length + 1), 0, bad[1]);
      return `{"items": [${texts.map((t, i) => (i === 0 ? t : separators[i % separators.length]! + t)).join('')}], "n": 1}`;
    })
    .chain((text) => fc.tuple(fc.constant(text), fc.oneof(fc.constant([text]), chunked(text), utf8Chunks(text))));

  it('runs split at every chunking, separators that change, nested "},{", a bad element inside a run: same as element by element', () => {
    fc.assert(
      fc.property(variedDoc, fc.constantFrom(128, 6, 4), fc.boolean(), ([text, chunks], maxDepth, keep) => {
        const fast = sameAsTokenPath(chunks, { select: pointers('/items/*'), keep, maxDepth });
        let parsed: { items: unknown[] } | undefined;
        try {
          parsed = JSON.parse(text) as { items: unknown[] };
        } catch {
          parsed = undefined;
        }
        // Valid text within the depth limit: every element, equal to JSON.parse's.
        if (parsed !== undefined && maxDepth === 128) expect(fast.elements).toStrictEqual(parsed.items);
        if (parsed === undefined) expect(fast.error).toBeDefined();
      }),
      { numRuns: runs() },
    );
  });

  it('after onElement throws or a bad element, the value is the same for text and byte chunks, separators that change, on both paths', () => {
    fc.assert(
      fc.property(variedDoc, fc.nat(25), fc.boolean(), ([text, chunks], stopAt, keep) => {
        const reference = valueAfterThrow([text], stopAt, keep, true);
        expect(valueAfterThrow(chunks, stopAt, keep, false)).toBe(reference);
        expect(valueAfterThrow(chunks, stopAt, keep, true)).toBe(reference);
      }),
      { numRuns: runs() },
    );
  });
});
