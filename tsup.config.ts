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
    // `yaml` resolves to its CommonJS build under Node, which calls require('process'): give the
    // ESM bundle a real `require` for it.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __streamshapeCreateRequire } from 'node:module';\nconst require = __streamshapeCreateRequire(import.meta.url);" },
    // The command is an application: it carries its SSE parser and its YAML reader (for VCR
    // cassettes), so `npx streamshape` works without the optional peer installed and the library
    // gains no runtime dependency. zod comes with the user's own schema module.
    external: ['zod', 'fast-check'],
    noExternal: ['eventsource-parser', 'yaml'],
  },
]);
