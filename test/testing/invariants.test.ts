import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertChunkingInvariant,
  checkSnapshotSequence,
  deepEqualJson,
  deepFreeze,
  findSnapshotViolation,
  formatJsonPath,
  jsonTextWithValue,
} from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const numRuns = runs();

function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Every partial form a well-behaved parser may show for `value`, in order, ending with `value`:
 * empty containers first, strings growing by code points, scalars whole, one element or
 * property at a time. A reference for "good" sequences, independent of any parser.
 */
function growth(value: unknown): unknown[] {
  if (typeof value === 'string') {
    const out: string[] = [''];
    let prefix = '';
    for (const ch of Array.from(value)) {
      prefix += ch;
      out.push(prefix);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [[]];
    const done: unknown[] = [];
    for (const element of value) {
      for (const partial of growth(element)) out.push([...done, partial]);
      done.push(element);
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: unknown[] = [{}];
    const done: [string, unknown][] = [];
    for (const [key, element] of Object.entries(value)) {
      for (const partial of growth(element)) {
        const snapshot: Record<string, unknown> = {};
        for (const [k, v] of done) setProperty(snapshot, k, v);
        setProperty(snapshot, key, partial);
        out.push(snapshot);
      }
      done.push([key, element]);
    }
    return out;
  }
  return [value];
}

describe('checkSnapshotSequence', () => {
  it('accepts every ordered subsequence of a well-behaved growth', () => {
    fc.assert(
      fc.property(
        jsonTextWithValue({ loneSurrogates: true }).chain(({ value }) =>
          fc.subarray(growth(value)).map((snapshots) => ({ value, snapshots: [undefined, ...snapshots] })),
        ),
        ({ value, snapshots }) => {
          expect(checkSnapshotSequence(snapshots, value)).toBeUndefined();
        },
      ),
      { numRuns: numRuns * 2 },
    );
  });

  it('accepts the full growth, structural sharing included when the parser shares', () => {
    const final = { a: [1, { b: 'xy' }], c: 'z' };
    expect(checkSnapshotSequence(growth(final), final)).toBeUndefined();
    const inner = { b: 'xy' };
    const arr = [1, inner];
    const shared = [{ a: arr }, { a: arr, c: '' }, { a: arr, c: 'z' }];
    expect(checkSnapshotSequence(shared, { a: arr, c: 'z' }, { structuralSharing: true })).toBeUndefined();
  });

  const planted: [string, unknown[], unknown, string, (string | number)[]][] = [
    ['a number that changes', [{ a: 12 }], { a: 123 }, 'scalar-changed', ['a']],
    ['true shown for tx', [[true]], [false], 'scalar-changed', [0]],
    ['a string that shrinks', ['abc', 'ab'], 'abcd', 'string-not-prefix', []],
    ['a string that is not a prefix', [{ s: 'ax' }], { s: 'ab' }, 'string-not-prefix', ['s']],
    ['an array whose non-last element changes', [['a', 'b'], ['ax', 'b', 'c']], ['ax', 'b', 'c'], 'array-element-changed', [0]],
    ['an array that shrinks', [[1, 2, 3], [1, 2]], [1, 2], 'array-shrank', []],
    ['a type change', [{ a: '1' }], { a: 1 }, 'type-changed', ['a']],
    ['a property shown before its type is known', [{ a: undefined }], { a: 1 }, 'type-changed', ['a']],
    ['a container that becomes a string', [[[]]], ['[]'], 'type-changed', [0]],
    ['a lone high surrogate', [['\ud83d']], ['\ud83d\ude00'], 'lone-surrogate', [0]],
    ['a value that disappears', [1, undefined], 1, 'value-disappeared', []],
    ['a property that disappears', [{ a: 1, b: 'x' }, { a: 1 }], { a: 1, b: 'x' }, 'object-property-removed', ['b']],
    ['a non-last property that changes', [{ a: 'x', b: 'y' }], { a: 'xz', b: 'y' }, 'object-property-changed', ['a']],
    ['keys in another order', [{ b: 1, a: 2 }], { a: 2, b: 1 }, 'object-key-order', []],
    ['a partial key', [{ na: 1 }], { name: 1 }, 'object-property-removed', ['na']],
    ['a deep change', [{ a: [{ b: [1, 'x'] }] }], { a: [{ b: [1, 'y'] }] }, 'string-not-prefix', ['a', 0, 'b', 1]],
  ];

  it.each(planted)('catches %s', (_name, snapshots, final, invariant, path) => {
    const found = findSnapshotViolation(snapshots, final);
    expect(found?.invariant).toBe(invariant);
    expect(found?.path).toEqual(path);
    expect(checkSnapshotSequence(snapshots, final)).toBe(found?.message);
  });

  it('describes the violation in one sentence', () => {
    expect(checkSnapshotSequence([{ a: [12] }], { a: [123] })).toMatchInlineSnapshot(
      `"scalar-changed: snapshot 0 at $.a[0], compared with the final value: 12 became 123"`,
    );
    expect(checkSnapshotSequence(['abc', 'ab'], 'abcd')).toMatchInlineSnapshot(
      `"string-not-prefix: snapshot 0 at $, compared with snapshot 1: "abc" is not a prefix of "ab""`,
    );
  });

  it('catches a planted violation inside a random good sequence', () => {
    /** A copy of `value` with its first number (depth-first) changed; undefined when it has none. */
    const changeFirstNumber = (value: unknown): unknown => {
      if (typeof value === 'number') return value === 7 ? 8 : 7;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const changed = changeFirstNumber(value[i]);
          if (changed !== undefined) return value.map((v, j) => (j === i ? changed : v));
        }
      } else if (value !== null && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          const changed = changeFirstNumber(v);
          if (changed !== undefined) {
            const copy: Record<string, unknown> = {};
            for (const [k, w] of Object.entries(value)) setProperty(copy, k, k === key ? changed : w);
            return copy;
          }
        }
      }
      return undefined;
    };
    fc.assert(
      fc.property(
        jsonTextWithValue({ topLevel: 'container', edgeNumbers: false }).filter(({ value }) => changeFirstNumber(value) !== undefined),
        fc.nat(),
        ({ value }, pick) => {
          // In one snapshot that shows a number, change it: an atomic scalar broken.
          const snapshots = growth(value);
          const showing = snapshots.flatMap((s, i) => (changeFirstNumber(s) === undefined ? [] : [i]));
          const index = showing[pick % showing.length] as number;
          const planted = snapshots.map((s, i) => (i === index ? changeFirstNumber(s) : s));
          expect(['scalar-changed', 'array-element-changed', 'object-property-changed']).toContain(findSnapshotViolation(planted, value)?.invariant);
        },
      ),
      { numRuns },
    );
  });

  it('treats index-like keys as unordered', () => {
    // JavaScript lists "1" before "b" whatever the insertion order.
    const final = JSON.parse('{"b":"x","1":"yz"}') as unknown;
    const snapshots = [{}, { b: 'x' }, JSON.parse('{"b":"x","1":"y"}') as unknown, final];
    expect(checkSnapshotSequence(snapshots, final)).toBeUndefined();
    // "1" may have been added after "c" ({"b":"x","c":1,"1":"yz"}): not a violation
    expect(findSnapshotViolation([JSON.parse('{"b":"x","1":"y","c":1}')], JSON.parse('{"b":"x","1":"yz","c":1}'))).toBeUndefined();
    // "b" was followed by "c", so it is complete
    expect(findSnapshotViolation([JSON.parse('{"1":"y","b":"x","c":1}')], JSON.parse('{"1":"y","b":"xz","c":1}'))?.invariant).toBe(
      'object-property-changed',
    );
  });

  it('allows replacements under repeatedKeys', () => {
    // {"a":1,"a":"x"}: JSON.parse gives {a:"x"}
    expect(findSnapshotViolation([{ a: 1 }, { a: 'x' }], { a: 'x' })?.invariant).toBe('type-changed');
    expect(checkSnapshotSequence([{ a: 1 }, { a: 'x' }], { a: 'x' }, { repeatedKeys: true })).toBeUndefined();
    expect(findSnapshotViolation([{ a: 1, b: 2 }, { a: 1 }], { a: 1, b: 2 }, { repeatedKeys: true })?.invariant).toBe(
      'object-property-removed',
    );
  });

  it('checks structural sharing on request', () => {
    const found = findSnapshotViolation([{ a: [1], b: 'x' }, { a: [1], b: 'xy' }], { a: [1], b: 'xy' }, { structuralSharing: true });
    expect(found?.invariant).toBe('sharing-lost');
    expect(found?.path).toEqual(['a']);
    const same = [1];
    expect(findSnapshotViolation([{ a: same, b: 'x' }, { a: same, b: 'xy' }], { a: [1], b: 'xy' }, { structuralSharing: true })).toBeUndefined();
    expect(findSnapshotViolation([[1], [1]], [1], { structuralSharing: true })?.invariant).toBe('sharing-lost');
  });

  it('handles deep values without overflowing the stack', () => {
    let deep: unknown = 'x';
    let deepFinal: unknown = 'xy';
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
      deepFinal = [deepFinal];
    }
    expect(checkSnapshotSequence([deep], deepFinal)).toBeUndefined();
    expect(deepEqualJson(deep, deepFinal)).toBe(false);
  });
});

