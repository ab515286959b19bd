/**
 * Properties of the adapters over generated provider streams (`providerStream`, every kind in
 * `PROVIDER_STREAM_KINDS`): they never end a call the stream did not end, truncated streams
 * leave the cut call open, the arguments of ended calls are the generated ones, text and finish
 * reasons match, and the wire form (SSE, Ollama NDJSON, Realtime WebSocket message text)
 * replays to the same events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createProviderNormalizer,
  fromOllamaChat,
  mapAnthropicStopReason,
  mapBedrockStopReason,
  mapGeminiFinishReason,
  mapOpenAIChatFinishReason,
  fromOpenAIRealtime,
  readServerSentEventsJson,
  type StreamEvent,
} from '../../src/providers/index.js';
import {
  PROVIDER_STREAM_KINDS,
  providerStream,
  toServerSentEvents,
  type ProviderStreamValue,
} from '../../src/testing/index.js';
import { adapterFor, collect, orderViolations, summarize } from './helpers.js';
import { runs } from '../support/shared.js';

const numRuns = runs();
const SSE_PROVIDERS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const;


function normalize(value: ProviderStreamValue): StreamEvent[] {
  const normalizer = createProviderNormalizer(value.provider);
  return [...value.chunks.flatMap((chunk) => normalizer.push(chunk)), ...normalizer.end()];
}

/** Check one generated stream against its expectation. */
function check(value: ProviderStreamValue): void {
  const { expected } = value;
  const events = normalize(value);
  // Several responses in one stream: each has its finish.
  // (A cancelled Realtime response before the generated one finishes too, with reason `other`.)
  const many = expected.quirks.includes('responses-multi-response') || expected.quirks.includes('realtime-spliced-response');
  expect(orderViolations(events, many ? { finishesPerChoice: 'many' } : {})).toEqual([]);
  const summary = summarize(events);

  // Calls: one started call per expected call, in order, ended exactly when the stream ends it.
  const calls = [...summary.calls].sort((a, b) => a.choice - b.choice || a.index - b.index);
  expect(calls.map((c) => [c.choice, c.index, c.name])).toEqual(
    expected.toolCalls.map((c) => [c.choice, c.index, c.name]),
  );
  calls.forEach((call, i) => {
    const want = expected.toolCalls[i];
    if (want === undefined) return;
    if (want.id !== undefined) expect(call.id).toBe(want.id);
    // Never end a call the stream did not end; truncated calls stay open.
    expect(call.ended, `call ${i} (${want.name}) ended`).toBe(want.ended ?? want.complete);
    if (want.argumentsText !== undefined) expect(call.args).toBe(want.argumentsText);
    if (want.complete) expect(JSON.parse(call.args)).toEqual(want.arguments);
  });

  // Text and reasoning per choice.
  expected.text.forEach((text, choice) => expect(summary.text.get(choice) ?? '').toBe(text));
  expected.reasoning.forEach((text, choice) => expect(summary.reasoning.get(choice) ?? '').toBe(text));

  // Finish: one per choice that has one, with the expected reason.
  // (A stream of several responses has one finish each: the generated response's is the last.)
  const reasons = expected.finishReasons.map((_, choice) => [...summary.finishes].reverse().find((f) => (f.choice ?? 0) === choice)?.reason);
  expect(reasons).toEqual(expected.finishReasons);
  expect(summary.errors.length > 0).toBe(expected.errored);
}

