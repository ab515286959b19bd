import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createOpenAIChatCompletionsNormalizer,
  fromOpenAIChatCompletions,
  mapOpenAIChatFinishReason,
  type OpenAIChatCompletionChunk,
  type OpenAIChatToolCallDelta,
  type StreamEvent,
} from '../../src/providers/index.js';
import { collect, orderViolations, summarize } from './helpers.js';

function run(chunks: OpenAIChatCompletionChunk[], options?: Parameters<typeof createOpenAIChatCompletionsNormalizer>[0]): StreamEvent[] {
  const normalizer = createOpenAIChatCompletionsNormalizer(options);
  const events = [...chunks.flatMap((chunk) => normalizer.push(chunk)), ...normalizer.end()];
  expect(orderViolations(events)).toEqual([]);
  return events;
}

const tool = (index: number | undefined, fields: Partial<{ id: string; name: string; args: string }>, choice = 0): OpenAIChatCompletionChunk => {
  const fragment: OpenAIChatToolCallDelta = {};
  if (index !== undefined) fragment.index = index;
  if (fields.id !== undefined) fragment.id = fields.id;
  if (fields.name !== undefined || fields.args !== undefined) {
    fragment.function = {};
    if (fields.name !== undefined) fragment.function.name = fields.name;
    if (fields.args !== undefined) fragment.function.arguments = fields.args;
  }
  return { choices: [{ index: choice, delta: { tool_calls: [fragment] }, finish_reason: null }] };
};
const text = (content: string, choice = 0): OpenAIChatCompletionChunk => ({
  choices: [{ index: choice, delta: { content }, finish_reason: null }],
});
const finish = (reason: string, choice = 0): OpenAIChatCompletionChunk => ({
  choices: [{ index: choice, delta: {}, finish_reason: reason }],
});
const usage: OpenAIChatCompletionChunk = { choices: [], usage: { prompt_tokens: 10, completion_tokens: 5 } };

