import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { chunked } from '../../src/testing/chunked.js';
import { schemaValue } from '../../src/testing/schema-value.js';
import { SchemaValidationError } from '../../src/index.js';
import { runs } from '../support/shared.js';
import { feed } from './harness.js';

interface Category {
  name: string;
  children: Category[];
}
const Category: z.ZodType<Category> = z.lazy(() =>
  z.object({ name: z.string().max(8), children: z.array(Category).max(3) }),
);

// One schema per family of constructs the guide follows.
const SCHEMAS: Record<string, z.ZodType> = {
  weather: z.object({
    city: z.string().min(1).max(12),
    temp: z.number(),
    unit: z.enum(['celsius', 'fahrenheit']),
    tags: z.array(z.string()).max(3),
    at: z.iso.datetime().optional(),
    note: z.string().nullable(),
  }),
  events: z.object({
    events: z.array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('text'), text: z.string() }),
        z.object({ type: z.literal('tool'), name: z.enum(['search', 'fetch']), args: z.record(z.string(), z.number()) }),
        z.object({ type: z.literal('done'), reason: z.literal(['stop', 'length']).optional() }),
      ]),
    ),
  }),
  mixed: z.array(z.union([z.string().max(4), z.number().int(), z.object({ a: z.boolean() }), z.null()])),
  records: z.record(z.string(), z.object({ n: z.number().min(0), s: z.string().max(5).nullable() })),
  tuple: z.object({ t: z.tuple([z.string(), z.number()], z.boolean()), u: z.tuple([z.uuid(), z.number().optional()]) }),
  strict: z.strictObject({
    id: z.uuid(),
    kind: z.literal('x'),
    nested: z.strictObject({ a: z.number().optional(), b: z.array(z.email()).min(1) }),
  }),
  recursive: z.object({ root: Category }),
  intersection: z.object({ p: z.object({ a: z.string() }).and(z.object({ b: z.array(z.number()).max(2) })) }),
  enumRecord: z.object({ r: z.record(z.enum(['a', 'b']), z.number()) }),
  transforms: z.object({ n: z.string().transform((s) => s.length), d: z.number().default(3).optional() }),
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** JSON.stringify, also recording where each value's text starts and ends. */
function stringifyWithSpans(value: Json): { text: string; spans: Map<string, [number, number]> } {
  const spans = new Map<string, [number, number]>();
  let text = '';
  const walk = (v: Json, path: Path): void => {
    const start = text.length;
    if (Array.isArray(v)) {
      text += '[';
      v.forEach((e, i) => {
        if (i > 0) text += ',';
        walk(e, [...path, i]);
      });
      text += ']';
    } else if (v !== null && typeof v === 'object') {
      text += '{';
      Object.keys(v).forEach((k, i) => {
        if (i > 0) text += ',';
        text += `${JSON.stringify(k)}:`;
        walk(v[k]!, [...path, k]);
      });
      text += '}';
    } else {
      text += JSON.stringify(v);
    }
    spans.set(JSON.stringify(path), [start, text.length]);
  };
  walk(value, []);
  return { text, spans };
}

function nodes(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((e, i) => nodes(e, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) nodes(value[k]!, [...path, k], out);
  return out;
}

type Mutation = 'retype' | 'grow' | 'drop-key' | 'add-key' | 'add-element';

function retyped(v: Json): Json {
  if (typeof v === 'string') return 7;
  if (typeof v === 'number') return '7';
  if (typeof v === 'boolean') return null;
  if (v === null) return [];
  return Array.isArray(v) ? {} : [];
}

/** Applies `kind` at `path` (a deep copy is changed); returns undefined when it does not apply. */
function mutate(value: Json, path: Path, kind: Mutation): Json | undefined {
  const copy = structuredClone(value);
  const parentOf = (p: Path): Json => p.reduce<Json>((v, step) => (v as Record<string | number, Json>)[step]!, copy);
  const node = parentOf(path);
  const set = (v: Json): Json => {
    if (path.length === 0) return v;
    (parentOf(path.slice(0, -1)) as Record<string | number, Json>)[path[path.length - 1]!] = v;
    return copy;
  };
  switch (kind) {
    case 'retype':
      return set(retyped(node));
    case 'grow':
      return typeof node === 'string' ? set(`${node}~grown-far-past-any-limit`) : undefined;
    case 'drop-key': {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      const keys = Object.keys(node);
      if (keys.length === 0) return undefined;
      delete node[keys[0]!];
      return copy;
    }
    case 'add-key':
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      node['zz-extra'] = 1;
      return copy;
    case 'add-element':
      if (!Array.isArray(node)) return undefined;
      node.push(node.length > 0 ? structuredClone(node[node.length - 1]!) : 0);
      return copy;
    default: {
      const exhaustive: never = kind;
      return exhaustive;
    }
  }
}

interface Def {
  type: string;
  innerType?: $ZodType;
  in?: $ZodType;
  shape?: Record<string, $ZodType>;
  catchall?: $ZodType;
  element?: $ZodType;
  items?: $ZodType[];
  rest?: $ZodType | null;
  valueType?: $ZodType;
}

/**
 * How deep along `path` the failure must show at the latest: at the mutated value's close, or,
 * when a union or intersection lies on the way (where other options may live on until the
 * union's value closes), at the close of the outermost one.
 */
function boundDepth(schema: $ZodType, path: Path): number {
  let s: $ZodType | undefined = schema;
  for (let i = 0; i <= path.length && s !== undefined; i++) {
    for (;;) {
      const def = s._zod.def as unknown as Def;
      if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional'].includes(def.type)) s = def.innerType!;
      else if (def.type === 'lazy') s = (s._zod as unknown as { innerType: $ZodType }).innerType;
      else if (def.type === 'pipe') s = def.in!;
      else break;
    }
    const def = s._zod.def as unknown as Def;
    if (def.type === 'union' || def.type === 'intersection') return i;
    if (i === path.length) break;
    const step = path[i]!;
    if (def.type === 'object') s = def.shape![step as string] ?? def.catchall;
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'tuple') s = def.items![step as number] ?? def.rest ?? undefined;
    else s = undefined;
  }
  return path.length;
}

