import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { createPartialParser } from '../../src/partial/index.js';
import type { DeepPartial, SchemaOutput, StandardSchemaV1 } from '../../src/schema/index.js';

describe('createPartialParser({ schema })', () => {
  it('types value as the deep partial of the output and end() as the output', () => {
    const Weather = z.object({
      city: z.string(),
      temp: z.number(),
      unit: z.enum(['C', 'F']),
      days: z.array(z.object({ t: z.number(), rain: z.boolean().nullable() })),
      note: z.string().optional(),
    });
    const parser = createPartialParser({ schema: Weather });
    expectTypeOf(parser.value).toEqualTypeOf<
      | {
          city?: string;
          temp?: number;
          unit?: 'C' | 'F';
          days?: { t?: number; rain?: boolean | null }[];
          note?: string | undefined;
        }
      | undefined
    >();
    expectTypeOf(parser.end()).toEqualTypeOf<{
      city: string;
      temp: number;
      unit: 'C' | 'F';
      days: { t: number; rain: boolean | null }[];
      note?: string | undefined;
    }>();
  });

  it('types onPartial like value', () => {
    createPartialParser({
      schema: z.object({ a: z.number() }),
      onPartial: (value) => expectTypeOf(value).toEqualTypeOf<{ a?: number }>(),
    });
  });

  it('end() has transforms and defaults applied', () => {
    const S = z.object({ n: z.string().transform((s) => s.length), d: z.number().default(1) });
    const parser = createPartialParser({ schema: S });
    expectTypeOf(parser.end()).toEqualTypeOf<{ n: number; d: number }>();
  });

  it('unions, discriminated unions, tuples and records', () => {
    const Shape = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('circle'), r: z.number() }),
      z.object({ kind: z.literal('square'), side: z.number() }),
    ]);
    expectTypeOf(createPartialParser({ schema: Shape }).value).toEqualTypeOf<
      { kind?: 'circle'; r?: number } | { kind?: 'square'; side?: number } | undefined
    >();
    const Pair = z.tuple([z.string(), z.number()]);
    expectTypeOf(createPartialParser({ schema: Pair }).value).toEqualTypeOf<[string?, number?] | undefined>();
    expectTypeOf(createPartialParser({ schema: Pair }).end()).toEqualTypeOf<[string, number]>();
    const Scores = z.record(z.string(), z.array(z.number()));
    expectTypeOf(createPartialParser({ schema: Scores }).value).toEqualTypeOf<
      { [key: string]: number[] | undefined } | undefined
    >();
    const Mixed = z.union([z.string(), z.array(z.object({ a: z.number() }))]);
    expectTypeOf(createPartialParser({ schema: Mixed }).value).toEqualTypeOf<string | { a?: number }[] | undefined>();
  });

  it('zod/mini schemas', () => {
    const S = zm.object({ a: zm.string(), b: zm.optional(zm.array(zm.number())) });
    const parser = createPartialParser({ schema: S });
    expectTypeOf(parser.value).toEqualTypeOf<{ a?: string; b?: number[] | undefined } | undefined>();
    expectTypeOf(parser.end()).toEqualTypeOf<{ a: string; b?: number[] | undefined }>();
  });

  it('a Standard Schema gives its output type', () => {
    const schema = {} as StandardSchemaV1<unknown, { id: number; tags: string[] }>;
    const parser = createPartialParser({ schema });
    expectTypeOf(parser.end()).toEqualTypeOf<{ id: number; tags: string[] }>();
    expectTypeOf(parser.value).toEqualTypeOf<{ id?: number; tags?: string[] } | undefined>();
  });

  it('without a schema, unknown', () => {
    expectTypeOf(createPartialParser().end()).toEqualTypeOf<unknown>();
  });
});

describe('DeepPartial and SchemaOutput', () => {
  it('DeepPartial', () => {
    expectTypeOf<DeepPartial<{ a: { b: string[] } }>>().toEqualTypeOf<{ a?: { b?: string[] } }>();
    expectTypeOf<DeepPartial<readonly { x: 1 }[]>>().toEqualTypeOf<{ x?: 1 }[]>();
    expectTypeOf<DeepPartial<string | null>>().toEqualTypeOf<string | null>();
    expectTypeOf<DeepPartial<any>>().toBeAny();
    expectTypeOf<DeepPartial<unknown>>().toBeUnknown();
    expectTypeOf<DeepPartial<{ d: Date }>>().toEqualTypeOf<{ d?: Date }>();
  });

  it('SchemaOutput', () => {
    expectTypeOf<SchemaOutput<z.ZodNumber>>().toEqualTypeOf<number>();
    expectTypeOf<SchemaOutput<z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>>>().toEqualTypeOf<number>();
    expectTypeOf<SchemaOutput<StandardSchemaV1<string, boolean>>>().toEqualTypeOf<boolean>();
    expectTypeOf<SchemaOutput<42>>().toBeUnknown();
  });
});
