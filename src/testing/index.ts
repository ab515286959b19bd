export { jsonText, jsonTextWithValue } from './json-text.js';
export type { JsonTextConstraints, JsonTextWithValue } from './json-text.js';
export { chunked, utf8Chunks, textChunks, CHUNKING_MODES } from './chunked.js';
export type { ChunkedConstraints, ChunkingMode } from './chunked.js';
export { llmChunks } from './llm-chunks.js';
export type { LlmChunksConstraints } from './llm-chunks.js';
export { mutatedJson, applyMutation } from './mutated-json.js';
export type { MutatedJsonConstraints, JsonMutation } from './mutated-json.js';
export { schemaValue } from './schema-value.js';
export type { SchemaValueConstraints } from './schema-value.js';
export {
  checkSnapshotSequence,
  findSnapshotViolation,
  assertChunkingInvariant,
  deepEqualJson,
  deepFreeze,
  formatJsonPath,
} from './invariants.js';
export type {
  SnapshotInvariant,
  SnapshotViolation,
  SnapshotSequenceOptions,
  ChunkingInvariantOptions,
  DeepEqualJsonOptions,
} from './invariants.js';
export { providerStream, toServerSentEvents, PROVIDER_STREAM_KINDS } from './provider-stream.js';
export type {
  ProviderChunkMap,
  ProviderStreamConstraints,
  ProviderStreamEnding,
  ProviderStreamExpectation,
  ProviderStreamExpectedToolCall,
  ProviderStreamKind,
  ProviderStreamToolCall,
  ProviderStreamValue,
  ToServerSentEventsOptions,
} from './provider-stream.js';
export { modelDamage, DAMAGE_KINDS } from './model-damage.js';
export type { DamageKind, DamageWarningCode, ModelDamage, ModelDamageConstraints } from './model-damage.js';
