import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import type { $ZodType } from 'zod/v4/core';
import { deepEqualJson, schemaValue } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const numRuns = runs();

interface Category {
  name: string;
  children: Category[];
}
const CategorySchema: z.ZodType<Category> = z.object({
  name: z.string(),
  get children() {
    return z.array(CategorySchema);
  },
});

interface List {
  value: number;
  next?: List | undefined;
}
const ListSchema: z.ZodType<List> = z.lazy(() => z.object({ value: z.int(), next: ListSchema.optional() }));

const classic: Record<string, $ZodType> = {
  'string min/max': z.string().min(2).max(5),
  'string length': z.string().length(3),
  'string affixes': z.string().startsWith('ab').endsWith('yz').lowercase().max(12),
  uppercase: z.string().uppercase().min(1),
  email: z.email(),
  'string().email()': z.string().email(),
  uuid: z.uuid(),
  uuidv4: z.uuidv4(),
  guid: z.guid(),
  url: z.url(),
  httpUrl: z.httpUrl(),
  datetime: z.iso.datetime(),
  'datetime offset precision': z.iso.datetime({ offset: true, precision: 3 }),
  'datetime local': z.iso.datetime({ local: true }),
  date: z.iso.date(),
  time: z.iso.time(),
  duration: z.iso.duration(),
  ipv4: z.ipv4(),
  ipv6: z.ipv6(),
  cidrv4: z.cidrv4(),
  base64: z.base64(),
  base64url: z.base64url(),
  jwt: z.jwt(),
  emoji: z.emoji(),
  nanoid: z.nanoid(),
  cuid: z.cuid(),
  cuid2: z.cuid2(),
  ulid: z.ulid(),
  e164: z.e164(),
  regex: z.string().regex(/^[a-f]{2,4}-\d+$/),
  'number bounds': z.number().gt(0).lt(1),
  'int bounds': z.int().min(3).max(9),
  'int positive': z.int().positive(),
  'multipleOf decimal': z.number().multipleOf(0.1).min(-5).max(5),
  'multipleOf int': z.int().multipleOf(7).max(100),
  int32: z.int32(),
  uint32: z.uint32(),
  float32: z.float32(),
  nonnegative: z.number().nonnegative(),
  boolean: z.boolean(),
  null: z.null(),
  object: z.object({ a: z.string(), b: z.number().optional(), c: z.boolean().nullable(), d: z.string().default('x') }),
  strictObject: z.strictObject({ a: z.literal('x'), b: z.int().optional() }),
  looseObject: z.looseObject({ a: z.string() }),
  catchall: z.object({ a: z.string() }).catchall(z.number()),
  'array min/max': z.array(z.string()).min(1).max(3),
  'array length': z.array(z.boolean()).length(2),
  tuple: z.tuple([z.string(), z.number().optional()], z.boolean()),
  'tuple optional tail': z.tuple([z.string(), z.int().optional(), z.boolean().optional()]),
  record: z.record(z.string(), z.number()),
  'record enum keys': z.record(z.enum(['a', 'b']), z.number()),
  partialRecord: z.partialRecord(z.enum(['a', 'b']), z.number()),
  'record number keys': z.record(z.number(), z.string()),
  'record key checks': z.record(z.string().min(2), z.int()),
  union: z.union([z.string(), z.number()]),
  discriminatedUnion: z.discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({ type: z.literal('image'), url: z.url(), width: z.int().positive() }),
  ]),
  xor: z.xor([z.string(), z.int()]),
  enum: z.enum(['A', 'B', 'C']),
  'native enum': z.enum({ Up: 1, Down: 2 }),
  literal: z.literal([1, 'two', null, true]),
  intersection: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })),
  'string intersection': z.string().and(z.string().min(3)),
  'recursive getter': CategorySchema,
  lazy: ListSchema,
  transform: z.string().transform((s) => s.length),
  pipe: z.string().pipe(z.email()),
  codec: z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() }),
  refine: z.string().refine((s) => s.length % 2 === 0),
  'object refine': z.object({ a: z.int(), b: z.int() }).refine((o) => o.a <= o.b),
  'coerce date': z.coerce.date(),
  'coerce number': z.coerce.number().int().min(0).max(10),
  unknown: z.unknown(),
  any: z.object({ x: z.any() }),
  templateLiteral: z.templateLiteral(['id-', z.int(), '-', z.enum(['a', 'b'])]),
  catch: z.object({ a: z.string().catch('fallback') }),
  readonly: z.object({ a: z.array(z.number()).readonly() }),
  nullish: z.object({ a: z.string().nullish() }),
  'nested optional default': z.object({ settings: z.object({ theme: z.enum(['dark', 'light']).default('dark') }).optional() }),
};

