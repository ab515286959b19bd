import type { JsonPath } from '../json/json-pointer.js';
import { SchemaValidationError } from './errors.js';
import type { SchemaLike } from './types.js';

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

/** Options of {@link createSchemaGuide}. @internal */
export interface SchemaGuideOptions {
  /** Position in the stream of the token being handled, for errors. */
  position(): number;
}

/**
 * Makes the guide that follows a value against `schema` while it streams.
 * (Stub: final validation only; the full zod-aware guide replaces it.)
 * @internal
 */
export function createSchemaGuide(schema: SchemaLike, options: SchemaGuideOptions): ValueGuide {
  void options;
  return {
    open() {},
    key() {},
    startString() {
      return false;
    },
    stringPart() {},
    complete(_path, value) {
      return value;
    },
    finish(value) {
      const result = schema['~standard'].validate(value);
      if (result instanceof Promise) {
        throw new TypeError('The schema validates asynchronously; streamshape needs a synchronous schema');
      }
      if (result.issues !== undefined) {
        throw new SchemaValidationError({
          early: false,
          issues: result.issues.map((issue) => ({
            path: (issue.path ?? []).map((step) =>
              typeof step === 'object' ? (step.key as string | number) : (step as string | number),
            ),
            message: issue.message,
          })),
        });
      }
      return result.value;
    },
  };
}
