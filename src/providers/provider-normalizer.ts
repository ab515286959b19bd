import { createAiSdkNormalizer } from './ai-sdk.js';
import { createAnthropicMessagesNormalizer } from './anthropic-messages.js';
import { createBedrockConverseStreamNormalizer } from './bedrock-converse.js';
import { createGeminiNormalizer } from './gemini.js';
import type { StreamNormalizer } from './normalizer.js';
import { createOllamaChatNormalizer } from './ollama-chat.js';
import { createOpenAIChatCompletionsNormalizer } from './openai-chat.js';
import { createOpenAIRealtimeNormalizer } from './openai-realtime.js';
import { createOpenAIResponsesNormalizer } from './openai-responses.js';

/**
 * The stream formats streamshape has an adapter for: OpenAI Chat Completions, OpenAI Responses,
 * Anthropic Messages, Gemini (and Vertex), the AI SDK's stream parts, Amazon Bedrock
 * ConverseStream (`bedrock`), Ollama `/api/chat` (`ollama`) and OpenAI Realtime server events
 * (`openai-realtime`).
 * @public
 */
export type ProviderKind =
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'ai-sdk'
  | 'bedrock'
  | 'ollama'
  | 'openai-realtime';

/**
 * The push core for a provider chosen at run time (from configuration, or detected from the
 * payloads), typed for untyped chunks: the push core each adapter (`fromOpenAIChatCompletions`,
 * `fromAnthropicMessages`, …) wraps, with the same rules, for code where `await` is unwelcome
 * or events arrive through callbacks (a WebSocket's `message` handler). The per-provider cores
 * are not exported: this is the one push core to import.
 *
 * @example
 * ```ts
 * const normalizer = createProviderNormalizer(config.provider);
 * for (const payload of payloads) for (const event of normalizer.push(payload)) assembler.push(event);
 * for (const event of normalizer.end()) assembler.push(event);
 * ```
 * @throws `TypeError` for a name that is not a {@link ProviderKind}.
 * @public
 */
export function createProviderNormalizer(provider: ProviderKind): StreamNormalizer<unknown> {
  switch (provider) {
    case 'openai-chat':
      return createOpenAIChatCompletionsNormalizer() as StreamNormalizer<unknown>;
    case 'openai-responses':
      return createOpenAIResponsesNormalizer() as StreamNormalizer<unknown>;
    case 'anthropic':
      return createAnthropicMessagesNormalizer() as StreamNormalizer<unknown>;
    case 'gemini':
      return createGeminiNormalizer() as StreamNormalizer<unknown>;
    case 'ai-sdk':
      return createAiSdkNormalizer() as StreamNormalizer<unknown>;
    case 'bedrock':
      return createBedrockConverseStreamNormalizer() as StreamNormalizer<unknown>;
    case 'ollama':
      return createOllamaChatNormalizer() as StreamNormalizer<unknown>;
    case 'openai-realtime':
      return createOpenAIRealtimeNormalizer() as StreamNormalizer<unknown>;
    default: {
      const unknown: never = provider;
      throw new TypeError(
        `createProviderNormalizer: unknown provider ${JSON.stringify(unknown)}; use one of openai-chat, openai-responses, anthropic, gemini, ai-sdk, bedrock, ollama, openai-realtime`,
      );
    }
  }
}
