import fc from 'fast-check';
import type { $ZodType, input } from 'zod/v4/core';
import { isSurrogate } from '../json/surrogates.js';

/**
 * Constraints for {@link schemaValue}.
 * @public
 */
export interface SchemaValueConstraints {
  /**
   * How many times a recursive schema (`z.lazy`, or an object that refers to itself through a
   * getter) may re-enter itself along one path. Past it, recursion stops where the schema allows:
   * an optional property is left out, a nullable becomes `null`, an array or record without a
   * minimum becomes empty, a union uses its other options.
   * @defaultValue 3
   */
  maxDepth?: number | undefined;
  /**
   * Largest array, record or set of extra keys when the schema sets no maximum.
   * @defaultValue 5
   */
  maxLength?: number | undefined;
  /**
   * Longest string, in code points, when the schema sets no maximum.
   * @defaultValue 20
   */
  maxStringLength?: number | undefined;
  /**
   * Which objects get keys that their shape does not list: `'none'`; `'loose'` (objects with a
   * catch-all: `z.looseObject`, `.catchall(schema)`, `.passthrough()`); `'all'` (also the default
   * stripping objects, whose parse drops them). Strict objects never get any.
   * @defaultValue 'loose'
   */
  extraKeys?: 'none' | 'loose' | 'all' | undefined;
}

/** Structural view of a zod v4 schema, enough to read its definition. */
interface AnySchema {
  _zod: {
    def: Def;
    optin?: 'optional' | 'defaulted' | undefined;
    values?: ReadonlySet<unknown> | undefined;
    pattern?: RegExp | undefined;
    traits?: ReadonlySet<string> | undefined;
  };
  '~standard'?: { validate: (value: unknown) => unknown };
}

/** The fields of `schema._zod.def` this module reads, across every schema type. */
interface Def {
  type: string;
  checks?: readonly { _zod: { def: CheckDef } }[] | undefined;
  // a format schema (`z.email()`) is its own check
  check?: string | undefined;
  format?: string | undefined;
  pattern?: RegExp | undefined;
  coerce?: boolean | undefined;
  version?: string | undefined;
  alg?: string | undefined;
  protocol?: RegExp | undefined;
  hostname?: RegExp | undefined;
  shape?: Readonly<Record<string, AnySchema>>;
  catchall?: AnySchema | undefined;
  element?: AnySchema;
  items?: readonly AnySchema[];
  rest?: AnySchema | null;
  keyType?: AnySchema;
  valueType?: AnySchema;
  partial?: boolean | undefined;
  options?: readonly AnySchema[];
  left?: AnySchema;
  right?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  transform?: unknown;
  getter?: () => AnySchema;
}

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  prefix?: string;
  suffix?: string;
  includes?: string;
  version?: string;
  alg?: string;
  protocol?: RegExp;
  hostname?: RegExp;
}

/** Thrown while building: the schema (or this branch of it) has no JSON value we can generate. */
class UnsupportedSchema extends TypeError {
  override name = 'UnsupportedSchema';
}

/** Thrown while building: the recursion budget is spent on this path. */
class RecursionLimit extends Error {
  override name = 'RecursionLimit';
}

const ABSENT: unique symbol = Symbol('absent');

interface Resolved {
  maxDepth: number;
  maxLength: number;
  maxStringLength: number;
  extraKeys: 'none' | 'loose' | 'all';
}

interface Context {
  c: Resolved;
  depth: number;
  /** Schemas entered since the recursion depth last grew, along the current build path. */
  path: ReadonlySet<AnySchema>;
  memo: Map<AnySchema, Map<number, fc.Arbitrary<unknown>>>;
}

function describe(path: readonly string[]): string {
  return path.length === 0 ? 'the schema' : `the schema at ${path.join('')}`;
}

function validates(schema: AnySchema, value: unknown): boolean {
  const standard = schema['~standard'];
  if (standard === undefined) throw new UnsupportedSchema('schemaValue: the schema has no "~standard" interface (needs zod 4 or zod/v4 of zod 3.25+)');
  const result = standard.validate(value) as { issues?: unknown } | Promise<unknown>;
  if (result instanceof Promise) {
    result.catch(() => undefined);
    throw new UnsupportedSchema('schemaValue: the schema has asynchronous refinements or transforms; only synchronous schemas are supported');
  }
  return result.issues === undefined;
}

function checksOf(schema: AnySchema): CheckDef[] {
  const def = schema._zod.def;
  const out: CheckDef[] = [];
  if (typeof def.check === 'string') out.push(def as unknown as CheckDef);
  for (const check of def.checks ?? []) out.push(check._zod.def);
  return out;
}

