export type { SourceOptions, StreamSource } from './source.js';
export { PartialJsonStream, parseStream } from './parse-stream.js';
export type { ParseStreamOptions, PartialStream, PartialUpdate, TextStream } from './parse-stream.js';
export { createPartialStore } from './store.js';
export type { PartialSnapshot, PartialStore, PartialStoreOptions, PartialStoreWarning } from './store.js';
export { JsonlStream, parseJsonl } from './jsonl-stream.js';
export type {
  JsonlErrorRecord,
  JsonlPartialRecord,
  JsonlRecord,
  JsonlStreamOptions,
  JsonlValueRecord,
  JsonlValueStreamOptions,
} from './jsonl-stream.js';
