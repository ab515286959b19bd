/**
 * Reads a zod v4 schema's definition (`schema._zod.def`) into the form the streaming guide
 * follows: for each place in the value, the ways ("alternatives") a JSON value there can be valid,
 * what JSON types each allows, and what can already be checked before the value is complete.
 *
 * Nothing here imports zod at run time: zod is an optional peer, and a schema carries everything
 * needed (`_zod.def` to read, `_zod.run` to validate). Its definition types come from
 * `zod/v4/core`, imported as types only (erased from the build); each `case` of {@link resolve}
 * reads the definition of the type it names.
 *
 * @internal
 * @module
 */

import type {
  $ZodArrayDef,
  $ZodChecks,
  $ZodCheckStartsWithDef,
  $ZodDefaultDef,
  $ZodEnumDef,
  $ZodIntersectionDef,
  $ZodLazyDef,
  $ZodLiteralDef,
  $ZodNonOptionalDef,
  $ZodNullableDef,
  $ZodObjectDef,
  $ZodOptionalDef,
  $ZodPipeDef,
  $ZodPrefaultDef,
  $ZodRawIssue,
  $ZodReadonlyDef,
  $ZodRecordDef,
  $ZodStringFormatDef,
  $ZodTupleDef,
  $ZodType,
  $ZodTypeDef,
  $ZodUnionDef,
  util,
} from 'zod/v4/core';

/** A zod v4 schema (zod's own type, imported as a type only). @internal */
export type ZodLike = $ZodType;

/** A zod issue before zod has written its message. @internal */
export type RawIssue = $ZodRawIssue;

/** Any definition, with the `coerce` flag the primitive ones carry. */
type ZodDef = $ZodTypeDef & { readonly coerce?: boolean | undefined };

/** Definitions of the wrappers whose present value is their inner schema's. */
type WrapperDef = $ZodOptionalDef | $ZodNonOptionalDef | $ZodReadonlyDef | $ZodDefaultDef | $ZodPrefaultDef | $ZodNullableDef;

/** A check's definition, discriminated by its `check` (zod's own union). */
function checkDef(check: NonNullable<$ZodTypeDef['checks']>[number]): $ZodChecks['_zod']['def'] {
  return (check as unknown as $ZodChecks)._zod.def;
}

/** True when `schema` is a zod v4 schema this module can read (zod 3 classic schemas are not). @internal */
export function isZodV4(schema: unknown): schema is ZodLike {
  if (typeof schema !== 'object' || schema === null) return false;
  const internals = (schema as { _zod?: unknown })._zod;
  return (
    typeof internals === 'object' &&
    internals !== null &&
    typeof (internals as { run?: unknown }).run === 'function' &&
    typeof (internals as { def?: { type?: unknown } }).def?.type === 'string'
  );
}

// JSON types as bits, so an alternative's allowed types are one number and a test is one `&`.
/** JSON type bit: object. @internal */
export const K_OBJECT = 1;
/** JSON type bit: array. @internal */
export const K_ARRAY = 2;
/** JSON type bit: string. @internal */
export const K_STRING = 4;
/** JSON type bit: number. @internal */
export const K_NUMBER = 8;
/** JSON type bit: `true` or `false`. @internal */
export const K_BOOLEAN = 16;
/** JSON type bit: `null`. @internal */
export const K_NULL = 32;
/** Every JSON type. @internal */
export const K_ANY = 63;

const KIND_NAMES: readonly [number, string][] = [
  [K_OBJECT, 'object'],
  [K_ARRAY, 'array'],
  [K_STRING, 'string'],
  [K_NUMBER, 'number'],
  [K_BOOLEAN, 'boolean'],
  [K_NULL, 'null'],
];

/** Names of the JSON types in `mask`, in a fixed order. @internal */
export function kindNames(mask: number): string[] {
  const names: string[] = [];
  for (const [bit, name] of KIND_NAMES) if ((mask & bit) !== 0) names.push(name);
  return names;
}

/** The JSON type bit of a complete value. @internal */
export function kindOf(value: unknown): number {
  if (value === null) return K_NULL;
  switch (typeof value) {
    case 'string':
      return K_STRING;
    case 'number':
      return K_NUMBER;
    case 'boolean':
      return K_BOOLEAN;
    default:
      return Array.isArray(value) ? K_ARRAY : K_OBJECT;
  }
}