// ---------------------------------------------------------------------------------------------
// strings

const ASCII_PUNCT = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const TRICKY_CHARS = ['"', '\\', '/', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\ufeff'];

/** One code point; `astral` allows characters outside the BMP. */
function codePoint(astral: boolean, lower: boolean, upper: boolean): fc.Arbitrary<string> {
  const arbs: fc.WeightedArbitrary<string>[] = [
    { arbitrary: fc.integer({ min: 0, max: 9 }).map(String), weight: 2 },
    { arbitrary: fc.constantFrom(...ASCII_PUNCT), weight: 2 },
    { arbitrary: fc.constantFrom(...TRICKY_CHARS), weight: 1 },
    {
      arbitrary: fc
        .integer({ min: 0x80, max: 0xffff })
        .filter((code) => !isSurrogate(code))
        .map((code) => String.fromCharCode(code))
        .filter((ch) => (!lower || !/[A-Z]/.test(ch)) && (!upper || !/[a-z]/.test(ch))),
      weight: 1,
    },
  ];
  if (!upper) arbs.push({ arbitrary: fc.integer({ min: 0x61, max: 0x7a }).map((code) => String.fromCharCode(code)), weight: 8 });
  if (!lower) arbs.push({ arbitrary: fc.integer({ min: 0x41, max: 0x5a }).map((code) => String.fromCharCode(code)), weight: upper ? 8 : 2 });
  if (astral) arbs.push({ arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)), weight: 1 });
  return fc.oneof(...arbs);
}

function text(minLength: number, maxLength: number, astral: boolean, lower = false, upper = false): fc.Arbitrary<string> {
  return fc.array(codePoint(astral, lower, upper), { minLength, maxLength }).map((cps) => cps.join(''));
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function label(min: number, max: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...LOWER_ALNUM), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
}

function tld(): fc.Arbitrary<string> {
  return fc.constantFrom('com', 'org', 'net', 'io', 'dev', 'example', 'co', 'uk');
}

function hostname(): fc.Arbitrary<string> {
  return fc.tuple(fc.array(label(1, 10), { minLength: 1, maxLength: 3 }), tld()).map(([labels, top]) => [...labels, top].join('.'));
}

function url(def: CheckDef): fc.Arbitrary<string> {
  const protocols = ['https', 'http'].filter((p) => def.protocol === undefined || testRegex(def.protocol, p));
  const protocol = protocols.length > 0 ? fc.constantFrom(...protocols) : fc.stringMatching(def.protocol ?? /^https$/);
  const hostPattern = def.hostname;
  let host = hostname();
  if (hostPattern !== undefined) {
    try {
      host = fc.stringMatching(hostPattern);
    } catch {
      // zod's own hostname patterns use lookaheads that fast-check cannot invert; they accept ours.
      host = host.filter((h) => testRegex(hostPattern, h));
    }
  }
  const path = fc.array(label(1, 8), { maxLength: 3 }).map((segments) => segments.map((s) => `/${s}`).join(''));
  const query = fc.option(fc.tuple(label(1, 5), label(0, 5)).map(([k, v]) => `?${k}=${v}`), { nil: '' });
  return fc.tuple(protocol, host, path, query).map(([p, h, pa, q]) => `${p}://${h}${pa}${q}`);
}

function testRegex(regex: RegExp, value: string): boolean {
  regex.lastIndex = 0;
  return regex.test(value);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: readonly number[], url: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += BASE64.charAt((n >> 18) & 63) + BASE64.charAt((n >> 12) & 63);
    out += b1 === undefined ? '=' : BASE64.charAt((n >> 6) & 63);
    out += b2 === undefined ? '=' : BASE64.charAt(n & 63);
  }
  return url ? out.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '') : out;
}

function bytesOf(textValue: string): number[] {
  return [...new TextEncoder().encode(textValue)];
}

function jwt(def: CheckDef): fc.Arbitrary<string> {
  const alg = def.alg ?? 'HS256';
  const header = base64(bytesOf(JSON.stringify({ alg, typ: 'JWT' })), true);
  return fc
    .tuple(label(1, 8), fc.integer({ min: 0, max: 2_000_000_000 }), fc.array(fc.nat({ max: 255 }), { minLength: 16, maxLength: 32 }))
    .map(([sub, iat, signature]) => `${header}.${base64(bytesOf(JSON.stringify({ sub, iat })), true)}.${base64(signature, true)}`);
}

const EMOJI = ['😀', '🎉', '👍', '🚀', '❤️', '🔥', '✨', '🙂', '🐱', '🌍', '👩‍💻', '🇫🇷'];

