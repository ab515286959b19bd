import { formatIssuePath, SchemaValidationError, type SchemaIssue } from './errors.js';
import type { StandardSchemaV1 } from './types.js';
import { isZodV4 } from './zod-shape.js';

type StandardIssue = {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  readonly code?: unknown;
};

function pathOf(issue: StandardIssue): (string | number)[] {
  const path: (string | number)[] = [];
  for (const step of issue.path ?? []) {
    const key = typeof step === 'object' && step !== null ? step.key : step;
    path.push(typeof key === 'number' ? key : String(key));
  }
  return path;
}

const MAX_UNION_OPTIONS = 3;

/**
 * zod words a failed union "Invalid input"; its issue keeps each option's issues (`errors`):
 * say what the first issue of each option was, so the message tells why nothing matched.
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

/** A Standard Schema issue as a {@link SchemaIssue} (paths as JSON paths, zod's `code` kept). */
function toIssue(issue: StandardIssue): SchemaIssue {
  if (typeof issue.code !== 'string') return { path: pathOf(issue), message: issue.message };
  const message = issue.code === 'invalid_union' ? issue.message + unionDetail(issue) : issue.message;
  return { path: pathOf(issue), message, code: issue.code };
}

/**
 * Validates `value` synchronously through the schema's Standard Schema interface and returns its
 * issues (`[]` when valid), or `undefined` when the schema could only answer asynchronously or
 * threw.
 * @internal
 */
export function issuesOf(schema: StandardSchemaV1, value: unknown): SchemaIssue[] | undefined {
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

function asyncSchema(): TypeError {
  return new TypeError(
    'The schema validates asynchronously (an async refinement or transform); streamshape needs a synchronous schema: validate the value returned by end() yourself',
  );
}

/** zod's error for a promise met during a synchronous parse (matched by message: zod is not imported). */
function isZodAsyncError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Encountered Promise during synchronous parse');
}

/**
 * The final validation at `end()`: the schema's full parse (defaults, transforms, refinements).
 * A zod v4 schema runs directly, so an error thrown by a refinement or transform reaches the
 * caller as it is (zod's Standard Schema interface would turn it into a rejected promise); other
 * schemas run through their Standard Schema interface. Returns the parsed value.
 * @throws {@link SchemaValidationError} (`early: false`) when the value does not match.
 * @throws `TypeError` when the schema validates asynchronously.
 * @throws whatever a refinement or transform of the schema throws.
 * @internal
 */
export function finalValidation(schema: StandardSchemaV1, value: unknown): unknown {
  if (isZodV4(schema)) {
    let result: unknown;
    try {
      result = schema._zod.run({ value, issues: [] }, { async: false });
    } catch (error) {
      throw isZodAsyncError(error) ? asyncSchema() : error;
    }
    if (result instanceof Promise) {
      result.then(undefined, () => {});
      throw asyncSchema();
    }
    const payload = result as { value: unknown; issues: readonly unknown[] };
    if (payload.issues.length === 0) return payload.value;
    // zod writes the messages of the issues in its Standard Schema result.
    const issues = issuesOf(schema, value);
    throw new SchemaValidationError({
      early: false,
      issues: issues !== undefined && issues.length > 0 ? issues : [{ path: [], message: 'Invalid input' }],
    });
  }
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    result.then(undefined, () => {});
    throw asyncSchema();
  }
  if (result.issues !== undefined) {
    throw new SchemaValidationError({ early: false, issues: result.issues.map(toIssue) });
  }
  return result.value;
}