/**
 * One constraint a value must meet, the unit of an alternative (see {@link Conj}). `runs` are the
 * schemas to run on the value once it is complete (for containers: besides the checks done
 * structurally, e.g. a refinement that needs the whole object).
 * @internal
 */
export type Part = ObjectPart | RecordPart | ArrayPart | StringPart | ScalarPart | AnyPart | OpaquePart;

/** A `z.object`: properties are validated on their own as they complete; at the close only missing keys are checked. */
export interface ObjectPart {
  t: 'object';
  mask_: number;
  schema: ZodLike;
  shape_: Readonly<Record<string, ZodLike>>;
  /** What happens to a key the shape does not list. */
  rest: 'strip' | 'strict' | 'pass' | ZodLike;
  /** Keys that may not be missing when the object closes. */
  required_: readonly string[];
  runs_: readonly ZodLike[];
}

/** A `z.record`. */
export interface RecordPart {
  t: 'record';
  mask_: number;
  schema: ZodLike;
  keyType_: ZodLike;
  valueType_: ZodLike;
  loose_: boolean;
  /** The keys of an exhaustive record (enum or literal keys, not `z.partialRecord`). */
  keys_: ReadonlySet<string> | undefined;
  /** Keys of `keys` that may not be missing when the object closes. */
  required_: readonly string[];
  /** The key schema has a finite set of values (then a key outside it is "unrecognized"). */
  enumerable_: boolean;
  runs_: readonly ZodLike[];
}

/** A `z.array` or `z.tuple`. */
export interface ArrayPart {
  t: 'array';
  mask_: number;
  schema: ZodLike;
  /** The element schema (arrays) or undefined (tuples). */
  element_: ZodLike | undefined;
  /** Tuple items. */
  items_: readonly ZodLike[] | undefined;
  /** Tuple rest. */
  rest_: ZodLike | null;
  /** Fewest elements (tuples: the items that may not be left out). */
  min_: number;
  /** Most elements. */
  max_: number;
  runs_: readonly ZodLike[];
}

/** A string, enum or literal member that is a string, or template literal. */
export interface StringPart {
  t: 'string';
  mask_: number;
  schema: ZodLike;
  /** Shown only once complete and valid (formats, enums, literals, template literals). */
  atomic_: boolean;
  /** Most code points, when it can be checked while the string grows. */
  max_: number;
  /** The only values allowed (enum and literal members), when it is a finite set. */
  options_: readonly string[] | undefined;
  /** Prefixes the string must start with (`startsWith`). */
  prefixes_: readonly string[];
  runs_: readonly ZodLike[];
}

/** A number, boolean or null (or a literal or enum member of those kinds). */
export interface ScalarPart {
  t: 'scalar';
  mask_: number;
  runs_: readonly ZodLike[];
}

/**
 * Accepts any JSON value and owns every key: `z.any()`, `z.unknown()`, transforms, and schemas
 * not looked inside (custom, coerced), which then run on the complete value.
 */
export interface AnyPart {
  t: 'any';
  mask_: number;
  runs_: readonly ZodLike[];
}

/**
 * A check added to an alternative that its other parts already describe (checks on a wrapper
 * such as a refined union, `z.xor`'s "exactly one"): says nothing about keys or elements, and
 * runs its schema on the complete value.
 */
export interface OpaquePart {
  t: 'opaque';
  mask_: number;
  runs_: readonly ZodLike[];
}

/**
 * One alternative for a value: all its parts must accept it (more than one part for
 * intersections and for checks on wrappers). `mask` is the JSON types all parts allow.
 * `origin` is the schema of the place, for error messages.
 * @internal
 */
export interface Conj {
  parts_: readonly Part[];
  mask_: number;
  origin_: ZodLike | undefined;
}

const NONE: readonly ZodLike[] = [];

/** A value no schema constrains (a stripped key, an element of `z.any()`). */
const UNCONSTRAINED: readonly Conj[] = [{ parts_: [], mask_: K_ANY, origin_: undefined }];

const cache = new WeakMap<ZodLike, readonly Conj[]>();

/**
 * The alternatives of `schema`: the ways a JSON value can match it. An empty list means no JSON
 * value can (`z.date()`, `z.never()`, …). Cached per schema.
 * @internal
 */
export function alternatives(schema: ZodLike): readonly Conj[] {
  let conjs = cache.get(schema);
  if (conjs === undefined) {
    conjs = resolve(schema, new Set()).map((c) => ({ parts_: c.parts_, mask_: c.mask_, origin_: schema }));
    cache.set(schema, conjs);
  }
  return conjs;
}

