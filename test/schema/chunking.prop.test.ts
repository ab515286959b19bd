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
import { lenient, ParseError, SchemaValidationError } from '../../src/index.js';
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
  /** After a failure, the parser's `position`, `path`, `pending` and `complete`. */
  where?: unknown;
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
      where: [parser.position, parser.path, parser.pending, parser.complete],
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

// ---------------------------------------------------------------------------------------------
// damaged texts: what the tokenizer rejects or repairs, around and inside the schema's values

/** Text that a model writes where JSON belongs: bad escapes, raw control characters, JS literals. */
const SNIPPETS = ["'", "'x'", '\\z', '\\{', '\\q', '\\u12', '\n', '\t', '\u0001', 'NaN', 'Infinity', '-Infinity', 'True', 'undefined', '"', '\\'];
/** Text before the value: a BOM, prose, a reasoning block, a fence (held back while undecided). */
const PREFIXES = ['', '', '\uFEFF', 'Here is the JSON:\n', '<think>x</think>', '<thinking>a "b"</thinking>\n', '```json\n', '<t>'];
const TOKEN = /-?\d[\d.eE+-]*|true|false|null|"(?:[^"\\]|\\.)*"/g;

/** `text` with the snippet inserted at `at`, or put in place of the token `at` picks. */
function damaged(text: string, edits: readonly [number, number, boolean][]): string {
  for (const [at, pick, replace] of edits) {
    const snippet = SNIPPETS[pick % SNIPPETS.length]!;
    const tokens = replace ? [...text.matchAll(TOKEN)] : [];
    const token = tokens[at % Math.max(1, tokens.length)];
    if (token !== undefined) text = text.slice(0, token.index) + snippet + text.slice(token.index + token[0].length);
    else {
      let i = at % (text.length + 1);
      if (/[\uD800-\uDBFF]/.test(text.charAt(i - 1))) i++; // never between the halves of a pair
      text = text.slice(0, i) + snippet + text.slice(i);
    }
  }
  return text;
}

interface Options {
  lenient: boolean;
  maxStringLength: number | undefined;
}

/** The failure (class, code, position) a run ends with, or the value it gives. */
function failure(schema: Schema, chunks: readonly (string | Uint8Array)[], options: Options): unknown {
  const parser = createPartialParser({
    schema,
    guide: zodGuide,
    ...(options.lenient ? { lenient: lenient() } : {}),
    ...(options.maxStringLength === undefined ? {} : { maxStringLength: options.maxStringLength }),
  });
  try {
    for (const chunk of chunks) parser.write(chunk);
    return { ok: parser.end() };
  } catch (error) {
    if (error instanceof ParseError) return { name: error.name, code: error.code, position: error.position };
    if (!(error instanceof SchemaValidationError)) throw error;
    return { name: error.name, code: error.issues[0]?.code, early: error.early, position: error.position, value: parser.value };
  }
}

const damagedArb = caseArb.chain(({ schema, text }) =>
  fc
    .record({
      edits: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 2 }),
      prefix: fc.constantFrom(...PREFIXES),
      suffix: fc.constantFrom('', '', '\n```', ' and more'),
      lenient: fc.boolean(),
      maxStringLength: fc.option(fc.nat(4), { nil: undefined }),
      // the stream cut short (lenient mode closes what is open)
      cut: fc.option(fc.nat(), { nil: undefined }),
    })
    .chain(({ edits, prefix, suffix, lenient, maxStringLength, cut }) => {
      let damagedText = prefix + damaged(text, edits) + suffix;
      if (cut !== undefined) damagedText = damagedText.slice(0, cut % (damagedText.length + 1));
      if (/[\uD800-\uDBFF]$/.test(damagedText)) damagedText = damagedText.slice(0, -1);
      return fc.record({
        schema: fc.constant(schema),
        text: fc.constant(damagedText),
        options: fc.constant({ lenient, maxStringLength }),
        cuts: fc.array(chunked(damagedText), { minLength: 2, maxLength: 2 }),
        bytes: utf8Chunks(damagedText),
      });
    }),
);

