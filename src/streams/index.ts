export type { SourceOptions, StreamSource } from './source.js';
