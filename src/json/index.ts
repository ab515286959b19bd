export { createTokenizer } from './tokenizer.js';
export type { TokenHandler, Tokenizer, TokenizerOptions } from './tokenizer.js';
export type { LenientOption, ParseWarning, ParseWarningCode } from './warnings.js';
export { ParseError } from './errors.js';
export type { ParseErrorCode, ParseErrorInit } from './errors.js';
export { parseJsonPointer, toJsonPointer } from './json-pointer.js';
export type { JsonPath } from './json-pointer.js';
