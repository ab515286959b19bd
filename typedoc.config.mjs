// @ts-check
// TypeDoc configuration: the API reference (`npm run docs`, into docs/api/) and its CI check
// (`npm run docs:check`: every public name has TSDoc, and every {@link} resolves).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Converter, ReflectionKind } from 'typedoc';

// One entry point per subpath of package.json's `exports`, mapped as tsup.config.ts maps them:
// "." is src/index.ts, "./x" is src/x/index.ts (or index.tsx). A new subpath is documented, and
// checked, as soon as it is in `exports`.
const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const entryPoints = Object.keys(manifest.exports)
  .filter((subpath) => !subpath.endsWith('.json'))
  .map((subpath) => {
    const folder = subpath === '.' ? 'src' : `src/${subpath.slice(2)}`;
    const tsx = `${folder}/index.tsx`;
    return existsSync(new URL(`./${tsx}`, import.meta.url)) ? tsx : `${folder}/index.ts`;
  });

/** @type {Partial<import('typedoc').TypeDocOptions>} */
const config = {
  name: manifest.name,
  entryPoints,
  entryPointStrategy: 'resolve',
  out: 'docs/api',
  readme: 'none',
  // Only what the entries export: internal helpers, even if exported from their module, are not
  // part of the contract.
  excludePrivate: true,
  excludeInternal: true,
  // `npm run lint` type-checks the code; the reference only reads it.
  skipErrorChecking: true,
  // The check: an exported name without TSDoc, or a {@link} to nothing, fails the run.
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  treatValidationWarningsAsErrors: true,
  // Reachable from a public type but deliberately not exported by name: the inner shapes of the
  // providers' stream chunks (a user reaches them as `AnthropicMessageStreamEvent['delta']`;
  // exporting each would make every provider SDK change a semver question, issue 13 item 3) and
  // the error constructor's init, which only the library and guide implementers (GuideHooks) build.
  intentionallyNotExported: [
    'AiSdkUsage',
    'AnthropicContentBlock',
    'AnthropicDelta',
    'AnthropicUsage',
    'BedrockContentBlockDelta',
    'BedrockTokenUsage',
    'BedrockToolUseBlockStart',
    'GeminiCandidate',
    'GeminiUsageMetadata',
    'OllamaChatMessage',
    'OpenAIChatChunkChoice',
    'OpenAIChatUsage',
    'OpenAIRealtimeItem',
    'OpenAIRealtimeResponse',
    'OpenAIResponsesOutputItem',
    'OpenAIResponsesResponse',
    'SchemaValidationErrorInit',
  ],
  // The repository has no canonical remote to link into; names and comments are the reference.
  disableSources: true,
  // This file is also the plugin below.
  plugin: [fileURLToPath(import.meta.url)],
};

export default config;

/**
 * Names each module of the reference as a user imports it: TypeDoc calls the entry
 * src/index.ts "index" and src/x/index.ts "x"; they are `streamshape` and `streamshape/x`.
 * @param {import('typedoc').Application} app
 */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      module.name = module.name === 'index' ? manifest.name : `${manifest.name}/${module.name}`;
    }
  });
}
