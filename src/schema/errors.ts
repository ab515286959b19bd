import type { JsonPath } from '../json/json-pointer.js';

/** One reason a value does not match its schema. @public */
export interface SchemaIssue {
  /** Where in the value (array path from the root). */
  path: JsonPath;
  /** The validator's message. */
  message: string;
  /** The validator's issue code, when it has one (zod: `invalid_type`, `too_big`, …). */
  code?: string | undefined;
}

/** Fields of a {@link SchemaValidationError}. @public */
export interface SchemaValidationErrorInit {
  issues: SchemaIssue[];
  /**
   * True when the failure was found while the value was still streaming (it can never become
   * valid, whatever follows); false when found at `end()` by the final validation.
   */
  early: boolean;
  /** Position in the stream (UTF-16 code units) where the failure was detected, when known. */
  position?: number | undefined;
  cause?: unknown;
}

/**
 * A value does not match its schema: found early (the partial value can never become valid, so
 * the generation can be stopped at once) or by the final validation at `end()`.
 * @public
 */
export class SchemaValidationError extends Error {
  /** The schema's issues, each with its path. */
  readonly issues: SchemaIssue[];
  /** True when detected while streaming, before the value was complete. */
  readonly early: boolean;
  /** Position in the stream (UTF-16 code units) where it was detected, when known. */
  readonly position: number | undefined;

  constructor(init: SchemaValidationErrorInit) {
    const first = init.issues[0];
    const where = first === undefined || first.path.length === 0 ? '' : ` at ${first.path.map((s) => `[${JSON.stringify(s)}]`).join('')}`;
    const when = init.early ? 'can never match the schema' : 'does not match the schema';
    const at = init.position === undefined ? '' : ` (position ${init.position})`;
    const more = init.issues.length > 1 ? ` (+${init.issues.length - 1} more issues)` : '';
    super(
      `Value ${when}${where}: ${first?.message ?? 'invalid'}${more}${at}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'SchemaValidationError';
    this.issues = init.issues;
    this.early = init.early;
    this.position = init.position;
  }
}
