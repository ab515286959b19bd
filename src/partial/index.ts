export { createPartialParser } from './parser.js';
export type { PartialParser, PartialParserOptions } from './parser.js';
export { parsePartial } from './parse-partial.js';
export type { ParsePartialOptions, ParsePartialResult } from './parse-partial.js';
export { applyDelta, toJsonPatch } from './delta.js';
export type { Delta, JsonPatchOperation } from './delta.js';
