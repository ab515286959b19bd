/**
 * TSDoc examples import what they use from the entry that exports it: every
 * `import { … } from 'streamshape…'` line inside a doc comment in src/ names values (or types)
 * that entry really exports, so a user who copies an example gets code that resolves.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const entryFiles: Record<string, string> = {
  streamshape: 'index.ts',
  'streamshape/tool-calls': 'tool-calls/index.ts',
  'streamshape/forward': 'forward/index.ts',
  'streamshape/testing': 'testing/index.ts',
  'streamshape/react': 'react/index.ts',
};

/** Names an entry file exports (values and types), read from its export lists and declarations. */
function exportedNames(file: string): Set<string> {
  const text = readFileSync(join(src, file), 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/export (?:declare )?(?:async )?(?:function\*?|const|class|interface|type) (\w+)/g)) names.add(m[1]!);
  return names;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('TSDoc examples import from the right entry', () => {
  it('every name imported from streamshape in a doc comment is exported by that entry', () => {
    const entries = Object.fromEntries(Object.entries(entryFiles).map(([entry, file]) => [entry, exportedNames(file)]));
    const wrong: string[] = [];
    for (const file of files(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*\*\s*import (?:type )?\{([^}]*)\} from '(streamshape[^']*)'/gm)) {
        const names = entries[m[2]!];
        if (!names) {
          wrong.push(`${file.slice(src.length)}: no entry '${m[2]}'`);
          continue;
        }
        for (const part of m[1]!.split(',')) {
          const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
          if (name && !names.has(name)) wrong.push(`${file.slice(src.length)}: '${m[2]}' does not export ${name}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
