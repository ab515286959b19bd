export type { SourceOptions, StreamSource } from './source.js';
export { PartialJsonStream, parseStream } from './parse-stream.js';
export type { ParseStreamOptions, PartialStream, PartialUpdate } from './parse-stream.js';
