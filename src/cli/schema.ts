/**
 * `--schema ./module#Export`: load a zod (or any Standard Schema) schema exported by a module.
 * @module
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pathOf, type StandardIssue } from '../partial/guide.js';
import { formatIssuePath } from '../partial/schema-error.js';
import type { SchemaLike } from '../partial/schema-types.js';
import { UsageError } from './args.js';

function isSchema(value: unknown): value is SchemaLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    ('_zod' in value || ('~standard' in value && typeof (value as { '~standard': unknown })['~standard'] === 'object'))
  );
}

/**
 * Loads `path#Export` (default export when `#Export` is absent), relative to `cwd`. `.js` and
 * `.mjs` modules are imported directly; `.ts`, `.mts` and `.cts` through tsx's `tsImport` when
 * tsx can be resolved (or directly when the process already runs under a TypeScript loader).
 * @throws {@link UsageError} when the file is missing, cannot be loaded, lacks the export, or
 *   the export is not a schema.
 */
export async function loadSchema(spec: string, cwd: string): Promise<SchemaLike> {
  const hash = spec.lastIndexOf('#');
  const file = hash === -1 ? spec : spec.slice(0, hash);
  const name = hash === -1 ? 'default' : spec.slice(hash + 1);
  if (file === '' || name === '') throw new UsageError(`--schema wants <module>#<export>, got ${JSON.stringify(spec)}`);
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new UsageError(`--schema: no such file ${file}`);
  const url = pathToFileURL(path).href;
  let module: Record<string, unknown>;
  try {
    if (/\.[cm]?ts$/.test(path)) module = await importTypeScript(url, file);
    else module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--schema: cannot load ${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const schema = module[name];
  if (schema === undefined) {
    const names = Object.keys(module).filter((key) => isSchema(module[key]));
    throw new UsageError(`--schema: ${file} has no export ${JSON.stringify(name)}${names.length > 0 ? `; schemas it exports: ${names.join(', ')}` : ''}`);
  }
  if (!isSchema(schema)) throw new UsageError(`--schema: export ${JSON.stringify(name)} of ${file} is not a zod schema`);
  return schema;
}

async function importTypeScript(url: string, file: string): Promise<Record<string, unknown>> {
  let api: { tsImport(specifier: string, parent: string): Promise<unknown> };
  try {
    // A non-literal specifier: the bundler must not inline tsx (a dev tool, optional at run time).
    const specifier: string = 'tsx/esm/api';
    api = (await import(specifier)) as typeof api;
  } catch {
    try {
      // Already running under a TypeScript loader (tsx, `node --experimental-strip-types`)?
      return (await import(url)) as Record<string, unknown>;
    } catch {
      throw new UsageError(`--schema: loading TypeScript (${file}) needs tsx (npm install --save-dev tsx), or compile the schema to .js`);
    }
  }
  return (await api.tsImport(url, import.meta.url)) as Record<string, unknown>;
}

/** One schema issue of a record: its path as written in messages (`''` for the root), its last step, and the message. */
export interface SchemaCheckIssue {
  path: string;
  key: string | number | undefined;
  message: string;
}

/**
 * Validates `value` through the schema's Standard Schema interface (`~standard`: zod 3.24+, valibot, …).
 * @returns the issues, empty when valid.
 */
export async function validateWith(schema: SchemaLike, value: unknown): Promise<SchemaCheckIssue[]> {
  const result = standardOf(schema).validate(value);
  return issuesOf(result instanceof Promise ? await result : result);
}

/** Synchronous validation when the schema validates synchronously (zod without async refinements); `undefined` when it returned a promise. */
export function validateSync(schema: SchemaLike, value: unknown): SchemaCheckIssue[] | undefined {
  const result = standardOf(schema).validate(value);
  return result instanceof Promise ? undefined : issuesOf(result);
}

function standardOf(schema: SchemaLike): { validate(value: unknown): unknown } {
  const standard = (schema as { '~standard'?: { validate(value: unknown): unknown } })['~standard'];
  if (standard === undefined) throw new UsageError('--schema: the export has no ~standard interface (zod 3.24+ or 4 needed)');
  return standard;
}

/** A Standard Schema result's issues, with their paths written as in every streamshape message (`items[2].name`). */
function issuesOf(result: unknown): SchemaCheckIssue[] {
  const issues = (result as { issues?: readonly StandardIssue[] }).issues ?? [];
  return issues.map((issue) => {
    const path = pathOf(issue);
    return { path: path.length === 0 ? '' : formatIssuePath(path), key: path[path.length - 1], message: issue.message };
  });
}