describe('adapters over generated provider streams', () => {
  it('covers every adapter kind but the AI SDK (whose parts are already normalized)', () => {
    expect([...PROVIDER_STREAM_KINDS].sort()).toEqual(
      ['anthropic', 'bedrock', 'gemini', 'ollama', 'openai-chat', 'openai-realtime', 'openai-responses'],
    );
  });

  for (const provider of PROVIDER_STREAM_KINDS) {
    it(`${provider}: calls end only when the stream ends them; arguments, text and finish match`, () => {
      fc.assert(fc.property(providerStream(provider), check), { numRuns });
    });

    it(`${provider}: truncated streams leave the cut call open`, () => {
      fc.assert(
        fc.property(providerStream(provider, { ending: ['length', 'error', 'cut'], maxToolCalls: 2 }), (value) => {
          check(value);
          const events = normalize(value);
          const ended = new Set(events.flatMap((e) => (e.type === 'tool-call-end' ? [e.id] : [])));
          const starts = events.filter((e) => e.type === 'tool-call-start');
          const open = value.expected.toolCalls.filter((c) => !(c.ended ?? c.complete));
          expect(starts.length - ended.size).toBe(open.length);
          expect(value.expected.truncated).toBe(true);
        }),
        { numRuns },
      );
    });

  }

  for (const provider of SSE_PROVIDERS) {
    it(`${provider}: the SSE wire form replays to the same events`, async () => {
      await fc.assert(
        fc.asyncProperty(providerStream(provider, { maxToolCalls: 2 }), async (value) => {
          const body = toServerSentEvents(value.provider, value.chunks);
          const replayed = await collect(adapterFor(value.provider)(await collect(readServerSentEventsJson(body))));
          expect(replayed).toEqual(normalize(value));
        }),
        { numRuns: Math.max(1, Math.floor(numRuns / 4)) },
      );
    });
  }

  it('ollama: the NDJSON wire text replays to the same events', async () => {
    await fc.assert(
      fc.asyncProperty(providerStream('ollama', { maxToolCalls: 2 }), async (value) => {
        const body = value.chunks.map((chunk) => JSON.stringify(chunk) + '\n').join('');
        expect(await collect(fromOllamaChat(body))).toEqual(normalize(value));
      }),
      { numRuns: Math.max(1, Math.floor(numRuns / 4)) },
    );
  });

  it('openai-realtime: the WebSocket message text replays to the same events', async () => {
    await fc.assert(
      fc.asyncProperty(providerStream('openai-realtime', { maxToolCalls: 2 }), async (value) => {
        const messages = value.chunks.map((event) => JSON.stringify(event));
        expect(await collect(fromOpenAIRealtime(messages))).toEqual(normalize(value));
      }),
      { numRuns: Math.max(1, Math.floor(numRuns / 4)) },
    );
  });

  it('toServerSentEvents refuses the providers that do not stream SSE, naming their wire form', () => {
    expect(() => toServerSentEvents('ollama' as never, [])).toThrow(/ollama streams NDJSON, not SSE/);
    expect(() => toServerSentEvents('bedrock' as never, [])).toThrow(/eventstream/);
    expect(() => toServerSentEvents('openai-realtime' as never, [])).toThrow(/WebSocket/);
  });

  it('one-character fragmentation and given calls: every fragment is one code point', () => {
    const calls = [{ name: 'get_weather', arguments: { city: 'Zürich 😀', days: 2 } }];
    fc.assert(
      fc.property(providerStream('openai-chat', { toolCalls: calls, maxFragmentLength: 1, ending: 'finish', choices: 1 }), (value) => {
        check(value);
        const deltas = normalize(value).filter((e) => e.type === 'tool-call-delta');
        for (const delta of deltas) expect(Array.from(delta.delta)).toHaveLength(1);
        expect(value.expected.toolCalls[0]?.arguments).toEqual(calls[0]?.arguments);
      }),
      { numRuns: Math.max(1, Math.floor(numRuns / 4)) },
    );
  });

  it('n > 1 OpenAI chat choices stay apart', () => {
    fc.assert(
      fc.property(providerStream('openai-chat', { choices: 3, text: ['zero', 'one', 'two'] }), (value) => {
        check(value);
        const summary = summarize(normalize(value));
        if (value.expected.ending === 'finish') expect(Object.fromEntries(summary.text)).toEqual({ 0: 'zero', 1: 'one', 2: 'two' });
      }),
      { numRuns: Math.max(1, Math.floor(numRuns / 4)) },
    );
  });

  it('Vertex partialArgs streams parse to the generated arguments', () => {
    fc.assert(fc.property(providerStream('gemini', { geminiMode: 'partial-args', ending: 'finish' }), check), { numRuns });
  });

  it('rejects an unknown provider', () => {
    expect(() => providerStream('cohere' as never)).toThrow(TypeError);
  });
});

describe('finish reasons are data, never property lookups', () => {
  const REASONS = new Set(['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other']);
  const hostile = fc.oneof(
    fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'),
    fc.string(),
  );

  it('every mapper gives one of the FinishReason strings for any raw reason', () => {
    const mappers = [mapOpenAIChatFinishReason, mapAnthropicStopReason, mapGeminiFinishReason, mapBedrockStopReason];
    fc.assert(
      fc.property(hostile, (raw) => {
        for (const map of mappers) expect(REASONS.has(map(raw))).toBe(true);
      }),
      { numRuns },
    );
  });

  it('an Ollama done_reason named like an Object.prototype member is other', () => {
    for (const raw of ['constructor', '__proto__', 'toString']) {
      const normalizer = createProviderNormalizer('ollama');
      const events = normalizer.push({ model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: raw } as never);
      expect(events.filter((e) => e.type === 'finish').map((e) => (e as { reason: unknown }).reason)).toEqual(['other']);
    }
  });
});
