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
