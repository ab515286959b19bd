import type { JsonPath } from '../json/json-pointer.js';

/**
 * Follows the value as it is built and may veto or reshape it: the seam through which the schema
 * layer validates subtrees as they close and fails early. Internal; every method may throw.
 * @internal
 */
export interface ValueGuide {
  /** An array or object opens at `path`. */
  open(path: JsonPath, kind: 'array' | 'object'): void;
  /** A key was read inside the object at `path`. */
  key(path: JsonPath, key: string): void;
  /** A string value opens at `path`; return true to keep it out of snapshots until it is complete. */
  startString(path: JsonPath): boolean;
  /** The open string at `path` is now `text` (all of it so far). */
  stringPart(path: JsonPath, text: string): void;
  /**
   * A value at `path` is complete (scalars, strings, and containers as they close, innermost
   * first). Returns the value to keep (the validated value).
   */
  complete(path: JsonPath, value: unknown): unknown;
  /** Called at `end()` with the root value; returns the final value (e.g. the schema's full parse). */
  finish(value: unknown): unknown;
}