function duration(): fc.Arbitrary<string> {
  const part = (unit: string): fc.Arbitrary<string> => fc.option(fc.nat({ max: 99 }).map((n) => `${n}${unit}`), { nil: '' });
  return fc
    .tuple(part('Y'), part('M'), part('D'), part('H'), part('M'), part('S'))
    .map(([y, mo, d, h, mi, s]) => {
      const date = `${y}${mo}${d}`;
      const time = `${h}${mi}${s}`;
      if (date === '' && time === '') return 'P1D';
      return `P${date}${time === '' ? '' : `T${time}`}`;
    });
}

/** Generators for formats whose zod check is not a regular expression fast-check can invert. */
function formatGenerator(check: CheckDef): fc.Arbitrary<string> | undefined {
  switch (check.format) {
    case 'url':
      return url(check);
    case 'jwt':
      return jwt(check);
    case 'emoji':
      return fc.array(fc.constantFrom(...EMOJI), { minLength: 1, maxLength: 3 }).map((es) => es.join(''));
    case 'duration':
      return duration();
    case 'hostname':
      return hostname();
    case 'base64':
      return fc.array(fc.nat({ max: 255 }), { maxLength: 24 }).map((bytes) => base64(bytes, false));
    case 'base64url':
      return fc.array(fc.nat({ max: 255 }), { maxLength: 24 }).map((bytes) => base64(bytes, true));
    default:
      return undefined;
  }
}

/** Checks that only constrain the string around a free body. */
const BODY_FORMATS = new Set(['starts_with', 'ends_with', 'includes', 'lowercase', 'uppercase']);

function stringValue(schema: AnySchema, c: Resolved, where: string): fc.Arbitrary<unknown> {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  let lengthChecked = false;
  const formats: CheckDef[] = [];
  for (const check of checksOf(schema)) {
    switch (check.check) {
      case 'min_length':
        min = Math.max(min, check.minimum ?? 0);
        lengthChecked = true;
        break;
      case 'max_length':
        max = Math.min(max, check.maximum ?? max);
        lengthChecked = true;
        break;
      case 'length_equals':
        min = Math.max(min, check.length ?? 0);
        max = Math.min(max, check.length ?? max);
        lengthChecked = true;
        break;
      case 'string_format':
        formats.push(check);
        break;
      default:
        break; // refinements and overwrites: the final filter decides
    }
  }
  if (min > max) throw new UnsupportedSchema(`schemaValue: no string satisfies ${where}: minimum length ${min} exceeds maximum ${max}`);
  const full = formats.find((f) => !BODY_FORMATS.has(f.format ?? ''));
  let arb: fc.Arbitrary<string>;
  if (full !== undefined) {
    const special = formatGenerator(full);
    if (special !== undefined) arb = special;
    else if (full.pattern !== undefined) {
      try {
        arb = fc.stringMatching(full.pattern);
      } catch (error) {
        throw new UnsupportedSchema(
          `schemaValue: cannot generate strings of format "${full.format}" for ${where} (${(error as Error).message})`,
        );
      }
    } else throw new UnsupportedSchema(`schemaValue: unsupported string format "${full.format}" in ${where}`);
  } else {
    let prefix = '';
    let suffix = '';
    let middle = '';
    let lower = false;
    let upper = false;
    for (const f of formats) {
      if (f.format === 'starts_with') prefix += f.prefix ?? '';
      else if (f.format === 'ends_with') suffix = (f.suffix ?? '') + suffix;
      else if (f.format === 'includes') middle += f.includes ?? '';
      else if (f.format === 'lowercase') lower = true;
      else if (f.format === 'uppercase') upper = true;
    }
    const fixed = Array.from(prefix + middle + suffix).length;
    const bodyMin = Math.max(0, min - fixed);
    const bodyMax = Number.isFinite(max) ? max - fixed : bodyMin + c.maxStringLength;
    if (bodyMax < bodyMin) throw new UnsupportedSchema(`schemaValue: no string satisfies ${where}: its fixed parts exceed the maximum length`);
    // Length checks count code points in recent zod and UTF-16 code units in older zod 4: stay in the BMP where both agree.
    arb = text(bodyMin, bodyMax, !lengthChecked, lower, upper).map((body) => prefix + body + middle + suffix);
  }
  return arb.filter((value) => validates(schema, value));
}

// ---------------------------------------------------------------------------------------------
// numbers

const FORMAT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  safeint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int32: [-2_147_483_648, 2_147_483_647],
  uint32: [0, 4_294_967_295],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38],
  float64: [-Number.MAX_VALUE, Number.MAX_VALUE],
};

function decimals(step: number): number {
  const match = /(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(step));
  const fraction = match?.[1]?.length ?? 0;
  const exponent = Number(match?.[2] ?? 0);
  return Math.max(0, fraction - exponent);
}

