/**
 * A new user's review of lenient mode's newest parts (issue 14 items 1, 4): string-as-json with a
 * schema guide. Each test pins a bug found by trying to break them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPartialParser, SchemaValidationError } from '../../src/index.js';
import { zodGuide } from '../../src/schema/index.js';
import { chunked, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

type Outcome = { position?: number; early?: boolean; value: string; final?: string };

function outcome(schema: z.ZodType, chunks: readonly (string | Uint8Array)[]): Outcome {
  const parser = createPartialParser({ schema, guide: zodGuide, lenient: true });
  try {
    for (const chunk of chunks) parser.write(chunk);
    return { value: JSON.stringify(parser.value), final: JSON.stringify(parser.end()) };
  } catch (error) {
    if (!(error instanceof SchemaValidationError)) throw error;
    return { position: error.position, early: error.early, value: JSON.stringify(parser.value) };
  }
}

describe('string-as-json: a held string the schema rejects', () => {
  it('fails at the same position (its closing quote) for every chunking, text and bytes', () => {
    const inner = z.object({ b: z.number() });
    const schema = z.object({ a: inner, n: z.number().optional() });
    // Strings held because the schema expects an object there: not JSON, JSON with text after
    // it, JSON of the wrong shape, empty; with any prefix before them.
    const held = fc.oneof(
      fc.string({ maxLength: 8 }).filter((s) => !/^\s*[[{]/.test(s)),
      fc.constant('{"b": 1} and more'),
      fc.constant('{"b": "s"}'),
      fc.constant('{"c": 1'),
      fc.constant(''),
    );
    fc.assert(
      fc.property(
        held.chain((content) => {
          const text = `{"n": 1, "a": ${JSON.stringify(content)}}`;
          return fc.tuple(fc.constant(content), fc.constant(text), chunked(text), utf8Chunks(text));
        }),
        ([content, text, chunks, bytes]) => {
          const whole = outcome(schema, [text]);
          expect(whole.early).toBe(true);
          // The failure is certain only where the held string closes: nothing earlier tells it
          // from a string that holds the object the schema expects.
          expect(whole.position).toBe(text.length - 2);
          expect(outcome(schema, chunks)).toEqual(whole);
          expect(outcome(schema, bytes)).toEqual(whole);
          expect(outcome(schema, [...text])).toEqual(whole);
          void content;
        },
      ),
      { numRuns: runs() },
    );
  });
});
