/**
 * Issue 11, item 2: schema mode keeps plain mode's promises. For random schemas (objects, strict
 * objects, arrays with bounds, enums, literals, nullable, discriminated and plain unions,
 * recursion) and random values that conform or break them, cut every way (text and bytes, one
 * character per write included): the failure, its position and the value left behind are the
 * same for every chunking; that value holds only what the text says (every string a prefix of
 * the final one, nothing invented); a conforming text never fails and `end()` is the parse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { applyDelta, createPartialParser } from '../../src/partial/index.js';
import { SchemaValidationError } from '../../src/index.js';
import { chunked, utf8Chunks } from '../../src/testing/chunked.js';
import { schemaValue } from '../../src/testing/schema-value.js';
import { runs } from '../support/shared.js';
import { zodGuide } from '../../src/schema/index.js';

type Schema = z.ZodType;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------------------------
// random schemas

const KEYS = ['a', 'b', 'id', 'name', 'é'];
const WORDS = ['red', 'green', 'grey', 'blue', 'é😀', 'a"b'];

const leaf: fc.Arbitrary<Schema> = fc.oneof(
  fc.constant(z.string()),
  fc.integer({ min: 0, max: 5 }).map((n) => z.string().max(n)),
  fc.constantFrom('a', 'ab', 'é').map((p) => z.string().startsWith(p)),
  fc.constant(z.number()),
  fc.constant(z.number().int().min(0)),
  fc.constant(z.boolean()),
  fc.constant(z.null()),
  fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((vs) => z.enum(vs as [string, ...string[]])),
  fc.constantFrom<string | number | boolean | null>('on', 'off', 7, true, null).map((v) => z.literal(v)),
  fc.constant(z.email()),
);

function objectOf(entries: [string, [Schema, boolean]][], strict: boolean): Schema {
  const shape: Record<string, Schema> = {};
  for (const [key, [schema, optional]] of entries) shape[key] = optional ? schema.optional() : schema;
  return strict ? z.strictObject(shape) : z.object(shape);
}

/** More alternatives than the guide follows (MAX_PAIRS): every value of it is deferred, judged once complete. */
const Wide: Schema = z.union(
  Array.from({ length: 66 }, (_, i) =>
    i % 3 === 0 ? z.object({ n: z.literal(i), s: z.string().max(3) }) : i % 3 === 1 ? z.array(z.number().int()).max(2) : z.enum([`e${i}`, 'shared']),
  ) as unknown as [Schema, Schema],
);

const schemaArb: fc.Arbitrary<Schema> = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'schema' },
    leaf,
    // objects and strict objects
    fc
      .tuple(fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.tuple(tie('schema'), fc.boolean())), { maxLength: 3, selector: (e) => e[0] }), fc.boolean())
      .map(([entries, strict]) => objectOf(entries, strict)),
    // arrays with bounds
    fc.tuple(tie('schema'), fc.nat(2), fc.option(fc.nat(3), { nil: undefined })).map(([element, min, extra]) => {
      const array = z.array(element).min(min);
      return extra === undefined ? array : array.max(min + extra);
    }),
    // plain unions
    fc.array(tie('schema'), { minLength: 2, maxLength: 3 }).map((options) => z.union(options as [Schema, Schema, ...Schema[]])),
    // nullable
    tie('schema').map((s) => s.nullable()),
    // discriminated unions (discriminators that share prefixes)
    fc
      .tuple(
        fc.uniqueArray(fc.constantFrom('circle', 'cir', 'square'), { minLength: 2, maxLength: 3 }),
        fc.array(fc.tuple(fc.constantFrom('r', 'side', 'a'), tie('schema')), { minLength: 3, maxLength: 3 }),
      )
      .map(([kinds, props]) =>
        z.discriminatedUnion(
          'kind',
          kinds.map((kind, i) => z.object({ kind: z.literal(kind), [props[i]![0]]: props[i]![1] })) as unknown as [
            z.ZodObject<{ kind: z.ZodLiteral<string> }>,
            ...z.ZodObject<{ kind: z.ZodLiteral<string> }>[],
          ],
        ),
      ),
    // a union too wide to follow, alone and inside an object
    fc.constant(Wide),
    tie('schema').map((other) => z.object({ w: Wide, o: other })),
    // recursion: a tree, and a union whose options share keys
    leaf.map((v) => {
      const Tree: Schema = z.lazy(() => z.object({ v, kids: z.array(Tree).max(2).optional() }));
      return Tree;
    }),
    leaf.map((v) => {
      const U: Schema = z.lazy(() =>
        z.union([z.object({ a: U.optional(), x: v.optional() }), z.strictObject({ a: U.optional(), y: z.string().max(3).optional() })]),
      );
      return U;
    }),
  ),
})).schema;

// ---------------------------------------------------------------------------------------------
// values that conform or break