describe('deepEqualJson', () => {
  it('compares like JSON.parse results', () => {
    expect(deepEqualJson(JSON.parse('[-0]'), [0])).toBe(false);
    expect(deepEqualJson(JSON.parse('[-0]'), [-0])).toBe(true);
    expect(deepEqualJson({ a: 1, b: [2, { c: null }] }, { a: 1, b: [2, { c: null }] })).toBe(true);
    expect(deepEqualJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(deepEqualJson({ a: 1, b: 2 }, { b: 2, a: 1 }, { keyOrder: false })).toBe(true);
    expect(deepEqualJson([1], { 0: 1 })).toBe(false);
    expect(deepEqualJson({ a: undefined }, {})).toBe(false);
    expect(deepEqualJson(Number.NaN, Number.NaN)).toBe(true);
  });

  it('agrees with JSON.stringify on generated values', () => {
    fc.assert(
      fc.property(jsonTextWithValue({ edgeNumbers: false }), jsonTextWithValue({ edgeNumbers: false }), (x, y) => {
        expect(deepEqualJson(x.value, y.value)).toBe(JSON.stringify(x.value) === JSON.stringify(y.value));
        expect(deepEqualJson(x.value, JSON.parse(x.text))).toBe(true);
      }),
      { numRuns },
    );
  });
});

describe('deepFreeze', () => {
  it('freezes everything reachable and returns the value', () => {
    const shared = { c: [1] };
    const value = { a: [shared, shared], b: { d: 'x' } };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(shared.c)).toBe(true);
    expect(Object.isFrozen(value.b)).toBe(true);
    expect(() => {
      (value.b as { d: string }).d = 'y';
    }).toThrow(TypeError);
    expect(deepFreeze('x')).toBe('x');
  });
});

