import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createGeminiNormalizer,
  fromGemini,
  mapGeminiFinishReason,
  type GeminiGenerateContentResponse,
  type GeminiPart,
  type GeminiPartialArg,
  type StreamEvent,
} from '../../src/providers/index.js';
import { createJsonlParser } from '../../src/jsonl/index.js';
import { parseJsonPath } from '../../src/providers/vertex-partial-args.js';
import { loadRecordedFixture, recordedAvailable } from '../fixtures/recorded.js';
import { collect, orderViolations, summarize } from './helpers.js';
import { runs } from '../support/shared.js';

const numRuns = runs();

function run(responses: GeminiGenerateContentResponse[]): StreamEvent[] {
  const normalizer = createGeminiNormalizer();
  const out = [...responses.flatMap((response) => normalizer.push(response)), ...normalizer.end()];
  expect(orderViolations(out)).toEqual([]);
  return out;
}

const parts = (list: GeminiPart[], finishReason?: string, index?: number): GeminiGenerateContentResponse => ({
  candidates: [
    {
      content: { role: 'model', parts: list },
      ...(finishReason === undefined ? {} : { finishReason }),
      ...(index === undefined ? {} : { index }),
    },
  ],
});
const partial = (args: GeminiPartialArg[]): GeminiPart => ({ functionCall: { partialArgs: args, willContinue: true } });