function retyped(v: Json): Json {
  if (typeof v === 'string') return 7;
  if (typeof v === 'number') return `${v}`;
  if (typeof v === 'boolean') return 'true';
  if (v === null) return 'null';
  return Array.isArray(v) ? { 0: 1 } : [v];
}

/** A change somewhere in `value`, chosen by `pick`: retype, grow a string, add a key or element. */
function broken(value: Json, pick: number, how: number): Json {
  const nodes: { parent: Json[] | Record<string, Json> | undefined; key: string | number; node: Json }[] = [];
  const walk = (node: Json, parent: Json[] | Record<string, Json> | undefined, key: string | number): void => {
    nodes.push({ parent, key, node });
    if (Array.isArray(node)) node.forEach((e, i) => walk(e, node, i));
    else if (node !== null && typeof node === 'object') for (const k of Object.keys(node)) walk(node[k]!, node, k);
  };
  const copy = structuredClone(value);
  walk(copy, undefined, '');
  const target = nodes[pick % nodes.length]!;
  const set = (v: Json): Json => {
    if (target.parent === undefined) return v;
    (target.parent as Record<string | number, Json>)[target.key] = v;
    return copy;
  };
  const node = target.node;
  switch (how % 4) {
    case 0:
      return set(retyped(node));
    case 1:
      return typeof node === 'string' ? set(`${node}zé😀z`) : set(retyped(node));
    case 2:
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) node['zz'] = 'extra';
      else if (Array.isArray(node)) node.push(node[0] ?? 'extra');
      return copy;
    default:
      return set(null);
  }
}

