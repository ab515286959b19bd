/**
 * Tool definitions written as JSON Schema (MCP `inputSchema`, OpenAI `parameters`, Anthropic
 * `input_schema`, a whole MCP `tools/list` result), turned into schemas the assembler follows.
 * @module
 */
import type { SchemaLike } from '../partial/schema-types.js';

/**
 * A JSON Schema, as tool definitions carry it: an object (draft 2020-12 or draft-07 keywords;
 * OpenAPI 3.0's `nullable` is understood too) or a boolean schema.
 * @public
 */
export type JsonSchema = { readonly [keyword: string]: unknown } | boolean;

/**
 * One tool definition in any of the shapes providers and MCP use; only the name and the
 * arguments schema are read:
 * - MCP (`tools/list`): `{name, inputSchema}`;
 * - OpenAI Chat Completions: `{type: 'function', function: {name, parameters}}`;
 * - OpenAI Responses: `{type: 'function', name, parameters}`;
 * - Anthropic Messages: `{name, input_schema}`;
 * - Gemini: `{functionDeclarations: [{name, parameters | parametersJsonSchema}]}` (one entry
 *   holding several declarations).
 * A definition without a schema (an OpenAI function without `parameters`) takes any object.
 * @public
 */
export type JsonSchemaToolDefinition =
  | {
      /** The tool's name (MCP). */
      readonly name: string;
      /** The arguments' JSON Schema (MCP `tools/list`). */
      readonly inputSchema?: JsonSchema | undefined;
    }
  | {
      /** The tool's name (Anthropic). */
      readonly name: string;
      /** The arguments' JSON Schema (Anthropic Messages). */
      readonly input_schema?: JsonSchema | undefined;
    }
  | {
      /** The tool's name (OpenAI Responses). */
      readonly name: string;
      /** The arguments' JSON Schema (OpenAI Responses); absent or `null`: any object. */
      readonly parameters?: JsonSchema | null | undefined;
    }
  | {
      /** `'function'` (OpenAI Chat Completions); not read. */
      readonly type?: string | undefined;
      /** The function the tool calls (OpenAI Chat Completions). */
      readonly function: {
        /** The tool's name. */
        readonly name: string;
        /** The arguments' JSON Schema; absent or `null`: any object. */
        readonly parameters?: JsonSchema | null | undefined;
      };
    }
  | {
      /** Several tools in one entry (Gemini). */
      readonly functionDeclarations: ReadonlyArray<{
        /** The tool's name. */
        readonly name: string;
        /** The arguments' schema in Gemini's OpenAPI subset (`nullable` understood). */
        readonly parameters?: JsonSchema | null | undefined;
        /** The arguments' JSON Schema; read in preference to `parameters`. */
        readonly parametersJsonSchema?: JsonSchema | null | undefined;
      }>;
    };

/**
 * Tools as {@link resolveToolSchemas} takes them: a record from tool name to its arguments'
 * schema (zod, any Standard Schema, or a JSON Schema object), a list of
 * {@link JsonSchemaToolDefinition}s, or an MCP `tools/list` result (`{tools: [...]}`).
 * @public
 */
export type ToolDefinitions =
  | { readonly [name: string]: SchemaLike | JsonSchema }
  | readonly JsonSchemaToolDefinition[]
  | {
      /** The tools of an MCP `tools/list` result. */
      readonly tools: readonly JsonSchemaToolDefinition[];
      /** MCP pagination cursor; ignored (pass every page's tools together). */
      readonly nextCursor?: string | undefined;
    };

/**
 * A function that turns a JSON Schema into a zod schema: zod 4's `z.fromJSONSchema` (zod 4.2 and
 * later). Declared bivariantly so that zod's own signature fits.
 * @public
 */