function numberValue(schema: AnySchema, where: string): fc.Arbitrary<unknown> {
  let lo = -Number.MAX_VALUE;
  let hi = Number.MAX_VALUE;
  let loExcluded = false;
  let hiExcluded = false;
  let integer = false;
  let step: number | undefined;
  for (const check of checksOf(schema)) {
    switch (check.check) {
      case 'greater_than': {
        const value = Number(check.value);
        if (value > lo || (value === lo && !check.inclusive)) {
          lo = value;
          loExcluded = !check.inclusive;
        }
        break;
      }
      case 'less_than': {
        const value = Number(check.value);
        if (value < hi || (value === hi && !check.inclusive)) {
          hi = value;
          hiExcluded = !check.inclusive;
        }
        break;
      }
      case 'multiple_of':
        step = Number(check.value);
        break;
      case 'number_format': {
        const range = FORMAT_RANGES[check.format ?? 'float64'];
        if (range !== undefined) {
          if (range[0] > lo) [lo, loExcluded] = [range[0], false];
          if (range[1] < hi) [hi, hiExcluded] = [range[1], false];
        }
        if (check.format?.includes('int')) integer = true;
        break;
      }
      default:
        break;
    }
  }
  let arb: fc.Arbitrary<number>;
  if (integer || step !== undefined) {
    const unit = step ?? 1;
    if (!(unit > 0) || (integer && step !== undefined && !Number.isInteger(step))) {
      throw new UnsupportedSchema(`schemaValue: unsupported multipleOf(${String(step)}) in ${where}`);
    }
    let kMin = Math.ceil(Math.max(lo, -Number.MAX_SAFE_INTEGER) / unit);
    let kMax = Math.floor(Math.min(hi, Number.MAX_SAFE_INTEGER) / unit);
    if (loExcluded && kMin * unit <= lo) kMin++;
    if (hiExcluded && kMax * unit >= hi) kMax--;
    kMin = Math.max(kMin, -Number.MAX_SAFE_INTEGER);
    kMax = Math.min(kMax, Number.MAX_SAFE_INTEGER);
    if (kMin > kMax) throw new UnsupportedSchema(`schemaValue: no number satisfies ${where}`);
    const places = decimals(unit);
    arb = fc.bigInt({ min: BigInt(kMin), max: BigInt(kMax) }).map((k) => {
      const value = Number(k) * unit;
      return places > 0 ? Number(value.toFixed(Math.min(places, 100))) : value;
    });
  } else {
    if (lo > hi || (lo === hi && (loExcluded || hiExcluded))) throw new UnsupportedSchema(`schemaValue: no number satisfies ${where}`);
    const doubles = fc.double({ min: lo, max: hi, minExcluded: loExcluded, maxExcluded: hiExcluded, noNaN: true, noDefaultInfinity: true });
    const intLo = Math.max(loExcluded ? Math.floor(lo) + 1 : Math.ceil(lo), -1_000_000);
    const intHi = Math.min(hiExcluded ? Math.ceil(hi) - 1 : Math.floor(hi), 1_000_000);
    arb = intLo <= intHi ? fc.oneof(fc.integer({ min: intLo, max: intHi }), doubles) : doubles;
  }
  // -0 is a valid number but `JSON.stringify` writes it as 0: keep values that survive a round trip.
  return arb.map((value) => (value === 0 ? 0 : value)).filter((value) => validates(schema, value));
}

// ---------------------------------------------------------------------------------------------
// JSON values for z.unknown() / z.any()

function jsonValue(c: Resolved): fc.Arbitrary<unknown> {
  const depthIdentifier = fc.createDepthIdentifier();
  const leaf = fc.oneof(
    text(0, 8, true),
    fc.integer({ min: -1000, max: 1000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (value === 0 ? 0 : value)),
    fc.boolean(),
    fc.constant(null),
  );
  const tree = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 2, depthIdentifier },
      leaf,
      fc.array(tie('value'), { maxLength: Math.min(3, c.maxLength), depthIdentifier }),
      fc
        .uniqueArray(fc.tuple(key(), tie('value')), { maxLength: Math.min(3, c.maxLength), selector: (entry) => entry[0], depthIdentifier })
        .map(toObject),
    ),
  }));
  return tree.value;
}

function key(): fc.Arbitrary<string> {
  return fc.oneof(label(1, 8), text(0, 6, true)).filter((k) => k !== '__proto__');
}

function toObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (v !== ABSENT) Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// the builder

function typeName(schema: AnySchema): string {
  return schema._zod.def.type;
}

