/**
 * Amazon Bedrock ConverseStream: the official `@aws-sdk/client-bedrock-runtime` client, pointed
 * at a loopback HTTP server that replays a stream in the real wire format (AWS event-stream
 * binary framing, built with the SDK's own codec), feeds `fromBedrockConverseStream`; the
 * result must give Bedrock's own aggregate (what `Converse`, the non-streaming call, returns).
 */
import { BedrockRuntimeClient, ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBedrockConverseStreamNormalizer,
  fromBedrockConverseStream,
  mapBedrockStopReason,
  type BedrockConverseStreamEvent,
  type StreamEvent,
} from '../../src/providers/index.js';
import { providerStream } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';
import { assemble, collect, loopbackServer } from './helpers.js';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

/** One event-stream message per event, as Bedrock sends it (`:event-type` names the union member). */
export function bedrockWire(events: readonly BedrockConverseStreamEvent[]): Buffer {
  const frames: Uint8Array[] = [];
  for (const event of events) {
    const [member, value] = Object.entries(event)[0] as [string, unknown];
    const exception = member.endsWith('Exception');
    frames.push(
      codec.encode({
        headers: {
          ':message-type': { type: 'string', value: exception ? 'exception' : 'event' },
          [exception ? ':exception-type' : ':event-type']: { type: 'string', value: member },
          ':content-type': { type: 'string', value: 'application/json' },
        },
        body: new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8')),
      }),
    );
  }
  return Buffer.concat(frames);
}

let body: Buffer = Buffer.alloc(0);
// Small pieces, so that frames (and their UTF-8) arrive split.
const server = loopbackServer({ 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'test' }, 41, () => body);

async function viaSdk(events: readonly BedrockConverseStreamEvent[]): Promise<AsyncIterable<ConverseStreamOutput>> {
  body = bedrockWire(events);
  const client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.origin,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
    // The client defaults to HTTP/2 (for its bidirectional commands); the loopback server speaks HTTP/1.1.
    requestHandler: new NodeHttpHandler(),
  });
  const response = await client.send(
    new ConverseStreamCommand({
      modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      messages: [{ role: 'user', content: [{ text: 'Weather in Paris and Oslo?' }] }],
    }),
  );
  if (response.stream === undefined) throw new Error('no stream');
  return response.stream;
}

