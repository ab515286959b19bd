import type { JsonPath } from '../json/json-pointer.js';

/**
 * One reason a value does not match its schema.
 * @public
 */
export interface SchemaIssue {
  /** Where in the whole value: an array path from the root (`[]` is the root itself). */
  readonly path: JsonPath;
  /** The validator's message (zod's own wording, custom messages included, where zod wrote it). */
  readonly message: string;
  /**
   * The issue code, when the validator has one: zod's (`invalid_type`, `invalid_value`,
   * `too_big`, `unrecognized_keys`, `invalid_union`, `custom`, …), the same codes for failures
   * found while streaming.
   */
  readonly code?: string | undefined;
}

/** Fields of a {@link SchemaValidationError}. @public */
export interface SchemaValidationErrorInit {
  /** The issues, at least one, each with a path from the root of the value. */
  issues: readonly SchemaIssue[];
  /**
   * True when the failure was found while the value was still streaming (it can never become
   * valid, whatever follows); false when found at `end()` by the final validation.
   */
  early: boolean;
  /** Position in the stream (UTF-16 code units) of the character that made the failure certain, when known. */
  position?: number | undefined;
  /** The error this one wraps, if any: becomes the standard `Error` `cause`. */
  cause?: unknown;
}

const MAX_LISTED = 3;
const MAX_MESSAGE = 200;

/**
 * Formats a path for messages: `items[2].name`, `["odd key"]`, and `(root)` for `[]`.
 * @internal
 */
export function formatIssuePath(path: JsonPath): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/**
 * A value does not match its schema: found early, while it streamed (the partial value can never
 * become valid, so the generation can be stopped at once), or by the final validation at `end()`.
 *
 * The message lists the first issues with their paths, e.g.
 * `Value can never match the schema (at position 41): at items[2].unit: Invalid option: expected one of "C"|"F"`.
 *
 * @example
 * ```ts
 * try {
 *   parser.write(chunk);
 * } catch (error) {
 *   if (error instanceof SchemaValidationError && error.early) abortController.abort();
 * }
 * ```
 * @public
 */
export class SchemaValidationError extends Error {
  /** The issues (at least one), each with its path from the root of the value. */
  readonly issues: readonly SchemaIssue[];
  /**
   * True when detected while streaming: the value so far can never become valid, whatever
   * follows. False when detected by the final validation in `end()`.
   */
  readonly early: boolean;
  /**
   * Position in the stream (UTF-16 code units from its start) of the character that made the
   * failure certain, the same however the text was cut into chunks: a container's bracket; a
   * string's opening quote (wrong type) or the character of its content that breaks an enum,
   * literal, prefix or maximum length (the last character of an escape); a key's closing quote;
   * the first character of a number, `true`, `false` or `null` of the wrong type (or one element
   * too many), the first letter of a literal for anything else, the character after a number for
   * its checks (`12` may still become `123`); a string's closing quote for its other checks; a
   * container's closing bracket for missing keys, too few elements, refinements and deferred
   * values. In lenient mode, the closing quote of a string held as possible JSON
   * (`string-as-json`) for any failure of it or of the container parsed from it. A scalar is judged once complete, so the error may be thrown a few characters after
   * this position. `undefined` for failures found by the final validation.
   */
  readonly position: number | undefined;

  /** @internal The library throws these errors; apps read them and never construct one. */
  constructor(init: SchemaValidationErrorInit) {
    const issues = init.issues.length > 0 ? init.issues : [{ path: [], message: 'Invalid input' }];
    const when = init.early ? 'can never match the schema' : 'does not match the schema';
    const at = init.position === undefined ? '' : ` (at position ${init.position})`;
    const listed = issues
      .slice(0, MAX_LISTED)
      .map((issue) => `at ${formatIssuePath(issue.path)}: ${truncate(issue.message)}`)
      .join('; ');
    const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : '';
    super(`Value ${when}${at}: ${listed}${more}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SchemaValidationError';
    this.issues = issues;
    this.early = init.early;
    this.position = init.position;
  }
}
