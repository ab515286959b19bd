import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { parseStream } from '../../src/streams/index.js';
import { toUpdateEventStream } from '../../src/forward/index.js';

describe('parseStream with a transforming schema, forwarded', () => {
  it('toUpdateEventStream accepts the updates of a schema with transforms and defaults', () => {
    const S = z.object({ when: z.iso.date().transform((s) => new Date(s)), n: z.number().default(1) });
    const stream = parseStream(new ReadableStream<string>(), { schema: S });
    expectTypeOf(toUpdateEventStream(stream)).toEqualTypeOf<ReadableStream<Uint8Array>>();
  });
});
