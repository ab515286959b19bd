import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPartialParser } from '../../src/partial/index.js';
import { SchemaValidationError } from '../../src/index.js';
import { zodGuide } from '../../src/schema/index.js';

function failure(schema: z.ZodType, text: string): SchemaValidationError {
  const parser = createPartialParser({ schema, guide: zodGuide });
  try {
    parser.write(text);
    parser.end();
  } catch (error) {
    if (error instanceof SchemaValidationError) return error;
    throw error;
  }
  throw new Error('no failure');
}

describe('SchemaValidationError', () => {
  it('is an Error with issues, early and position', () => {
    const error = new SchemaValidationError({ issues: [{ path: ['a', 0], message: 'bad', code: 'custom' }], early: true, position: 3 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SchemaValidationError');
    expect(error.message).toMatchInlineSnapshot(`"Value can never match the schema (at position 3): at a[0]: bad"`);
    const cause = new Error('why');
    expect(new SchemaValidationError({ issues: [], early: false, cause }).cause).toBe(cause);
  });

  it('words early failures with the path and zod\'s message, at the character that breaks the value', () => {
    const Weather = z.object({
      days: z.array(z.object({ temp: z.number(), unit: z.enum(['C', 'F']) })),
      'odd key': z.string().max(3, 'at most three'),
    });
    expect(failure(Weather, '{"days":[{"temp":1,"unit":"K"}]}').message).toMatchInlineSnapshot(
      `"Value can never match the schema (at position 27): at days[0].unit: Invalid option: expected one of "C"|"F""`,
    );
    expect(failure(Weather, '{"odd key":"four"}').message).toMatchInlineSnapshot(
      `"Value can never match the schema (at position 15): at ["odd key"]: at most three"`,
    );
    expect(failure(z.strictObject({}), '{"x":1}').message).toMatchInlineSnapshot(
      `"Value can never match the schema (at position 3): at (root): Unrecognized key: "x""`,
    );
  });

  it('says why no option of a union matched', () => {
    const S = z.object({ v: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]) });
    expect(failure(S, '{"v":{"a":1}}').message).toMatchInlineSnapshot(`"Value can never match the schema (at position 11): at v: Invalid input (no option matches: a: Invalid input: expected string, received number | b: Invalid input: expected number, received undefined)"`);
  });

  it('lists the first three issues of a final failure', () => {
    const S = z.object({ a: z.number() }).superRefine((_, ctx) => {
      for (const key of ['a', 'b', 'c', 'd']) ctx.addIssue({ code: 'custom', message: `bad ${key}`, path: [key] });
    });
    const error = failure(S, '{"a":1}');
    expect(error.early).toBe(false);
    expect(error.issues).toHaveLength(4);
    expect(error.message).toMatchInlineSnapshot(`"Value does not match the schema: at a: bad a; at b: bad b; at c: bad c; and 1 more"`);
  });
});
