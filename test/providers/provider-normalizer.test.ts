import { describe, expect, it } from 'vitest';
import { createAnthropicMessagesNormalizer } from '../../src/providers/index.js';
import { createProviderNormalizer, fromAiSdk, fromAnthropicMessages, fromGemini, fromOpenAIChatCompletions, fromOpenAIRealtime, fromOpenAIResponses, type ProviderKind } from '../../src/tool-calls/index.js';

describe('createProviderNormalizer', () => {
  it('gives the push core of the named provider', () => {
    const events = [
      { type: 'message_start', message: { id: 'm', usage: { input_tokens: 3 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '{"a":1}' } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } },
      { type: 'message_stop' },
    ];
    const byName = createProviderNormalizer('anthropic');
    const direct = createAnthropicMessagesNormalizer();
    expect(events.flatMap((e) => byName.push(e))).toEqual(events.flatMap((e) => direct.push(e as never)));
    for (const kind of ['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'ai-sdk', 'bedrock', 'ollama', 'openai-realtime'] as ProviderKind[]) {
      expect(typeof createProviderNormalizer(kind).push).toBe('function');
    }
  });

  it('names the valid providers for an unknown one', () => {
    expect(() => createProviderNormalizer('mistral' as ProviderKind)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: createProviderNormalizer: unknown provider "mistral"; use one of openai-chat, openai-responses, anthropic, gemini, ai-sdk, bedrock, ollama, openai-realtime]`,
    );
  });
});

describe('adapters given the wrong thing', () => {
  it('a fetch Response or a single chunk object: a TypeError that says what to pass', async () => {
    const adapters = [fromOpenAIChatCompletions, fromOpenAIResponses, fromAnthropicMessages, fromGemini, fromAiSdk, fromOpenAIRealtime];
    for (const adapter of adapters) {
      // Thrown by the call or by the first next(): either way the caller's await sees it.
      const first = (source: unknown) => (async () => adapter(source as never).next())();
      await expect(first(new Response('data: {}\n\n'))).rejects.toThrow(/fetch Response; .*readServerSentEventsJson\(response\)/);
      await expect(first({ choices: [] })).rejects.toThrow(/neither iterable nor a ReadableStream; .*\[chunk\] for one/);
    }
  });
});