describe('fromGemini', () => {
  it('emits a complete functionCall as start, one JSON delta, end', () => {
    const events = run([
      parts([{ functionCall: { name: 'get_weather', args: { city: 'Paris', days: 3 } } }]),
      { ...parts([], 'STOP'), usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 3, thoughtsTokenCount: 2 } },
    ]);
    expect(events).toEqual([
      { type: 'tool-call-start', id: 'gemini-call-0-0', name: 'get_weather', index: 0 },
      { type: 'tool-call-delta', id: 'gemini-call-0-0', delta: '{"city":"Paris","days":3}' },
      { type: 'tool-call-end', id: 'gemini-call-0-0' },
      { type: 'finish', reason: 'tool-calls', rawReason: 'STOP', usage: { inputTokens: 7, outputTokens: 5 } },
    ]);
  });

  it('uses functionCall.id when given, and handles parallel calls in one response', () => {
    const summary = summarize(
      run([parts([{ functionCall: { id: 'c1', name: 'a', args: {} } }, { functionCall: { id: 'c2', name: 'b', args: { x: 1 } } }], 'STOP')]),
    );
    expect(summary.calls.map((c) => [c.id, c.index, c.args, c.ended])).toEqual([
      ['c1', 0, '{}', true],
      ['c2', 1, '{"x":1}', true],
    ]);
  });

  it('keeps thought parts apart from the answer', () => {
    const summary = summarize(run([parts([{ text: 'Thinking…', thought: true }, { text: 'Answer' }], 'STOP')]));
    expect(summary.reasoning.get(0)).toBe('Thinking…');
    expect(summary.text.get(0)).toBe('Answer');
  });

  it('sets choice from the candidate index', () => {
    const events = run([
      { candidates: [{ index: 0, content: { parts: [{ text: 'a' }] } }, { index: 1, content: { parts: [{ text: 'b' }] } }] },
      { candidates: [{ index: 1, content: { parts: [{ text: 'B' }] }, finishReason: 'STOP' }] },
      { candidates: [{ index: 0, content: { parts: [{ text: 'A' }] }, finishReason: 'MAX_TOKENS' }] },
    ]);
    const summary = summarize(events);
    expect(Object.fromEntries(summary.text)).toEqual({ 0: 'aA', 1: 'bB' });
    expect(summary.finishes).toEqual([
      { type: 'finish', reason: 'stop', rawReason: 'STOP', choice: 1 },
      { type: 'finish', reason: 'length', rawReason: 'MAX_TOKENS' },
    ]);
  });

  it('streams Vertex partialArgs as JSON text, strings piece by piece, typed values whole', () => {
    const events = run([
      parts([{ functionCall: { name: 'plan', willContinue: true } }]),
      parts([partial([{ jsonPath: '$.title', stringValue: 'Trip "to"', willContinue: true }])]),
      parts([partial([{ jsonPath: '$.title', stringValue: ' Rome\n' }])]),
      parts([partial([{ jsonPath: '$.days', numberValue: 3 }, { jsonPath: '$.budget.amount', numberValue: 1200.5 }])]),
      parts([partial([{ jsonPath: '$.budget.flexible', boolValue: false }, { jsonPath: '$.budget.note', nullValue: 'NULL_VALUE' }])]),
      parts([partial([{ jsonPath: '$.stops[0].city', stringValue: 'Rome' }, { jsonPath: '$.stops[0].nights', numberValue: 2 }])]),
      parts([partial([{ jsonPath: '$.stops[1].city', stringValue: 'Flor', willContinue: true }])]),
      parts([partial([{ jsonPath: '$.stops[1].city', stringValue: 'ence 😀' }])]),
      parts([partial([{ jsonPath: "$['odd.key']", boolValue: true }])]),
      parts([{ functionCall: {} }]),
      parts([{ text: '' }], 'STOP'),
    ]);
    const summary = summarize(events);
    expect(summary.calls).toHaveLength(1);
    expect(JSON.parse(summary.calls[0]?.args ?? '')).toEqual({
      title: 'Trip "to" Rome\n',
      days: 3,
      budget: { amount: 1200.5, flexible: false, note: null },
      stops: [
        { city: 'Rome', nights: 2 },
        { city: 'Florence 😀' },
      ],
      'odd.key': true,
    });
    expect(summary.calls[0]?.ended).toBe(true);
    // The string value grows across deltas: "Trip \"to\"" arrives before " Rome".
    const deltas = events.filter((e) => e.type === 'tool-call-delta').map((e) => e.delta);
    expect(deltas[0]).toBe('{"title":"Trip \\"to\\"');
  });

  it('fills skipped array elements with null', () => {
    const summary = summarize(
      run([
        parts([{ functionCall: { name: 'f', willContinue: true } }]),
        parts([partial([{ jsonPath: '$.xs[2]', numberValue: 1 }])]),
        parts([{ functionCall: {} }], 'STOP'),
      ]),
    );
    expect(JSON.parse(summary.calls[0]?.args ?? '')).toEqual({ xs: [null, null, 1] });
  });

  it('leaves a streamed call open at MAX_TOKENS, and closes it at STOP', () => {
    const cut = run([
      parts([{ functionCall: { name: 'f', willContinue: true } }]),
      parts([partial([{ jsonPath: '$.text', stringValue: 'abc', willContinue: true }])], 'MAX_TOKENS'),
    ]);
    expect(cut.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta', 'finish']);
    expect(cut.at(-1)).toMatchObject({ reason: 'length' });

    const stopped = run([
      parts([{ functionCall: { name: 'f', willContinue: true } }]),
      parts([partial([{ jsonPath: '$.a.b', stringValue: 'abc', willContinue: true }])], 'STOP'),
    ]);
    const summary = summarize(stopped);
    expect(summary.calls[0]?.ended).toBe(true);
    expect(JSON.parse(summary.calls[0]?.args ?? '')).toEqual({ a: { b: 'abc' } });
  });

  it('ends an open streamed call when a new named call starts', () => {
    const summary = summarize(
      run([
        parts([{ functionCall: { name: 'f', willContinue: true } }]),
        parts([partial([{ jsonPath: '$.a', numberValue: 1 }])]),
        parts([{ functionCall: { name: 'g', args: { b: 2 } } }]),
      ]),
    );
    expect(summary.calls.map((c) => [c.name, c.args, c.ended])).toEqual([
      ['f', '{"a":1}', true],
      ['g', '{"b":2}', true],
    ]);
  });

  it('refuses an index that skips more than 10,000 elements (a 30-byte path would otherwise write gigabytes)', () => {
    const events = run([
      parts([{ functionCall: { name: 'f', willContinue: true } }]),
      parts([partial([{ jsonPath: '$.xs[200000000]', numberValue: 1 }])]),
      parts([{ functionCall: {} }], 'STOP'),
    ]);
    const summary = summarize(events);
    expect(summary.errors).toHaveLength(1);
    expect(String(summary.errors[0])).toMatch(/skips 200000000 array elements/);
    expect(summary.calls[0]?.ended).toBe(false);
    const written = events.flatMap((e) => (e.type === 'tool-call-delta' ? [e.delta] : [])).join('');
    expect(written.length).toBeLessThan(100);
  });

  it('reports a path that goes back to an element already written, and never ends that call', () => {
    const events = run([
      parts([{ functionCall: { name: 'f', willContinue: true } }]),
      parts([partial([{ jsonPath: '$.xs[1]', numberValue: 1 }])]),
      parts([partial([{ jsonPath: '$.xs[0]', numberValue: 0 }])]),
      parts([{ functionCall: {} }]),
    ]);
    const summary = summarize(events);
    expect(summary.errors).toHaveLength(1);
    expect(String(summary.errors[0])).toMatch(/goes back to an array element/);
    expect(summary.calls[0]?.ended).toBe(false);
  });

  it('finishes with content-filter when the prompt is blocked, and reports error objects', () => {
    expect(run([{ promptFeedback: { blockReason: 'SAFETY' } }])).toEqual([{ type: 'finish', reason: 'content-filter', rawReason: 'SAFETY' }]);
    const error = { code: 503, message: 'overloaded', status: 'UNAVAILABLE' };
    expect(run([{ error } as GeminiGenerateContentResponse])).toEqual([{ type: 'error', error }]);
  });

  it('emits finish once per candidate', () => {
    const events = run([parts([{ text: 'a' }], 'STOP'), parts([{ text: '' }], 'STOP')]);
    expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
  });

  it('maps finish reasons', () => {
    expect(['STOP', 'MAX_TOKENS', 'SAFETY', 'RECITATION', 'MALFORMED_FUNCTION_CALL', 'OTHER'].map((r) => mapGeminiFinishReason(r))).toEqual([
      'stop',
      'length',
      'content-filter',
      'content-filter',
      'error',
      'other',
    ]);
    expect(mapGeminiFinishReason('STOP', true)).toBe('tool-calls');
  });

  it('parses the JSON paths Vertex sends', () => {
    expect(parseJsonPath('$.recipe.ingredients[3].name')).toEqual(['recipe', 'ingredients', 3, 'name']);
    expect(parseJsonPath("$['a.b'][\"c\\\"d\"][0]")).toEqual(['a.b', 'c"d', 0]);
    expect(parseJsonPath('$')).toEqual([]);
    expect(() => parseJsonPath('$[x]')).toThrow(SyntaxError);
  });

  it('property: partialArgs of any JSON object, in document order and any string split, give text that parses to it', () => {
    const scalar = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const key = fc.string({ minLength: 1 }).filter((k) => !/[.[\]'"\\$]/.test(k));
    const { value } = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, tie('object'), fc.array(tie('value'), { minLength: 1, maxLength: 3 })),
      object: fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 3 }),
    }));
    const root = fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(root, fc.integer({ min: 1, max: 4 }), (args, pieces) => {
        const list: GeminiPartialArg[] = [];
        const walk = (node: unknown, path: string): void => {
          if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}[${i}]`));
          else if (node !== null && typeof node === 'object') {
            for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
          } else if (typeof node === 'string') {
            const size = Math.max(1, Math.ceil(node.length / pieces));
            for (let i = 0; i < node.length || i === 0; i += size) {
              list.push({ jsonPath: path, stringValue: node.slice(i, i + size), willContinue: true });
            }
            list.push({ jsonPath: path, stringValue: '' });
          } else if (typeof node === 'number') list.push({ jsonPath: path, numberValue: node });
          else if (typeof node === 'boolean') list.push({ jsonPath: path, boolValue: node });
          else list.push({ jsonPath: path, nullValue: 'NULL_VALUE' });
        };
        walk(args, '$');
        // Arrays and objects with no scalar inside cannot be described by partialArgs.
        const describable = JSON.stringify(args, (_k, v: unknown) => v);
        fc.pre(!/\[\]|\{\}/.test(describable));
        const events = run([
          parts([{ functionCall: { name: 'f', willContinue: true } }]),
          ...list.map((arg) => parts([partial([arg])])),
          parts([{ functionCall: {} }], 'STOP'),
        ]);
        const summary = summarize(events);
        expect(summary.calls[0]?.ended).toBe(true);
        expect(JSON.parse(summary.calls[0]?.args ?? '')).toEqual(JSON.parse(JSON.stringify(args)));
      }),
      { numRuns },
    );
  });

  it.skipIf(!recordedAvailable)('reads the streamed JSON array body (no alt=sse) through createJsonlParser array mode, without async', async () => {
    const fixture = loadRecordedFixture('google/test_prompt_with_pydantic_schema.yaml');
    const stream = fixture.streams[0];
    expect(stream?.bodyFormat).toBe('json-array');
    const normalizer = createGeminiNormalizer();
    const events: StreamEvent[] = [];
    const parser = createJsonlParser<GeminiGenerateContentResponse>({ mode: 'array', onValue: (response) => events.push(...normalizer.push(response)) });
    const body = stream?.body ?? '';
    for (let i = 0; i < body.length; i += 37) parser.write(body.slice(i, i + 37));
    parser.end();
    events.push(...normalizer.end());
    expect(events).toEqual(await collect(fromGemini(stream?.chunks as GeminiGenerateContentResponse[])));
    expect(summarize(events).text.get(0)).toMatch(/^\{"name":"Zephyr/);
  });
});
