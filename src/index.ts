export { ParseError } from './json/errors.js';
export type { ParseErrorCode, ParseErrorInit } from './json/errors.js';
