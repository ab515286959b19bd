/**
 * A quiet start (issue 13 item 9): `npm install` on the oldest Node that package.json's
 * `engines` (and the README) name prints no engine warnings. npm warns for every installed
 * package whose `engines.node` excludes the running Node; optional platform packages that do
 * not fit are skipped without a warning, so they do not count.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { root } from './packed.js';

const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  optional?: boolean;
}

describe('engines', () => {
  const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8')) as { packages: Record<string, LockedPackage> };
  const oldest = semver.minVersion(manifest.engines.node)!.version;

  it(`every package npm installs supports Node ${oldest} (the oldest package.json names)`, () => {
    const misfits = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.optional && !Array.isArray(entry.engines) && entry.engines?.node !== undefined)
      .filter(([, entry]) => !semver.satisfies(oldest, (entry.engines as { node: string }).node))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${(entry.engines as { node: string }).node}`);
    expect(misfits).toEqual([]);
  });
});
