export type {
  ErrorEvent,
  FinishEvent,
  FinishReason,
  ReasoningDeltaEvent,
  RefusalDeltaEvent,
  StreamEvent,
  TextDeltaEvent,
  ToolCallDeltaEvent,
  ToolCallEndEvent,
  ToolCallStartEvent,
} from './events.js';
export type { ChunkSource, StreamNormalizer } from './normalizer.js';
export {
  createOpenAIChatCompletionsNormalizer,
  fromOpenAIChatCompletions,
  mapOpenAIChatFinishReason,
} from './openai-chat.js';
export type {
  OpenAIChatChunkChoice,
  OpenAIChatChunkDelta,
  OpenAIChatCompletionChunk,
  OpenAIChatCompletionsOptions,
  OpenAIChatToolCallDelta,
  OpenAIChatUsage,
} from './openai-chat.js';
export { createOpenAIResponsesNormalizer, fromOpenAIResponses } from './openai-responses.js';
export type {
  OpenAIResponsesOutputItem,
  OpenAIResponsesResponse,
  OpenAIResponsesStreamEvent,
} from './openai-responses.js';
export {
  createAnthropicMessagesNormalizer,
  fromAnthropicMessages,
  mapAnthropicStopReason,
} from './anthropic-messages.js';
export type {
  AnthropicContentBlock,
  AnthropicDelta,
  AnthropicMessageStreamEvent,
  AnthropicUsage,
} from './anthropic-messages.js';
export { createGeminiNormalizer, fromGemini, mapGeminiFinishReason } from './gemini.js';
export type {
  GeminiCandidate,
  GeminiFunctionCall,
  GeminiGenerateContentResponse,
  GeminiPart,
  GeminiPartialArg,
  GeminiUsageMetadata,
} from './gemini.js';
export { createAiSdkNormalizer, fromAiSdk } from './ai-sdk.js';
export type { AiSdkStreamPart, AiSdkUsage } from './ai-sdk.js';
export { readServerSentEvents, readServerSentEventsJson } from './sse.js';
export type {
  FetchResponseLike,
  ReadServerSentEventsOptions,
  ServerSentEvent,
  ServerSentEventsSource,
} from './sse.js';
export { createProviderNormalizer } from './provider-normalizer.js';
export type { ProviderKind } from './provider-normalizer.js';
export {
  createBedrockConverseStreamNormalizer,
  fromBedrockConverseStream,
  mapBedrockStopReason,
} from './bedrock-converse.js';
export type {
  BedrockContentBlockDelta,
  BedrockConverseStreamEvent,
  BedrockTokenUsage,
  BedrockToolUseBlockStart,
} from './bedrock-converse.js';
export { createOllamaChatNormalizer, fromOllamaChat } from './ollama-chat.js';
export type { OllamaChatMessage, OllamaChatResponse, OllamaChatSource, OllamaToolCall } from './ollama-chat.js';
export { createOpenAIRealtimeNormalizer, fromOpenAIRealtime } from './openai-realtime.js';
export type {
  OpenAIRealtimeItem,
  OpenAIRealtimeResponse,
  OpenAIRealtimeServerEvent,
} from './openai-realtime.js';