export type FromJsonSchema = {
  /** Converts one tool's arguments schema; may throw for a schema it cannot convert. */
  convert(schema: JsonSchema): SchemaLike;
}['convert'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A zod v4 schema or any Standard Schema validator (as opposed to a JSON Schema object). */
function isSchemaLike(value: unknown): value is SchemaLike {
  return isObject(value) && ('_zod' in value || '~standard' in value);
}

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;
const SCHEMA_LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const SCHEMA_KEYWORDS = [
  'additionalProperties',
  'items',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
] as const;
/** Keywords that may sit beside `$ref` without constraining anything. */
const REF_ANNOTATIONS = new Set(['$ref', 'description', 'title', 'examples', '$comment', 'deprecated', 'readOnly', 'writeOnly']);
const TYPE_NAMES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

/**
 * Give the members of `allOf` / `anyOf` / `oneOf` that have no `type` the one type the schema
 * itself (or, for `allOf`, a sibling member) requires. It changes nothing JSON Schema accepts (the
 * value must have that type anyway), but the converter ignores type-specific keywords
 * (`minLength`, `required`, …) in a member without `type`.
 */
function inheritType(node: Record<string, unknown>): Record<string, unknown> {
  const own = typeof node['type'] === 'string' ? node['type'].toLowerCase() : undefined;
  let copy: Record<string, unknown> | undefined;
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = node[key];
    if (!Array.isArray(members)) continue;
    let type = own;
    if (type === undefined && key === 'allOf') {
      const types = new Set(members.flatMap((m) => (isObject(m) && typeof m['type'] === 'string' ? [m['type'].toLowerCase()] : [])));
      if (types.size === 1) type = [...types][0];
    }
    if (type === undefined || !TYPE_NAMES.has(type)) continue;
    const typed = members.map((m) => (isObject(m) && !('type' in m) && !('$ref' in m) ? { ...m, type } : m));
    copy ??= { ...node };
    copy[key] = typed;
  }
  return copy ?? node;
}

/** Read a local JSON Pointer (`#/a/b~1c`) inside `root`. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  let node = root;
  for (const raw of ref.slice(2).split('/')) {
    const step = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(step)];
    else if (isObject(node)) node = Object.hasOwn(node, step) ? node[step] : undefined;
    else return undefined;
  }
  return node;
}

/**
 * Rewrite a tool's JSON Schema into the form zod's converter reads correctly, without changing
 * what it accepts (each step fixes a difference found against JSON Schema's own semantics):
 * - draft-07 `definitions` and any other local `$ref` (`#/definitions/x`, `#/properties/a`, as
 *   zod-to-json-schema writes them) become `$defs` entries and `#/$defs/…` references (the
 *   converter only resolves `#/$defs/…`);
 * - a key listed in `required` but absent from `properties` gets `{}` there (JSON Schema
 *   requires it to be present; the converter would ignore it);
 * - `default` is dropped: in JSON Schema it is an annotation, while the converter turns it into
 *   an optional field filled in at the end: a required key with a default would then be
 *   accepted when absent, and the arguments would hold a value the model never sent;
 * - `$schema` is dropped and draft-07 tuples (`items: [...]`, `additionalItems`) become
 *   `prefixItems` / `items`: the result is read as draft 2020-12;
 * - members of `allOf` / `anyOf` / `oneOf` without `type` get the type their schema (or an
 *   `allOf` sibling) requires, so that their `minLength`, `required`, … are not ignored;
 * - OpenAPI 3.0 `nullable: true` becomes "or `null`", and Gemini's upper-case type names
 *   (`OBJECT`, `STRING`) become JSON Schema's;
 * - an array schema without `items` gets `items: {}` (the converter ignores `minItems` /
 *   `maxItems` otherwise), and keywords beside a `$ref` become an `allOf` member next to it,
 *   typed as the target (the converter reads only the reference).
 * The input is never mutated.
 * @internal
 */