/**
 * The alternatives of a value that must match every schema of `specs` at once (a property of an
 * intersection of objects); `[]` as `specs` is anything.
 * @internal
 */
export function alternativesOfAll(specs: readonly ZodLike[]): readonly Conj[] {
  if (specs.length === 1) return alternatives(specs[0]!);
  if (specs.length === 0) return UNCONSTRAINED;
  let out: readonly Conj[] = alternatives(specs[0]!);
  for (let i = 1; i < specs.length; i++) out = cross(out, alternatives(specs[i]!));
  return out.map((c) => ({ parts_: c.parts_, mask_: c.mask_, origin_: undefined }));
}

function cross(a: readonly Conj[], b: readonly Conj[]): Conj[] {
  const out: Conj[] = [];
  for (const x of a) {
    for (const y of b) {
      const mask = x.mask_ & y.mask_;
      if (mask !== 0) out.push({ parts_: [...x.parts_, ...y.parts_], mask_: mask, origin_: undefined });
    }
  }
  return out;
}

function single(part: Part): Conj[] {
  return [{ parts_: [part], mask_: part.mask_, origin_: undefined }];
}

/** A schema not looked inside: any JSON value, validated by running it once complete. */
function opaque(schema: ZodLike): Conj[] {
  return single({ t: 'any', mask_: K_ANY, runs_: [schema] });
}

const ANY: Conj[] = [{ parts_: [{ t: 'any', mask_: K_ANY, runs_: NONE }], mask_: K_ANY, origin_: undefined }];

/** Adds an opaque part running `schema` to each alternative (checks on a wrapper, `z.xor`'s "exactly one"). */
function withRun(conjs: Conj[], schema: ZodLike): Conj[] {
  const extra: Part = { t: 'opaque', mask_: K_ANY, runs_: [schema] };
  return conjs.map((c) => ({ parts_: [...c.parts_, extra], mask_: c.mask_, origin_: undefined }));
}

function hasChecks(def: ZodDef): boolean {
  return def.checks !== undefined && def.checks.length > 0;
}

function resolve(schema: ZodLike, entered: Set<ZodLike>): Conj[] {
  const def: ZodDef = schema._zod.def;
  switch (def.type) {
    case 'string':
      return def.coerce === true ? opaque(schema) : single(stringPart(schema, def as $ZodStringFormatDef));
    case 'number':
    case 'int':
      return def.coerce === true ? opaque(schema) : single({ t: 'scalar', mask_: K_NUMBER, runs_: [schema] });
    case 'boolean':
      return def.coerce === true ? opaque(schema) : single({ t: 'scalar', mask_: K_BOOLEAN, runs_: [schema] });
    case 'null':
      return single({ t: 'scalar', mask_: K_NULL, runs_: [schema] });
    case 'bigint':
    case 'date':
      // A JSON value is never a bigint or a Date; coerced, a string or number may become one.
      return def.coerce === true ? opaque(schema) : [];
    case 'nan':
    case 'symbol':
    case 'undefined':
    case 'void':
    case 'never':
    case 'map':
    case 'set':
    case 'file':
    case 'function':
      return [];
    case 'any':
    case 'unknown':
    case 'catch': // catches every failure of its inner schema
    case 'success':
    case 'transform': // takes any input
      return hasChecks(def) ? opaque(schema) : ANY;
    case 'enum':
    case 'literal':
      return literalAlternatives(schema, def as $ZodEnumDef | $ZodLiteralDef<util.Literal>);
    case 'template_literal':
      return single(stringLike(schema, true, undefined));
    case 'object':
      return single(objectPart(schema, def as $ZodObjectDef));
    case 'record':
      return single(recordPart(schema, def as $ZodRecordDef));
    case 'array':
      return single(arrayPart(schema, def as $ZodArrayDef));
    case 'tuple':
      return single(tuplePart(schema, def as $ZodTupleDef));
    case 'union': {
      const out: Conj[] = [];
      const union = def as $ZodUnionDef;
      for (const option of union.options) out.push(...resolve(option, entered));
      // `z.xor` needs exactly one option to match: narrowing finds "none" early, the run finds "two".
      return union.inclusive === false || hasChecks(def) ? withRun(out, schema) : out;
    }
    case 'intersection': {
      // Both sides judge the value; a key one side rejects is fine if the other owns it (zod
      // reconciles unrecognized keys across the sides), which the guide decides per key.
      const { left, right } = def as $ZodIntersectionDef;
      const out = cross(resolve(left, entered), resolve(right, entered));
      return hasChecks(def) ? withRun(out, schema) : out;
    }
    case 'optional':
    case 'nonoptional':
    case 'readonly':
    case 'default':
    case 'prefault': {
      // A present value is its inner schema's (defaults apply to missing values only).
      const out = resolve((def as WrapperDef).innerType, entered);
      return hasChecks(def) ? withRun(out, schema) : out;
    }
    case 'nullable': {
      const out = [...resolve((def as WrapperDef).innerType, entered), ...single({ t: 'scalar', mask_: K_NULL, runs_: NONE })];
      return hasChecks(def) ? withRun(out, schema) : out;
    }
    case 'pipe':
      // Validate the input side while streaming; the output side runs in the final parse.
      return resolve((def as $ZodPipeDef).in, entered);
    case 'lazy': {
      if (entered.has(schema)) return opaque(schema);
      entered.add(schema);
      const inner = (schema._zod as { innerType?: ZodLike }).innerType ?? (def as $ZodLazyDef).getter();
      const out = resolve(inner, entered);
      entered.delete(schema);
      return hasChecks(def) ? withRun(out, schema) : out;
    }
    default:
      // custom, promise, and anything newer than this module: run it on the complete value.
      return opaque(schema);
  }
}

