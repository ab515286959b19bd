export { createTokenizer, ParseError } from './json/index.js';
export type { ParseErrorCode, ParseErrorInit, TokenHandler, Tokenizer, TokenizerOptions } from './json/index.js';
export { applyDelta, createPartialParser, parseJsonPointer, parsePartial, toJsonPatch, toJsonPointer } from './partial/index.js';
export type {
  Delta,
  JsonPatchOperation,
  JsonPath,
  ParsePartialResult,
  PartialParser,
  PartialParserOptions,
} from './partial/index.js';
