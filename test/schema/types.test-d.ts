import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { createPartialParser } from '../../src/partial/index.js';
import type { DeepPartial, SchemaInput, SchemaOutput, StandardSchemaV1 } from '../../src/index.js';
import { parseStream } from '../../src/streams/index.js';

describe('createPartialParser({ schema })', () => {
  it('types value as the deep partial of the input and end() as the output', () => {
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

  it('a Standard Schema: value from its input type, end() from its output type', () => {
    const schema = {} as StandardSchemaV1<{ id: string; tags: string[] }, { id: number; tags: string[] }>;
    const parser = createPartialParser({ schema });
    expectTypeOf(parser.end()).toEqualTypeOf<{ id: number; tags: string[] }>();
    expectTypeOf(parser.value).toEqualTypeOf<{ id?: string; tags?: string[] } | undefined>();
    // a schema that says nothing about its input: partial values are unknown JSON
    const opaque = {} as StandardSchemaV1<unknown, { id: number }>;
    expectTypeOf(createPartialParser({ schema: opaque }).value).toEqualTypeOf<unknown>();
  });

  it('transforms and coercions: partial values are the JSON input, end() the output', () => {
    const S = z.object({ when: z.string().transform((s) => new Date(s)), n: z.coerce.number<string>(), d: z.number().default(1) });
    const parser = createPartialParser({
      schema: S,
      onPartial: (value) => expectTypeOf(value).toEqualTypeOf<{ when?: string; n?: string; d?: number | undefined }>(),
    });
    expectTypeOf(parser.value).toEqualTypeOf<{ when?: string; n?: string; d?: number | undefined } | undefined>();
    // the bug this pins: `when` is still the JSON string while streaming
    // @ts-expect-error a partial `when` is a string, not a Date
    parser.value?.when?.getTime();
    expectTypeOf(parser.end()).toEqualTypeOf<{ when: Date; n: number; d: number }>();
    expectTypeOf(parser.end().when.getTime()).toEqualTypeOf<number>();
  });

  it('parseStream: updates hold the input while streaming, the output when done', async () => {
    const S = z.object({ when: z.iso.date().transform((s) => new Date(s)) });
    const stream = parseStream(new ReadableStream<string>(), { schema: S });
    expectTypeOf(stream.value).toEqualTypeOf<{ when?: string } | { when: Date } | undefined>();
    for await (const update of stream) {
      if (update.done) expectTypeOf(update.value).toEqualTypeOf<{ when: Date }>();
      else expectTypeOf(update.value).toEqualTypeOf<{ when?: string } | undefined>();
    }
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

  it('SchemaInput', () => {
    expectTypeOf<SchemaInput<z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>>>().toEqualTypeOf<string>();
    expectTypeOf<SchemaInput<z.ZodDefault<z.ZodNumber>>>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SchemaInput<StandardSchemaV1<string, boolean>>>().toEqualTypeOf<string>();
    expectTypeOf<SchemaInput<42>>().toBeUnknown();
  });

  it('SchemaOutput', () => {
    expectTypeOf<SchemaOutput<z.ZodNumber>>().toEqualTypeOf<number>();
    expectTypeOf<SchemaOutput<z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>>>().toEqualTypeOf<number>();
    expectTypeOf<SchemaOutput<StandardSchemaV1<string, boolean>>>().toEqualTypeOf<boolean>();
    expectTypeOf<SchemaOutput<42>>().toBeUnknown();
  });
});