function literalAlternatives(schema: ZodLike, def: $ZodEnumDef | $ZodLiteralDef<util.Literal>): Conj[] {
  const values: unknown[] =
    schema._zod.values !== undefined
      ? [...schema._zod.values]
      : def.type === 'literal'
        ? [...def.values]
        : Object.values(def.entries);
  const strings: string[] = [];
  let mask = 0;
  for (const value of values) {
    if (typeof value === 'string') strings.push(value);
    else if (typeof value === 'number') mask |= K_NUMBER;
    else if (typeof value === 'boolean') mask |= K_BOOLEAN;
    else if (value === null) mask |= K_NULL;
  }
  const out: Conj[] = [];
  if (strings.length > 0) out.push(...single(stringLike(schema, true, strings)));
  if (mask !== 0) out.push(...single({ t: 'scalar', mask_: mask, runs_: [schema] }));
  // the runs are the enum or literal schema itself, so its checks run with it
  return out;
}

function stringLike(schema: ZodLike, atomic: boolean, options: readonly string[] | undefined): StringPart {
  return { t: 'string', mask_: K_STRING, schema, atomic_: atomic, max_: Infinity, options_: options, prefixes_: [], runs_: [schema] };
}

// Formats that constrain free text without fixing its shape: the string still streams.
const FREE_TEXT_FORMATS = new Set(['starts_with', 'ends_with', 'includes', 'lowercase', 'uppercase']);

function stringPart(schema: ZodLike, def: $ZodStringFormatDef): StringPart {
  let atomic = def.check === 'string_format' && def.format !== undefined && !FREE_TEXT_FORMATS.has(def.format);
  let max = Infinity;
  const prefixes: string[] = [];
  const checks = def.checks ?? [];
  // An `overwrite` check (trim, toLowerCase, …) changes the value the later checks see: then
  // nothing is judged before the string is complete.
  const early = !checks.some((check) => checkDef(check).check === 'overwrite');
  for (const check of checks) {
    const c = checkDef(check);
    if (c.check === 'string_format' && !FREE_TEXT_FORMATS.has(c.format)) atomic = true;
    if (!early) continue;
    if (c.check === 'max_length') max = Math.min(max, c.maximum);
    else if (c.check === 'length_equals') max = Math.min(max, c.length);
    else if (c.check === 'string_format' && c.format === 'starts_with') prefixes.push((c as $ZodCheckStartsWithDef).prefix);
  }
  return { t: 'string', mask_: K_STRING, schema, atomic_: atomic, max_: max, options_: undefined, prefixes_: prefixes, runs_: [schema] };
}

/** Whether a missing property is accepted, as zod's object parse decides it. */
function mayBeMissing(schema: ZodLike): boolean {
  const { optin, optout } = schema._zod;
  if (optin === undefined) return false;
  if (optout === 'optional') return true;
  return runOk(schema, undefined);
}

