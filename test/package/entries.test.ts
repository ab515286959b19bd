// Issue 13 item 3: entries by concept, each small. The main entry stays at most 20 values; the
// per-provider push cores, finish-reason mappers and the forwarding error serializer are not on
// any entry; every subpath of `exports` has its node10 stub, listed in `files`.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as forward from '../../src/forward/index.js';
import * as main from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import * as toolCalls from '../../src/tool-calls/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
  files: string[];
};

describe('entries by concept', () => {
  it('the main entry exports at most 20 values', () => {
    expect(Object.keys(main).length).toBeLessThanOrEqual(20);
  });

  it('internal helpers are on no entry', () => {
    const names = [main, toolCalls, forward, testing].flatMap((entry) => Object.keys(entry));
    const internal = names.filter(
      (name) => (/^create\w+Normalizer$/.test(name) && name !== 'createProviderNormalizer') || /^map\w+Reason$/.test(name) || name === 'serializeForwardedError',
    );
    expect(internal).toEqual([]);
  });

  it('each concept lives on one entry: tool calls and providers, forwarding, the core', () => {
    expect(Object.keys(toolCalls)).toEqual(expect.arrayContaining(['createToolCallAssembler', 'assembleToolCalls', 'ToolCallError', 'createProviderNormalizer', 'readServerSentEvents']));
    expect(Object.keys(forward).sort()).toEqual(['receiveUpdates', 'toToolCallEventStream', 'toUpdateEventStream']);
    expect(Object.keys(main)).toEqual(expect.arrayContaining(['createTokenizer', 'createPartialParser', 'zodGuide', 'SchemaValidationError', 'parseStream', 'createJsonlParser']));
    for (const name of Object.keys(toolCalls)) expect(Object.keys(main)).not.toContain(name);
  });

  it('every subpath has a package.json stub for resolvers without exports, listed in files', () => {
    for (const subpath of Object.keys(manifest.exports)) {
      if (subpath === '.' || subpath === './package.json') continue;
      const stub = `${subpath.slice(2)}/package.json`;
      expect(existsSync(new URL(`../../${stub}`, import.meta.url)), stub).toBe(true);
      expect(manifest.files).toContain(stub);
    }
  });
});
