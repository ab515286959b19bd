import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// vitest 5's reporter calls Map.groupBy (Node >= 21) when it prints failures; Node 20 lacks it.
// This file runs in vitest's main process, so define it here for the reporter.
if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value<K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>();
      let index = 0;
      for (const item of items) {
        const k = key(item, index++);
        const group = groups.get(k);
        if (group === undefined) groups.set(k, [item]);
        else group.push(item);
      }
      return groups;
    },
  });
}

export default defineConfig({
  // Tests written as a user would (the README's examples) import the package by name.
  resolve: {
    alias: [
      { find: /^streamshape\/testing$/, replacement: fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)) },
      { find: /^streamshape$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});
