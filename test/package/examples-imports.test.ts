/**
 * Examples are code a user copies (issue 13 item 6): they import the package by its name, never
 * the repository's source. In this repository `streamshape` resolves to src/ through tsconfig
 * `paths` (tsx, esbuild) and vitest's alias, so the examples run without a build.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './packed.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.[cm]?tsx?$/.test(name) ? [path] : [];
  });
}

describe('examples import streamshape by name', () => {
  const files = sources(join(root, 'examples'));
  it('finds the examples', () => expect(files.length).toBeGreaterThan(3));
  for (const file of files) {
    it(relative(root, file), () => {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/from\s+['"](\.\.\/)+src\//);
      expect(text).not.toMatch(/import\(\s*['"](\.\.\/)+src\//);
    });
  }
});
