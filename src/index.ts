export { createTokenizer, ParseError, parseJsonPointer, toJsonPointer } from './json/index.js';
export type { JsonPath, ParseErrorCode, ParseErrorInit, TokenHandler, Tokenizer, TokenizerOptions } from './json/index.js';
export type { LenientOption, ParseWarning, ParseWarningCode } from './json/index.js';
export { applyDelta, createPartialParser, parsePartial, toJsonPatch } from './partial/index.js';
export type {
  Delta,
  JsonPatchOperation,
  ParsePartialOptions,
  ParsePartialResult,
  PartialParser,
  PartialParserOptions,
} from './partial/index.js';
export { SchemaValidationError } from './schema/index.js';
export type {
  DeepPartial,
  SchemaIssue,
  SchemaLike,
  SchemaInput,
  SchemaOutput,
  SchemaValidationErrorInit,
  StandardSchemaResult,
  StandardSchemaV1,
} from './schema/index.js';
export { PartialJsonStream, parseStream, receiveUpdates, serializeForwardedError, toToolCallEventStream, toUpdateEventStream } from './streams/index.js';
export type {
  ForwardedErrorInfo,
  ForwardOptions,
  ReceivedUpdate,
  ReceiveUpdatesOptions,
  StreamView,
  ToolCallEventStreamOptions,
  ToolCallView,
} from './streams/index.js';
export type { ParseStreamOptions, PartialStream, PartialUpdate, SourceOptions, StreamSource, TextStream } from './streams/index.js';
export { createPartialStore } from './streams/index.js';
export type { PartialSnapshot, PartialStore, PartialStoreOptions, PartialStoreWarning } from './streams/index.js';
export { JsonlStream, parseJsonl } from './streams/index.js';
export type {
  JsonlErrorRecord,
  JsonlPartialRecord,
  JsonlRecord,
  JsonlStreamOptions,
  JsonlValueRecord,
  JsonlValueStreamOptions,
} from './streams/index.js';
export { createJsonlParser } from './jsonl/index.js';
export type { JsonlErrorInfo, JsonlMode, JsonlParser, JsonlParserOptions, JsonlRecordInfo } from './jsonl/index.js';
export { assembleToolCalls, createToolCallAssembler, ToolCallError } from './tool-calls/index.js';
export type {
  AssembledEvent,
  AssembleToolCallsOptions,
  CompletedToolCall,
  PartialToolCall,
  ToolArguments,
  ToolCallAssembler,
  ToolCallAssemblerOptions,
  ToolCallErrorInit,
  ToolCallErrorReason,
  ToolCallInfo,
  ToolCallState,
  ToolCallStatus,
  ToolSchemas,
} from './tool-calls/index.js';
export {
  createAiSdkNormalizer,
  createAnthropicMessagesNormalizer,
  createGeminiNormalizer,
  createOpenAIChatCompletionsNormalizer,
  createOpenAIResponsesNormalizer,
  createProviderNormalizer,
  fromAiSdk,
  fromAnthropicMessages,
  fromGemini,
  fromOpenAIChatCompletions,
  fromOpenAIResponses,
  mapAnthropicStopReason,
  mapGeminiFinishReason,
  mapOpenAIChatFinishReason,
  readServerSentEvents,
  readServerSentEventsJson,
} from './providers/index.js';
export type {
  AiSdkStreamPart,
  AiSdkUsage,
  AnthropicContentBlock,
  AnthropicDelta,
  AnthropicMessageStreamEvent,
  AnthropicUsage,
  ChunkSource,
  ErrorEvent,
  FetchResponseLike,
  FinishEvent,
  FinishReason,
  GeminiCandidate,
  GeminiFunctionCall,
  GeminiGenerateContentResponse,
  GeminiPart,
  GeminiPartialArg,
  GeminiUsageMetadata,
  OpenAIChatChunkChoice,
  OpenAIChatChunkDelta,
  OpenAIChatCompletionChunk,
  OpenAIChatCompletionsOptions,
  OpenAIChatToolCallDelta,
  OpenAIChatUsage,
  OpenAIResponsesOutputItem,
  OpenAIResponsesResponse,
  OpenAIResponsesStreamEvent,
  ProviderKind,
  ReadServerSentEventsOptions,
  ReasoningDeltaEvent,
  RefusalDeltaEvent,
  ServerSentEvent,
  ServerSentEventsSource,
  StreamEvent,
  StreamNormalizer,
  TextDeltaEvent,
  ToolCallDeltaEvent,
  ToolCallEndEvent,
  ToolCallStartEvent,
} from './providers/index.js';
export {
  createBedrockConverseStreamNormalizer,
  createOllamaChatNormalizer,
  createOpenAIRealtimeNormalizer,
  fromBedrockConverseStream,
  fromOllamaChat,
  fromOpenAIRealtime,
  mapBedrockStopReason,
} from './providers/index.js';
export type {
  BedrockContentBlockDelta,
  BedrockConverseStreamEvent,
  BedrockTokenUsage,
  BedrockToolUseBlockStart,
  OllamaChatMessage,
  OllamaChatResponse,
  OllamaChatSource,
  OllamaToolCall,
  OpenAIRealtimeItem,
  OpenAIRealtimeResponse,
  OpenAIRealtimeServerEvent,
} from './providers/index.js';
export { resolveToolSchemas } from './tool-calls/index.js';
export type { FromJsonSchema, JsonSchema, JsonSchemaToolDefinition, ToolDefinitions } from './tool-calls/index.js';
