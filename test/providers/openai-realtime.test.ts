/**
 * OpenAI Realtime (and Responses over WebSocket) server events, recorded in the documented shape
 * and typed with the `openai` SDK's own `RealtimeServerEvent`, through `fromOpenAIRealtime`.
 */
import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { createOpenAIRealtimeNormalizer, fromOpenAIRealtime, type OpenAIRealtimeServerEvent, type StreamEvent } from '../../src/providers/index.js';
import { createToolCallAssembler, type CompletedToolCall, type ToolCallError } from '../../src/tool-calls/index.js';
import { collect } from './helpers.js';

function assemble(events: readonly StreamEvent[]): { calls: CompletedToolCall[]; errors: ToolCallError[] } {
  const calls: CompletedToolCall[] = [];
  const errors: ToolCallError[] = [];
  const assembler = createToolCallAssembler({ onToolCall: (c) => calls.push(c), onToolCallError: (e) => errors.push(e) });
  for (const event of events) assembler.push(event);
  assembler.end();
  return { calls, errors };
}

const item = (id: string, callId: string, name: string, status: 'in_progress' | 'completed' | 'incomplete', args = '') =>
  ({ id, type: 'function_call', call_id: callId, name, arguments: args, status, object: 'realtime.item' }) as const;

/** A session: one response that answers in text and calls a tool, then one cut by the user speaking. */
const session: RealtimeServerEvent[] = [
  { type: 'response.created', event_id: 'event_1', response: { id: 'resp_1', object: 'realtime.response', status: 'in_progress', output: [] } },
  { type: 'response.output_text.delta', event_id: 'event_2', response_id: 'resp_1', item_id: 'item_t', output_index: 0, content_index: 0, delta: 'Let me check ' },
  { type: 'response.output_text.delta', event_id: 'event_3', response_id: 'resp_1', item_id: 'item_t', output_index: 0, content_index: 0, delta: 'the weather.' },
  { type: 'response.output_item.added', event_id: 'event_4', response_id: 'resp_1', output_index: 1, item: item('item_f1', 'call_f1', 'get_weather', 'in_progress') },
  { type: 'response.function_call_arguments.delta', event_id: 'event_5', response_id: 'resp_1', item_id: 'item_f1', output_index: 1, call_id: 'call_f1', delta: '{"city":"Pa' },
  { type: 'response.function_call_arguments.delta', event_id: 'event_6', response_id: 'resp_1', item_id: 'item_f1', output_index: 1, call_id: 'call_f1', delta: 'ris"}' },
  { type: 'response.function_call_arguments.done', event_id: 'event_7', response_id: 'resp_1', item_id: 'item_f1', output_index: 1, call_id: 'call_f1', name: 'get_weather', arguments: '{"city":"Paris"}' },
  { type: 'response.output_item.done', event_id: 'event_8', response_id: 'resp_1', output_index: 1, item: item('item_f1', 'call_f1', 'get_weather', 'completed', '{"city":"Paris"}') },
  {
    type: 'response.done',
    event_id: 'event_9',
    response: { id: 'resp_1', object: 'realtime.response', status: 'completed', output: [], usage: { input_tokens: 120, output_tokens: 30, total_tokens: 150 } },
  },
  { type: 'response.created', event_id: 'event_10', response: { id: 'resp_2', object: 'realtime.response', status: 'in_progress', output: [] } },
  // The second response reuses output_index 0 and is cut while its call streams: its text happens to parse.
  { type: 'response.output_item.added', event_id: 'event_11', response_id: 'resp_2', output_index: 0, item: item('item_f2', 'call_f2', 'book', 'in_progress') },
  { type: 'response.function_call_arguments.delta', event_id: 'event_12', response_id: 'resp_2', item_id: 'item_f2', output_index: 0, call_id: 'call_f2', delta: '{"value":"Spark"}' },
  {
    type: 'response.done',
    event_id: 'event_13',
    response: {
      id: 'resp_2',
      object: 'realtime.response',
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'turn_detected' },
      output: [],
      usage: { input_tokens: 150, output_tokens: 5, total_tokens: 155 },
    },
  },
];

