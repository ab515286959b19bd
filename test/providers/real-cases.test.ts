import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assembleToolCalls, createToolCallAssembler, fromAnthropicMessages, fromGemini, fromOpenAIChatCompletions, fromOpenAIResponses, readServerSentEvents, readServerSentEventsJson, type AssembledEvent, type StreamEvent } from '../../src/tool-calls/index.js';
import { collect } from './helpers.js';

/** SSE wire text: `event:` + `data:` lines (Anthropic, Responses) or `data:` only (OpenAI chat, Gemini). */
function sse(payloads: unknown[], named: boolean): string {
  return payloads
    .map((p) => {
      const type = (p as { type?: string }).type;
      return `${named && type !== undefined ? `event: ${type}\n` : ''}data: ${JSON.stringify(p)}\n\n`;
    })
    .join('');
}

/** The outcome of a stream through the assembler: delivered calls, errors by reason, text, finishes. */
async function outcome(events: AsyncIterable<StreamEvent>) {
  const seen: StreamEvent[] = [];
  async function* tap() {
    for await (const e of events) {
      seen.push(e);
      yield e;
    }
  }
  const out: AssembledEvent[] = await collect(assembleToolCalls(tap()));
  return {
    calls: out.flatMap((e) => (e.type === 'tool-call' ? [{ id: e.id, name: e.name, arguments: e.arguments }] : [])),
    errors: out.flatMap((e) => (e.type === 'tool-call-error' ? [{ id: e.error.id, reason: e.error.reason }] : [])),
    text: seen.flatMap((e) => (e.type === 'text-delta' ? [e.delta] : [])).join(''),
    finishes: seen.flatMap((e) => (e.type === 'finish' ? [e.reason] : [])),
    types: seen.map((e) => e.type),
  };
}

