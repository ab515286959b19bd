/**
 * Tools given as JSON Schema (MCP `inputSchema`, OpenAI `parameters`, Anthropic `input_schema`,
 * a whole MCP `tools/list` result), converted with zod 4's `z.fromJSONSchema` after
 * `resolveToolSchemas`' normalization. The oracle for JSON Schema's meaning is
 * @cfworker/json-schema (draft 2020-12): for random near-valid arguments, streamed at random
 * chunkings, the assembler delivers a call exactly when the oracle accepts its arguments, and
 * delivers them unchanged. The schemas are the ones two real MCP servers publish (captured over
 * stdio from @modelcontextprotocol/server-filesystem and server-memory), plus one schema per
 * draft 2020-12 keyword that tool schemas use, written here.
 */
import { Validator } from '@cfworker/json-schema';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createToolCallAssembler,
  resolveToolSchemas,
  type CompletedToolCall,
  type JsonSchema,
  type ToolCallError,
} from '../../src/tool-calls/index.js';
import { runs } from '../support/shared.js';
import { zodGuide } from '../../src/schema/index.js';

const require = createRequire(import.meta.url);

interface McpTool {
  name: string;
  inputSchema: { [keyword: string]: unknown };
}

/** Start an MCP server over stdio, `initialize`, `tools/list`, and stop it. */
async function mcpToolsList(entry: string, args: string[]): Promise<{ tools: McpTool[] }> {
  const scratch = mkdtempSync(join(tmpdir(), 'streamshape-mcp-'));
  const child = spawn(process.execPath, [require.resolve(entry), ...args.map((a) => a.replace('$DIR', scratch))], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') },
  });
  try {
    return await new Promise((resolve, reject) => {
      let buffer = '';
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`MCP server exited (${code}) before answering tools/list`)));
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (data: string) => {
        buffer += data;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) !== -1) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const message = JSON.parse(line) as { id?: number; result?: { tools: McpTool[] } };
          if (message.id === 2 && message.result !== undefined) resolve(message.result);
        }
      });
      const send = (message: object) => child.stdin.write(JSON.stringify(message) + '\n');
      send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'streamshape-test', version: '0' } } });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    });
  } finally {
    child.kill();
  }
}

/** One schema per keyword family that tool schemas use (draft 2020-12), written for this test. */
const keywordSchemas: Record<string, { [keyword: string]: unknown }> = {
  strings: {
    type: 'object',
    properties: { s: { type: 'string', minLength: 2, maxLength: 5 }, p: { type: 'string', pattern: '^[a-c]+$' } },
    required: ['s'],
    additionalProperties: false,
  },
  numbers: {
    type: 'object',
    properties: {
      i: { type: 'integer', minimum: -3, maximum: 3 },
      x: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 2 },
      m: { type: 'number', multipleOf: 5 },
    },
    required: ['i'],
  },
  enumsAndConsts: {
    type: 'object',
    properties: { unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, kind: { const: 'weather' }, mixed: { enum: ['a', 1, null] } },
    required: ['unit', 'kind'],
  },
  nullableAndUnions: {
    type: 'object',
    properties: {
      n: { type: ['string', 'null'] },
      any: { anyOf: [{ type: 'string', maxLength: 2 }, { type: 'integer' }] },
      one: { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0 }] },
    },
  },
  arrays: {
    type: 'object',
    properties: {
      tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3, uniqueItems: true },
      pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
    },
    required: ['tags'],
  },
  refs: {
    type: 'object',
    $defs: { point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'], additionalProperties: false } },
    properties: { from: { $ref: '#/$defs/point' }, to: { $ref: '#/$defs/point' } },
    required: ['from'],
  },
  recursiveRefs: {
    type: 'object',
    $defs: { node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['name'] } },
    properties: { root: { $ref: '#/$defs/node' } },
    required: ['root'],
  },
  draft07Definitions: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    definitions: { city: { type: 'string', minLength: 1 } },
    properties: { city: { $ref: '#/definitions/city' }, also: { $ref: '#/properties/city' } },
    required: ['city'],
  },
  // Bounds on an array without `items`: the converter ignored them.
  arraysWithoutItems: {
    type: 'object',
    properties: { few: { type: 'array', minItems: 2, maxItems: 3 }, maybe: { type: ['array', 'null'], maxItems: 1 } },
    required: ['few'],
  },
  // `$ref` beside other keywords (2020-12 applies both): the converter ignored the siblings.
  refWithSiblings: {
    type: 'object',
    $defs: { s: { type: 'string' } },
    properties: { a: { $ref: '#/$defs/s', maxLength: 2 }, b: { $ref: '#/$defs/s', description: 'only a note' } },
  },
  requiredWithoutProperty: { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'] },
  defaultIsAnAnnotation: { type: 'object', properties: { unit: { type: 'string', default: 'celsius' } }, required: ['unit'] },
  openObject: { type: 'object', properties: { a: { type: 'boolean' } }, additionalProperties: { type: 'number' } },
  combinators: {
    type: 'object',
    properties: {
      a: { allOf: [{ type: 'string' }, { minLength: 2 }] },
      b: { type: 'string', anyOf: [{ minLength: 3 }, { pattern: '^x' }] },
      c: { type: 'integer', oneOf: [{ minimum: 0 }, { maximum: 10 }] },
    },
    anyOf: [{ required: ['a'] }, { required: ['b'] }],
  },
};

