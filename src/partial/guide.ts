/**
 * The seam between the partial parser and a schema layer. The core owns this interface and the
 * one thing every schema gets without any schema code: the final value validated through the
 * schema's Standard Schema interface (`~standard.validate`) at `end()`. Streaming validation
 * (subtrees checked as they close, early failures, atomic enum strings) is a plug-in: a
 * {@link GuideFactory} such as `zodGuide` passed as the `guide` option. The core never imports
 * one, so an app that does not pass it carries no schema code.
 * @module
 */
import { formatIssuePath, SchemaValidationError, type SchemaIssue, type SchemaValidationErrorInit } from './schema-error.js';
import type { SchemaLike, StandardSchemaV1 } from './schema-types.js';

/**
 * Follows the value as the partial parser builds it and may veto it: the seam through which a
 * schema layer validates subtrees as they close and fails early. Every method may throw a
 * {@link SchemaValidationError} (built with {@link GuideHooks.error}); the parser then refuses
 * further input.
 *
 * Call order for one value: `open` (containers) or `startString` then `stringPart`s (strings),
 * then `key`s inside objects, then `complete` once it is complete (innermost first); `finish`
 * once at `end()`. The guide keeps track of where it is itself (paths cost O(depth) to build, so
 * it builds one only for a failure it reports).
 * @public
 */
export interface ValueGuide {
  /**
   * True when the guide only needs `finish` (a schema it cannot follow while streaming): the
   * parser may skip the other calls and keep its fast paths.
   */
  readonly passive?: boolean | undefined;
  /**
   * The chunk about to be written (before the tokenizer sees it): the guide keeps the text of
   * the current write to locate failures inside strings exactly, whatever the chunking.
   */
  input?(chunk: string | Uint8Array): void;
  /**
   * Lenient mode's `string-as-json` repair asks, when a string value is about to start (before
   * `startString`): does the schema expect a container and no string for the next value? Returns
   * `'object'`, `'array'` or `'either'` when it does (the string's text is then parsed as JSON
   * and, when that gives such a container, replayed to the guide as that container instead of a
   * string), `undefined` otherwise or when the guide cannot tell. Optional: without it, lenient
   * mode never makes that repair. Must not change the guide's state.
   */
  expectsJsonText?(): 'object' | 'array' | 'either' | undefined;
  /** An array or object opens (before it appears in the value). */
  open(kind: 'array' | 'object'): void;
  /** A key was read inside the innermost open object (before its value starts). */
  key(key: string): void;
  /**
   * A string value opens; returns true to keep it out of snapshots until it is complete.
   * `whole` is true when the string also closed in this write (the latest token is its closing
   * quote); false when it is still open at the end of the write.
   */
  startString(whole?: boolean): boolean;
  /**
   * The open string is now `text` (all of it so far); at most once per write. When it
   * throws, {@link ValueGuide.accepted} says how much of `text` precedes the failure.
   */
  stringPart(text: string): void;
  /**
   * After `stringPart` threw: the code units of the string that precede the character at which
   * it failed (what the value may keep of a string that is shown while it grows).
   */
  readonly accepted: number;
  /**
   * A value is complete (scalars, strings, and containers as they close, innermost
   * first). Returns the value to keep in the tree (the JSON value itself: transforms and
   * defaults apply only in `finish`).
   */
  complete(value: unknown): unknown;
  /** Called at `end()` with the root value; returns the final value (the schema's full parse). */
  finish(value: unknown): unknown;
}

/**
 * What the parser hands a guide when it makes one: where in the stream it is, and the core's
 * vocabulary for failures, so that every schema failure is one {@link SchemaValidationError}
 * class with one issue format, whichever guide found it.
 * @public
 */
export interface GuideHooks {
  /**
   * Position in the stream (UTF-16 code units) of the last character of the token being
   * handled, for errors (the tokenizer's `tokenPosition`).
   */
  position(): number;
  /**
   * Position in the stream (UTF-16 code units) of the first character of the latest value: a
   * string's opening quote (in lenient mode also `'`, or the first letter of a word read as a
   * string, `NaN`), a number's first character, a literal's first letter (the tokenizer's
   * `valueStart`).
   */
  start(): number;
  /**
   * Position in the stream (UTF-16 code units) of the first character of the text being written
   * now (the tokenizer's `position` before and during a write).
   */
  offset(): number;
  /** Builds the error a guide throws for a failure (a {@link SchemaValidationError}). */
  error(init: SchemaValidationErrorInit): Error;
  /**
   * Validates `value` synchronously through the schema's Standard Schema interface and returns
   * its issues (`[]` when valid, paths as JSON paths, the validator's `code` kept), or
   * `undefined` when the schema could only answer asynchronously or threw.
   */
  issues(schema: StandardSchemaV1, value: unknown): SchemaIssue[] | undefined;
}