/**
 * Runs `schema` on `value` synchronously and says whether it passed. A schema that cannot run
 * synchronously (async refinements) or throws counts as passing: the final parse judges it.
 * Issues about keys that an enclosing intersection may reconcile are ignored: keys are judged
 * when they are read.
 * @internal
 */
export function runOk(schema: ZodLike, value: unknown): boolean {
  let result: unknown;
  try {
    result = schema._zod.run({ value, issues: [] }, { async: false });
  } catch {
    return true;
  }
  if (typeof (result as { then?: unknown }).then === 'function') {
    (result as Promise<unknown>).then(undefined, () => {});
    return true;
  }
  const issues = (result as { issues: RawIssue[] }).issues;
  for (const issue of issues) {
    if (!isKeyIssue(issue)) return false;
  }
  return true;
}

function isKeyIssue(issue: RawIssue): boolean {
  const depth = issue.path === undefined ? 0 : issue.path.length;
  return (
    (issue.code === 'unrecognized_keys' && depth === 0) ||
    (issue.code === 'invalid_key' && issue.origin === 'record' && depth <= 1)
  );
}

function objectPart(schema: ZodLike, def: $ZodObjectDef): ObjectPart {
  const shape = def.shape;
  const catchall = def.catchall;
  let rest: ObjectPart['rest'] = 'strip';
  if (catchall !== undefined) {
    const t = catchall._zod.def.type;
    rest = t === 'never' ? 'strict' : (t === 'unknown' || t === 'any') && !hasChecks(catchall._zod.def) ? 'pass' : catchall;
  }
  const required: string[] = [];
  for (const key of Object.keys(shape)) {
    if (key !== '__proto__' && !mayBeMissing(shape[key]!)) required.push(key);
  }
  return { t: 'object', mask_: K_OBJECT, schema, shape_: shape, rest, required_: required, runs_: hasChecks(def) ? [schema] : NONE };
}

function recordPart(schema: ZodLike, def: $ZodRecordDef): RecordPart {
  const keyType: ZodLike = def.keyType;
  const valueType = def.valueType;
  const values = keyType._zod.values;
  let keys: Set<string> | undefined;
  let required: string[] = [];
  if (values !== undefined && def.partial !== true) {
    keys = new Set();
    for (const v of values) {
      if (typeof v === 'string' || typeof v === 'number') keys.add(String(v));
    }
    if (!mayBeMissingValue(valueType)) required = [...keys].filter((k) => k !== '__proto__');
  }
  return {
    t: 'record',
    mask_: K_OBJECT,
    schema,
    keyType_: keyType,
    valueType_: valueType,
    loose_: def.mode === 'loose',
    keys_: keys,
    required_: required,
    enumerable_: values !== undefined,
    runs_: hasChecks(def) ? [schema] : NONE,
  };
}

/** An exhaustive record's missing key: zod runs the value schema on `undefined`. */
function mayBeMissingValue(schema: ZodLike): boolean {
  return runOk(schema, undefined);
}

function lengthBounds(def: ZodDef): { min: number; max: number; other: boolean } {
  let min = 0;
  let max = Infinity;
  let other = false;
  for (const check of def.checks ?? []) {
    const c = checkDef(check);
    if (c.check === 'max_length') max = Math.min(max, c.maximum);
    else if (c.check === 'min_length') min = Math.max(min, c.minimum);
    else if (c.check === 'length_equals') {
      min = Math.max(min, c.length);
      max = Math.min(max, c.length);
    } else other = true;
  }
  return { min, max, other };
}

function arrayPart(schema: ZodLike, def: $ZodArrayDef): ArrayPart {
  const { min, max, other } = lengthBounds(def);
  return {
    t: 'array',
    mask_: K_ARRAY,
    schema,
    element_: def.element,
    items_: undefined,
    rest_: null,
    min_: min,
    max_: max,
    runs_: other ? [schema] : NONE,
  };
}

function tuplePart(schema: ZodLike, def: $ZodTupleDef): ArrayPart {
  const items = def.items;
  const rest = def.rest;
  let required = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    if (items[i]!._zod.optin === undefined) {
      required = i + 1;
      break;
    }
  }
  return {
    t: 'array',
    mask_: K_ARRAY,
    schema,
    element_: undefined,
    items_: items,
    rest_: rest,
    min_: required,
    max_: rest === null ? items.length : Infinity,
    runs_: hasChecks(def) ? [schema] : NONE,
  };
}