const KEYS = ['a', 'b', 's', 'p', 'i', 'x', 'extra', 'name'];

/** Random values near a schema: mostly valid, sometimes a wrong type, a missing or an extra key. */
function nearValid(schema: unknown, root: unknown, depth: number): fc.Arbitrary<unknown> {
  const junk = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -5, max: 12 }), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
  if (schema === true || schema === undefined) return junk;
  if (schema === false || typeof schema !== 'object' || schema === null || depth > 4) return junk;
  const s = schema as Record<string, unknown>;
  if (typeof s['$ref'] === 'string') {
    const path = s['$ref'].slice(2).split('/');
    let target: unknown = root;
    for (const step of path) target = (target as Record<string, unknown>)[step];
    return nearValid(target, root, depth + 1);
  }
  const options: fc.Arbitrary<unknown>[] = [];
  if (Array.isArray(s['enum'])) options.push(fc.constantFrom(...(s['enum'] as unknown[])));
  if ('const' in s) options.push(fc.constant(s['const']));
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key])) options.push(...(s[key] as unknown[]).map((sub) => nearValid(sub, root, depth + 1)));
  }
  const types = Array.isArray(s['type']) ? (s['type'] as string[]) : typeof s['type'] === 'string' ? [s['type']] : [];
  for (const type of types) {
    switch (type) {
      case 'string': {
        const min = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
        const max = typeof s['maxLength'] === 'number' ? s['maxLength'] + 1 : 8;
        options.push(
          typeof s['pattern'] === 'string'
            ? fc.oneof(fc.stringMatching(new RegExp(s['pattern'])).filter((t) => t.length <= 8), fc.string({ maxLength: 4 }))
            : fc.oneof(
                fc.string({ minLength: Math.max(0, min - 1), maxLength: max }),
                // Lengths count code points in JSON Schema: astral characters are one each.
                fc.string({ unit: 'binary', minLength: Math.max(0, min - 1), maxLength: max }),
              ),
        );
        break;
      }
      case 'integer':
      case 'number': {
        const min = typeof s['minimum'] === 'number' ? s['minimum'] - 2 : typeof s['exclusiveMinimum'] === 'number' ? s['exclusiveMinimum'] - 1 : -20;
        const max = typeof s['maximum'] === 'number' ? s['maximum'] + 2 : typeof s['exclusiveMaximum'] === 'number' ? s['exclusiveMaximum'] + 1 : 20;
        options.push(fc.integer({ min, max }));
        if (type === 'number') options.push(fc.integer({ min: min * 4, max: max * 4 }).map((n) => n / 4));
        break;
      }
      case 'boolean':
        options.push(fc.boolean());
        break;
      case 'null':
        options.push(fc.constant(null));
        break;
      case 'array': {
        const prefix = Array.isArray(s['prefixItems']) ? (s['prefixItems'] as unknown[]) : undefined;
        if (prefix !== undefined) {
          options.push(fc.tuple(...prefix.map((sub) => nearValid(sub, root, depth + 1))));
        } else {
          const max = typeof s['maxItems'] === 'number' ? s['maxItems'] + 1 : 3;
          options.push(fc.array(nearValid(s['items'], root, depth + 1), { maxLength: max }));
        }
        break;
      }
      case 'object': {
        const properties = (s['properties'] ?? {}) as Record<string, unknown>;
        const names = [...new Set([...Object.keys(properties), ...((s['required'] as string[] | undefined) ?? [])])];
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const name of names) record[name] = nearValid(properties[name] ?? true, root, depth + 1);
        const required = (s['required'] as string[] | undefined) ?? [];
        options.push(
          fc
            .tuple(
              fc.record(record, { requiredKeys: required.filter(() => true) }),
              fc.record(record, { requiredKeys: [] }),
              fc.option(fc.tuple(fc.constantFrom(...KEYS), junk), { freq: 4 }),
              fc.boolean(),
            )
            .map(([full, partial, extra, usePartial]) => {
              const value: Record<string, unknown> = { ...(usePartial ? partial : full) };
              if (extra !== null) value[extra[0]] = extra[1];
              return value;
            }),
        );
        break;
      }
      default:
        break;
    }
  }
  if (options.length === 0) return junk;
  return fc.oneof({ weight: 6, arbitrary: fc.oneof(...options) }, { weight: 1, arbitrary: junk });
}