/**
 * Makes the guide that follows a value against `schema` while it streams, or returns
 * `undefined` for a schema it cannot follow (the parser then validates the final value only).
 * Passed as the `guide` option of every API that takes a schema; `zodGuide` is the one for zod
 * v4 schemas.
 * @public
 */
export type GuideFactory = (schema: SchemaLike, hooks: GuideHooks) => ValueGuide | undefined;

/** An issue as a Standard Schema validator reports it. @internal */
export type StandardIssue = {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  readonly code?: unknown;
};

/** A Standard Schema issue's path as a JSON path (`{key}` segments unwrapped). @internal */
export function pathOf(issue: StandardIssue): (string | number)[] {
  const path: (string | number)[] = [];
  for (const step of issue.path ?? []) {
    const key = typeof step === 'object' && step !== null ? step.key : step;
    path.push(typeof key === 'number' ? key : String(key));
  }
  return path;
}

const MAX_UNION_OPTIONS = 3;

/**
 * A validator that words a failed union "Invalid input" (zod) may keep each option's issues
 * (`errors`): say what the first issue of each option was, so the message tells why nothing
 * matched.
 */
function unionDetail(issue: StandardIssue): string {
  const errors = (issue as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return '';
  const firsts: string[] = [];
  for (const option of errors) {
    const first = Array.isArray(option) ? (option[0] as StandardIssue | undefined) : undefined;
    if (first === undefined || typeof first.message !== 'string') continue;
    const path = pathOf(first);
    firsts.push(path.length === 0 ? first.message : `${formatIssuePath(path)}: ${first.message}`);
  }
  if (firsts.length === 0) return '';
  const more = firsts.length > MAX_UNION_OPTIONS ? ` or ${firsts.length - MAX_UNION_OPTIONS} more` : '';
  return ` (no option matches: ${firsts.slice(0, MAX_UNION_OPTIONS).join(' | ')}${more})`;
}

/** A Standard Schema issue as a {@link SchemaIssue} (paths as JSON paths, the `code` kept). */
function toIssue(issue: StandardIssue): SchemaIssue {
  if (typeof issue.code !== 'string') return { path: pathOf(issue), message: issue.message };
  const message = issue.code === 'invalid_union' ? issue.message + unionDetail(issue) : issue.message;
  return { path: pathOf(issue), message, code: issue.code };
}

/** The issues of `value` against `schema`; see {@link GuideHooks.issues}. @internal */
export function standardIssues(schema: StandardSchemaV1, value: unknown): SchemaIssue[] | undefined {
  let result: unknown;
  try {
    result = schema['~standard'].validate(value);
  } catch {
    return undefined;
  }
  if (result instanceof Promise) {
    result.then(undefined, () => {});
    return undefined;
  }
  const issues = (result as { issues?: readonly StandardIssue[] }).issues;
  return issues === undefined ? [] : issues.map(toIssue);
}

/** The error for a schema that validates asynchronously. */
function asyncSchemaError(): TypeError {
  return new TypeError(
    'The schema validates asynchronously (an async refinement or transform); streamshape needs a synchronous schema: validate the value returned by end() yourself',
  );
}

/**
 * The final validation without a guide: the schema's Standard Schema `validate` on the value at
 * `end()`. Returns the validated value (the schema's output).
 * @throws {@link SchemaValidationError} (`early: false`) when the value does not match.
 * @throws `TypeError` when the schema validates asynchronously.
 * @internal
 */
export function validateFinal(schema: StandardSchemaV1, value: unknown): unknown {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    result.then(undefined, () => {});
    throw asyncSchemaError();
  }
  if (result.issues !== undefined) {
    throw new SchemaValidationError({ early: false, issues: result.issues.map(toIssue) });
  }
  return result.value;
}

/** The guide of a schema followed by no {@link GuideFactory}: validates the final value only. */
function finalOnly(schema: StandardSchemaV1): ValueGuide {
  return {
    passive: true,
    accepted: 0,
    open() {},
    key() {},
    startString() {
      return false;
    },
    stringPart() {},
    complete(value) {
      return value;
    },
    finish(value) {
      return validateFinal(schema, value);
    },
  };
}

/**
 * The guide the parser uses for `schema`: the one `factory` makes, or else final validation
 * through the Standard Schema interface.
 * @internal
 */
export function makeGuide(
  schema: SchemaLike,
  factory: GuideFactory | undefined,
  position: () => number,
  offset: () => number,
  start: () => number,
): ValueGuide {
  const standard = (schema as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  if (typeof standard?.validate !== 'function') {
    throw new TypeError(
      'schema is not a schema (zod, or any Standard Schema); convert a JSON Schema first, e.g. with z.fromJSONSchema',
    );
  }
  const hooks: GuideHooks = { position, offset, start, error: (init) => new SchemaValidationError(init), issues: standardIssues };
  return factory?.(schema, hooks) ?? finalOnly(schema as StandardSchemaV1);
}
