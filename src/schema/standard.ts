import { SchemaValidationError, type SchemaIssue } from './errors.js';
import type { StandardSchemaV1 } from './types.js';

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

/** A Standard Schema issue as a {@link SchemaIssue} (paths as JSON paths, zod's `code` kept). */
function toIssue(issue: StandardIssue): SchemaIssue {
  return typeof issue.code === 'string'
    ? { path: pathOf(issue), message: issue.message, code: issue.code }
    : { path: pathOf(issue), message: issue.message };
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

/**
 * The final validation at `end()`: the schema's full parse (defaults, transforms, refinements)
 * through its Standard Schema interface. Returns the parsed value.
 * @throws {@link SchemaValidationError} (`early: false`) when the value does not match.
 * @throws `TypeError` when the schema validates asynchronously.
 * @internal
 */
export function finalValidation(schema: StandardSchemaV1, value: unknown): unknown {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    result.then(undefined, () => {});
    throw new TypeError(
      'The schema validates asynchronously (an async refinement or transform); streamshape needs a synchronous schema: validate the value returned by end() yourself',
    );
  }
  if (result.issues !== undefined) {
    throw new SchemaValidationError({ early: false, issues: result.issues.map(toIssue) });
  }
  return result.value;
}