describe('real-recording cases, in the wire format', () => {
  it('Anthropic: message_start carrying finished tool_use blocks and the stop reason (programmatic tool calling)', async () => {
    const body = sse(
      [
        {
          type: 'message_start',
          message: {
            id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test',
            content: [
              { type: 'text', text: 'Running both.' },
              { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} },
            ],
            stop_reason: 'tool_use', stop_sequence: null,
            usage: { input_tokens: 10, output_tokens: 30 },
          },
        },
        { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 30 } },
        { type: 'message_stop' },
      ],
      true,
    );
    const r = await outcome(fromAnthropicMessages(readServerSentEventsJson(body)));
    expect(r.calls).toEqual([
      { id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'toolu_b', name: 'get_time', arguments: {} },
    ]);
    expect(r.text).toBe('Running both.');
    expect(r.finishes).toEqual(['tool-calls']);
  });

  it('Anthropic: a new message_start while a tool_use block is open truncates the cut call, even when its text parses', async () => {
    const body = sse(
      [
        { type: 'message_start', message: { id: 'msg_1', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_cut', name: 'set', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"value":"Spark"}' } },
        { type: 'message_start', message: { id: 'msg_2', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_ok', name: 'set', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"value":"Sparkle"}' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
        { type: 'message_stop' },
      ],
      true,
    );
    const r = await outcome(fromAnthropicMessages(readServerSentEventsJson(body)));
    expect(r.calls).toEqual([{ id: 'toolu_ok', name: 'set', arguments: { value: 'Sparkle' } }]);
    expect(r.errors).toEqual([{ id: 'toolu_cut', reason: 'truncated' }]);
  });

  it('Responses: several responses in one stream, the second call reusing output_index 0', async () => {
    const response = (id: string, status: string) => ({ id, object: 'response', status, output: [] });
    const call = (n: number, args: string) => [
      { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: `fc_${n}`, call_id: `call_${n}`, name: 'step', arguments: '', status: 'in_progress' } },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: `fc_${n}`, delta: args.slice(0, 5) },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: `fc_${n}`, delta: args.slice(5) },
      { type: 'response.function_call_arguments.done', output_index: 0, item_id: `fc_${n}`, arguments: args },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id: `fc_${n}`, call_id: `call_${n}`, name: 'step', arguments: args, status: 'completed' } },
    ];
    const body = sse(
      [
        { type: 'response.created', response: response('resp_1', 'in_progress') },
        ...call(1, '{"n":1}'),
        { type: 'response.completed', response: response('resp_1', 'completed') },
        { type: 'response.created', response: response('resp_2', 'in_progress') },
        ...call(2, '{"n":2}'),
        { type: 'response.completed', response: response('resp_2', 'completed') },
      ],
      true,
    );
    const r = await outcome(fromOpenAIResponses(readServerSentEventsJson(body)));
    expect(r.calls).toEqual([
      { id: 'call_1', name: 'step', arguments: { n: 1 } },
      { id: 'call_2', name: 'step', arguments: { n: 2 } },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.finishes).toEqual(['tool-calls', 'tool-calls']);
  });

  it('Responses: a call cut by a new response is truncated; custom tools come as text; MCP calls are marked provider-executed', async () => {
    const body = sse(
      [
        { type: 'response.created', response: { id: 'r1', status: 'in_progress' } },
        { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'f', arguments: '' } },
        { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_1', delta: '{"a":1}' },
        { type: 'response.created', response: { id: 'r2', status: 'in_progress' } },
        { type: 'response.output_item.added', output_index: 0, item: { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_2', name: 'shell', input: '' } },
        { type: 'response.custom_tool_call_input.delta', output_index: 0, item_id: 'ctc_1', delta: 'ls -la {' },
        { type: 'response.custom_tool_call_input.done', output_index: 0, item_id: 'ctc_1', input: 'ls -la {' },
        { type: 'response.output_item.added', output_index: 1, item: { type: 'mcp_call', id: 'mcp_1', name: 'search', server_label: 'docs', arguments: '' } },
        { type: 'response.mcp_call_arguments.delta', output_index: 1, item_id: 'mcp_1', delta: '{"q":"x"}' },
        { type: 'response.mcp_call_arguments.done', output_index: 1, item_id: 'mcp_1', arguments: '{"q":"x"}' },
        { type: 'response.completed', response: { id: 'r2', status: 'completed' } },
      ],
      true,
    );
    const events = await collect(fromOpenAIResponses(readServerSentEventsJson(body)));
    const mcp = events.find((e) => e.type === 'tool-call-start' && e.name === 'search');
    expect(mcp).toMatchObject({ providerMetadata: { serverLabel: 'docs', providerExecuted: true } });
    const r = await outcome((async function* () { yield* events; })());
    expect(r.errors).toEqual([{ id: 'call_1', reason: 'truncated' }]);
    expect(r.calls).toEqual([
      { id: 'call_2', name: 'shell', arguments: 'ls -la {' },
      { id: 'mcp_1', name: 'search', arguments: { q: 'x' } },
    ]);
  });

  it('Gemini: text after finishReason STOP (server-side tool execution) comes before the finish event', async () => {
    const body = sse(
      [
        { candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'lookup', args: { q: 'x' } } }] }, finishReason: 'STOP' }] },
        { candidates: [{ content: { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { r: 1 } } }] } }] },
        { candidates: [{ content: { role: 'model', parts: [{ text: 'The answer ' }] } }] },
        { candidates: [{ content: { role: 'model', parts: [{ text: 'is 1.' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 7 } },
      ],
      false,
    );
    const events = await collect(fromGemini(readServerSentEventsJson(body)));
    const finishAt = events.findIndex((e) => e.type === 'finish');
    expect(finishAt).toBe(events.length - 1);
    expect(events[finishAt]).toMatchObject({ reason: 'stop', usage: { inputTokens: 5, outputTokens: 7 } });
    const r = await outcome((async function* () { yield* events; })());
    expect(r.text).toBe('The answer is 1.');
    expect(r.calls).toEqual([{ id: 'gemini-call-0-0', name: 'lookup', arguments: { q: 'x' } }]);
  });
});

