import { describe, expect, it } from 'vitest';
import {
  createAnthropicMessagesNormalizer,
  mapAnthropicStopReason,
  type AnthropicMessageStreamEvent,
  type StreamEvent,
} from '../../src/providers/index.js';
import { orderViolations, summarize } from './helpers.js';

function run(events: AnthropicMessageStreamEvent[]): StreamEvent[] {
  const normalizer = createAnthropicMessagesNormalizer();
  const out = [...events.flatMap((event) => normalizer.push(event)), ...normalizer.end()];
  expect(orderViolations(out)).toEqual([]);
  return out;
}

const messageStart: AnthropicMessageStreamEvent = {
  type: 'message_start',
  message: { id: 'msg_1', usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } },
};
const toolStart = (index: number, id: string, name: string, input: unknown = {}, type = 'tool_use'): AnthropicMessageStreamEvent => ({
  type: 'content_block_start',
  index,
  content_block: { type, id, name, input },
});
const json = (index: number, partial_json: string): AnthropicMessageStreamEvent => ({
  type: 'content_block_delta',
  index,
  delta: { type: 'input_json_delta', partial_json },
});
const stop = (index: number): AnthropicMessageStreamEvent => ({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string, output_tokens = 20): AnthropicMessageStreamEvent => ({
  type: 'message_delta',
  delta: { stop_reason },
  usage: { output_tokens },
});

describe('fromAnthropicMessages', () => {
  it('streams a tool_use block, skipping the empty first input_json_delta', () => {
    const events = run([
      messageStart,
      toolStart(0, 'toolu_1', 'get_weather'),
      json(0, ''),
      json(0, '{"city": "Pa'),
      json(0, 'ris"}'),
      stop(0),
      messageDelta('tool_use'),
      { type: 'message_stop' },
    ]);
    expect(events).toEqual([
      { type: 'tool-call-start', id: 'toolu_1', name: 'get_weather', index: 0, providerMetadata: { blockIndex: 0, blockType: 'tool_use' } },
      { type: 'tool-call-delta', id: 'toolu_1', delta: '{"city": "Pa' },
      { type: 'tool-call-delta', id: 'toolu_1', delta: 'ris"}' },
      { type: 'tool-call-end', id: 'toolu_1' },
      { type: 'finish', reason: 'tool-calls', rawReason: 'tool_use', usage: { inputTokens: 15, outputTokens: 20 } },
    ]);
  });

  it('emits a non-empty start input as the arguments, and {} for a call with no input text', () => {
    const summary = summarize(
      run([
        messageStart,
        toolStart(0, 'a', 'f', { q: 'x', n: 1 }),
        stop(0),
        toolStart(1, 'b', 'g'),
        json(1, ''),
        stop(1),
        messageDelta('tool_use'),
      ]),
    );
    expect(summary.calls.map((c) => [c.id, c.args, c.ended])).toEqual([
      ['a', '{"q":"x","n":1}', true],
      ['b', '{}', true],
    ]);
  });

  it('treats server_tool_use and mcp_tool_use blocks as calls, and ignores result blocks', () => {
    const events = run([
      messageStart,
      toolStart(0, 'srvtoolu_1', 'web_search', {}, 'server_tool_use'),
      json(0, '{"query":"x"}'),
      stop(0),
      { type: 'content_block_start', index: 1, content_block: { type: 'web_search_tool_result' } },
      stop(1),
      toolStart(2, 'mcptoolu_1', 'echo', {}, 'mcp_tool_use'),
      json(2, '{}'),
      stop(2),
      messageDelta('end_turn'),
    ]);
    const starts = events.filter((e) => e.type === 'tool-call-start');
    expect(starts.map((e) => [e.id, e.providerMetadata])).toEqual([
      ['srvtoolu_1', { blockIndex: 0, blockType: 'server_tool_use' }],
      ['mcptoolu_1', { blockIndex: 2, blockType: 'mcp_tool_use' }],
    ]);
  });

  it('turns thinking into reasoning, ignoring signature_delta and ping', () => {
    const events = run([
      messageStart,
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'ping' },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta' } },
      stop(0),
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Answer' } },
      stop(1),
      messageDelta('end_turn'),
      { type: 'message_stop' },
    ]);
    expect(events.map((e) => e.type)).toEqual(['reasoning-delta', 'text-delta', 'finish']);
  });

  it('reports an error event after HTTP 200 and leaves the call open', () => {
    const events = run([
      messageStart,
      toolStart(0, 'a', 'f'),
      json(0, '{"q":'),
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    expect(events.at(-1)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(events.some((e) => e.type === 'tool-call-end' || e.type === 'finish')).toBe(false);
  });

  it('leaves a call open after max_tokens without content_block_stop', () => {
    const events = run([messageStart, toolStart(0, 'a', 'f'), json(0, '{"lines": ["a'), messageDelta('max_tokens'), { type: 'message_stop' }]);
    expect(events.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta', 'finish']);
    expect(events.at(-1)).toMatchObject({ reason: 'length', rawReason: 'max_tokens' });
  });

  it('ends a block whose stop is missing when the message finishes with tool_use, or when the next block starts', () => {
    const summary = summarize(
      run([messageStart, toolStart(0, 'a', 'f'), json(0, '{}'), toolStart(1, 'b', 'g'), json(1, '{}'), messageDelta('tool_use')]),
    );
    expect(summary.calls.map((c) => c.ended)).toEqual([true, true]);
  });

  it('handles several messages in one stream, each with its own finish', () => {
    const normalizer = createAnthropicMessagesNormalizer();
    const events = [
      messageStart,
      toolStart(0, 'a', 'f'),
      json(0, '{}'),
      stop(0),
      messageDelta('tool_use'),
      { type: 'message_stop' },
      messageStart,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'done' } },
      stop(0),
      messageDelta('end_turn'),
      { type: 'message_stop' },
    ].flatMap((event) => normalizer.push(event));
    expect(events.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-end', 'finish', 'text-delta', 'finish']);
  });

  it('finishes with other at message_stop when no stop_reason came', () => {
    expect(run([messageStart, { type: 'message_stop' }])).toEqual([{ type: 'finish', reason: 'other', usage: { inputTokens: 15, outputTokens: 1 } }]);
  });

  it('maps stop reasons', () => {
    expect(
      ['end_turn', 'stop_sequence', 'tool_use', 'max_tokens', 'model_context_window_exceeded', 'refusal', 'pause_turn'].map(mapAnthropicStopReason),
    ).toEqual(['stop', 'stop', 'tool-calls', 'length', 'length', 'content-filter', 'other']);
  });
});