/** Cut text into pieces at the given (sorted, in-range) positions. */
function cut(text: string, positions: number[]): string[] {
  const points = [...new Set(positions.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const point of points) {
    out.push(text.slice(last, point));
    last = point;
  }
  out.push(text.slice(last));
  return out;
}

/** Stream one call's arguments through an assembler; what it delivered or why it refused. */
function streamCall(
  tools: Parameters<typeof createToolCallAssembler>[0],
  name: string,
  pieces: readonly string[],
): { call?: CompletedToolCall; error?: ToolCallError } {
  const result: { call?: CompletedToolCall; error?: ToolCallError } = {};
  const assembler = createToolCallAssembler({
    guide: zodGuide,
    ...tools,
    onToolCall: (call) => (result.call = call),
    onToolCallError: (error) => (result.error = error),
  });
  assembler.push({ type: 'tool-call-start', id: 'call_1', name, index: 0 });
  for (const piece of pieces) assembler.push({ type: 'tool-call-delta', id: 'call_1', delta: piece });
  assembler.push({ type: 'tool-call-end', id: 'call_1' });
  assembler.end();
  return result;
}

let published: { name: string; schema: { [keyword: string]: unknown } }[] = [];
let filesystem: { tools: McpTool[] } = { tools: [] };

beforeAll(async () => {
  filesystem = await mcpToolsList('@modelcontextprotocol/server-filesystem/dist/index.js', ['$DIR']);
  const memory = await mcpToolsList('@modelcontextprotocol/server-memory/dist/index.js', []);
  published = [...filesystem.tools, ...memory.tools].map((tool) => ({ name: tool.name, schema: tool.inputSchema }));
}, 30_000);

describe('JSON Schema tools', () => {
  it('reads the tools/list results of real MCP servers, and every other definition shape', () => {
    expect(published.length).toBeGreaterThan(15);
    const fromList = resolveToolSchemas(filesystem, z.fromJSONSchema);
    expect(Object.keys(fromList).sort()).toEqual(filesystem.tools.map((t) => t.name).sort());
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } as const;
    const shapes = [
      [{ name: 'w', inputSchema: schema }],
      [{ type: 'function', function: { name: 'w', parameters: schema } }],
      [{ type: 'function', name: 'w', parameters: schema }],
      [{ name: 'w', input_schema: schema }],
      [{ functionDeclarations: [{ name: 'w', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } }] }],
      { w: schema },
      { tools: [{ name: 'w', inputSchema: schema }] },
    ] as const;
    for (const shape of shapes) {
      const tools = resolveToolSchemas(shape, z.fromJSONSchema);
      expect(Object.keys(tools)).toEqual(['w']);
      expect(streamCall({ tools }, 'w', ['{"city":', '"Oslo"}']).call?.arguments).toEqual({ city: 'Oslo' });
      expect(streamCall({ tools }, 'w', ['{"town":"Oslo"}']).error?.reason).toBe('schema');
    }
  });

  it('a call is delivered exactly when JSON Schema accepts its arguments, unchanged, at every chunking', () => {
    const schemas = [...published, ...Object.entries(keywordSchemas).map(([name, schema]) => ({ name, schema }))];
    const tools = Object.fromEntries(schemas.map(({ name, schema }) => [name, schema as JsonSchema]));
    // Converted once: zod schemas pass through a second resolution unchanged.
    const options = { tools: resolveToolSchemas(tools, z.fromJSONSchema) };
    const oracles = new Map(schemas.map(({ name, schema }) => [name, new Validator(schema as object, '2020-12', false)]));
    const cases = fc.constantFrom(...schemas).chain(({ name, schema }) =>
      fc.record({ name: fc.constant(name), value: nearValid(schema, schema, 0), cuts: fc.array(fc.nat(), { maxLength: 6 }) }),
    );
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(cases, ({ name, value, cuts }) => {
        const text = JSON.stringify(value);
        const valid = oracles.get(name)!.validate(value).valid;
        seen[valid ? 'valid' : 'invalid']++;
        const { call, error } = streamCall(options, name, cut(text, cuts));
        if (valid) {
          expect(error?.message).toBeUndefined();
          expect(call?.arguments).toEqual(value);
          expect(call?.rawArguments).toBe(text);
        } else {
          expect(call).toBeUndefined();
          expect(error?.reason).toBe('schema');
        }
      }),
      { numRuns: runs(5) },
    );
    // Both verdicts are exercised in earnest.
    expect(Math.min(seen.valid, seen.invalid)).toBeGreaterThan(runs(5) / 10);
  });

  it('fails early, as with zod: a wrong type or a key a closed object forbids fails before the call ends', () => {
    for (const [name, early] of [
      ['read_text_file', '{"path": ['],
      ['edit_file', '{"path": "a.txt", "edits": [{"oldText": "a", "newText": "b"}], "dryRun": "ye'],
      ['strings', '{"s": "ab", "nope": '],
    ] as const) {
      const errors: ToolCallError[] = [];
      const assembler = createToolCallAssembler({
        tools: resolveToolSchemas(
          { ...filesystem.tools.reduce((all, t) => ({ ...all, [t.name]: t.inputSchema }), {}), strings: keywordSchemas['strings']! },
          z.fromJSONSchema,
        ),
        guide: zodGuide,
        onToolCallError: (error) => errors.push(error),
      });
      assembler.push({ type: 'tool-call-start', id: 'c', name, index: 0 });
      assembler.push({ type: 'tool-call-delta', id: 'c', delta: early });
      expect(errors.map((e) => e.reason), name).toEqual(['schema']);
    }
  });

  it('without a converter, a JSON Schema tool is a TypeError that says what to pass', () => {
    expect(() => resolveToolSchemas(filesystem)).toThrow(/pass fromJSONSchema: z\.fromJSONSchema/);
    expect(() => resolveToolSchemas([{ name: 'x', inputSchema: { not: { type: 'string' } } }], z.fromJSONSchema)).toThrow(
      /tools\["x"\]: its JSON Schema cannot be converted/,
    );
    // The assembler takes schemas only: definitions or JSON Schemas given directly say where to go.
    expect(() => createToolCallAssembler({ tools: filesystem as never })).toThrow(/resolveToolSchemas/);
    expect(() => createToolCallAssembler({ tools: { w: { type: 'object' } } as never })).toThrow(/tools\["w"\] is not a schema.*resolveToolSchemas/);
    expect(() => resolveToolSchemas([{ name: 'a' }, { name: 'a' }], z.fromJSONSchema)).toThrow(/two definitions are named "a"/);
    // zod schemas need no converter, and mix with JSON Schemas.
    expect(Object.keys(resolveToolSchemas({ a: z.object({}) }))).toEqual(['a']);
  });

  it('tool names are data: a call to "constructor" is an unknown tool', () => {
    const { error } = streamCall({ tools: resolveToolSchemas(filesystem, z.fromJSONSchema) }, 'constructor', ['{}']);
    expect(error?.reason).toBe('unknown-tool');
    expect(streamCall({ tools: { w: z.object({}) } }, 'constructor', ['{}']).error?.reason).toBe('unknown-tool');
  });
});
