import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPartialParser } from '../../src/partial/index.js';
import { SchemaValidationError, type StandardSchemaV1 } from '../../src/index.js';

/** A hand-written Standard Schema: `{ id: number }`, with a nested issue path given as `{ key }` segments. */
function idSchema(calls: unknown[]): StandardSchemaV1<unknown, { id: number }> {
  return {
    '~standard': {
      version: 1,
      vendor: 'hand-written',
      validate(value) {
        calls.push(value);
        if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'number') {
          return { value: { id: (value as { id: number }).id } };
        }
        return { issues: [{ message: 'id must be a number', path: [{ key: 'id' }] }] };
      },
    },
  };
}

describe('a Standard Schema that is not zod v4', () => {
  it('validates the final value only, and returns its output', () => {
    const calls: unknown[] = [];
    const parser = createPartialParser({ schema: idSchema(calls) });
    parser.write('{"id":"not a number", "extra": [1, 2');
    parser.write(']}');
    expect(calls).toStrictEqual([]);
    let error: unknown;
    try {
      parser.end();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect(error).toMatchObject({ early: false, position: undefined, issues: [{ path: ['id'], message: 'id must be a number' }] });
    expect(calls).toHaveLength(1);

    const ok = createPartialParser({ schema: idSchema([]) });
    ok.write('{"id":7,"dropped":true}');
    expect(ok.end()).toStrictEqual({ id: 7 });
  });

  it('rejects asynchronous schemas at end() with a TypeError that says what to do', () => {
    const schema: StandardSchemaV1 = {
      '~standard': { version: 1, vendor: 'async', validate: async (value) => ({ value }) },
    };
    const parser = createPartialParser({ schema });
    parser.write('1');
    expect(() => parser.end()).toThrow(/asynchronously.*validate the value returned by end\(\) yourself/);
  });
});

describe('zod stays an optional peer', () => {
  it('no file of src/ imports zod at run time', () => {
    const root = new URL('../../src/', import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((file) => {
      const text = readFileSync(new URL(file, root), 'utf8');
      return /^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]zod(?:\/[^'"]*)?['"]/m.test(text) || /import\(\s*['"]zod/.test(text);
    });
    expect(offenders).toStrictEqual([]);
  });
});
