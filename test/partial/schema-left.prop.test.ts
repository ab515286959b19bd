/**
 * What a schema failure leaves is the same for every chunking, as a ParseError's is
 * (errors.prop.test.ts): the error and its position, the value, the parser's `position`, `path`,
 * `pending` and `complete`, the text `onText` delivered and the elements `onElement` delivered,
 * with and without `partialNumbers`. (test/schema/chunking.prop.test.ts draws random schemas for
 * the error and the value; this one draws texts for a few schemas and reads everything else.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyDelta, createPartialParser, pointers, SchemaValidationError, type Delta } from '../../src/index.js';
import { zodGuide } from '../../src/schema/index.js';
import { chunked, deepEqualJson, utf8Chunks } from '../../src/testing/index.js';
import { findLoneSurrogate } from '../../src/testing/chunked.js';
import { runs } from '../support/shared.js';

const SCHEMAS: z.ZodType[] = [
  z.string().max(3),
  z.object({ a: z.string().max(2), b: z.number().max(50) }),
  z.array(z.enum(['red', 'green'])),
  z.array(z.object({ n: z.number().int(), s: z.string().startsWith('ab') })),
  z.object({ list: z.array(z.string().max(4)), ok: z.boolean() }),
];

// Values near the schemas' shapes: strings around the limits, numbers around the bounds.
const scalar = fc.oneof(
  fc.constantFrom('a', 'ab', 'abc', 'abcde', 'red', 'gre', 'green', 'é😀', 'ab"c'),
  fc.constantFrom(1, 12, 49, 51, 123, 1.5, -2, 0),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'n', 's', 'list', 'ok'), tie('v'), { maxKeys: 3 }),
  ),
})).v;

interface Left {
  error: [string, number | undefined] | undefined;
  value: unknown;
  replayed: unknown;
  where: unknown;
  texts: Record<string, string>;
  elements: [string, unknown][];
}

function leftBy(schema: z.ZodType, chunks: readonly (string | Uint8Array)[], partialNumbers: boolean): Left {
  let replayed: unknown;
  const texts: Record<string, string> = {};
  const elements: [string, unknown][] = [];
  const parser = createPartialParser({
    schema,
    guide: zodGuide,
    partialNumbers,
    onDelta: (d: Delta[]) => void (replayed = applyDelta(replayed, d)),
    text: pointers('', '/*', '/*/*', '/*/*/*'),
    onText: (delta, pointer) => void (texts[pointer] = (texts[pointer] ?? '') + delta),
    select: pointers('/*', '/*/*'),
    onElement: (element, pointer) => void elements.push([pointer, element]),
  });
  let error: [string, number | undefined] | undefined;
  try {
    for (const chunk of chunks) parser.write(chunk);
    parser.end();
  } catch (e) {
    if (!(e instanceof SchemaValidationError) && !(e instanceof SyntaxError)) throw e;
    error = [e.name, (e as { position?: number }).position];
  }
  const where = [parser.position, parser.path, parser.pending, parser.complete];
  return { error, value: parser.value, replayed, where, texts, elements };
}

describe('a schema failure leaves the same state for every chunking', () => {
  it('error, value, deltas, position, path, pending, complete, onText and onElement', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCHEMAS.keys()),
        value.map((v) => JSON.stringify(v)).chain((text) => fc.tuple(fc.constant(text), chunked(text), findLoneSurrogate(text) === -1 ? utf8Chunks(text) : fc.constant(undefined))),
        fc.boolean(),
        (index, [text, chunks, bytes], partialNumbers) => {
          const schema = SCHEMAS[index]!;
          const whole = leftBy(schema, [text], partialNumbers);
          expect(deepEqualJson(whole.replayed, whole.value), 'the deltas give the value left').toBe(true);
          if (whole.error !== undefined && whole.error[1] !== undefined) expect((whole.where as number[])[0]).toBe(whole.error[1]);
          for (const cut of [[...text], chunks, ...(bytes === undefined ? [] : [bytes])]) {
            const left = leftBy(schema, cut, partialNumbers);
            expect(left.error).toEqual(whole.error);
            expect(deepEqualJson(left.value, whole.value)).toBe(true);
            expect(deepEqualJson(left.replayed, left.value)).toBe(true);
            expect(left.where).toEqual(whole.where);
            expect(left.texts).toEqual(whole.texts);
            expect(left.elements).toEqual(whole.elements);
          }
        },
      ),
      { numRuns: runs(3) },
    );
  });

  it('a string the schema cuts stays open: path, pending and onText as if the write had ended there', () => {
    for (const chunks of [['{"a":"abc"}'], [...'{"a":"abc"}']]) {
      const left = leftBy(SCHEMAS[1]!, chunks, false);
      expect(left).toMatchObject({ error: ['SchemaValidationError', 8], value: { a: 'ab' }, where: [8, ['a'], ['/a'], false], texts: { '/a': 'ab' } });
    }
  });
});
