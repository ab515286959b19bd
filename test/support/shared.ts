import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository, where the conformance suite and recorded streams live. */
export const sharedDir = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** Absolute path inside `../shared`, and whether it exists; logs a visible notice when it does not. */
export function sharedPath(relative: string): { path: string; available: boolean } {
  const path = `${sharedDir}${relative}`;
  const available = existsSync(path);
  if (!available) {
    console.warn(`[streamshape tests] ${path} is absent: the tests that need it are skipped.`);
  }
  return { path, available };
}

/** Property-test budget: `STREAMSHAPE_FC_RUNS` (default 100) scaled by `factor`, at least 1. */
export function runs(factor = 1): number {
  const base = Number(process.env.STREAMSHAPE_FC_RUNS ?? 100);
  return Math.max(1, Math.round((Number.isFinite(base) ? base : 100) * factor));
}
