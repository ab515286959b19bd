/**
 * A new user's review of lenient mode's newest parts (issue 14 items 1, 4): string-as-json with a
 * schema guide. Each test pins a bug found by trying to break them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPartialParser, SchemaValidationError, lenient } from '../../src/index.js';
import { zodGuide } from '../../src/schema/index.js';
import { chunked, jsonTextWithValue, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

type Outcome = { position?: number | undefined; early?: boolean; value: string; final?: string };

function outcome(schema: z.ZodType, chunks: readonly (string | Uint8Array)[]): Outcome {
  const parser = createPartialParser({ schema, guide: zodGuide, lenient: lenient() });
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

describe('string-as-json: a held string the text cut short', () => {
  /** The onComplete calls (path and value) and the end value of a lenient guided parse. */
  function completions(schema: z.ZodType, chunks: readonly string[]): { calls: string[]; final?: string; error?: string } {
    const calls: string[] = [];
    const parser = createPartialParser({
      schema,
      guide: zodGuide,
      lenient: lenient(),
      onComplete: (value, path) => void calls.push(`${JSON.stringify(path)}=${JSON.stringify(value)}`),
    });
    try {
      for (const chunk of chunks) parser.write(chunk);
      return { calls, final: JSON.stringify(parser.end()) };
    } catch (error) {
      return { calls, error: String(error) };
    }
  }

  it('reports what was complete inside it (onComplete) as the same text without the quotes does, and nothing cut', () => {
    const container = fc
      .oneof(jsonTextWithValue({ topLevel: 'object' }), jsonTextWithValue({ topLevel: 'array' }))
      .map((t) => JSON.stringify(t.value))
      .filter((t) => !t.includes('"__proto__"'));
    fc.assert(
      fc.property(
        container.chain((inner) =>
          fc.tuple(
            fc.constant(inner),
            fc.integer({ min: 1, max: inner.length }).filter((m) => !/[\uD800-\uDBFF]/.test(inner.charAt(m - 1))),
          ),
        ),
        fc.boolean(),
        ([inner, m], oneChar) => {
          const schema = z.object({ n: z.number(), args: inner.startsWith('{') ? z.record(z.string(), z.unknown()) : z.array(z.unknown()) });
          const prefix = inner.slice(0, m);
          // The cut string: the escaped prefix, no closing quote.
          const held = `{"n": 1, "args": ${JSON.stringify(prefix).slice(0, -1)}`;
          const plain = `{"n": 1, "args": ${prefix}`;
          const want = completions(schema, [plain]);
          // Whole but without its closing quote, the string might have gone on (`[1] and more`
          // is no JSON): the container itself is cut, what its text completed is not.
          if (m === inner.length) want.calls = want.calls.filter((call) => !call.startsWith('["args"]='));
          const got = completions(schema, oneChar ? [...held] : [held]);
          expect(got.error).toBe(want.error);
          expect(got.final).toBe(want.final);
          expect(got.calls).toEqual(want.calls);
        },
      ),
      { numRuns: runs() },
    );
  });
});

describe('string-as-json: maxDepth', () => {
  it('a container parsed from a string counts its depth from where the string is: maxDepth holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 8 }), fc.boolean(), (maxDepth, nesting, oneChar) => {
        const inner = '['.repeat(nesting) + ']'.repeat(nesting);
        const schema = z.object({ a: z.array(z.unknown()) });
        const parse = (text: string): string => {
          const parser = createPartialParser({ schema, guide: zodGuide, lenient: lenient(), maxDepth });
          try {
            for (const chunk of oneChar ? [...text] : [text]) parser.write(chunk);
            parser.end();
            return 'ok';
          } catch (error) {
            return error instanceof SchemaValidationError ? 'schema' : (error as { code?: string }).code ?? String(error);
          }
        };
        const plain = parse(`{"a": [${inner}]}`);
        const held = parse(`{"a": ${JSON.stringify(`[${inner}]`)}}`);
        // Too deep without the quotes is too deep with them: never a value past maxDepth (the
        // string is then not parsed, and the schema rejects it as a string).
        if (plain === 'max-depth-exceeded') expect(held).toBe('schema');
        else expect(held).toBe(plain);
      }),
      { numRuns: runs() },
    );
  });
});
