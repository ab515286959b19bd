import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests written as a user would (the README's examples) import the package by name.
  resolve: {
    alias: [
      { find: /^streamshape\/react$/, replacement: fileURLToPath(new URL('./src/react/index.ts', import.meta.url)) },
      { find: /^streamshape\/testing$/, replacement: fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)) },
      { find: /^streamshape\/tool-calls$/, replacement: fileURLToPath(new URL('./src/tool-calls/index.ts', import.meta.url)) },
      { find: /^streamshape\/forward$/, replacement: fileURLToPath(new URL('./src/forward/index.ts', import.meta.url)) },
      { find: /^streamshape$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/fc-seed.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});