describe('schema mode: damaged texts fail the same way for every chunking', () => {
  const expectSame = (schema: Schema, text: string, options: Options, more: readonly (readonly (string | Uint8Array)[])[] = []): unknown => {
    const reference = failure(schema, [text], options);
    const bytes = new TextEncoder().encode(text);
    const ways = [text.split(''), [bytes], Array.from(bytes, (b) => Uint8Array.of(b)), ...more];
    for (const chunks of ways) {
      expect(failure(schema, chunks, options), `chunks ${JSON.stringify(chunks.map((c) => (typeof c === 'string' ? c : `<${c.length} bytes>`)))}`).toStrictEqual(reference);
    }
    return reference;
  };

  it('bad escapes, control characters, BOM, maxStringLength, lenient literals, kept backslashes, held-back prefixes', () => {
    fc.assert(
      fc.property(damagedArb, ({ schema, text, options, cuts, bytes }) => {
        expectSame(schema, text, options, [...cuts, bytes]);
      }),
      { numRuns: runs(2) },
    );
  });

  it('pins the cases: the schema failure found first wins, at the same place for every chunking', () => {
    const strict: Options = { lenient: false, maxStringLength: undefined };
    const loose: Options = { lenient: true, maxStringLength: undefined };
    const at = (schema: Schema, text: string, options: Options, position: number, name = 'SchemaValidationError', chunks?: string[]): void => {
      const outcome = expectSame(schema, text, options, chunks === undefined ? [] : [chunks]) as { name: string; position: number };
      expect({ name: outcome.name, position: outcome.position }, text).toStrictEqual({ name, position });
    };
    // a string of the wrong type fails at its quote, before the bad escape or control character
    at(z.object({}), ' "\\z" ', strict, 1);
    at(z.array(z.string().startsWith('ab')), '["ba\\{"]', strict, 2);
    at(z.string().startsWith('ab'), '"b\\{"', strict, 1);
    at(z.array(z.enum(['red', 'green'])), '["x\n"]', strict, 2);
    at(z.enum(['red', 'green']), '"x\\q"', strict, 1);
    // a bad escape before anything the schema rejects is the ParseError
    at(z.string().startsWith('ab'), '"a\\zb"', strict, 3, 'ParseError');
    // maxStringLength: the schema failure at the quote comes first
    at(z.object({ a: z.number() }), '{"a":"abc"}', { lenient: false, maxStringLength: 1 }, 5);
    at(z.array(z.number()), '["ab"]', { lenient: false, maxStringLength: 0 }, 1);
    at(z.number(), '"ab"', { lenient: false, maxStringLength: 1 }, 0);
    // a BOM counts one code unit, in text and in bytes
    at(z.array(z.string()), '\uFEFF[1]', strict, 2);
    at(z.object({}), '\uFEFF"a"', strict, 1);
    // lenient: a JS literal read as a string fails at its first character
    at(z.array(z.boolean()), '[NaN]', loose, 1);
    at(z.object({ a: z.boolean() }), '{"a":NaN}', loose, 5);
    at(z.object({ a: z.boolean() }), '{"a":Infinity}', loose, 5);
    at(z.object({ a: z.boolean() }), '{"a":-Infinity}', loose, 5);
    at(z.boolean(), 'NaN', loose, 0);
    at(z.boolean(), 'NaN"awL"', loose, 0);
    at(z.array(z.string()), '[undefined]', loose, 1);
    // lenient: a kept backslash is one character
    at(z.string().max(1), '"\\{"', loose, 2);
    at(z.string().max(2), '"a\\{"', loose, 3);
    at(z.enum(['green', 'a"b']), '"a\\z\\"b"', { lenient: true, maxStringLength: 2 }, 2);
    // lenient: a single-quoted string fails at its quote, whatever double quotes come after it
    at(z.object({ v: z.number() }), '{"v":\',"kids":[1]', loose, 5);
    at(z.array(z.literal(7)), "['7', 'x']", loose, 1);
    // lenient: a string the text cut short, ending on an apostrophe, fails at its quote
    at(z.array(z.number()), '["it\'', loose, 1);
    // lenient: text held back while undecided (`<` may open `<think>`) is counted once
    at(z.object({ a: z.string().max(1) }), '<t>{"a":"ab"}', loose, 10, 'SchemaValidationError', ['<', 't>{"a":"ab"}']);
    at(z.array(z.string().max(1)), '<think>x</think>["ab"]', loose, 19);
  });
});
