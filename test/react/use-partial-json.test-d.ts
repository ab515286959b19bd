import { createPartialStore, type PartialSnapshot } from 'streamshape';
import { usePartialJson, usePartialStore } from 'streamshape/react';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';

declare const body: ReadableStream<Uint8Array>;
const Recipe = z.object({ title: z.string(), servings: z.number().transform((n) => String(n)) });

describe('usePartialJson types', () => {
  it('with a schema: partial values of the input, the final value of the output', () => {
    const state = usePartialJson(body, { schema: Recipe });
    expectTypeOf(state.value).toEqualTypeOf<{ title?: string; servings?: number } | { title: string; servings: string } | undefined>();
    expectTypeOf(state.done).toEqualTypeOf<boolean>();
    expectTypeOf(state.pending).toEqualTypeOf<readonly string[]>();
    expectTypeOf(state.error).toEqualTypeOf<unknown>();
  });

  it('without a schema: unknown; with a type argument: that type', () => {
    expectTypeOf(usePartialJson(null).value).toEqualTypeOf<unknown>();
    expectTypeOf(usePartialJson<{ a: number }>(body).value).toEqualTypeOf<{ a?: number } | { a: number } | undefined>();
  });

  it('usePartialStore keeps the store types', () => {
    const store = createPartialStore(body, { schema: Recipe });
    expectTypeOf(usePartialStore(store)).toEqualTypeOf<PartialSnapshot<{ title: string; servings: string }, { title?: string; servings?: number }>>();
  });
});