function isRecoverable(error: unknown): boolean {
  return error instanceof RecursionLimit || error instanceof UnsupportedSchema;
}

function hasTransform(schema: AnySchema): boolean {
  const def = schema._zod.def;
  if (def.type === 'transform') return true;
  if (def.type === 'pipe') return (def.in !== undefined && hasTransform(def.in)) || (def.out !== undefined && hasTransform(def.out));
  return false;
}

function build(schema: AnySchema, ctx: Context, where: string[]): fc.Arbitrary<unknown> {
  if (schema === null || typeof schema !== 'object' || typeof schema._zod?.def?.type !== 'string') {
    throw new TypeError(`schemaValue: ${describe(where)} is not a zod 4 schema (zod 3 schemas are not supported; use zod 4 or "zod/v4")`);
  }
  let depth = ctx.depth;
  let path: Set<AnySchema>;
  if (ctx.path.has(schema)) {
    depth++;
    path = new Set([schema]);
  } else {
    path = new Set(ctx.path);
    path.add(schema);
  }
  if (depth > ctx.c.maxDepth) throw new RecursionLimit(`recursion deeper than maxDepth ${ctx.c.maxDepth}`);
  let byDepth = ctx.memo.get(schema);
  const cached = byDepth?.get(depth);
  if (cached !== undefined) return cached;
  const arb = buildNode(schema, { ...ctx, depth, path }, where);
  if (byDepth === undefined) {
    byDepth = new Map();
    ctx.memo.set(schema, byDepth);
  }
  byDepth.set(depth, arb);
  return arb;
}

function withChecks(schema: AnySchema, arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  // Containers and wrappers with refinements of their own: let the schema decide.
  return (schema._zod.def.checks?.length ?? 0) > 0 ? arb.filter((value) => validates(schema, value)) : arb;
}

