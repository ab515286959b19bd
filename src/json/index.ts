export { createTokenizer } from './tokenizer.js';
export type { TokenHandler, Tokenizer, TokenizerOptions } from './tokenizer.js';
export { lenient } from './lenient.js';
export type { Lenient, ParseWarning, ParseWarningCode } from './warnings.js';
export { ParseError } from './errors.js';
export type { ParseErrorCode, ParseErrorInit } from './errors.js';
export { parseJsonPointer, toJsonPointer } from './json-pointer.js';
export type { JsonPath } from './json-pointer.js';