/** A two-tool-call turn in the shape Claude on Bedrock streams it (reasoning, text, two toolUse blocks). */
const weatherTurn: BedrockConverseStreamEvent[] = [
  { messageStart: { role: 'assistant' } },
  { contentBlockDelta: { delta: { reasoningContent: { text: 'Two cities, ' } }, contentBlockIndex: 0 } },
  { contentBlockDelta: { delta: { reasoningContent: { text: 'two calls.' } }, contentBlockIndex: 0 } },
  { contentBlockDelta: { delta: { reasoningContent: { signature: 'EqQBCkYIARgCIkD' } }, contentBlockIndex: 0 } },
  { contentBlockStop: { contentBlockIndex: 0 } },
  { contentBlockDelta: { delta: { text: 'Checking the ' }, contentBlockIndex: 1 } },
  { contentBlockDelta: { delta: { text: 'weather — ☀️.' }, contentBlockIndex: 1 } },
  { contentBlockStop: { contentBlockIndex: 1 } },
  { contentBlockStart: { start: { toolUse: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather' } }, contentBlockIndex: 2 } },
  { contentBlockDelta: { delta: { toolUse: { input: '' } }, contentBlockIndex: 2 } },
  { contentBlockDelta: { delta: { toolUse: { input: '{"city": "Pa' } }, contentBlockIndex: 2 } },
  { contentBlockDelta: { delta: { toolUse: { input: 'ris", "unit": "celsius"}' } }, contentBlockIndex: 2 } },
  { contentBlockStop: { contentBlockIndex: 2 } },
  { contentBlockStart: { start: { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather' } }, contentBlockIndex: 3 } },
  { contentBlockDelta: { delta: { toolUse: { input: '{"city":"Os' } }, contentBlockIndex: 3 } },
  { contentBlockDelta: { delta: { toolUse: { input: 'lo"}' } }, contentBlockIndex: 3 } },
  { contentBlockStop: { contentBlockIndex: 3 } },
  { messageStop: { stopReason: 'tool_use' } },
  {
    metadata: {
      usage: { inputTokens: 412, outputTokens: 96, totalTokens: 508, cacheReadInputTokens: 100 },
      metrics: { latencyMs: 1234 },
    },
  },
];

describe('fromBedrockConverseStream over the official client and a loopback event-stream server', () => {
  it('gives the aggregate Converse would return: text, reasoning, tool calls, stop reason, usage', async () => {
    const events = await collect(fromBedrockConverseStream(await viaSdk(weatherTurn)));
    expect(events).toEqual(await collect(fromBedrockConverseStream(weatherTurn)));
    const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.delta] : [])).join('');
    const reasoning = events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.delta] : [])).join('');
    expect(text).toBe('Checking the weather — ☀️.');
    expect(reasoning).toBe('Two cities, two calls.');
    const { calls, errors } = assemble(events);
    expect(errors).toEqual([]);
    expect(calls.map(({ id, name, arguments: args }) => ({ id, name, args }))).toEqual([
      { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } },
      { id: 'tooluse_2', name: 'get_weather', args: { city: 'Oslo' } },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      reason: 'tool-calls',
      rawReason: 'tool_use',
      usage: { inputTokens: 512, outputTokens: 96 },
    });
  });

  it('max_tokens leaves the open call truncated, even when its cut text parses', async () => {
    const cut: BedrockConverseStreamEvent[] = [
      { messageStart: { role: 'assistant' } },
      { contentBlockStart: { start: { toolUse: { toolUseId: 'tooluse_cut', name: 'search' } }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { toolUse: { input: '{"q":"x"}' } }, contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'max_tokens' } },
      { metadata: { usage: { inputTokens: 10, outputTokens: 4096, totalTokens: 4106 } } },
    ];
    const events = await collect(fromBedrockConverseStream(await viaSdk(cut)));
    expect(events.some((e) => e.type === 'tool-call-end')).toBe(false);
    const { calls, errors } = assemble(events);
    expect(calls).toEqual([]);
    expect(errors.map((e) => [e.id, e.reason])).toEqual([['tooluse_cut', 'truncated']]);
  });

  it('an in-stream exception: the SDK throws it, the open call is never delivered', async () => {
    const broken: BedrockConverseStreamEvent[] = [
      { messageStart: { role: 'assistant' } },
      { contentBlockStart: { start: { toolUse: { toolUseId: 'tooluse_x', name: 'search' } }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { toolUse: { input: '{"q":"x"}' } }, contentBlockIndex: 0 } },
      { modelStreamErrorException: { message: 'Model stream error', originalStatusCode: 500 } },
    ];
    const seen: StreamEvent[] = [];
    await expect(async () => {
      for await (const event of fromBedrockConverseStream(await viaSdk(broken))) seen.push(event);
    }).rejects.toThrow(/Model stream error/);
    const { calls, errors } = assemble(seen);
    expect(calls).toEqual([]);
    expect(errors.map((e) => e.reason)).toEqual(['truncated']);
  });
});

describe('generated Bedrock streams through the AWS SDK', () => {
  it('the SDK decodes the replayed wire bytes to the events the adapter gives for the chunks themselves', async () => {
    await fc.assert(
      fc.asyncProperty(providerStream('bedrock', { ending: ['finish', 'length', 'cut'] }), async ({ chunks, expected }) => {
        const events = await collect(fromBedrockConverseStream(await viaSdk(chunks)));
        expect(events).toEqual(await collect(fromBedrockConverseStream(chunks)));
        expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.delta] : [])).join('')).toBe(expected.text[0]);
        const { calls } = assemble(events);
        expect(calls.map((c) => c.arguments)).toEqual(expected.toolCalls.filter((c) => c.complete).map((c) => c.arguments));
      }),
      { numRuns: Math.max(5, runs(0.2)) },
    );
  });
});