function buildNode(schema: AnySchema, ctx: Context, where: string[]): fc.Arbitrary<unknown> {
  const def = schema._zod.def;
  const here = describe(where);
  const child = (s: AnySchema, step: string): fc.Arbitrary<unknown> => build(s, ctx, [...where, step]);
  switch (def.type) {
    case 'string':
      return stringValue(schema, ctx.c, here);
    case 'number':
    case 'int':
      return numberValue(schema, here);
    case 'boolean':
      return withChecks(schema, fc.boolean());
    case 'null':
      return fc.constant(null);
    case 'bigint':
      if (def.coerce) return fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((value) => validates(schema, value));
      throw new UnsupportedSchema(`schemaValue: ${here} is z.bigint(), which JSON cannot hold; use z.coerce.bigint() or z.int()`);
    case 'date':
      if (def.coerce) {
        return fc
          .integer({ min: 0, max: 253_402_300_799_999 })
          .map((ms) => new Date(ms).toISOString())
          .filter((value) => validates(schema, value));
      }
      throw new UnsupportedSchema(`schemaValue: ${here} is z.date(), which accepts Date objects only; use z.coerce.date() or z.iso.datetime()`);
    case 'any':
    case 'unknown':
      return jsonValue(ctx.c);
    case 'undefined':
    case 'void':
      throw new UnsupportedSchema(`schemaValue: ${here} is z.${def.type}(), which JSON cannot hold except as an absent property`);
    case 'never':
      throw new UnsupportedSchema(`schemaValue: ${here} is z.never(): no value satisfies it`);
    case 'enum':
    case 'literal': {
      const values = [...(schema._zod.values ?? [])].filter(
        (v) => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)),
      );
      if (values.length === 0) throw new UnsupportedSchema(`schemaValue: ${here} has no JSON-representable ${def.type} value`);
      return fc.constantFrom(...values);
    }
    case 'template_literal': {
      const pattern = schema._zod.pattern;
      if (pattern === undefined) throw new UnsupportedSchema(`schemaValue: ${here} is a template literal without a pattern`);
      return fc.stringMatching(pattern).filter((value) => validates(schema, value));
    }
    case 'object':
      return withChecks(schema, objectValue(schema, ctx, where));
    case 'record':
      return withChecks(schema, recordValue(schema, ctx, where));
    case 'array': {
      let min = 0;
      let max = Number.POSITIVE_INFINITY;
      for (const check of checksOf(schema)) {
        if (check.check === 'min_length') min = Math.max(min, check.minimum ?? 0);
        else if (check.check === 'max_length') max = Math.min(max, check.maximum ?? max);
        else if (check.check === 'length_equals') [min, max] = [check.length ?? 0, check.length ?? 0];
      }
      if (min > max) throw new UnsupportedSchema(`schemaValue: no array satisfies ${here}: minimum length ${min} exceeds maximum ${max}`);
      const maxLength = Number.isFinite(max) ? max : Math.max(min, ctx.c.maxLength);
      let element: fc.Arbitrary<unknown>;
      try {
        element = child(def.element as AnySchema, '[]');
      } catch (error) {
        if (min === 0 && isRecoverable(error)) return fc.constant(null).map(() => []);
        throw error;
      }
      return withChecks(schema, fc.array(element, { minLength: min, maxLength }));
    }
    case 'tuple':
      return withChecks(schema, tupleValue(schema, ctx, where));
    case 'union': {
      const options = def.options ?? [];
      const arbs: fc.Arbitrary<unknown>[] = [];
      let firstError: unknown;
      options.forEach((option, i) => {
        try {
          arbs.push(child(option, `|${i}`));
        } catch (error) {
          if (!isRecoverable(error)) throw error;
          if (firstError === undefined || firstError instanceof RecursionLimit) firstError = error;
        }
      });
      if (arbs.length === 0) throw firstError ?? new UnsupportedSchema(`schemaValue: ${here} is a union without options`);
      const union = fc.oneof(...arbs);
      // z.xor: exactly one option may match.
      return schema._zod.traits?.has('$ZodXor') ? union.filter((value) => validates(schema, value)) : withChecks(schema, union);
    }
    case 'intersection':
      return intersectionValue(schema, ctx, where);
    case 'optional':
    case 'nonoptional':
    case 'readonly':
    case 'default':
    case 'prefault':
      // Absence is the containing object's business (see `optin`); here a present value is needed.
      return withChecks(schema, child(def.innerType as AnySchema, ''));
    case 'nullable':
      try {
        return fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: child(def.innerType as AnySchema, ''), weight: 3 });
      } catch (error) {
        if (isRecoverable(error)) return fc.constant(null);
        throw error;
      }
    case 'catch':
    case 'success':
      // Any input parses; prefer values of the inner schema.
      try {
        return child(def.innerType as AnySchema, '');
      } catch (error) {
        if (isRecoverable(error)) return fc.constant(null);
        throw error;
      }
    case 'lazy':
      if (typeof def.getter !== 'function') throw new UnsupportedSchema(`schemaValue: ${here} is a lazy schema without a getter`);
      return child(def.getter(), '');
    case 'pipe': {
      const from = def.in as AnySchema;
      const to = def.out as AnySchema;
      if ('transform' in def || typeName(to) === 'transform') return child(from, ''); // codec or .transform(): the input side
      if (typeName(from) === 'transform') {
        throw new UnsupportedSchema(`schemaValue: ${here} is z.preprocess() (or starts with a transform): its inputs cannot be derived`);
      }
      if (hasTransform(from)) return child(from, '').filter((value) => validates(schema, value));
      return child(to, '').filter((value) => validates(from, value));
    }
    case 'transform':
      throw new UnsupportedSchema(`schemaValue: ${here} is a bare z.transform(): its inputs cannot be derived`);
    default:
      throw new UnsupportedSchema(`schemaValue: ${here} is z.${def.type}(), which has no JSON values or is not supported`);
  }
}

function catchallMode(schema: AnySchema): 'strict' | 'loose' | 'typed' | 'strip' {
  const catchall = schema._zod.def.catchall;
  if (catchall === undefined) return 'strip';
  const type = typeName(catchall);
  if (type === 'never') return 'strict';
  if (type === 'unknown' || type === 'any') return 'loose';
  return 'typed';
}

function objectValue(schema: AnySchema, ctx: Context, where: string[]): fc.Arbitrary<Record<string, unknown>> {
  const def = schema._zod.def;
  const shape = def.shape ?? {};
  const keys = Object.keys(shape);
  const props: fc.Arbitrary<unknown>[] = keys.map((k) => {
    const prop = shape[k] as AnySchema;
    const optional = prop._zod.optin !== undefined;
    let arb: fc.Arbitrary<unknown>;
    try {
      arb = build(prop, ctx, [...where, `.${k}`]);
    } catch (error) {
      if (optional && isRecoverable(error)) return fc.constant(ABSENT);
      throw error;
    }
    return optional ? fc.oneof({ arbitrary: fc.constant(ABSENT), weight: 1 }, { arbitrary: arb, weight: 2 }) : arb;
  });
  const mode = catchallMode(schema);
  const wantExtras = ctx.c.extraKeys === 'all' ? mode !== 'strict' : ctx.c.extraKeys === 'loose' && (mode === 'loose' || mode === 'typed');
  let extras: fc.Arbitrary<[string, unknown][]> = fc.constant([]);
  if (wantExtras) {
    let value: fc.Arbitrary<unknown> | undefined;
    if (mode === 'typed') {
      try {
        value = build(def.catchall as AnySchema, ctx, [...where, '.*']);
      } catch (error) {
        if (!isRecoverable(error)) throw error;
      }
    } else value = jsonValue(ctx.c);
    if (value !== undefined) {
      const taken = new Set(keys);
      extras = fc.uniqueArray(
        fc.tuple(
          key().filter((k) => !taken.has(k)),
          value,
        ),
        { maxLength: Math.min(3, ctx.c.maxLength), selector: (entry) => entry[0] },
      );
    }
  }
  return fc.tuple(fc.tuple(...props), extras).map(([values, more]) => {
    const entries: [string, unknown][] = keys.map((k, i) => [k, values[i]]);
    return toObject([...entries, ...more]);
  });
}

