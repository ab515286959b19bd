/**
 * Lenient mode's schema-guided repair (issue 14 item 4): a string holding JSON where the schema
 * expects an object or array is parsed into it, with one `string-as-json` warning. The string is
 * held while it streams (never shown as a string), then the container appears whole: no type
 * ever changes. The same values and warnings for every chunking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyDelta, createPartialParser, type Delta, lenient as lenientMode } from '../../src/index.js';
import { zodGuide } from '../../src/schema/index.js';
import { assembleToolCalls, type AssembledEvent, type StreamEvent } from '../../src/tool-calls/index.js';
import { chunked, deepFreeze, findSnapshotViolation, jsonTextWithValue } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/** The exact zod schema of a JSON value (arrays of anything: their elements are not followed). */
function schemaOf(value: unknown): z.ZodType {
  if (Array.isArray(value)) return z.array(z.unknown());
  if (value === null) return z.null();
  if (typeof value === 'object') {
    const shape: Record<string, z.ZodType> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(shape, k, { value: schemaOf(v), enumerable: true, writable: true, configurable: true });
    return z.object(shape);
  }
  if (typeof value === 'string') return z.string();
  if (typeof value === 'number') return z.number();
  return z.boolean();
}

type Run = { final?: unknown; error?: string; warnings: string[]; snapshots: unknown[]; deltas: Delta[][] };

function run(schema: z.ZodType, chunks: readonly string[]): Run {
  const r: Run = { warnings: [], snapshots: [], deltas: [] };
  const parser = createPartialParser({
    schema,
    guide: zodGuide,
    lenient: lenientMode(),
    onWarning: (w) => void r.warnings.push(`${w.code}@${w.position}`),
    onDelta: (d) => void r.deltas.push(d),
  });
  try {
    for (const chunk of chunks) {
      parser.write(chunk);
      r.snapshots.push(deepFreeze(parser.value));
    }
    r.final = parser.end();
  } catch (error) {
    r.error = String(error);
  }
  return r;
}

/** A container value as JSON.stringify writes it (an overflowing number is `null` there). */
const containerValue = fc
  .oneof(jsonTextWithValue({ topLevel: 'object' }), jsonTextWithValue({ topLevel: 'array' }))
  .map((t) => JSON.parse(JSON.stringify(t.value)) as unknown)
  // zod's own parse drops `__proto__` keys (in the final value), with or without this repair.
  .filter((v) => !JSON.stringify(v).includes('"__proto__"'));