const FREE_TEXT = new Set(['starts_with', 'ends_with', 'includes', 'lowercase', 'uppercase']);

/** Whether the schema at `path` (when no union or intersection lies on the way) is a string that must appear whole. */
function atomicAt(schema: $ZodType, path: Path): boolean {
  let s: $ZodType | undefined = schema;
  for (let i = 0; i <= path.length && s !== undefined; i++) {
    for (;;) {
      const def = s._zod.def as unknown as Def;
      if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional'].includes(def.type)) s = def.innerType!;
      else if (def.type === 'lazy') s = (s._zod as unknown as { innerType: $ZodType }).innerType;
      else if (def.type === 'pipe') s = def.in!;
      else break;
    }
    const def = s._zod.def as unknown as Def & { check?: string; format?: string; checks?: { _zod: { def: { check: string; format?: string } } }[] };
    if (i === path.length) {
      if (['enum', 'literal', 'template_literal'].includes(def.type)) return true;
      if (def.type !== 'string') return false;
      const formats = [def.check === 'string_format' ? def.format : undefined, ...(def.checks ?? []).map((c) => c._zod.def.check === 'string_format' ? c._zod.def.format : undefined)];
      return formats.some((f) => f !== undefined && !FREE_TEXT.has(f));
    }
    const step = path[i]!;
    if (def.type === 'object') s = def.shape![step as string] ?? def.catchall;
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'tuple') s = def.items![step as number] ?? def.rest ?? undefined;
    else s = undefined;
  }
  return false;
}

/** Strings in a snapshot: each is the final string or, only where the schema allows free text, a prefix of it. */
function checkStrings(schema: $ZodType, snapshot: unknown, final: unknown, path: Path = []): void {
  if (typeof snapshot === 'string') {
    if (snapshot === final) return;
    expect(typeof final === 'string' && final.startsWith(snapshot), `string at ${JSON.stringify(path)} is a prefix`).toBe(true);
    expect(atomicAt(schema, path), `string at ${JSON.stringify(path)} may be partial`).toBe(false);
  } else if (snapshot !== null && typeof snapshot === 'object') {
    for (const [k, v] of Object.entries(snapshot)) {
      const step = Array.isArray(snapshot) ? Number(k) : k;
      checkStrings(schema, v, (final as Record<string, unknown>)[k], [...path, step]);
    }
  }
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

describe.each(Object.entries(SCHEMAS))('schema %s', (_name, schema) => {
  it('values generated from the schema, cut anywhere, never fail and end as the parse', () => {
    fc.assert(
      fc.property(
        schemaValue(schema as $ZodType).chain((value) => {
          const text = JSON.stringify(value);
          return chunked(text).map((chunks) => ({ value, chunks }));
        }),
        ({ value, chunks }) => {
          const outcome = feed(schema as $ZodType, chunks);
          if (!outcome.ok) throw outcome.error;
          expect(outcome.value).toStrictEqual(schema.parse(value));
          for (const snapshot of outcome.snapshots) checkStrings(schema as $ZodType, snapshot, value);
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('values mutated to break the schema fail no later than the mutated value closes', () => {
    const mutations: Mutation[] = ['retype', 'grow', 'drop-key', 'add-key', 'add-element'];
    fc.assert(
      fc.property(
        schemaValue(schema as $ZodType)
          .chain((value) =>
            fc.record({
              value: fc.constant(value as Json),
              at: fc.nat(),
              kind: fc.constantFrom(...mutations),
            }),
          )
          .chain((m) => {
            const all = nodes(m.value);
            const path = all[m.at % all.length]!;
            const mutated = mutate(m.value, path, m.kind);
            const { text, spans } = stringifyWithSpans(mutated ?? m.value);
            return chunked(text).map((chunks) => ({ ...m, path, mutated, text, spans, chunks }));
          }),
        ({ value, path, mutated, text, spans, chunks }) => {
          fc.pre(mutated !== undefined);
          const outcome = feed(schema as $ZodType, chunks);
          const verdict = schema.safeParse(mutated);
          if (verdict.success) {
            if (!outcome.ok) throw outcome.error;
            expect(outcome.value).toStrictEqual(verdict.data);
            return;
          }
          expect(outcome.ok).toBe(false);
          if (outcome.ok) return;
          if (!(outcome.error instanceof SchemaValidationError)) throw outcome.error;
          const depth = boundDepth(schema as $ZodType, path);
          const [, end] = spans.get(JSON.stringify(path.slice(0, depth)))!;
          if (!outcome.error.early) {
            // only the root's own checks wait for end()
            expect(depth).toBe(0);
            return;
          }
          const position = outcome.error.position!;
          expect(position).toBeLessThanOrEqual(end);
          expect(position).toBeGreaterThanOrEqual(firstDifference(JSON.stringify(value), text));
        },
      ),
      { numRuns: runs(1) },
    );
  });
});
