import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, createPartialParser, type Delta } from '../../src/index.js';
import { jsonTextWithValue } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isAdmin'];

/** Keys and steps an attacker would try, and ordinary ones. */
const key = fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.constantFrom('a', 'b', 'items', '0', ''), fc.string({ maxLength: 4 }));
const step: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: key },
  { weight: 3, arbitrary: fc.nat({ max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, Number.NaN, Infinity, 2 ** 60, -0) },
  { weight: 2, arbitrary: fc.array(key, { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, {}, { toString: () => '__proto__' }) },
);
const payload = fc.oneof(
  fc.constant({ isAdmin: true }),
  fc.constant([1]),
  fc.constant('x'),
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
);
/** Anything a network could deliver as a "delta". */
const untrustedDelta: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        op: fc.oneof(fc.constantFrom('add', 'append', 'replace'), fc.constantFrom('remove', 'ADD', '', 1)),
        path: fc.oneof({ weight: 6, arbitrary: fc.array(step, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom('/a', null, { 0: 'a' }) }),
        value: payload,
      },
      { requiredKeys: ['op', 'path'] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, 1, 'add', [], [[]]) },
);
const target = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant({ a: { b: [1, 'x'] }, items: ['s', { c: 'd' }] }),
  fc.constant(JSON.parse('{"__proto__": {"a": 1}, "a": "x"}') as unknown),
);

/** Every object reachable from `value` has the standard prototype of a JSON object or array. */
function prototypesIntact(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    const proto = Object.getPrototypeOf(v);
    if (proto !== (Array.isArray(v) ? Array.prototype : Object.prototype)) return false;
    for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return true;
}

const objectProtoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayProtoKeys = Object.getOwnPropertyNames(Array.prototype).sort();

describe('applyDelta with untrusted deltas', () => {
  it('pins the known attack: an array step cannot reach the prototype', () => {
    const attack = JSON.parse('[{"op":"add","path":[["__proto__"]],"value":{"isAdmin":true}}]') as Delta[];
    expect(() => applyDelta({}, attack)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: applyDelta: delta 0 (add): step 0 of its path is ["__proto__"]; a step must be a string (object key) or a non-negative integer (array index)]`,
    );
    // A plain "__proto__" key is an ordinary own property.
    const user = applyDelta({}, JSON.parse('[{"op":"add","path":["__proto__"],"value":{"isAdmin":true}}]') as Delta[]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
    expect((user as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.keys(user)).toEqual(['__proto__']);
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });

  it('says what was wrong and where', () => {
    const cases: [unknown, unknown][] = [
      [{}, { op: 'move', path: ['a'] }],
      [{}, { op: 'add', path: '/a', value: 1 }],
      [{}, { op: 'add', path: [-1], value: 1 }],
      [{ a: 1 }, { op: 'append', path: ['a'], value: 'x' }],
      [{ a: {} }, { op: 'add', path: ['a', 'b', 'c'], value: 1 }],
      [[], { op: 'add', path: [2], value: 1 }],
      [[], { op: 'add', path: ['length'], value: 1 }],
      [{}, { op: 'replace', path: ['toString'], value: 1 }],
      [{}, { op: 'add', path: ['a'] }],
      [undefined, null],
    ];
    const messages = cases.map(([t, d]) => {
      try {
        applyDelta(t, d as Delta);
        return 'applied';
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        return (error as Error).message;
      }
    });
    expect(messages).toMatchInlineSnapshot(`
      [
        "applyDelta: delta 0 has op "move"; expected "add", "append", "replace" or "remove"",
        "applyDelta: delta 0 (add) has path "/a", not an array of steps",
        "applyDelta: delta 0 (add): step 0 of its path is -1; a step must be a string (object key) or a non-negative integer (array index)",
        "applyDelta: delta 0 appends at "/a", which is a number, not a string",
        "applyDelta: delta 0 (add at "/a/b/c"): "/a" is an object, which has no "b"",
        "applyDelta: delta 0 (add at "/2"): index 2 is past the end of an array of length 0",
        "applyDelta: delta 0 (add at "/length"): "" is an array, which has no "length"",
        "applyDelta: delta 0 (replace at "/toString"): "" is an object, which has no "toString"",
        "applyDelta: delta 0 (add at "/a") has value undefined; it needs a JSON value",
        "applyDelta: delta 0 is null, not a delta object ({op, path, value})",
      ]
    `);
  });

  it('random malformed deltas either apply or throw a TypeError, never touch a prototype, never mutate the target', () => {
    fc.assert(
      fc.property(target, fc.array(untrustedDelta, { maxLength: 6 }), (t, deltas) => {
        const before = JSON.stringify(t);
        let result: unknown;
        let failed = false;
        try {
          result = applyDelta(t, deltas as Delta[]);
        } catch (error) {
          failed = true;
          expect(error).toBeInstanceOf(TypeError);
        }
        expect(JSON.stringify(t)).toBe(before);
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(objectProtoKeys);
        expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayProtoKeys);
        expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
        if (!failed) expect(prototypesIntact(result)).toBe(true);
      }),
      { numRuns: runs(5) },
    );
  });

  it('the deltas of any parse, sent through JSON, still replay to the final value', () => {
    fc.assert(
      fc.property(jsonTextWithValue(), fc.integer({ min: 1, max: 7 }), ({ text, value }, size) => {
        let replayed: unknown;
        const parser = createPartialParser({
          onDelta: (deltas) => void (replayed = applyDelta(replayed, JSON.parse(JSON.stringify(deltas)) as Delta[])),
        });
        for (let i = 0; i < text.length; i += size) parser.write(text.slice(i, i + size));
        parser.end();
        expect(replayed).toEqual(JSON.parse(JSON.stringify(value))); // -0 crosses JSON as 0
        expect(prototypesIntact(replayed)).toBe(true);
      }),
      { numRuns: runs() },
    );
  });
});