export function normalizeToolJsonSchema(schema: JsonSchema): JsonSchema {
  if (typeof schema === 'boolean') return schema;
  const hoisted = new Map<string, string>(); // ref → $defs name
  const defs: Record<string, unknown> = {};
  const rootDefs = { ...(isObject(schema['definitions']) ? schema['definitions'] : {}), ...(isObject(schema['$defs']) ? schema['$defs'] : {}) };
  const queue: Array<{ name: string; node: unknown }> = [];

  function refName(ref: string): string | undefined {
    if (!ref.startsWith('#')) return undefined; // remote references are left to the converter
    const direct = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(ref);
    if (direct !== null) {
      const name = decodeURIComponent(direct[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
      if (Object.hasOwn(rootDefs, name) && !hoisted.has(ref)) {
        hoisted.set(ref, name);
        queue.push({ name, node: rootDefs[name] });
      }
      if (hoisted.has(ref)) return hoisted.get(ref);
    }
    let name = hoisted.get(ref);
    if (name === undefined) {
      const target = resolvePointer(schema, ref);
      if (target === undefined) return undefined;
      name = `streamshape_ref_${hoisted.size}`;
      hoisted.set(ref, name);
      queue.push({ name, node: target });
    }
    return name;
  }

  function walk(input: unknown): unknown {
    if (typeof input === 'boolean') return input;
    if (!isObject(input)) return input;
    const node = inheritType(input);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'default' || key === 'definitions' || key === '$defs' || key === 'nullable') continue;
      // The result is written in draft 2020-12 terms, whatever `$schema` said.
      if (key === '$schema' || key === 'additionalItems') continue;
      if (key === 'items' && Array.isArray(value)) {
        // draft-07 tuple: `items: [...]` is 2020-12's `prefixItems`, `additionalItems` its `items`.
        out['prefixItems'] = value.map(walk);
        if ('additionalItems' in node) out['items'] = walk(node['additionalItems']);
        continue;
      }
      if (key === '$ref' && typeof value === 'string') {
        const name = refName(value);
        out[key] = name === undefined ? value : `#/$defs/${name}`;
      } else if (key === 'type' && typeof value === 'string' && TYPE_NAMES.has(value.toLowerCase())) {
        out[key] = value.toLowerCase();
      } else if ((SCHEMA_MAP_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
        const map: Record<string, unknown> = {};
        for (const [name, sub] of Object.entries(value)) map[name] = walk(sub);
        out[key] = map;
      } else if ((SCHEMA_LIST_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
        out[key] = value.map(walk);
      } else if ((SCHEMA_KEYWORDS as readonly string[]).includes(key)) {
        out[key] = Array.isArray(value) ? value.map(walk) : walk(value);
      } else {
        out[key] = value;
      }
    }
    const required = out['required'];
    if (Array.isArray(required) && (isObject(out['properties']) || out['type'] === 'object')) {
      const properties = { ...(isObject(out['properties']) ? out['properties'] : {}) };
      for (const key of required) if (typeof key === 'string' && !Object.hasOwn(properties, key)) properties[key] = {};
      out['properties'] = properties;
    }
    // The converter reads minItems / maxItems only beside `items`: `items: {}` (any element)
    // changes nothing JSON Schema accepts.
    const type = out['type'];
    if ((type === 'array' || (Array.isArray(type) && type.includes('array'))) && !('items' in out) && !('prefixItems' in out)) {
      out['items'] = {};
    }
    let result: Record<string, unknown> = out;
    // `$ref` beside other keywords applies both (2020-12), but the converter reads only the
    // reference: make the siblings an `allOf` member, typed as the target is (a member without
    // `type` has its type-specific keywords ignored).
    if (typeof out['$ref'] === 'string' && Object.keys(out).some((key) => !REF_ANNOTATIONS.has(key))) {
      const { $ref, ...rest } = out;
      const target = typeof node['$ref'] === 'string' ? resolvePointer(schema, node['$ref']) : undefined;
      const targetType = isObject(target) ? target['type'] : undefined;
      if (!('type' in rest) && (typeof targetType === 'string' || Array.isArray(targetType))) {
        rest['type'] = typeof targetType === 'string' ? targetType.toLowerCase() : targetType;
      }
      result = { allOf: [{ $ref }, rest] };
    }
    if (node['nullable'] === true) return { anyOf: [result, { type: 'null' }] };
    return result;
  }

  const root = walk(schema) as Record<string, unknown>;
  for (let i = 0; i < queue.length; i++) {
    const { name, node } = queue[i]!;
    defs[name] = walk(node);
  }
  if (Object.keys(defs).length > 0) root['$defs'] = defs;
  return root;
}

/** The (name, schema) pairs of one definition in any of the accepted shapes. */
function definitionEntries(definition: unknown, position: number): Array<[string, JsonSchema | SchemaLike]> {
  if (!isObject(definition)) {
    throw new TypeError(`tools[${position}] is not a tool definition object (got ${definition === null ? 'null' : typeof definition})`);
  }
  const declarations = definition['functionDeclarations'];
  if (Array.isArray(declarations)) {
    return declarations.flatMap((declaration, i) => {
      if (!isObject(declaration) || typeof declaration['name'] !== 'string') {
        throw new TypeError(`tools[${position}].functionDeclarations[${i}] has no name`);
      }
      const schema = declaration['parametersJsonSchema'] ?? declaration['parameters'];
      return [[declaration['name'], (schema ?? { type: 'object' }) as JsonSchema]];
    });
  }
  const fn = isObject(definition['function']) ? definition['function'] : definition;
  const name = fn['name'];
  if (typeof name !== 'string') {
    throw new TypeError(
      `tools[${position}] has no name; expected an MCP tool {name, inputSchema}, an OpenAI tool ` +
        '{type: "function", function: {name, parameters}} or {type: "function", name, parameters}, ' +
        'or an Anthropic tool {name, input_schema}',
    );
  }
  const schema = fn['inputSchema'] ?? fn['input_schema'] ?? fn['parameters'];
  return [[name, (schema ?? { type: 'object' }) as JsonSchema]];
}

/**
 * Turn tool definitions in any accepted shape ({@link ToolDefinitions}) into a record from tool
 * name to a schema the assembler follows: zod and Standard Schema values are kept; JSON Schemas
 * are normalized (see below) and converted with `fromJSONSchema`.
 *
 * Why the converter is passed in, not imported: streamshape never imports zod at run time (it
 * is an optional peer, and the assembler is synchronous, so it cannot await a dynamic import of zod);
 * passing your own `z.fromJSONSchema` also makes the converted schemas come from the same zod
 * copy as the rest of your app.
 *
 * The conversion keeps JSON Schema's meaning on the keywords tool schemas use (`type`, type
 * arrays for nullable, `properties`, `required`, `additionalProperties` (`false` → strict: an
 * unknown key fails at once), `enum`, `const`, `items`, `prefixItems`, `anyOf`, `oneOf`,
 * `allOf`, `minimum` / `maximum` / `exclusive*`, `multipleOf`, `minLength` / `maxLength`,
 * `pattern`, `format`, `minItems` / `maxItems`, `uniqueItems`, `$ref` / `$defs` (recursive
 * too) and draft-07 `definitions`); `default` is not applied (it is an annotation). Known limits
 * of the converter: `not` (other than `{not: {}}`) is rejected; a `pattern` is compiled without
 * the `u` flag (`.` does not match an astral character, `\p{…}` is not understood); type-specific
 * keywords in a schema whose type nothing states (`{minLength: 2}` alone) are ignored.
 *
 * @param definitions - the tools (a record, a list of definitions, or an MCP `tools/list` result).
 * @param fromJSONSchema - zod 4's `z.fromJSONSchema`; needed only when a JSON Schema is present.
 * @returns a null-prototype record from tool name to schema.
 * @throws {TypeError} when a JSON Schema is present and `fromJSONSchema` is not given, when a
 *   definition has no name, when two definitions share a name, or when the converter rejects a
 *   schema (the message names the tool).
 * @example
 * ```ts
 * import { z } from 'zod';
 * const { tools } = await mcpClient.listTools();
 * const assembler = createToolCallAssembler({ tools: resolveToolSchemas({ tools }, z.fromJSONSchema), guide: zodGuide });
 * ```
 * @public
 */
export function resolveToolSchemas(
  definitions: ToolDefinitions,
  fromJSONSchema?: FromJsonSchema | undefined,
): Record<string, SchemaLike> {
  if (definitions === null || typeof definitions !== 'object') {
    throw new TypeError(`tools must be an object or an array of tool definitions; got ${definitions === null ? 'null' : typeof definitions}`);
  }
  let entries: Array<[string, JsonSchema | SchemaLike]>;
  let fromList = false;
  if (Array.isArray(definitions)) {
    entries = definitions.flatMap(definitionEntries);
    fromList = true;
  } else if (Array.isArray((definitions as { tools?: unknown }).tools)) {
    // An MCP tools/list result: JSON Schemas are never arrays, so `tools: [...]` is not a tool named "tools".
    entries = ((definitions as { tools: unknown[] }).tools).flatMap(definitionEntries);
    fromList = true;
  } else {
    entries = Object.entries(definitions as Record<string, SchemaLike | JsonSchema>);
  }
  const out: Record<string, SchemaLike> = Object.create(null) as Record<string, SchemaLike>;
  for (const [name, schema] of entries) {
    if (fromList && Object.hasOwn(out, name)) {
      throw new TypeError(`tools: two definitions are named ${JSON.stringify(name)}`);
    }
    if (isSchemaLike(schema)) {
      out[name] = schema;
      continue;
    }
    if (typeof schema !== 'boolean' && !isObject(schema)) {
      throw new TypeError(`tools[${JSON.stringify(name)}] is neither a schema nor a JSON Schema object (got ${typeof schema})`);
    }
    if (fromJSONSchema === undefined) {
      throw new TypeError(
        `tools[${JSON.stringify(name)}] is a JSON Schema; pass fromJSONSchema: z.fromJSONSchema (zod 4.2 or later) ` +
          'so that its arguments are validated while they stream, or give a zod schema instead',
      );
    }
    try {
      out[name] = fromJSONSchema(normalizeToolJsonSchema(schema));
    } catch (error) {
      throw new TypeError(
        `tools[${JSON.stringify(name)}]: its JSON Schema cannot be converted: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return out;
}
