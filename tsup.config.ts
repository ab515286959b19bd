import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    // Peers stay external so users get one copy of each.
    external: ['zod', 'fast-check', 'eventsource-parser'],
  },
  {
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    // The command is an application: it carries its SSE parser, so `npx streamshape` works without
    // the optional peer installed. zod comes with the user's own schema module.
    external: ['zod', 'fast-check'],
    noExternal: ['eventsource-parser'],
  },
]);