describe('fromOpenAIRealtime', () => {
  it('a session of two responses: the finished call is delivered, the interrupted one truncated', async () => {
    const events = await collect(fromOpenAIRealtime(session));
    expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.delta] : [])).join('')).toBe('Let me check the weather.');
    expect(events.filter((e) => e.type === 'finish')).toEqual([
      { type: 'finish', reason: 'tool-calls', rawReason: 'completed', usage: { inputTokens: 120, outputTokens: 30 } },
      { type: 'finish', reason: 'other', rawReason: 'turn_detected', usage: { inputTokens: 150, outputTokens: 5 } },
    ]);
    expect(events.filter((e) => e.type === 'tool-call-end').map((e) => e.id)).toEqual(['call_f1']);
    const { calls, errors } = assemble(events);
    expect(calls.map(({ id, name, arguments: args }) => ({ id, name, args }))).toEqual([
      { id: 'call_f1', name: 'get_weather', args: { city: 'Paris' } },
    ]);
    expect(errors.map((e) => [e.id, e.reason])).toEqual([['call_f2', 'truncated']]);
  });

  it('given the socket itself: a TypeError that says to use the push core', () => {
    expect(() => fromOpenAIRealtime({ send() {}, addEventListener() {} } as never)).toThrow(/createOpenAIRealtimeNormalizer\(\)/);
  });

  it('takes the text of each WebSocket message as well as parsed objects', async () => {
    expect(await collect(fromOpenAIRealtime(session.map((event) => JSON.stringify(event))))).toEqual(
      await collect(fromOpenAIRealtime(session)),
    );
  });

  it('arguments only in the done event; incomplete (max_output_tokens) truncates', () => {
    const normalizer = createOpenAIRealtimeNormalizer();
    const events = [
      { type: 'response.function_call_arguments.done', response_id: 'r', item_id: 'i1', call_id: 'c1', name: 'f', arguments: '{"a":1}' },
      { type: 'response.output_item.added', response_id: 'r', output_index: 1, item: { id: 'i2', type: 'function_call', call_id: 'c2', name: 'g', arguments: '' } },
      { type: 'response.function_call_arguments.delta', response_id: 'r', item_id: 'i2', delta: '{"b":' },
      { type: 'response.done', response: { id: 'r', status: 'incomplete', status_details: { type: 'incomplete', reason: 'max_output_tokens' } } },
    ].flatMap((e) => normalizer.push(e));
    expect(events.filter((e) => e.type !== 'error')).toEqual([
      { type: 'tool-call-start', id: 'c1', name: 'f', index: 0, providerMetadata: { itemId: 'i1', responseId: 'r' } },
      { type: 'tool-call-delta', id: 'c1', delta: '{"a":1}' },
      { type: 'tool-call-end', id: 'c1' },
      { type: 'tool-call-start', id: 'c2', name: 'g', index: 1, providerMetadata: { itemId: 'i2', outputIndex: 1, responseId: 'r' } },
      { type: 'tool-call-delta', id: 'c2', delta: '{"b":' },
      { type: 'finish', reason: 'length', rawReason: 'max_output_tokens' },
    ]);
    const { calls, errors } = assemble(events);
    expect(calls.map((c) => c.id)).toEqual(['c1']);
    expect(errors.map((e) => [e.id, e.reason])).toEqual([['c2', 'truncated']]);
  });

  it('final arguments that contradict the streamed ones are never delivered', () => {
    const normalizer = createOpenAIRealtimeNormalizer();
    const events: OpenAIRealtimeServerEvent[] = [
      { type: 'response.output_item.added', item: { id: 'i', type: 'function_call', call_id: 'c', name: 'f' } },
      { type: 'response.function_call_arguments.delta', item_id: 'i', delta: '{"a":1}' },
      { type: 'response.function_call_arguments.done', item_id: 'i', arguments: '{"a":2}' },
      { type: 'response.done', response: { status: 'completed' } },
    ];
    const out = events.flatMap((e) => normalizer.push(e));
    expect(out.some((e) => e.type === 'tool-call-end')).toBe(false);
    expect(assemble(out).calls).toEqual([]);
  });

  it('a response abandoned without its response.done: the next response completing does not deliver its open call', () => {
    const normalizer = createOpenAIRealtimeNormalizer();
    const events: OpenAIRealtimeServerEvent[] = [
      { type: 'response.created', response: { id: 'r1' } },
      { type: 'response.output_item.added', response_id: 'r1', item: { id: 'i1', type: 'function_call', call_id: 'c1', name: 'f' } },
      { type: 'response.function_call_arguments.delta', response_id: 'r1', item_id: 'i1', delta: '{"a":1}' },
      { type: 'response.created', response: { id: 'r2' } },
      { type: 'response.done', response: { id: 'r2', status: 'completed' } },
    ];
    const out = events.flatMap((e) => normalizer.push(e));
    const { calls, errors } = assemble(out);
    expect(calls).toEqual([]);
    expect(errors.map((e) => [e.id, e.reason])).toEqual([['c1', 'truncated']]);
  });

  it('Responses over WebSocket: response.completed / response.failed, output_item.done as the end', () => {
    const normalizer = createOpenAIRealtimeNormalizer();
    const events: OpenAIRealtimeServerEvent[] = [
      { type: 'response.created', response: { id: 'resp_a', status: 'in_progress' } },
      { type: 'response.output_item.added', output_index: 0, item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '' } },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{"q":"x"}' },
      { type: 'response.output_item.done', output_index: 0, item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"q":"x"}', status: 'completed' } },
      { type: 'response.completed', response: { id: 'resp_a', status: 'completed', usage: { input_tokens: 3, output_tokens: 4 } } },
      { type: 'response.created', response: { id: 'resp_b', status: 'in_progress' } },
      { type: 'response.output_item.added', output_index: 0, item: { id: 'fc_2', type: 'function_call', call_id: 'call_2', name: 'f', arguments: '' } },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_2', output_index: 0, delta: '{"q":"y"}' },
      { type: 'response.failed', response: { id: 'resp_b', status: 'failed', error: { code: 'server_error', message: 'boom' } } },
    ];
    const out = [...events.flatMap((e) => normalizer.push(e)), ...normalizer.end()];
    expect(out.filter((e) => e.type === 'finish').map((e) => e.type === 'finish' && e.reason)).toEqual(['tool-calls', 'error']);
    const { calls, errors } = assemble(out);
    expect(calls.map((c) => [c.id, c.arguments])).toEqual([['call_1', { q: 'x' }]]);
    expect(errors.map((e) => [e.id, e.reason])).toEqual([['call_2', 'truncated']]);
  });
});
