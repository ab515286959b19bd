/**
 * Issue 11, item 3: schema guidance costs O(n) whatever the schema. Pinned on operation counts
 * (candidates created, the widest candidate set, refinement runs), never on time.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPartialParser } from '../../src/partial/index.js';
import { SchemaValidationError } from '../../src/index.js';
import { guideCounters, MAX_PAIRS } from '../../src/schema/zod-guide.js';
import { zodGuide } from '../../src/schema/index.js';

/** Feeds `text` in 7-character writes; returns the error thrown, if any. */
function feed(schema: z.ZodType, text: string, step = 7, end = false): unknown {
  const parser = createPartialParser({ schema, guide: zodGuide, maxDepth: Infinity });
  try {
    for (let i = 0; i < text.length; i += step) parser.write(text.slice(i, i + step));
    if (end) parser.end();
  } catch (error) {
    return error;
  }
  return undefined;
}

function count(fn: () => void): { candidates: number; widest: number } {
  guideCounters.candidates = 0;
  guideCounters.widest = 0;
  fn();
  return { ...guideCounters };
}

const nested = (depth: number, inner: string): string => '{"a":'.repeat(depth) + inner + '}'.repeat(depth);

// The issue's schema: a recursive union whose options share the key `a`.
const U: z.ZodType = z.lazy(() =>
  z.union([
    z.object({ a: U.optional(), x: z.number().optional() }),
    z.object({ a: U.optional(), y: z.string().optional() }),
    z.object({ a: U.optional(), w: z.boolean().optional() }),
  ]),
);

describe('bounded work', () => {
  it('a recursive union whose options share keys: candidates grow with the text, the widest set stays constant', () => {
    for (const depth of [10, 100, 1000, 5000]) {
      const text = nested(depth, '{"x":1}');
      const counted = count(() => expect(feed(U, text)).toBeUndefined());
      // one value per level plus the innermost object and its number
      expect(counted.candidates, `depth ${depth}`).toBeLessThanOrEqual(10 * (depth + 2));
      expect(counted.widest, `depth ${depth}`).toBeLessThanOrEqual(9);
    }
    // the issue's 86-byte text (12.6 s and 3 GB before): the final value is zod's parse
    const text = nested(14, '{}');
    const parser = createPartialParser({ schema: U, guide: zodGuide, maxDepth: Infinity });
    parser.write(text);
    expect(parser.end()).toStrictEqual(U.parse(JSON.parse(text)));
  });

  it('a recursive union of strict objects still fails early, deep inside, at the same place for every chunking', () => {
    const S: z.ZodType = z.lazy(() =>
      z.union([
        z.strictObject({ a: S.optional(), x: z.number().optional() }),
        z.strictObject({ a: S.optional(), y: z.string().optional() }),
        z.strictObject({ a: S.optional(), w: z.boolean().optional() }),
      ]),
    );
    const text = nested(300, '{"q":1}');
    const at = text.indexOf('"q"') + 2;
    for (const step of [1, 7, 64, text.length]) {
      const counted = count(() => {
        const error = feed(S, text, step);
        expect(error).toBeInstanceOf(SchemaValidationError);
        expect((error as SchemaValidationError).position).toBe(at);
        expect((error as SchemaValidationError).issues[0]?.path).toHaveLength(300);
      });
      expect(counted.widest).toBeLessThanOrEqual(9);
    }
  });

  it('past MAX_PAIRS alternatives a value is deferred: judged once complete, at its close', () => {
    const Big: z.ZodType = z.lazy(() =>
      z.union(Array.from({ length: 70 }, (_, i) => z.object({ a: Big.optional(), [`k${i}`]: z.number().optional() })) as unknown as [z.ZodType, z.ZodType]),
    );
    const good = nested(50, '{"k3":1}');
    const counted = count(() => expect(feed(Big, good, 7, true)).toBeUndefined());
    expect(counted.widest).toBeLessThanOrEqual(MAX_PAIRS);
    expect(counted.candidates).toBeLessThanOrEqual(2 * good.length);
    const Doc = z.object({ list: z.array(Big), tail: z.string() });
    const bad = `{"list":[${nested(2, '{"a":5}')}],"tail":"t"}`;
    const close = `{"list":[${nested(2, '{"a":5}')}`.length - 1;
    for (const step of [1, 5, bad.length]) {
      const error = feed(Doc, bad, step);
      expect(error).toBeInstanceOf(SchemaValidationError);
      expect({ early: (error as SchemaValidationError).early, position: (error as SchemaValidationError).position }).toStrictEqual({ early: true, position: close });
    }
  });

  it('nested refinements run once per value, not once per enclosing level', () => {
    let runs = 0;
    const R: z.ZodType = z.lazy(() =>
      z.object({ a: R.optional(), n: z.number().optional() }).refine(() => {
        runs++;
        return true;
      }),
    );
    const Doc = z.object({ tree: R });
    for (const depth of [50, 200]) {
      runs = 0;
      expect(feed(Doc, `{"tree":${nested(depth, '{"n":1}')}}`)).toBeUndefined();
      // the outermost refined object's close runs the whole subtree once: one run per level
      expect(runs, `depth ${depth}`).toBeLessThanOrEqual(depth + 1);
    }
    // a failing inner refinement is still found, at the outermost refined object's close
    const Positive: z.ZodType = z.lazy(() => z.object({ a: Positive.optional(), n: z.number() }).refine((o) => o.n > 0, 'n must be positive'));
    const text = `{"tree":{"a":{"a":{"n":-1},"n":1},"n":1}}`;
    const error = feed(z.object({ tree: Positive }), text, 1);
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).position).toBe(text.length - 2);
    expect((error as SchemaValidationError).message).toMatch(/n must be positive/);
  });
});