const mini: Record<string, $ZodType> = {
  object: zm.object({ a: zm.string().check(zm.minLength(3)), b: zm.optional(zm.array(zm.number())), c: zm.email() }),
  strictObject: zm.strictObject({ a: zm.int(), b: zm.nullable(zm.boolean()) }),
  union: zm.union([zm.literal('x'), zm.array(zm.int()).check(zm.maxLength(2))]),
  record: zm.record(zm.string(), zm.uuid()),
  tuple: zm.tuple([zm.string(), zm.number().check(zm.gte(0), zm.lt(10))]),
};

function checkSchema(schema: $ZodType): void {
  fc.assert(
    fc.property(schemaValue(schema), (value) => {
      const result = (schema as z.ZodType).safeParse(value);
      if (!result.success) throw new Error(`rejected ${JSON.stringify(value)}: ${result.error.message}`);
      // plain JSON: survives a round trip through text
      const text = JSON.stringify(value);
      expect(deepEqualJson(JSON.parse(text), value)).toBe(true);
    }),
    { numRuns },
  );
}

describe('schemaValue', () => {
  it.each(Object.entries(classic))('generates values that zod accepts: %s', (_name, schema) => {
    checkSchema(schema);
  });

  it.each(Object.entries(mini))('works with zod/mini: %s', (_name, schema) => {
    checkSchema(schema);
  });

  it('generates extra keys for loose objects only, unless asked', () => {
    const loose = fc.sample(schemaValue(z.looseObject({ a: z.string() })), { numRuns: 200, seed: 1 });
    expect(loose.some((v) => Object.keys(v).length > 1)).toBe(true);
    const strip = fc.sample(schemaValue(z.object({ a: z.string() })), { numRuns: 200, seed: 1 });
    expect(strip.every((v) => Object.keys(v).length === 1)).toBe(true);
    const all = fc.sample(schemaValue(z.object({ a: z.string() }), { extraKeys: 'all' }), { numRuns: 200, seed: 1 });
    expect(all.some((v) => Object.keys(v).length > 1)).toBe(true);
    const none = fc.sample(schemaValue(z.looseObject({ a: z.string() }), { extraKeys: 'none' }), { numRuns: 100, seed: 1 });
    expect(none.every((v) => Object.keys(v).length === 1)).toBe(true);
  });

  it('sometimes leaves optional properties out', () => {
    const values = fc.sample(schemaValue(z.object({ a: z.string().optional(), b: z.int().default(1) })), { numRuns: 100, seed: 4 });
    expect(values.some((v) => !('a' in v))).toBe(true);
    expect(values.some((v) => 'a' in v)).toBe(true);
    expect(values.some((v) => !('b' in v))).toBe(true);
  });

  it('bounds recursion by maxDepth', () => {
    const depth = (c: Category): number => 1 + Math.max(0, ...c.children.map(depth));
    for (const value of fc.sample(schemaValue(CategorySchema, { maxDepth: 2 }), { numRuns: 100, seed: 8 })) {
      expect(depth(value as Category)).toBeLessThanOrEqual(3);
    }
  });

  it('honours maxLength and maxStringLength', () => {
    fc.assert(
      fc.property(schemaValue(z.array(z.string()), { maxLength: 2, maxStringLength: 3 }), (value) => {
        expect(value.length).toBeLessThanOrEqual(2);
        for (const s of value) expect(Array.from(s).length).toBeLessThanOrEqual(3);
      }),
      { numRuns },
    );
  });

  it('throws a clear error for schemas without JSON values', () => {
    expect(() => schemaValue(z.date())).toThrow(/z\.date\(\), which accepts Date objects only/);
    expect(() => schemaValue(z.object({ a: z.object({ when: z.date() }) }))).toThrow(/at \.a\.when is z\.date\(\)/);
    expect(() => schemaValue(z.bigint())).toThrow(/z\.bigint\(\)/);
    expect(() => schemaValue(z.map(z.string(), z.string()))).toThrow(/z\.map\(\)/);
    expect(() => schemaValue(z.set(z.string()))).toThrow(/z\.set\(\)/);
    expect(() => schemaValue(z.undefined())).toThrow(/z\.undefined\(\)/);
    expect(() => schemaValue(z.never())).toThrow(/z\.never\(\)/);
    expect(() => schemaValue(z.custom<string>(() => true))).toThrow(/z\.custom\(\)/);
    expect(() => schemaValue(z.preprocess((x) => x, z.string()))).toThrow(/z\.preprocess\(\)/);
    expect(() => schemaValue(z.string().min(5).max(2))).toThrow(/minimum length 5 exceeds maximum 2/);
    expect(() => schemaValue(z.int().min(3).max(2))).toThrow(/no number satisfies/);
    expect(() => schemaValue({} as $ZodType)).toThrow(/not a zod 4 schema/);
    const Endless: z.ZodType<{ next: unknown }> = z.lazy(() => z.object({ next: Endless }));
    expect(() => schemaValue(Endless)).toThrow(/recurses without a way out/);
  });

  it('skips union options it cannot generate, and leaves out impossible optional properties', () => {
    checkSchema(z.union([z.date(), z.string()]));
    checkSchema(z.object({ a: z.undefined().optional(), b: z.date().optional(), c: z.string() }));
  });
});