describe('string-as-json: lenient + a schema guide', () => {
  it('a property holding a JSON string where the schema expects its container: parsed in place, one warning, every chunking', () => {
    fc.assert(
      fc.property(
        containerValue.chain((value) => {
          const text = `{"name": "f", "args": ${JSON.stringify(JSON.stringify(value))}, "n": 1}`;
          return fc.tuple(fc.constant(value), fc.constant(text), chunked(text));
        }),
        ([value, text, chunks]) => {
          const schema = z.object({ name: z.string(), args: schemaOf(value), n: z.number() });
          const whole = run(schema, [text]);
          expect(whole.error).toBeUndefined();
          expect(whole.final).toEqual({ name: 'f', args: value, n: 1 });
          expect(whole.warnings.map((w) => w.split('@')[0])).toEqual(['string-as-json']);
          const r = run(schema, chunks);
          expect(r.error).toBeUndefined();
          expect(r.final).toEqual(whole.final);
          expect(r.warnings).toEqual(whole.warnings);
          // Never shown as a string; every invariant holds; the deltas replay to the value.
          for (const snapshot of r.snapshots) {
            const args = (snapshot as { args?: unknown } | undefined)?.args;
            expect(typeof args === 'string').toBe(false);
          }
          expect(findSnapshotViolation(r.snapshots, r.final, { structuralSharing: true })?.message).toBeUndefined();
          let replayed: unknown;
          for (const batch of r.deltas) replayed = applyDelta(replayed, batch);
          expect(replayed).toEqual(r.final);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('valid JSON that matches its schema: lenient + guide gives strict mode\'s values and deltas, and no warning, every chunking', () => {
    fc.assert(
      fc.property(
        containerValue.chain((value) => fc.tuple(fc.constant(value), chunked(JSON.stringify(value)))),
        ([value, chunks]) => {
          const schema = schemaOf(value);
          const lenient = run(schema, chunks);
          expect(lenient.warnings).toEqual([]);
          const strict: Run = { warnings: [], snapshots: [], deltas: [] };
          const parser = createPartialParser({ schema, guide: zodGuide, onDelta: (d) => void strict.deltas.push(d) });
          for (const chunk of chunks) {
            parser.write(chunk);
            strict.snapshots.push(deepFreeze(parser.value));
          }
          strict.final = parser.end();
          expect(lenient).toEqual(strict);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('array elements, nested string-as-json, and strings the schema wants stay strings', () => {
    const schema = z.object({ calls: z.array(z.object({ a: z.number() })), note: z.string() });
    const text = '{"calls": ["{\\"a\\": 1}", {"a": 2}, "{\'a\': 3,}"], "note": "{\\"a\\": 4}"}';
    for (const chunks of [[text], [...text]]) {
      const r = run(schema, chunks);
      expect(r.error).toBeUndefined();
      expect(r.final).toEqual({ calls: [{ a: 1 }, { a: 2 }, { a: 3 }], note: '{"a": 4}' });
      expect(r.warnings.map((w) => w.split('@')[0])).toEqual(['string-as-json', 'string-as-json']);
    }
    const nested = z.object({ outer: z.object({ inner: z.array(z.number()) }) });
    const r = run(nested, [JSON.stringify({ outer: JSON.stringify({ inner: JSON.stringify([1, 2]) }) })]);
    expect(r.final).toEqual({ outer: { inner: [1, 2] } });
    expect(r.warnings).toHaveLength(2);
  });

  it('not JSON text (or text around it) stays a string and the schema rejects it; strict mode and the repair turned off never parse it', () => {
    const schema = z.object({ args: z.object({ a: z.number() }) });
    for (const bad of ['{"args": "not json"}', '{"args": "{\\"a\\": 1} and more"}', '{"args": "[1]"}']) {
      expect(run(schema, [bad]).error).toContain('SchemaValidationError');
    }
    const text = '{"args": "{\\"a\\": 1}"}';
    const strict = createPartialParser({ schema, guide: zodGuide });
    expect(() => {
      strict.write(text);
      strict.end();
    }).toThrow();
    const off = createPartialParser({ schema, guide: zodGuide, lenient: lenientMode({ 'string-as-json': false }) });
    expect(() => {
      off.write(text);
      off.end();
    }).toThrow();
  });

  it('structured output over provider streams: `{"args": "{\\"a\\":1}"}` with a schema expecting an object', async () => {
    async function* events(): AsyncGenerator<StreamEvent> {
      for (const delta of ['{"tool": "add", "args": "{\\"a\\"', ':1, \\"b\\": [2]}"}']) yield { type: 'text-delta', delta };
      yield { type: 'finish', reason: 'stop' };
    }
    const schema = z.object({ tool: z.string(), args: z.object({ a: z.number(), b: z.array(z.number()) }) });
    const out: AssembledEvent[] = [];
    for await (const event of assembleToolCalls(events(), { guide: zodGuide, output: { schema, lenient: lenientMode() } })) out.push(event);
    expect(out.find((e) => e.type === 'output')).toEqual({ type: 'output', value: { tool: 'add', args: { a: 1, b: [2] } } });
    expect(out.flatMap((e) => (e.type === 'output-warning' ? [e.warning.code] : []))).toEqual(['string-as-json']);
    for (const e of out) if (e.type === 'output-partial') expect(typeof (e.value as { args?: unknown }).args).not.toBe('string');
  });
});
