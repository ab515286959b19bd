import { describe, expect, it } from 'vitest';
import {
  createOpenAIResponsesNormalizer,
  type OpenAIResponsesStreamEvent,
  type StreamEvent,
} from '../../src/providers/index.js';
import { orderViolations, summarize } from './helpers.js';

function run(events: OpenAIResponsesStreamEvent[]): StreamEvent[] {
  const normalizer = createOpenAIResponsesNormalizer();
  const out = [...events.flatMap((event) => normalizer.push(event)), ...normalizer.end()];
  expect(orderViolations(out)).toEqual([]);
  return out;
}

const added = (output_index: number, id: string, call_id: string, name: string): OpenAIResponsesStreamEvent => ({
  type: 'response.output_item.added',
  output_index,
  item: { type: 'function_call', id, call_id, name, arguments: '', status: 'in_progress' },
});
const argsDelta = (output_index: number, item_id: string | undefined, delta: string): OpenAIResponsesStreamEvent => ({
  type: 'response.function_call_arguments.delta',
  output_index,
  ...(item_id === undefined ? {} : { item_id }),
  delta,
});
const argsDone = (output_index: number, item_id: string, args: string): OpenAIResponsesStreamEvent => ({
  type: 'response.function_call_arguments.done',
  output_index,
  item_id,
  arguments: args,
});
const itemDone = (output_index: number, id: string, call_id: string, name: string, args: string): OpenAIResponsesStreamEvent => ({
  type: 'response.output_item.done',
  output_index,
  item: { type: 'function_call', id, call_id, name, arguments: args, status: 'completed' },
});
const completed: OpenAIResponsesStreamEvent = {
  type: 'response.completed',
  response: { status: 'completed', usage: { input_tokens: 3, output_tokens: 4 } },
};

