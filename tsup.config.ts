import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';
import { MANGLE_PROPS, mangleCache } from './mangle.config.js';

// One entry per subpath of package.json's `exports`: "." is src/index.ts, "./x" is
// src/x/index.ts, built to dist/index.* and dist/x/index.*. A new subpath needs its `exports`
// entry, a `x/package.json` stub for resolvers without `exports` (see testing/package.json; attw's
// node10 column checks it) and that stub in `files`.
const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
const entries = Object.fromEntries(
  Object.keys(manifest.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? ['index', 'src/index.ts'] : [`${subpath.slice(2)}/index`, `src/${subpath.slice(2)}/index.ts`])),
);

// Internal property names (ending in `_`) become short names, the same in both library builds:
// see mangle.config.ts. The CLI bundles its own copy of the code and its dependencies' code, so
// it is left alone.
const cache = mangleCache();
const mangled: Options['esbuildOptions'] = (options) => {
  options.mangleProps = MANGLE_PROPS;
  options.mangleCache = { ...cache };
};

export default defineConfig([
  // ESM: one output file per source module (`bundle: false`), so a bundler drops every module an
  // app does not reach (`"sideEffects": false` in package.json). One bundled file would keep
  // whatever its top-level statements touch, and every import would cost the whole library.
  {
    entry: ['src/**/*.ts', '!src/cli/**'],
    bundle: false,
    format: ['esm'],
    sourcemap: true,
    clean: true,
    target: 'es2022',
    esbuildOptions: mangled,
    // Types: one declaration file per entry (the `exports` map points at these).
    dts: {
      entry: entries,
      // tsup's declaration bundler sets `baseUrl`, which TypeScript 6 reports as deprecated.
      compilerOptions: { ignoreDeprecations: '6.0' },
    },
  },
  // CommonJS: one file per entry, for `require` (Node's CommonJS does not tree-shake anyway).
  // Code the entries share (the tokenizer, the parser, the error classes) goes into shared
  // chunks each entry requires: one copy of the core per app, so a `ParseError` raised inside
  // `streamshape/tool-calls` is `instanceof` the `ParseError` `require('streamshape')` returns
  // (test/package/packed-entries.test.ts). Without `splitting`, each entry would bundle its own.
  {
    entry: entries,
    format: ['cjs'],
    splitting: true,
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    target: 'es2022',
    esbuildOptions: mangled,
    // Peers stay external so users get one copy of each.
    external: ['zod', 'fast-check', 'eventsource-parser', 'react'],
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
