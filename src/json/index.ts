export { createTokenizer } from './tokenizer.js';
export type { TokenHandler, Tokenizer, TokenizerOptions } from './tokenizer.js';
export { ParseError } from './errors.js';
export type { ParseErrorCode, ParseErrorInit } from './errors.js';
