// Issue 13 item 2: the schema layer plugs into the core. Without a guide, a schema validates the
// final value only (the core's Standard Schema path); with `guide: zodGuide`, the value is
// followed while it streams. And the folders say so: the core never imports schema/ at run time.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParseError } from '../../src/json/index.js';
import { createPartialParser, SchemaValidationError, type Delta } from '../../src/partial/index.js';
import { zodGuide } from '../../src/schema/index.js';
import { chunked, jsonText, mutatedJson, schemaValue, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const Item = z.object({ id: z.number().int(), tag: z.enum(['a', 'b']), note: z.string().max(8).optional() });
const Doc = z.object({ title: z.string(), items: z.array(Item).max(3) });

type Outcome = {
  snapshots: unknown[];
  deltas: Delta[][];
  /** Index of the write that threw, or `chunks.length` for `end()`, or -1 for none. */
  failedAt: number;
  error: unknown;
  value: unknown;
};

function run(chunks: readonly (string | Uint8Array)[], options: Parameters<typeof createPartialParser>[0]): Outcome {
  const out: Outcome = { snapshots: [], deltas: [], failedAt: -1, error: undefined, value: undefined };
  const parser = createPartialParser({ ...options, onDelta: (d) => out.deltas.push(d) });
  let i = 0;
  try {
    for (; i < chunks.length; i++) {
      parser.write(chunks[i]!);
      out.snapshots.push(parser.value);
    }
    out.value = parser.end();
  } catch (error) {
    out.failedAt = i;
    out.error = error;
  }
  return out;
}

/** Texts near `Doc`: valid documents and mutations of them (which mostly break the schema). */
const docText = schemaValue(Doc).chain((value) => {
  const text = JSON.stringify(value);
  return fc.oneof(fc.constant(text), mutatedJson(text));
});

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** String chunkings (1-character included) and, when UTF-8 can encode the text, byte chunkings. */
function chunkings(text: string): fc.Arbitrary<readonly (string | Uint8Array)[]> {
  const strings = [chunked(text), fc.constant(text.split(''))];
  return LONE_SURROGATE.test(text) ? fc.oneof(...strings) : fc.oneof(...strings, utf8Chunks(text));
}

describe('a schema without a guide: the final value only', () => {
  it('streams exactly as without a schema, and end() gives the schema parse or a final SchemaValidationError', () => {
    fc.assert(
      fc.property(
        fc.oneof(docText, jsonText()).chain((text) => fc.tuple(fc.constant(text), chunkings(text))),
        ([text, chunks]) => {
          const bare = run(chunks, {});
          const schema = run(chunks, { schema: Doc });
          // Same snapshots, deltas and failures while the text streams: nothing is checked early.
          expect(schema.snapshots).toStrictEqual(bare.snapshots);
          expect(schema.deltas).toStrictEqual(bare.deltas);
          if (bare.failedAt !== -1) {
            // Not JSON (or incomplete): the same ParseError at the same place.
            expect(schema.failedAt).toBe(bare.failedAt);
            expect(schema.error).toStrictEqual(bare.error);
            return;
          }
          const expected = Doc.safeParse(JSON.parse(text));
          if (expected.success) {
            expect(schema.failedAt).toBe(-1);
            expect(schema.value).toStrictEqual(expected.data);
          } else {
            expect(schema.failedAt).toBe(chunks.length); // at end(), never in a write
            expect(schema.error).toBeInstanceOf(SchemaValidationError);
            const error = schema.error as SchemaValidationError;
            expect(error.early).toBe(false);
            expect(error.position).toBeUndefined();
            expect(error.issues.map((issue) => issue.path)).toStrictEqual(expected.error.issues.map((issue) => issue.path));
          }
        },
      ),
      { numRuns: runs() },
    );
  });

  it('after an error the parser refuses input, with or without the schema', () => {
    const parser = createPartialParser({ schema: Doc });
    parser.write('{"title": 1, "items": []}');
    expect(() => parser.end()).toThrow(SchemaValidationError);
    expect(() => parser.write(' ')).toThrow();
  });
});

describe('a schema with guide: zodGuide: followed while it streams', () => {
  it('fails early, at the same place for every chunking, where the final-only parser fails at end()', () => {
    const text = '{"title": "t", "items": [{"id": 1, "tag": "c"}]}';
    const at = text.indexOf('"c"') + 1; // no member of the enum starts with `c`
    fc.assert(
      fc.property(chunkings(text), (chunks) => {
        const guided = run(chunks, { schema: Doc, guide: zodGuide });
        expect(guided.error).toBeInstanceOf(SchemaValidationError);
        expect((guided.error as SchemaValidationError).early).toBe(true);
        expect((guided.error as SchemaValidationError).position).toBe(at);
        expect(guided.failedAt).toBeLessThan(chunks.length);
        const finalOnly = run(chunks, { schema: Doc });
        expect(finalOnly.failedAt).toBe(chunks.length);
        expect((finalOnly.error as SchemaValidationError).early).toBe(false);
      }),
      { numRuns: runs() },
    );
  });

  it('changes nothing but when the failure shows: the same final value, and a failure wherever the guide finds one', () => {
    fc.assert(
      fc.property(docText.chain((text) => fc.tuple(fc.constant(text), chunkings(text))), ([, chunks]) => {
        const guided = run(chunks, { schema: Doc, guide: zodGuide });
        const finalOnly = run(chunks, { schema: Doc });
        if (guided.failedAt === -1) {
          expect(finalOnly.value).toStrictEqual(guided.value);
        } else if (guided.error instanceof SchemaValidationError) {
          // Found early by the guide; without it, the text fails too: at end() by the schema,
          // or, if the text stops being JSON after that place, by that ParseError.
          expect(finalOnly.failedAt).toBeGreaterThanOrEqual(guided.failedAt);
          expect(finalOnly.error).toBeInstanceOf(finalOnly.failedAt === chunks.length ? Error : ParseError);
        } else {
          expect(finalOnly.error).toStrictEqual(guided.error);
          expect(finalOnly.failedAt).toBe(guided.failedAt);
        }
      }),
      { numRuns: runs() },
    );
  });

  it('a guide that cannot follow the schema leaves the final validation (a Standard Schema that is not zod)', () => {
    const positive = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) => (typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'not positive' }] }),
      },
    };
    const parser = createPartialParser({ schema: positive, guide: zodGuide });
    parser.write('-1 ');
    expect(() => parser.end()).toThrow(expect.objectContaining({ early: false, issues: [{ path: [], message: 'not positive' }] }));
  });
});

describe('layers: the core never imports the schema layer', () => {
  const root = new URL('../../src/', import.meta.url);
  const runtimeImports = (folder: string): { file: string; target: string }[] =>
    readdirSync(new URL(`${folder}/`, root), { encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => {
        const text = readFileSync(new URL(`${folder}/${file}`, root), 'utf8');
        return [...text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => ({ file: `${folder}/${file}`, target: m[1]! }));
      });

  it('src/json, src/partial, src/jsonl and src/streams import nothing from src/schema at run time', () => {
    for (const folder of ['json', 'partial', 'jsonl', 'streams']) {
      expect(runtimeImports(folder).filter((i) => i.target.includes('/schema/'))).toEqual([]);
    }
  });

  it('src/schema imports nothing from the partial builder or above at run time (only the guide types; json/ is the bottom layer)', () => {
    expect(runtimeImports('schema').filter((i) => i.target.startsWith('../') && !i.target.startsWith('../json/'))).toEqual([]);
  });
});