/** JSON text of `value`; with `escapeAll`, every non-ASCII code unit as a `\uXXXX` escape. */
function textOf(value: Json, escapeAll: boolean): string {
  const text = JSON.stringify(value);
  return escapeAll ? text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

const caseArb = schemaArb.chain((schema) => {
  let values: fc.Arbitrary<unknown>;
  try {
    values = schemaValue(schema as unknown as $ZodType, { maxDepth: 2, maxLength: 3, maxStringLength: 6 });
  } catch {
    values = fc.constant(null);
  }
  const value = fc.oneof(
    values,
    fc.tuple(values, fc.nat(), fc.nat()).map(([v, pick, how]) => broken(v as Json, pick, how)),
    fc.jsonValue({ maxDepth: 2 }),
  );
  return fc.record({ schema: fc.constant(schema), value, escapeAll: fc.boolean() }).chain(({ schema, value, escapeAll }) => {
    const text = textOf(value as Json, escapeAll);
    return fc.record({
      schema: fc.constant(schema),
      partialNumbers: fc.boolean(),
      text: fc.constant(text),
      cuts: fc.array(chunked(text), { minLength: 2, maxLength: 2 }),
      bytes: utf8Chunks(text),
    });
  });
});

// ---------------------------------------------------------------------------------------------
// what a run leaves

interface Outcome {
  ok: boolean;
  value: unknown;
  error?: { name: string; position: number | undefined; early: boolean | undefined; issues: unknown; message: string } | undefined;
}

function run(schema: Schema, chunks: readonly (string | Uint8Array)[], partialNumbers = false): Outcome {
  // What a client that only sees the callbacks knows: deltas replayed, the last snapshot.
  let replayed: unknown;
  let last: unknown;
  const parser = createPartialParser({
    schema,
    guide: zodGuide,
    partialNumbers,
    onDelta: (deltas) => (replayed = applyDelta(replayed, deltas)),
    onPartial: (v) => (last = v),
  });
  try {
    for (const chunk of chunks) parser.write(chunk);
    return { ok: true, value: parser.end() };
  } catch (error) {
    if (!(error instanceof SchemaValidationError)) throw error;
    expect(replayed, 'the deltas replayed give the value left').toStrictEqual(parser.value);
    expect(last, 'the last onPartial is the value left').toStrictEqual(parser.value);
    return {
      ok: false,
      value: parser.value,
      error: { name: error.name, position: error.position, early: error.early, issues: error.issues, message: error.message },
    };
  }
}

/** `partial` holds only what `final` says: strings are prefixes, scalars equal, containers partial. */
function expectPartialOf(partial: unknown, final: unknown, path = '$'): void {
  if (partial === undefined) return;
  if (typeof partial === 'string') {
    expect(typeof final === 'string' && final.startsWith(partial), `${path}: ${JSON.stringify(partial)} is a prefix of ${JSON.stringify(final)}`).toBe(true);
    return;
  }
  if (partial === null || typeof partial !== 'object') {
    expect(partial, path).toBe(final);
    return;
  }
  expect(Array.isArray(partial), `${path}: same container type`).toBe(Array.isArray(final));
  if (Array.isArray(partial)) {
    const f = final as unknown[];
    expect(partial.length, `${path}: no invented elements`).toBeLessThanOrEqual(f.length);
    partial.forEach((e, i) => (i < partial.length - 1 ? expect(e, `${path}[${i}]`).toStrictEqual(f[i]) : expectPartialOf(e, f[i], `${path}[${i}]`)));
    return;
  }
  const f = final as Record<string, unknown>;
  for (const key of Object.keys(partial)) {
    expect(Object.prototype.hasOwnProperty.call(f, key), `${path}.${key} exists`).toBe(true);
    expectPartialOf((partial as Record<string, unknown>)[key], f[key], `${path}.${key}`);
  }
}

function everyWay(schema: Schema, text: string, more: readonly (readonly (string | Uint8Array)[])[] = [], partialNumbers = false): Outcome {
  const reference = run(schema, text.split(''), partialNumbers);
  const final = JSON.parse(text) as unknown;
  const verdict = schema.safeParse(final);
  if (verdict.success) {
    if (!reference.ok) throw new Error(`a conforming text failed: ${reference.error?.message}`);
    expect(reference.value).toStrictEqual(verdict.data);
  } else {
    expect(reference.ok, 'a text the schema rejects fails').toBe(false);
    expectPartialOf(reference.value, final);
    if (reference.error?.early) expect(reference.error.position).toBeLessThan(text.length + 1);
  }
  for (const chunks of [[text], [new TextEncoder().encode(text)], ...more]) {
    expect(run(schema, chunks, partialNumbers), `chunks ${JSON.stringify(chunks.map((c) => (typeof c === 'string' ? c : `<${c.length} bytes>`)))}`).toStrictEqual(reference);
  }
  return reference;
}

describe('schema mode: the same failure, position and value for every chunking', () => {
  it('random schemas, conforming and breaking values, random cuts of text and bytes, with and without partialNumbers', () => {
    fc.assert(
      fc.property(caseArb, ({ schema, text, cuts, bytes, partialNumbers }) => {
        everyWay(schema, text, [...cuts, bytes], partialNumbers);
      }),
      { numRuns: runs(2) },
    );
  });

  it('every two-piece cut of a few breaking texts', () => {
    const cases: [Schema, string][] = [
      [z.object({ id: z.number() }), '{"id":"x"}'],
      [z.array(z.number()), '[1,2,"x"]'],
      [z.object({ a: z.string(), b: z.number() }), '{"a":"hello","b":"x"}'],
      [z.null(), '"null"'],
      [z.object({ s: z.string().max(3), t: z.string() }), '{"t":"ok","s":"ab\\u0063d\\n"}'],
      [z.object({ u: z.enum(['celsius', 'fahrenheit']) }), '{"u":"cel\\u0073ius!"}'],
      [z.object({ s: z.string().startsWith('ab') }), '{"s":"a\\"b"}'],
      [z.object({ s: z.string().max(2) }), '{"s":"😀é😀"}'],
    ];
    for (const [schema, text] of cases) {
      const cuts: string[][] = [];
      for (let k = 1; k < text.length; k++) cuts.push([text.slice(0, k), text.slice(k)]);
      everyWay(schema, text, cuts);
    }
  });

  it('pins the issue examples: position and value left', () => {
    const expectFailure = (schema: Schema, text: string, position: number, value: unknown): void => {
      const outcome = everyWay(schema, text);
      expect({ position: outcome.error?.position, value: outcome.value }).toStrictEqual({ position, value });
    };
    expectFailure(z.object({ id: z.number() }), '{"id":"x"}', 6, {});
    expectFailure(z.array(z.number()), '[1,2,"x"]', 5, [1, 2]);
    expectFailure(z.object({ a: z.string(), b: z.number() }), '{"a":"hello","b":"x"}', 17, { a: 'hello' });
    expectFailure(z.null(), '"null"', 0, undefined);
    // a string shown while it grows keeps the text before the character that breaks it
    expectFailure(z.object({ s: z.string().max(3) }), '{"s":"ab\\u0063d"}', 14, { s: 'abc' });
    expectFailure(z.object({ s: z.string().startsWith('ab') }), '{"s":"xy"}', 6, { s: '' });
    // an enum is never shown partially; it fails at the escape that breaks it
    expectFailure(z.object({ u: z.enum(['ab', 'cd']) }), '{"u":"a\\u0063"}', 12, {});
    // a scalar's JSON type is certain at its first character, a literal entirely at its first
    // letter, a number's checks only at the character after it (`-1` may become `-1e-999`)
    expectFailure(z.object({ a: z.string() }), '{"a":  -12.5e1}', 7, {});
    expectFailure(z.object({ a: z.string(), b: z.string() }), '{"a":"x","b":false}', 13, { a: 'x' });
    expectFailure(z.object({ a: z.literal(true) }), '{"a":false}', 5, {});
    expectFailure(z.array(z.number().int()), '[1,2.5 ]', 6, [1]);
    expectFailure(z.array(z.number()).max(1), '[1,\n 2345]', 5, [1]);
    // a string that fails as a whole (format) is shown whole if it grew, at its closing quote
    expectFailure(z.object({ n: z.string(), m: z.string().min(3) }), '{"n":"x","m":"ab"}', 16, { n: 'x', m: 'ab' });
  });
});