describe('formatJsonPath', () => {
  it('formats paths as JavaScript accessors', () => {
    expect(formatJsonPath([])).toBe('$');
    expect(formatJsonPath(['a', 2, 'x y', '__proto__'])).toBe('$.a[2]["x y"].__proto__');
  });
});

describe('assertChunkingInvariant', () => {
  const decodeAll = (chunks: readonly (string | Uint8Array)[]): string => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let text = '';
    for (const chunk of chunks) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  };
  const good = (chunks: readonly (string | Uint8Array)[]): unknown => JSON.parse(decodeAll(chunks));

  it('passes a correct parser, for valid and invalid texts', () => {
    const runs = Math.max(5, Math.round(numRuns / 5));
    assertChunkingInvariant(good, '{"a":[1,"\\ud83d\\ude00é😀",-0.5e3,-0]}', { numRuns: runs });
    assertChunkingInvariant(good, '[1,tx]', { numRuns: runs });
    assertChunkingInvariant(good, '"\\ud800"', { numRuns: runs });
  });

  it('catches a parser that decodes each byte chunk on its own', () => {
    const broken = (chunks: readonly (string | Uint8Array)[]): unknown =>
      JSON.parse(chunks.map((c) => (typeof c === 'string' ? c : new TextDecoder().decode(c))).join(''));
    expect(() => assertChunkingInvariant(broken, '["é😀"]', { numRuns: 50, seed: 1 })).toThrow(/oracle gives/);
  });

  it('catches a parser that drops the last chunk, or accepts what JSON.parse rejects', () => {
    const dropsLast = (chunks: readonly (string | Uint8Array)[]): unknown => good(chunks.slice(0, Math.max(1, chunks.length - 1)));
    expect(() => assertChunkingInvariant(dropsLast, '[1,2,3]', { numRuns: 50, seed: 1 })).toThrow(/parse threw/);
    const lenient = (chunks: readonly (string | Uint8Array)[]): unknown => {
      try {
        return good(chunks);
      } catch {
        return null;
      }
    };
    expect(() => assertChunkingInvariant(lenient, '[1,', { numRuns: 10, seed: 1 })).toThrow(/oracle throws/);
  });

  it('compares with the oracle it is given', () => {
    const bomOracle = (text: string): unknown => JSON.parse(text.replace(/^\ufeff/, ''));
    const bomParser = (chunks: readonly (string | Uint8Array)[]): unknown => bomOracle(decodeAll(chunks));
    assertChunkingInvariant(bomParser, '\ufeff[1]', { oracle: bomOracle, numRuns: 10 });
  });
});

describe('findSnapshotViolation with partialNumbers', () => {
  it('a number may grow, and a rejected one may leave again; nothing else may', () => {
    const pn = { partialNumbers: true };
    expect(findSnapshotViolation([{ a: 1 }, { a: 12 }], { a: 125 }, pn)).toBeUndefined();
    expect(findSnapshotViolation([{ a: 1 }], { a: 12 })?.message).toMatch(/^scalar-changed/);
    expect(findSnapshotViolation([{ a: 1 }], { a: '1' }, pn)?.message).toMatch(/^type-changed/);
    // What the parser leaves after the schema rejects the growing number: a remove delta.
    expect(findSnapshotViolation([{ n: 5, m: 12 }], { n: 5 }, pn)).toBeUndefined();
    expect(findSnapshotViolation([[1, 12]], [1], pn)).toBeUndefined();
    expect(findSnapshotViolation([{ n: 5, m: 12 }], { n: 5 })?.message).toMatch(/^object-property-removed/);
    expect(findSnapshotViolation([{ n: 5, m: 'x' }], { n: 5 }, pn)?.message).toMatch(/^object-property-removed/);
    expect(findSnapshotViolation([{ n: 5, m: 12 }], { m: 12 }, pn)?.message).toMatch(/^object-property-removed/);
    expect(findSnapshotViolation([[1, 'x']], [1], pn)?.message).toMatch(/^array-shrank/);
    expect(findSnapshotViolation([[1, 2, 3]], [1], pn)?.message).toMatch(/^array-shrank/);
  });
});
