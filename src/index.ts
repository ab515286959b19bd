// The main entry: the core every app that streams JSON uses. Tool calls and provider adapters
// are `streamshape/tool-calls`, the server-to-browser forwarding pair `streamshape/forward`, the
// React hooks `streamshape/react`, the fast-check arbitraries `streamshape/testing` (see "Where
// things live" in the README).
export { createTokenizer, lenient, ParseError, parseJsonPointer, toJsonPointer } from './json/index.js';
export type { JsonPath, ParseErrorCode, TokenHandler, Tokenizer, TokenizerOptions } from './json/index.js';
export type { Lenient, ParseWarning, ParseWarningCode } from './json/index.js';
export { applyDelta, createPartialParser, parsePartial, pointers, SchemaValidationError, toJsonPatch } from './partial/index.js';
export type {
  DeepPartial,
  Delta,
  GuideFactory,
  GuideHooks,
  JsonPatchOperation,
  ParsePartialOptions,
  ParsePartialResult,
  PartialParser,
  PartialParserOptions,
  PointerPatterns,
  SchemaInput,
  SchemaIssue,
  SchemaLike,
  SchemaOutput,
  StandardSchemaResult,
  StandardSchemaV1,
  ValueGuide,
} from './partial/index.js';
export { zodGuide } from './schema/index.js';
export { createPartialStore, JsonlStream, parseJsonl, PartialJsonStream, parseStream } from './streams/index.js';
export type { PartialSnapshot, PartialStore, PartialStoreOptions, PartialStoreWarning, TextStream } from './streams/index.js';
export type {
  JsonlErrorRecord,
  JsonlPartialRecord,
  JsonlRecord,
  JsonlStreamOptions,
  JsonlValueRecord,
  JsonlValueStreamOptions,
  ParseStreamOptions,
  PartialStream,
  PartialUpdate,
  SourceOptions,
  StreamSource,
} from './streams/index.js';
export { createJsonlParser } from './jsonl/index.js';
export type { JsonlErrorInfo, JsonlMode, JsonlParser, JsonlParserOptions, JsonlRecordInfo } from './jsonl/index.js';
