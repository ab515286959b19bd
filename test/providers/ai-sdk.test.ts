import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { jsonSchema, streamText, tool } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { describe, expect, it } from 'vitest';
import {
  createAiSdkNormalizer,
  fromAiSdk,
  type AiSdkStreamPart,
  type StreamEvent,
} from '../../src/providers/index.js';
import { collect, orderViolations, summarize } from './helpers.js';

function run(parts: AiSdkStreamPart[]): StreamEvent[] {
  const normalizer = createAiSdkNormalizer();
  const out = [...parts.flatMap((part) => normalizer.push(part)), ...normalizer.end()];
  expect(orderViolations(out)).toEqual([]);
  return out;
}

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 8, text: 8, reasoning: undefined },
};

function mockModel(parts: LanguageModelV3StreamPart[]): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    doStream: async () => ({ stream: simulateReadableStream({ chunks: parts, chunkDelayInMs: null, initialDelayInMs: null }) }),
  });
}

describe('fromAiSdk', () => {
  it('normalizes a real streamText fullStream with a streamed tool call', async () => {
    const model = mockModel([
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-start', id: 'r1' },
      { type: 'reasoning-delta', id: 'r1', delta: 'hmm' },
      { type: 'reasoning-end', id: 'r1' },
      { type: 'text-start', id: 't1' },
      { type: 'text-delta', id: 't1', delta: 'Let me check.' },
      { type: 'text-end', id: 't1' },
      { type: 'tool-input-start', id: 'call_1', toolName: 'weather' },
      { type: 'tool-input-delta', id: 'call_1', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'call_1', delta: '"Paris"}' },
      { type: 'tool-input-end', id: 'call_1' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: '{"city":"Paris"}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage },
    ]);
    const result = streamText({
      model,
      prompt: 'weather in Paris?',
      tools: {
        weather: tool({
          inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
        }),
      },
    });
    const events = await collect(fromAiSdk(result.fullStream));
    expect(orderViolations(events)).toEqual([]);
    expect(events).toEqual([
      { type: 'reasoning-delta', delta: 'hmm' },
      { type: 'text-delta', delta: 'Let me check.' },
      { type: 'tool-call-start', id: 'call_1', name: 'weather', index: 0 },
      { type: 'tool-call-delta', id: 'call_1', delta: '{"city":' },
      { type: 'tool-call-delta', id: 'call_1', delta: '"Paris"}' },
      { type: 'tool-call-end', id: 'call_1' },
      { type: 'finish', reason: 'tool-calls', rawReason: 'tool_use', usage: { inputTokens: 12, outputTokens: 8 } },
    ]);
  });

  it('builds start, delta and end for a tool-call part that was never streamed', () => {
    const events = run([
      { type: 'tool-call', toolCallId: 'c1', toolName: 'f', input: { a: 1 } },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    expect(events).toEqual([
      { type: 'tool-call-start', id: 'c1', name: 'f', index: 0 },
      { type: 'tool-call-delta', id: 'c1', delta: '{"a":1}' },
      { type: 'tool-call-end', id: 'c1' },
      { type: 'finish', reason: 'tool-calls', rawReason: 'tool-calls' },
    ]);
  });

  it('ends a streamed call at its tool-call part when tool-input-end is missing', () => {
    const summary = summarize(
      run([
        { type: 'tool-input-start', id: 'c1', toolName: 'f', providerExecuted: true },
        { type: 'tool-input-delta', id: 'c1', delta: '{}' },
        { type: 'tool-call', toolCallId: 'c1', toolName: 'f', input: {} },
      ]),
    );
    expect(summary.calls).toEqual([{ id: 'c1', name: 'f', index: 0, choice: 0, args: '{}', ended: true }]);
  });

  it('leaves calls open on finish length, error and abort', () => {
    for (const last of [
      { type: 'finish', finishReason: 'length' },
      { type: 'error', error: new Error('boom') },
      { type: 'abort', reason: 'user' },
    ] satisfies AiSdkStreamPart[]) {
      const events = run([{ type: 'tool-input-start', id: 'c1', toolName: 'f' }, { type: 'tool-input-delta', id: 'c1', delta: '{"a":' }, last]);
      expect(events.some((e) => e.type === 'tool-call-end')).toBe(false);
    }
    const aborted = run([{ type: 'abort' }]);
    expect(aborted[0]).toMatchObject({ type: 'error', error: { name: 'AbortError' } });
  });

  it('a call cut by a step that finished with length is never ended by a later step\'s stop', async () => {
    const events = run([
      { type: 'tool-input-start', id: 'c1', toolName: 'f' },
      { type: 'tool-input-delta', id: 'c1', delta: '{"a":1}' },
      { type: 'finish-step', finishReason: 'length' },
      { type: 'text-delta', text: 'done' },
      { type: 'finish-step', finishReason: 'stop' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    expect(events.some((e) => e.type === 'tool-call-end')).toBe(false);
    expect(events.some((e) => e.type === 'error')).toBe(true);
    const { createToolCallAssembler } = await import('../../src/tool-calls/index.js');
    const delivered: unknown[] = [];
    const failed: string[] = [];
    const assembler = createToolCallAssembler({ onToolCall: (c) => delivered.push(c.id), onToolCallError: (e) => failed.push(e.reason) });
    for (const event of events) assembler.push(event);
    assembler.end();
    expect([delivered, failed]).toEqual([[], ['truncated']]);
  });

  it('ends open calls at a finish-step with tool-calls', () => {
    const events = run([
      { type: 'tool-input-start', id: 'c1', toolName: 'f' },
      { type: 'tool-input-delta', id: 'c1', delta: '{}' },
      { type: 'finish-step', finishReason: 'tool-calls' },
    ]);
    expect(events.at(-1)).toEqual({ type: 'tool-call-end', id: 'c1' });
  });

  it('reads AI SDK 4 part names', () => {
    const events = run([
      { type: 'reasoning', textDelta: 'think' },
      { type: 'text-delta', textDelta: 'hi' },
      { type: 'tool-call-streaming-start', toolCallId: 'c1', toolName: 'f' },
      { type: 'tool-call-delta', toolCallId: 'c1', toolName: 'f', argsTextDelta: '{"a":1}' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'f', args: { a: 1 } },
      { type: 'finish', finishReason: 'unknown', usage: { promptTokens: 1, completionTokens: 2 } },
    ]);
    expect(events).toEqual([
      { type: 'reasoning-delta', delta: 'think' },
      { type: 'text-delta', delta: 'hi' },
      { type: 'tool-call-start', id: 'c1', name: 'f', index: 0 },
      { type: 'tool-call-delta', id: 'c1', delta: '{"a":1}' },
      { type: 'tool-call-end', id: 'c1' },
      { type: 'finish', reason: 'other', rawReason: 'unknown', usage: { inputTokens: 1, outputTokens: 2 } },
    ]);
  });
});