describe('OpenAI-compatible quirks through fromOpenAIChatCompletions (wire format)', () => {
  const chunk = (toolCalls: unknown[] | undefined, finish: string | null = null, extra: object = {}) => ({
    id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'm',
    choices: [{ index: 0, delta: toolCalls === undefined ? {} : { tool_calls: toolCalls }, finish_reason: finish, ...extra }],
  });
  const run = async (chunks: unknown[]) =>
    outcome(fromOpenAIChatCompletions(readServerSentEventsJson(sse(chunks, false) + 'data: [DONE]\n\n')));

  it('entries without index, or with index -1, told apart by id and name', async () => {
    for (const index of [undefined, -1]) {
      const at = index === undefined ? {} : { index };
      const r = await run([
        chunk([{ ...at, id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"x":' } }]),
        chunk([{ ...at, function: { arguments: '1}' } }]),
        chunk([{ ...at, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}' } }]),
        chunk(undefined, 'tool_calls'),
      ]);
      expect(r.calls).toEqual([
        { id: 'call_a', name: 'f', arguments: { x: 1 } },
        { id: 'call_b', name: 'g', arguments: {} },
      ]);
    }
  });

  it('every call on index 0 with a new id; the id repeated on every fragment', async () => {
    const r = await run([
      chunk([{ index: 0, id: 'call_a', function: { name: 'f', arguments: '{"x":' } }]),
      chunk([{ index: 0, id: 'call_a', function: { name: 'f', arguments: '1}' } }]),
      chunk([{ index: 0, id: 'call_b', function: { name: 'f', arguments: '{"x":2}' } }]),
      chunk(undefined, 'tool_calls'),
    ]);
    expect(r.calls).toEqual([
      { id: 'call_a', name: 'f', arguments: { x: 1 } },
      { id: 'call_b', name: 'f', arguments: { x: 2 } },
    ]);
  });

  it('arguments before the id and name; placeholder and shared ids', async () => {
    const r = await run([
      chunk([{ index: 0, function: { arguments: '{"x":' } }]),
      chunk([{ index: 0, id: 'call_a', function: { name: 'f', arguments: '1}' } }]),
      chunk([{ index: 1, id: '', function: { name: 'g', arguments: '{}' } }]),
      chunk([{ index: 2, id: 'call_a', function: { name: 'h', arguments: '{"y":2}' } }]),
      chunk(undefined, 'tool_calls'),
    ]);
    expect(r.calls.map((c) => [c.name, c.arguments])).toEqual([
      ['f', { x: 1 }],
      ['g', {}],
      ['h', { y: 2 }],
    ]);
    expect(new Set(r.calls.map((c) => c.id)).size).toBe(3);
    expect(r.calls[0]?.id).toBe('call_a');
  });

  it('whole-so-far resends replace, identical resends are dropped, never {…}{…}', async () => {
    const r = await run([
      chunk([{ index: 0, id: 'call_a', function: { name: 'f', arguments: '{"q":' } }]),
      chunk([{ index: 0, function: { arguments: '{"q":"hel' } }]),
      chunk([{ index: 0, function: { arguments: '{"q":"hel' } }]),
      chunk([{ index: 0, function: { arguments: 'lo"}' } }]),
      chunk([{ index: 0, function: { arguments: '{"q":"hello"}' } }]),
      chunk(undefined, 'tool_calls'),
    ]);
    expect(r.calls).toEqual([{ id: 'call_a', name: 'f', arguments: { q: 'hello' } }]);
  });

  it('whole arguments in one fragment, or only in a terminal message', async () => {
    const r = await run([
      chunk([{ index: 0, id: 'call_a', function: { name: 'f', arguments: '{"a":[1,2]}' } }]),
      chunk(undefined, null, { message: { tool_calls: [{ index: 0, id: 'call_a', function: { name: 'f', arguments: '{"a":[1,2]}' } }, { id: 'call_b', function: { name: 'g', arguments: '{"b":true}' } }] } }),
      chunk(undefined, 'tool_calls'),
    ]);
    expect(r.calls).toEqual([
      { id: 'call_a', name: 'f', arguments: { a: [1, 2] } },
      { id: 'call_b', name: 'g', arguments: { b: true } },
    ]);
  });

  it('a tool_calls finish on a call whose JSON never closed: truncated, never delivered', async () => {
    const r = await run([
      chunk([{ index: 0, id: 'call_a', function: { name: 'f', arguments: '{"path":"/etc/pa' } }]),
      chunk(undefined, 'tool_calls'),
    ]);
    expect(r.calls).toEqual([]);
    expect(r.errors).toEqual([{ id: 'call_a', reason: 'truncated' }]);
  });
});

describe('adapters given the wrong thing', () => {
  const adapters = [
    ['fromOpenAIChatCompletions', fromOpenAIChatCompletions],
    ['fromOpenAIResponses', fromOpenAIResponses],
    ['fromAnthropicMessages', fromAnthropicMessages],
    ['fromGemini', fromGemini],
  ] as const;
  for (const [name, adapter] of adapters) {
    it(`${name}: a fetch Response, a string or bytes throw a TypeError naming the call to use`, async () => {
      const response = new Response('data: {}\n\n');
      await expect(collect(adapter(response as never))).rejects.toThrow(
        new TypeError(`${name}() was given a fetch Response; pass its events instead: ${name}(readServerSentEventsJson(response))`),
      );
      await expect(collect(adapter('data: {}' as never))).rejects.toThrow(/readServerSentEventsJson\(text\)/);
      await expect(collect(adapter(new Response('data: {}\n\n').body as never))).rejects.toThrow(
        /was given bytes \(a Uint8Array\) as a chunk.*readServerSentEventsJson\(response\)/,
      );
      await expect(collect(adapter(42 as never))).rejects.toBeInstanceOf(TypeError);
    });
  }

  it('raw server-sent events are parsed, not silently dropped', async () => {
    const body = sse(
      [
        { id: 'c', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] },
        { id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      ],
      false,
    ) + 'data: [DONE]\n\n';
    const events = await collect(fromOpenAIChatCompletions(readServerSentEvents(body) as never));
    expect(events.map((e) => e.type)).toEqual(['text-delta', 'finish']);
  });
});

describe('tool names are data', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    it(`a call named ${name} is unknown-tool unless tools names it`, () => {
      const errors: string[] = [];
      const calls: unknown[] = [];
      const assembler = createToolCallAssembler({
        tools: { search: z.object({ q: z.string() }) },
        onToolCallError: (e) => errors.push(e.reason),
        onToolCall: (c) => calls.push(c.arguments),
      });
      assembler.push({ type: 'tool-call-start', id: 'a', name, index: 0 });
      assembler.push({ type: 'tool-call-delta', id: 'a', delta: '{}' });
      assembler.push({ type: 'tool-call-end', id: 'a' });
      assembler.end();
      expect(errors).toEqual(['unknown-tool']);
      expect(calls).toEqual([]);

      const tools = Object.defineProperty({}, name, { value: z.object({ x: z.number() }), enumerable: true }) as Record<string, z.ZodType>;
      const named = createToolCallAssembler({ tools, onToolCall: (c) => calls.push(c.arguments) });
      named.push({ type: 'tool-call-start', id: 'b', name, index: 0 });
      named.push({ type: 'tool-call-delta', id: 'b', delta: '{"x":1}' });
      named.push({ type: 'tool-call-end', id: 'b' });
      named.end();
      expect(calls).toEqual([{ x: 1 }]);
    });
  }
});
