export { createTokenizer, ParseError, parseJsonPointer, toJsonPointer } from './json/index.js';
export type { JsonPath, ParseErrorCode, ParseErrorInit, TokenHandler, Tokenizer, TokenizerOptions } from './json/index.js';
export { applyDelta, createPartialParser, parsePartial, toJsonPatch } from './partial/index.js';
export type {
  Delta,
  JsonPatchOperation,
  ParsePartialResult,
  PartialParser,
  PartialParserOptions,
} from './partial/index.js';
export { SchemaValidationError } from './schema/index.js';
export type {
  DeepPartial,
  SchemaIssue,
  SchemaLike,
  SchemaOutput,
  SchemaValidationErrorInit,
  StandardSchemaResult,
  StandardSchemaV1,
} from './schema/index.js';
export type { SourceOptions, StreamSource } from './streams/index.js';
