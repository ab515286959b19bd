/**
 * `providerStream` as a generator: one public name for every provider format, precise chunk
 * types per kind, every quirk reachable, `quirks: false` and `splice` honoured, given calls
 * carried exactly. (What the adapters make of the values is in test/providers/adapters.prop.)
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createProviderNormalizer,
  type BedrockConverseStreamEvent,
  type OllamaChatResponse,
  type OpenAIChatCompletionChunk,
  type OpenAIRealtimeServerEvent,
  type ProviderKind,
} from '../../src/providers/index.js';
import {
  PROVIDER_STREAM_KINDS,
  providerStream,
  toServerSentEvents,
  type ProviderStreamKind,
  type ProviderStreamValue,
} from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/** Every quirk name each kind can apply (kept in sync with the generator's TSDoc). */
const QUIRKS: Record<ProviderStreamKind, string[]> = {
  'openai-chat': [
    'openai-index-start-1',
    'openai-every-call-on-index-0',
    'openai-id-on-every-fragment',
    'openai-args-in-first-fragment',
    'openai-role-merged',
    'openai-duplicate-finish',
    'openai-stop-with-tool-calls',
    'openai-compatible-no-index',
    'openai-compatible-index-minus-1',
    'openai-compatible-args-before-id-and-name',
    'openai-compatible-placeholder-id',
    'openai-compatible-id-shared-by-every-call',
    'openai-compatible-whole-so-far-resends',
    'openai-compatible-tool-calls-finish-on-cut-call',
  ],
  'openai-responses': ['responses-multi-response', 'responses-spliced-response'],
  anthropic: [
    'anthropic-pings-anywhere',
    'anthropic-no-empty-first-json-delta',
    'anthropic-input-in-block-start',
    'anthropic-spliced-message',
  ],
  gemini: ['gemini-parallel-calls-in-one-chunk', 'gemini-willContinue-no-op-parts', 'gemini-finish-on-last-content-chunk'],
  bedrock: [
    'bedrock-empty-first-input',
    'bedrock-reasoning-signature',
    'bedrock-missing-block-stop',
    'bedrock-no-metadata',
    'bedrock-spliced-message',
  ],
  ollama: ['ollama-arguments-string', 'ollama-several-calls-per-message'],
  'openai-realtime': [
    'realtime-arguments-only-in-done',
    'realtime-output-item-done',
    'realtime-beta-text',
    'realtime-audio-transcript',
    'realtime-spliced-response',
    'realtime-abandoned-without-done',
  ],
};

describe('providerStream over every provider kind', () => {
  it('PROVIDER_STREAM_KINDS lists each kind once, is frozen, and each is a createProviderNormalizer kind', () => {
    expect(new Set(PROVIDER_STREAM_KINDS).size).toBe(PROVIDER_STREAM_KINDS.length);
    expect(Object.keys(QUIRKS).sort()).toEqual([...PROVIDER_STREAM_KINDS].sort());
    expect(Object.isFrozen(PROVIDER_STREAM_KINDS)).toBe(true);
    for (const kind of PROVIDER_STREAM_KINDS) expect(() => createProviderNormalizer(kind)).not.toThrow();
    expectTypeOf<ProviderStreamKind>().toMatchTypeOf<ProviderKind>();
  });

  it('the chunk type follows the kind', () => {
    expectTypeOf(providerStream('bedrock')).toEqualTypeOf<fc.Arbitrary<ProviderStreamValue<'bedrock'>>>();
    expectTypeOf<ProviderStreamValue<'bedrock'>['chunks']>().toEqualTypeOf<BedrockConverseStreamEvent[]>();
    expectTypeOf<ProviderStreamValue<'ollama'>['chunks']>().toEqualTypeOf<OllamaChatResponse[]>();
    expectTypeOf<ProviderStreamValue<'openai-realtime'>['chunks']>().toEqualTypeOf<OpenAIRealtimeServerEvent[]>();
    expectTypeOf<ProviderStreamValue<'openai-chat'>['chunks']>().toEqualTypeOf<OpenAIChatCompletionChunk[]>();
    // Only the SSE providers have an SSE wire form.
    // @ts-expect-error Ollama streams NDJSON
    expect(() => toServerSentEvents('ollama', [])).toThrow(TypeError);
  });

  for (const kind of PROVIDER_STREAM_KINDS) {
    it(`${kind}: every quirk appears in a fixed-seed sample, none with quirks: false`, () => {
      const sample = fc.sample(providerStream(kind, { maxToolCalls: 3 }), { numRuns: 300, seed: 11 });
      const seen = new Set(sample.flatMap((value) => value.expected.quirks));
      expect(QUIRKS[kind].filter((quirk) => !seen.has(quirk))).toEqual([]);
      expect([...seen].filter((quirk) => !QUIRKS[kind].includes(quirk))).toEqual([]);
      for (const value of sample) expect(value.provider).toBe(kind);
      const plain = fc.sample(providerStream(kind, { quirks: false }), { numRuns: 100, seed: 11 });
      expect(plain.flatMap((value) => value.expected.quirks)).toEqual([]);
    });

    it(`${kind}: given calls and text come out exactly, every call complete on a finish`, () => {
      const toolCalls = [
        { name: 'get_weather', arguments: { city: 'Zürich 😀', days: 2, units: ['c'] } },
        { name: 'search', arguments: { q: '{"nested": "json text"}' } },
      ];
      fc.assert(
        fc.property(
          providerStream(kind, { toolCalls, text: 'Hello', ending: 'finish', quirks: false, choices: 1, maxFragmentLength: 1 }),
          ({ expected }) => {
            expect(expected.text[0]).toBe('Hello');
            expect(expected.toolCalls.map((c) => [c.name, c.arguments, c.complete])).toEqual(toolCalls.map((c) => [c.name, c.arguments, true]));
            expect(expected.finishReason).toBe('tool-calls');
            expect(expected.truncated).toBe(false);
          },
        ),
        { numRuns: runs(0.2) },
      );
    });
  }

  it('splice: Bedrock and Realtime always abandon a call first when asked, never when told not to; Ollama never', () => {
    const named = { bedrock: 'bedrock-spliced-message', 'openai-realtime': 'realtime-spliced-response' } as const;
    for (const kind of ['bedrock', 'openai-realtime'] as const) {
      for (const value of fc.sample(providerStream(kind, { splice: true }), { numRuns: 50, seed: 3 })) {
        expect(value.expected.quirks).toContain(named[kind]);
        expect(value.expected.toolCalls[0]?.complete).toBe(false);
        // Reported with an error event, except a Realtime response abandoned without its end in
        // a stream then cut off (no later completed response cuts it: it just stays open).
        if (!value.expected.quirks.includes('realtime-abandoned-without-done')) expect(value.expected.errored).toBe(true);
      }
      for (const value of fc.sample(providerStream(kind, { splice: false }), { numRuns: 50, seed: 3 })) {
        expect(value.expected.quirks).not.toContain(named[kind]);
      }
    }
    for (const value of fc.sample(providerStream('ollama', { splice: true }), { numRuns: 50, seed: 3 })) {
      expect(value.expected.quirks.some((q) => q.includes('spliced'))).toBe(false);
    }
  });

  it('rejects an unknown provider, naming every kind', () => {
    expect(() => providerStream('cohere' as never)).toThrow(
      /unknown provider "cohere"; use one of openai-chat, openai-responses, anthropic, gemini, bedrock, ollama, openai-realtime/,
    );
  });
});