function recordValue(schema: AnySchema, ctx: Context, where: string[]): fc.Arbitrary<Record<string, unknown>> {
  const def = schema._zod.def;
  const keyType = def.keyType as AnySchema;
  const valueType = def.valueType as AnySchema;
  const here = describe(where);
  const finite = keyType._zod.values;
  const valueOptional = valueType._zod.optin !== undefined;
  if (finite !== undefined && finite.size > 0) {
    // z.record(z.enum([...]), v) requires every key; z.partialRecord does not.
    const keys = [...finite].filter((k) => typeof k === 'string' || typeof k === 'number').map(String);
    const optional = def.partial === true || valueOptional;
    let value: fc.Arbitrary<unknown>;
    try {
      value = build(valueType, ctx, [...where, '[*]']);
    } catch (error) {
      if (optional && isRecoverable(error)) return fc.constant(null).map(() => ({}));
      throw error;
    }
    const slot = optional ? fc.oneof({ arbitrary: fc.constant(ABSENT), weight: 1 }, { arbitrary: value, weight: 2 }) : value;
    return fc.tuple(...keys.map(() => slot)).map((values) => toObject(keys.map((k, i) => [k, values[i]])));
  }
  let keyArb: fc.Arbitrary<string>;
  try {
    keyArb = build(keyType, ctx, [...where, '[key]']).map(String);
  } catch (error) {
    if (isRecoverable(error)) throw new UnsupportedSchema(`schemaValue: cannot generate keys for ${here}: ${(error as Error).message}`);
    throw error;
  }
  let value: fc.Arbitrary<unknown>;
  try {
    value = build(valueType, ctx, [...where, '[*]']);
  } catch (error) {
    if (isRecoverable(error)) return fc.constant(null).map(() => ({}));
    throw error;
  }
  const record = fc
    .uniqueArray(fc.tuple(keyArb.filter((k) => k !== '__proto__'), value), { maxLength: ctx.c.maxLength, selector: (entry) => entry[0] })
    .map(toObject);
  return typeName(keyType) === 'string' && (keyType._zod.def.checks?.length ?? 0) === 0
    ? record
    : record.filter((v) => validates(schema, v));
}

function tupleValue(schema: AnySchema, ctx: Context, where: string[]): fc.Arbitrary<unknown[]> {
  const def = schema._zod.def;
  const items = def.items ?? [];
  // Trailing items whose schema accepts undefined may be left out.
  let required = items.length;
  while (required > 0 && (items[required - 1] as AnySchema)._zod.optin !== undefined) required--;
  const arbs: fc.Arbitrary<unknown>[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      arbs.push(build(items[i] as AnySchema, ctx, [...where, `[${i}]`]));
    } catch (error) {
      if (i >= required && isRecoverable(error)) break;
      throw error;
    }
  }
  let rest: fc.Arbitrary<unknown[]> = fc.constant([]);
  if (def.rest && arbs.length === items.length) {
    try {
      rest = fc.array(build(def.rest, ctx, [...where, '[...]']), { maxLength: ctx.c.maxLength });
    } catch (error) {
      if (!isRecoverable(error)) throw error;
    }
  }
  return fc
    .tuple(fc.tuple(...arbs), fc.integer({ min: required, max: arbs.length }), rest)
    .map(([values, count, more]) => (count === arbs.length ? [...values, ...more] : values.slice(0, count)));
}

