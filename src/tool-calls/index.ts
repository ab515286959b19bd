// The `streamshape/tool-calls` entry: the tool-call assembler (and structured output over
// provider streams, its `output` option), the provider adapters that feed it (normalized
// `StreamEvent`s), and SSE reading. Each adapter's chunk type is exported (it is in the adapter's
// signature); the types inside it and the per-provider push cores stay internal:
// `createProviderNormalizer` is the one push core users write.
export { createToolCallAssembler } from './assembler.js';
export type {
  CompletedToolCall,
  PartialToolCall,
  ToolArguments,
  ToolCallAssembler,
  ToolCallAssemblerOptions,
  ToolCallInfo,
  ToolCallState,
  ToolCallStatus,
  ToolSchemas,
} from './assembler.js';
export { assembleToolCalls } from './assemble.js';
export type { AssembledEvent, AssembleToolCallsOptions } from './assemble.js';
export { ToolCallError } from './errors.js';
export type { ToolCallErrorReason } from './errors.js';
export { resolveToolSchemas } from './json-schema-tools.js';
export type { FromJsonSchema, JsonSchema, JsonSchemaToolDefinition, ToolDefinitions } from './json-schema-tools.js';
export {
  createProviderNormalizer,
  fromAiSdk,
  fromAnthropicMessages,
  fromBedrockConverseStream,
  fromGemini,
  fromOllamaChat,
  fromOpenAIChatCompletions,
  fromOpenAIRealtime,
  fromOpenAIResponses,
  readServerSentEvents,
  readServerSentEventsJson,
} from '../providers/index.js';
// The chunk type each adapter reads (they appear in the adapters' signatures). Their inner
// fields mirror the providers' documented stream shapes; only the fields the adapters read are typed.
export type {
  AiSdkStreamPart,
  AnthropicMessageStreamEvent,
  BedrockConverseStreamEvent,
  GeminiGenerateContentResponse,
  OllamaChatResponse,
  OpenAIChatCompletionChunk,
  OpenAIRealtimeServerEvent,
  OpenAIResponsesStreamEvent,
} from '../providers/index.js';
export type {
  ChunkSource,
  ErrorEvent,
  FetchResponseLike,
  FinishEvent,
  FinishReason,
  OpenAIChatCompletionsOptions,
  OllamaChatSource,
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
} from '../providers/index.js';