describe('createBedrockConverseStreamNormalizer', () => {
  const run = (events: readonly BedrockConverseStreamEvent[]): StreamEvent[] => {
    const normalizer = createBedrockConverseStreamNormalizer();
    return [...events.flatMap((e) => normalizer.push(e)), ...normalizer.end()];
  };

  it('maps every stop reason', () => {
    expect(
      ['end_turn', 'stop_sequence', 'tool_use', 'max_tokens', 'model_context_window_exceeded', 'guardrail_intervened',
        'content_filtered', 'malformed_model_output', 'malformed_tool_use', 'something_new'].map(mapBedrockStopReason),
    ).toEqual(['stop', 'stop', 'tool-calls', 'length', 'length', 'content-filter', 'content-filter', 'error', 'error', 'other']);
  });

  it('a new messageStart abandons an open call (error event, never an end), and the next message goes on', () => {
    const events = run([
      { messageStart: { role: 'assistant' } },
      { contentBlockStart: { start: { toolUse: { toolUseId: 'a', name: 't' } }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { toolUse: { input: '{"value":"Spark"}' } }, contentBlockIndex: 0 } },
      { messageStart: { role: 'assistant' } },
      { contentBlockStart: { start: { toolUse: { toolUseId: 'b', name: 't' } }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { toolUse: { input: '{}' } }, contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'tool_use' } },
    ]);
    expect(events.filter((e) => e.type === 'tool-call-end')).toEqual([{ type: 'tool-call-end', id: 'b' }]);
    const { calls, errors } = assemble(events);
    expect(calls.map((c) => c.id)).toEqual(['b']);
    expect(errors.map((e) => [e.id, e.reason])).toEqual([['a', 'truncated']]);
  });

  it('end_turn ends a tool block whose contentBlockStop never came; the finish waits for metadata', () => {
    const events = run([
      { contentBlockStart: { start: { toolUse: { toolUseId: 'a', name: 't' } }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { toolUse: { input: '{"a":1}' } }, contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
    ]);
    expect(events.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-end', 'finish']);
  });

  it('a call open at a max_tokens (or any non-ending) messageStop stays cut: a later contentBlockStop does not end it', () => {
    for (const stopReason of ['max_tokens', 'guardrail_intervened', 'malformed_tool_use', 'something_new']) {
      const events = run([
        { messageStart: { role: 'assistant' } },
        { contentBlockStart: { start: { toolUse: { toolUseId: 'a', name: 't' } }, contentBlockIndex: 0 } },
        { contentBlockDelta: { delta: { toolUse: { input: '{"a":1}' } }, contentBlockIndex: 0 } },
        { messageStop: { stopReason } },
        { contentBlockStop: { contentBlockIndex: 0 } },
        { metadata: { usage: { inputTokens: 1, outputTokens: 2 } } },
      ]);
      expect(events.some((e) => e.type === 'tool-call-end')).toBe(false);
      const { calls, errors } = assemble(events);
      expect(calls).toEqual([]);
      expect(errors.map((e) => [e.id, e.reason])).toEqual([['a', 'truncated']]);
    }
  });

  it('input for a block that never started is reported, not attached to another call', () => {
    const events = run([{ contentBlockDelta: { delta: { toolUse: { input: '{"a":1}' } }, contentBlockIndex: 4 } }]);
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('error');
  });

  it('given the command output instead of its stream: a TypeError that says to pass response.stream', () => {
    expect(() => fromBedrockConverseStream({ stream: weatherTurn, $metadata: {} } as never)).toThrow(/pass response\.stream/);
  });

  it('refuses push after end', () => {
    const normalizer = createBedrockConverseStreamNormalizer();
    normalizer.end();
    expect(() => normalizer.push({})).toThrow(TypeError);
  });
});
