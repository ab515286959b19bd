export { createJsonlParser } from './parser.js';
export type { JsonlErrorInfo, JsonlMode, JsonlParser, JsonlParserOptions, JsonlRecordInfo } from './parser.js';