describe('fromOpenAIResponses', () => {
  it('uses call_id as id, keeps item id, and ends on arguments.done', () => {
    const events = run([
      added(0, 'fc_1', 'call_1', 'search'),
      argsDelta(0, 'fc_1', '{"q":'),
      argsDelta(0, 'fc_1', '"x"}'),
      argsDone(0, 'fc_1', '{"q":"x"}'),
      itemDone(0, 'fc_1', 'call_1', 'search', '{"q":"x"}'),
      completed,
    ]);
    expect(events).toEqual([
      { type: 'tool-call-start', id: 'call_1', name: 'search', index: 0, providerMetadata: { itemId: 'fc_1', outputIndex: 0 } },
      { type: 'tool-call-delta', id: 'call_1', delta: '{"q":' },
      { type: 'tool-call-delta', id: 'call_1', delta: '"x"}' },
      { type: 'tool-call-end', id: 'call_1' },
      { type: 'finish', reason: 'tool-calls', rawReason: 'completed', usage: { inputTokens: 3, outputTokens: 4 } },
    ]);
  });

  it('finds a call by output_index when item_id is missing, and keeps parallel calls apart', () => {
    const summary = summarize(
      run([
        added(0, 'fc_1', 'call_1', 'a'),
        added(1, 'fc_2', 'call_2', 'b'),
        argsDelta(1, undefined, '{"b":2}'),
        argsDelta(0, undefined, '{"a":1}'),
        argsDone(1, 'fc_2', '{"b":2}'),
        argsDone(0, 'fc_1', '{"a":1}'),
        completed,
      ]),
    );
    expect(summary.calls.map((c) => [c.id, c.args, c.ended])).toEqual([
      ['call_1', '{"a":1}', true],
      ['call_2', '{"b":2}', true],
    ]);
  });

  it('fills in from done what the deltas did not carry, and builds a call seen only at output_item.done', () => {
    const summary = summarize(
      run([
        added(0, 'fc_1', 'call_1', 'a'),
        argsDelta(0, 'fc_1', '{"a"'),
        argsDone(0, 'fc_1', '{"a":1}'),
        itemDone(1, 'fc_2', 'call_2', 'b', '{"b":2}'),
        completed,
      ]),
    );
    expect(summary.calls.map((c) => [c.id, c.name, c.args, c.ended])).toEqual([
      ['call_1', 'a', '{"a":1}', true],
      ['call_2', 'b', '{"b":2}', true],
    ]);
  });

  it('done arguments that contradict the deltas (a lost delta) are never mixed with them nor delivered', async () => {
    // Taking done's tail by length mixed the two: `{"a":1` + `}` delivered {"a":1}, which the
    // server never said; `{"city":"Pa` + `"}` (a `ris` delta lost) became `{"city":"Pa"}s"}`.
    for (const [deltas, done] of [
      [['{"a":1'], '{"a":2}'],
      [['{"city":"Pa', '"}'], '{"city":"Paris"}'],
    ] as const) {
      const events = run([
        added(0, 'fc_1', 'call_1', 'f'),
        ...deltas.map((d) => argsDelta(0, 'fc_1', d)),
        argsDone(0, 'fc_1', done),
        itemDone(0, 'fc_1', 'call_1', 'f', done),
        completed,
      ]);
      const summary = summarize(events);
      expect(summary.calls.map((c) => [c.id, c.args, c.ended])).toEqual([['call_1', deltas.join(''), false]]);
      expect(events.some((e) => e.type === 'error')).toBe(true);
      const { createToolCallAssembler } = await import('../../src/tool-calls/index.js');
      const delivered: unknown[] = [];
      const failed: string[] = [];
      const assembler = createToolCallAssembler({ onToolCall: (c) => delivered.push(c.arguments), onToolCallError: (e) => failed.push(e.reason) });
      for (const event of events) assembler.push(event);
      assembler.end();
      expect(delivered).toEqual([]);
      expect(failed).toEqual(['truncated']);
    }
  });

  it('maps text, refusal and reasoning deltas', () => {
    const events = run([
      { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, delta: 'hmm' },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, delta: 'Hello' },
      { type: 'response.refusal.delta', item_id: 'msg_1', output_index: 1, delta: 'No' },
      { type: 'response.output_text.done', item_id: 'msg_1', output_index: 1 },
      completed,
    ]);
    expect(events.map((e) => e.type)).toEqual(['reasoning-delta', 'text-delta', 'refusal-delta', 'finish']);
    expect(events.at(-1)).toMatchObject({ reason: 'stop' });
  });

  it('leaves calls open when the response is incomplete (max_output_tokens)', () => {
    const events = run([
      added(0, 'fc_1', 'call_1', 'a'),
      argsDelta(0, 'fc_1', '{"a":'),
      { type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } },
    ]);
    expect(events.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta', 'finish']);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length', rawReason: 'max_output_tokens' });
  });

  it('reports response.failed and error events, leaving calls open', () => {
    const failed = run([
      added(0, 'fc_1', 'call_1', 'a'),
      { type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'boom' } } },
    ]);
    expect(failed.slice(1)).toEqual([
      { type: 'error', error: { code: 'server_error', message: 'boom' } },
      { type: 'finish', reason: 'error', rawReason: 'failed' },
    ]);
    const errored = run([{ type: 'error', code: 'rate_limit_exceeded', message: 'slow down', param: null }]);
    expect(errored).toEqual([{ type: 'error', error: { code: 'rate_limit_exceeded', message: 'slow down', param: null } }]);
  });

  it('ends calls still open at response.completed', () => {
    const summary = summarize(run([added(0, 'fc_1', 'call_1', 'a'), argsDelta(0, 'fc_1', '{}'), completed]));
    expect(summary.calls[0]?.ended).toBe(true);
  });

  it('gives custom (free-form) tool calls as text calls', () => {
    const events = run([
      { type: 'response.output_item.added', output_index: 0, item: { type: 'custom_tool_call', id: 'ctc_1', call_id: 'c', name: 'x' } },
      { type: 'response.custom_tool_call_input.delta', output_index: 0, item_id: 'ctc_1', delta: 'raw {text' },
      { type: 'response.custom_tool_call_input.done', output_index: 0, item_id: 'ctc_1', input: 'raw {text' },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'custom_tool_call', id: 'ctc_1', input: 'raw {text' } },
      completed,
    ]);
    expect(events.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-end', 'finish']);
    expect(events[0]).toMatchObject({ id: 'c', name: 'x', format: 'text' });
    expect(events[3]).toMatchObject({ reason: 'tool-calls' });
  });

  it('ignores items that are not calls', () => {
    const events = run([
      { type: 'response.output_item.added', output_index: 0, item: { type: 'web_search_call', id: 'ws_1' } },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'web_search_call', id: 'ws_1' } },
      completed,
    ]);
    expect(events.map((e) => e.type)).toEqual(['finish']);
  });
});