describe('fromOpenAIChatCompletions', () => {
  it('reads id and name from the first fragment only', () => {
    const events = run([
      { choices: [{ index: 0, delta: { role: 'assistant', content: null }, finish_reason: null }] },
      tool(0, { id: 'call_a', name: 'get_weather', args: '' }),
      tool(0, { args: '{"ci' }),
      tool(0, { args: 'ty":"Paris"}' }),
      finish('tool_calls'),
      usage,
    ]);
    expect(events).toEqual([
      { type: 'tool-call-start', id: 'call_a', name: 'get_weather', index: 0, providerMetadata: { toolCallIndex: 0 } },
      { type: 'tool-call-delta', id: 'call_a', delta: '{"ci' },
      { type: 'tool-call-delta', id: 'call_a', delta: 'ty":"Paris"}' },
      { type: 'tool-call-end', id: 'call_a' },
      { type: 'finish', reason: 'tool-calls', rawReason: 'tool_calls', usage: { inputTokens: 10, outputTokens: 5 } },
    ]);
  });

  it('ends a call when the next index starts (parallel calls)', () => {
    const events = run([
      tool(0, { id: 'a', name: 'f', args: '{"x":1}' }),
      tool(1, { id: 'b', name: 'g', args: '{"y":' }),
      tool(1, { args: '2}' }),
      finish('tool_calls'),
    ]);
    expect(events.map((e) => e.type + ('id' in e ? ':' + e.id : ''))).toEqual([
      'tool-call-start:a',
      'tool-call-delta:a',
      'tool-call-end:a',
      'tool-call-start:b',
      'tool-call-delta:b',
      'tool-call-delta:b',
      'tool-call-end:b',
      'finish',
    ]);
  });

  it('numbers calls from 0 when the server starts at index 1', () => {
    const events = run([tool(1, { id: 'a', name: 'f', args: '{}' }), tool(2, { id: 'b', name: 'g', args: '{}' }), finish('tool_calls')]);
    const starts = events.filter((e) => e.type === 'tool-call-start');
    expect(starts.map((e) => [e.index, e.providerMetadata])).toEqual([
      [0, { toolCallIndex: 1 }],
      [1, { toolCallIndex: 2 }],
    ]);
  });

  it('starts a new call for a new id on index 0 (servers that reuse index 0)', () => {
    const summary = summarize(
      run([
        tool(0, { id: 'a', name: 'f', args: '{"n":1}' }),
        tool(0, { id: 'b', name: 'f', args: '{"n":' }),
        tool(0, { args: '2}' }),
        finish('tool_calls'),
      ]),
    );
    expect(summary.calls.map((c) => [c.id, c.index, c.args, c.ended])).toEqual([
      ['a', 0, '{"n":1}', true],
      ['b', 1, '{"n":2}', true],
    ]);
  });

  it('one id repeated by every call on one slot (or none): a new name is a new call, never merged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('f', 'g', 'h'), fc.jsonValue({ maxDepth: 2 }), fc.array(fc.nat(), { maxLength: 4 })), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.constantFrom(0, undefined),
        fc.boolean(),
        (specs, index, idOnEvery) => {
          // Consecutive calls with one name and one id on one slot cannot be told apart: not generated.
          const calls = specs.filter((spec, i) => i === 0 || spec[0] !== specs[i - 1]![0]);
          const chunks: OpenAIChatCompletionChunk[] = [];
          for (const [name, value, cutList] of calls) {
            const args = JSON.stringify({ v: value });
            const cuts = [...new Set(cutList.map((c) => c % args.length))].filter((c) => c > 0).sort((a, b) => a - b);
            let previous = 0;
            for (const [k, cut] of [...cuts, args.length].entries()) {
              chunks.push(tool(index, { ...(k === 0 || idOnEvery ? { id: 'call' } : {}), ...(k === 0 ? { name } : {}), args: args.slice(previous, cut) }));
              previous = cut;
            }
          }
          chunks.push(finish('tool_calls'));
          const summary = summarize(run(chunks));
          expect(summary.errors).toEqual([]);
          expect(summary.calls.map((c) => [c.name, c.args, c.ended])).toEqual(
            calls.map(([name, value]) => [name, JSON.stringify({ v: value }), true]),
          );
          expect(new Set(summary.calls.map((c) => c.id)).size).toBe(calls.length);
        },
      ),
    );
  });

  it('a genuine append that starts with the whole text so far is appended, not taken for a resend', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('a', 'node', 'filter'),
        fc.integer({ min: 2, max: 4 }),
        fc.jsonValue({ maxDepth: 1 }),
        fc.boolean(),
        (key, depth, leaf, spaced) => {
          // {"k":{"k":…leaf…}} sent as `{"k":` and then the rest, which repeats it: appended, the
          // text is JSON; taken as a resend, the rest alone has one close too many. (A rest that
          // is itself a JSON prefix is ambiguous, and is taken for a resend.)
          let value: unknown = leaf;
          for (let i = 0; i < depth; i++) value = { [key]: value };
          const args = JSON.stringify(value, null, spaced ? 1 : undefined);
          const first = args.slice(0, args.indexOf(':') + 1);
          const chunks = [tool(0, { id: 'c', name: 'f', args: first }), tool(0, { args: args.slice(first.length) }), finish('tool_calls')];
          expect(summarize(run(chunks)).calls.map((c) => c.args)).toEqual([args]);
        },
      ),
    );
  });

  it('treats a repeated id or name as the same call', () => {
    const summary = summarize(
      run([tool(0, { id: 'a', name: 'f', args: '{"n"' }), tool(0, { id: 'a', name: 'f', args: ':1}' }), finish('stop')]),
    );
    expect(summary.calls).toEqual([{ id: 'a', name: 'f', index: 0, choice: 0, args: '{"n":1}', ended: true }]);
  });

  it('generates an id when the server sends none, and an empty name when it sends no name', () => {
    const events = run([tool(0, { args: '{}' }), finish('tool_calls')]);
    expect(events[0]).toEqual({ type: 'tool-call-start', id: 'openai-call-0-0', name: '', index: 0, providerMetadata: { toolCallIndex: 0 } });
  });

  it('uses the last slot when a server leaves index out', () => {
    const summary = summarize(run([tool(undefined, { id: 'a', name: 'f', args: '{"a"' }), tool(undefined, { args: ':1}' }), finish('tool_calls')]));
    expect(summary.calls.map((c) => c.args)).toEqual(['{"a":1}']);
  });

  it('keeps n>1 choices apart, each with its own calls and finish', () => {
    const events = run([
      tool(0, { id: 'a0', name: 'f', args: '{"c":' }, 0),
      tool(0, { id: 'a1', name: 'f', args: '{"c":' }, 1),
      text('hi', 2),
      tool(0, { args: '0}' }, 0),
      tool(0, { args: '1}' }, 1),
      finish('tool_calls', 1),
      finish('tool_calls', 0),
      finish('stop', 2),
      usage,
    ]);
    const summary = summarize(events);
    expect(summary.calls.map((c) => [c.id, c.choice, c.index, c.args, c.ended])).toEqual([
      ['a0', 0, 0, '{"c":0}', true],
      ['a1', 1, 0, '{"c":1}', true],
    ]);
    expect(summary.text.get(2)).toBe('hi');
    expect(summary.finishes.map((f) => f.choice ?? 0)).toEqual([1, 0, 2]);
    expect(events.some((e) => e.choice === 0)).toBe(false);
    expect(events.filter((e) => e.type === 'tool-call-start').map((e) => e.choice)).toEqual([undefined, 1]);
  });

  it('emits one finish per choice even when finish_reason is repeated', () => {
    const events = run([text('a'), finish('stop'), { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, usage]);
    expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
  });

  it('attaches usage from the final choices:[] chunk, or emits finish at end() without it', () => {
    expect(run([text('a'), finish('stop'), usage]).at(-1)).toEqual({
      type: 'finish',
      reason: 'stop',
      rawReason: 'stop',
      usage: { inputTokens: 10, outputTokens: 5 },
    });
    const normalizer = createOpenAIChatCompletionsNormalizer();
    expect(normalizer.push(text('a'))).toHaveLength(1);
    expect(normalizer.push(finish('stop'))).toEqual([]);
    expect(normalizer.end()).toEqual([{ type: 'finish', reason: 'stop', rawReason: 'stop' }]);
    expect(normalizer.end()).toEqual([]);
  });

  it('reads usage sent in the same chunk as finish_reason (some compatible servers)', () => {
    const events = run([{ choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2 } }]);
    expect(events).toEqual([
      { type: 'text-delta', delta: 'x' },
      { type: 'finish', reason: 'stop', rawReason: 'stop', usage: { inputTokens: 1, outputTokens: 2 } },
    ]);
  });

  it('leaves calls open on finish length and content_filter', () => {
    for (const reason of ['length', 'content_filter']) {
      const events = run([tool(0, { id: 'a', name: 'f', args: '{"q":"x"' }), finish(reason)]);
      expect(events.some((e) => e.type === 'tool-call-end')).toBe(false);
      expect(events.at(-1)).toMatchObject({ type: 'finish', reason: mapOpenAIChatFinishReason(reason) });
    }
  });

  it('never ends a call because its arguments happen to parse', () => {
    // {"q":"x"} parses, but the stream stops without a finish: the call stays open.
    const events = run([tool(0, { id: 'a', name: 'f', args: '{"q":"x"}' })]);
    expect(events.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta']);
  });

  it('turns an error chunk into an error event and leaves calls open', () => {
    const error = { message: 'The server had an error', type: 'server_error' };
    const events = run([tool(0, { id: 'a', name: 'f', args: '{' }), { error }]);
    expect(events.at(-1)).toEqual({ type: 'error', error });
    expect(events.some((e) => e.type === 'tool-call-end' || e.type === 'finish')).toBe(false);
  });

  it('reports a fragment for a call a later index already ended, unless interleavedToolCalls', () => {
    const chunks = [
      tool(0, { id: 'a', name: 'f', args: '{"a":' }),
      tool(1, { id: 'b', name: 'g', args: '{"b":' }),
      tool(0, { args: '1}' }),
      tool(1, { args: '2}' }),
      finish('tool_calls'),
    ];
    const strict = run(chunks);
    expect(strict.filter((e) => e.type === 'error')).toHaveLength(1);
    const interleaved = summarize(run(chunks, { interleavedToolCalls: true }));
    expect(interleaved.calls.map((c) => [c.id, c.args, c.ended])).toEqual([
      ['a', '{"a":1}', true],
      ['b', '{"b":2}', true],
    ]);
    expect(interleaved.errors).toEqual([]);
  });

  it('keeps refusal and reasoning apart from the text', () => {
    const events = run([
      { choices: [{ index: 0, delta: { reasoning_content: 'think' } }] },
      { choices: [{ index: 0, delta: { reasoning: ' more' } }] },
      { choices: [{ index: 0, delta: { refusal: "I can't" } }] },
      { choices: [{ index: 0, delta: { content: '', refusal: '' } }] },
      finish('stop'),
    ]);
    expect(events).toEqual([
      { type: 'reasoning-delta', delta: 'think' },
      { type: 'reasoning-delta', delta: ' more' },
      { type: 'refusal-delta', delta: "I can't" },
      { type: 'finish', reason: 'stop', rawReason: 'stop' },
    ]);
  });

  it('maps finish reasons', () => {
    expect(['stop', 'length', 'tool_calls', 'function_call', 'content_filter', 'weird'].map(mapOpenAIChatFinishReason)).toEqual([
      'stop',
      'length',
      'tool-calls',
      'tool-calls',
      'content-filter',
      'other',
    ]);
    // OpenAI-compatible servers' own names: a normal end must not read as `other` (which cuts open calls).
    expect(['eos_token', 'eos', 'stop_sequence', 'end_turn', 'tool_use', 'model_length', 'insufficient_system_resource'].map(mapOpenAIChatFinishReason)).toEqual([
      'stop',
      'stop',
      'stop',
      'stop',
      'tool-calls',
      'length',
      'error',
    ]);
  });

  it('throws TypeError on push after end', () => {
    const normalizer = createOpenAIChatCompletionsNormalizer();
    normalizer.end();
    expect(() => normalizer.push(text('x'))).toThrow(/push\(\) called after end\(\)/);
  });

  it('accepts arrays, async iterables and ReadableStreams of chunks', async () => {
    const chunks = [text('a'), text('b'), finish('stop')];
    async function* gen() {
      yield* chunks;
    }
    const stream = new ReadableStream<OpenAIChatCompletionChunk>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    for (const source of [chunks, gen(), stream]) {
      const events = await collect(fromOpenAIChatCompletions(source));
      expect(summarize(events).text.get(0)).toBe('ab');
    }
    await expect(collect(fromOpenAIChatCompletions(null as never))).rejects.toThrow(TypeError);
  });

  it('rethrows a source failure without ending open calls', async () => {
    async function* failing() {
      yield tool(0, { id: 'a', name: 'f', args: '{' });
      throw new Error('socket hang up');
    }
    const seen: StreamEvent[] = [];
    await expect(
      (async () => {
        for await (const event of fromOpenAIChatCompletions(failing())) seen.push(event);
      })(),
    ).rejects.toThrow('socket hang up');
    expect(seen.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta']);
  });
});