function intersectionValue(schema: AnySchema, ctx: Context, where: string[]): fc.Arbitrary<unknown> {
  const def = schema._zod.def;
  const left = def.left as AnySchema;
  const right = def.right as AnySchema;
  const here = describe(where);
  if (typeName(left) === 'object' && typeName(right) === 'object') {
    const leftKeys = Object.keys(left._zod.def.shape ?? {});
    const rightKeys = Object.keys(right._zod.def.shape ?? {});
    const leftStrict = catchallMode(left) === 'strict';
    const rightStrict = catchallMode(right) === 'strict';
    if ((leftStrict && rightKeys.some((k) => !leftKeys.includes(k))) || (rightStrict && leftKeys.some((k) => !rightKeys.includes(k)))) {
      throw new UnsupportedSchema(`schemaValue: ${here} intersects a strict object with keys it forbids; no value satisfies it`);
    }
    const strictCtx: Context = { ...ctx, c: { ...ctx.c, extraKeys: leftStrict || rightStrict ? 'none' : ctx.c.extraKeys } };
    return fc
      .tuple(build(left, strictCtx, [...where, '&0']), build(right, strictCtx, [...where, '&1']))
      .map(([l, r]) => ({ ...(l as object), ...(r as object) }))
      .filter((value) => validates(schema, value));
  }
  return build(left, ctx, [...where, '&0']).filter((value) => validates(schema, value));
}

/**
 * Values that satisfy a zod 4 schema, for property tests of code that consumes validated data:
 * an arbitrary of JSON values (the schema's input side) that `schema.parse` accepts.
 *
 * @remarks
 * Reads the schema's definition (`schema._zod.def`), so it works with `zod` (classic), `zod/mini`
 * and `zod/v4/core` schemas alike. Values are plain JSON: `JSON.parse(JSON.stringify(v))` gives
 * `v` back (no `undefined`, `-0`, `NaN`, `Date`, `bigint`), so they can be streamed as text.
 *
 * Supported: objects (strict, strip, loose, catch-all; optional properties are sometimes left
 * out), arrays with min/max/length, tuples (with rest and optional tail), records (string keys,
 * enum or literal keys, which are exhaustive unless `z.partialRecord`), unions, discriminated
 * unions, `z.xor`, intersections of objects, enums, literals, optional / nullable / default /
 * prefault / catch / readonly / nonoptional, strings with length bounds, `startsWith` /
 * `endsWith` / `includes` / case checks and every built-in format (uuid, email, url, datetime,
 * date, time, duration, ip, cidr, base64, jwt, emoji, nanoid, cuid, ulid…, regexes),
 * numbers and integers with bounds, `multipleOf` and formats, booleans, null, `z.unknown()`,
 * coerced dates and bigints (as strings and integers), template literals, `.transform()` and
 * codecs (their input side), pipes, and recursion through `z.lazy` or getters, bounded by
 * {@link SchemaValueConstraints.maxDepth}. Refinements (`.refine`, `.check`) are honoured by
 * filtering: a refinement that rejects almost everything makes generation slow.
 *
 * Union options that cannot be generated (say `z.date()`) are skipped if another option can.
 *
 * @param schema - A zod 4 schema.
 * @param constraints - Sizes and extra keys; see {@link SchemaValueConstraints}.
 * @returns An arbitrary of values accepted by `schema`, typed as its input.
 * @throws TypeError when the schema (or a required part of it) has no JSON value or is not
 *   supported: `z.date()`, `z.bigint()`, `z.map()`, `z.set()`, `z.symbol()`, `z.undefined()` as
 *   a value, `z.never()`, `z.custom()`, `z.preprocess()`, asynchronous refinements, zod 3
 *   schemas. The message names the construct and its path in the schema.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * const Weather = z.object({ city: z.string().min(1), temp: z.number(), unit: z.enum(['C', 'F']) });
 * fc.assert(fc.property(schemaValue(Weather).chain((v) => chunked(JSON.stringify(v))), (chunks) => {
 *   const parser = createPartialParser({ schema: Weather });
 *   for (const chunk of chunks) parser.write(chunk);
 *   expect(() => parser.end()).not.toThrow();
 * }));
 * ```
 *
 * @public
 */
export function schemaValue<S extends $ZodType>(schema: S, constraints: SchemaValueConstraints = {}): fc.Arbitrary<input<S>> {
  const c: Resolved = {
    maxDepth: constraints.maxDepth ?? 3,
    maxLength: constraints.maxLength ?? 5,
    maxStringLength: constraints.maxStringLength ?? 20,
    extraKeys: constraints.extraKeys ?? 'loose',
  };
  const ctx: Context = { c, depth: 0, path: new Set(), memo: new Map() };
  try {
    return build(schema as unknown as AnySchema, ctx, []) as fc.Arbitrary<input<S>>;
  } catch (error) {
    if (error instanceof RecursionLimit) {
      throw new TypeError(
        `schemaValue: the schema recurses without a way out within maxDepth ${c.maxDepth} (make a branch optional, nullable, or an array without minimum)`,
      );
    }
    if (error instanceof UnsupportedSchema) throw new TypeError(error.message);
    throw error;
  }
}
