import type { JsonPath } from '../json/json-pointer.js';
import { SchemaValidationError, type SchemaIssue } from './errors.js';
import type { SchemaGuideOptions, ValueGuide } from './guide.js';
import { finalValidation, issuesOf } from './standard.js';
import {
  alternativesOfAll,
  K_ANY,
  K_ARRAY,
  K_OBJECT,
  K_STRING,
  kindNames,
  kindOf,
  runOk,
  type Conj,
  type Part,
  type ZodLike,
} from './zod-shape.js';

/*
 * How the guide follows a value.
 *
 * Every open container has a frame holding its candidates: the alternatives of the schema that
 * the value so far still matches (one, unless unions are involved). A candidate points to the
 * candidate of the enclosing container it belongs to. When a value starts inside a container,
 * each live candidate of the container names the schemas the child must match (its "spec"), and
 * the child's own candidates are the alternatives of that spec whose JSON type fits. A candidate
 * dies when its value breaks it (wrong type, forbidden key, too many elements, a string that no
 * member of an enum starts with, a closed subtree its schema rejects); a candidate whose
 * children in the current slot have all died dies with them, up the chain. The value can never
 * be valid when the root dies: then the guide throws.
 *
 * Work per value is constant except at closes: a scalar is run through its schema once; a
 * container's close checks only what its children cannot (missing keys, too few elements) and
 * runs the container's own schema only when it has checks of its own (refinements) or when the
 * structural check fails (to confirm, and for the message).
 */

/** Why a candidate died, enough to build an issue (lazily: only the failing path pays). */
interface Reason {
  /** Where the issue is, from the root. */
  path: JsonPath;
  code: 'invalid_type' | 'invalid_value' | 'too_big' | 'invalid_format' | 'unrecognized_keys' | 'invalid_key' | 'run';
  /** The schema of that place, to let zod word the message. */
  origin: ZodLike | undefined;
  /** A value to run `origin` (or `schema`) on to get zod's message. */
  sample: unknown;
  /** `run`: the schema that rejected the value. */
  schema?: ZodLike | undefined;
  expected?: number;
  received?: number;
  options?: readonly string[];
  key?: string;
  maximum?: number;
  unit?: 'array' | 'string';
  prefix?: string;
}

interface Cand {
  conj: Conj;
  parent: Cand | undefined;
  alive: boolean;
  /** Live candidates of the current child slot that belong to this one. */
  live: number;
  /** Objects: the schemas the value of the last key read must match. */
  pending: readonly ZodLike[];
  /** Open strings: the enum or literal members each part still allows. */
  remaining: (readonly string[] | undefined)[] | undefined;
  /** Open strings: why it died, if it did. */
  reason?: Reason | undefined;
}

interface Frame {
  array: boolean;
  cands: Cand[];
}

interface StringSlot {
  path: JsonPath;
  cands: Cand[];
  /** Code units of the text counted so far, and code points among them (for `max`). */
  units: number;
  points: number;
}

const NO_SPECS: readonly ZodLike[] = [];
const hasOwn = Object.prototype.hasOwnProperty;
// A record key that looks like a number is retried as one (as zod does).
const NUMERIC_KEY = /^-?\d+(?:\.\d+)?$/;

/**
 * The guide for a zod v4 schema: validates each subtree once, when it closes, and fails as soon
 * as the value can never become valid. See {@link createSchemaGuide}.
 * @internal
 */
export function createZodGuide(schema: ZodLike, options: SchemaGuideOptions): ValueGuide {
  const root: Cand = {
    conj: { parts: [], mask: K_ANY, origin: undefined },
    parent: undefined,
    alive: true,
    live: 0,
    pending: [schema],
    remaining: undefined,
  };
  const rootFrame: Frame = { array: false, cands: [root] };
  const frames: Frame[] = [];
  let slot: StringSlot | undefined;
  let reasons: Reason[] = [];

  function kill(cand: Cand, reason: Reason | undefined): void {
    if (reason !== undefined) reasons.push(reason);
    if (!cand.alive) return;
    cand.alive = false;
    for (let p = cand.parent; p !== undefined; p = p.parent) {
      if (--p.live > 0) return;
      p.alive = false;
    }
  }

  /** Throws if no alternative is left. Runs for every token: allocates nothing on the way through. */
  function check(after = 0): void {
    if (root.alive) {
      if (reasons.length > 0) reasons = [];
      return;
    }
    const found = reasons;
    reasons = [];
    throw new SchemaValidationError({ issues: describe(found), early: true, position: options.position() + after });
  }

  /** The schemas a new child of `p` must match (arrays), or the reason it may not exist. */
  function elementSpecs(p: Cand, index: number, path: JsonPath): readonly ZodLike[] | Reason {
    let specs: ZodLike[] | undefined;
    for (const part of p.conj.parts) {
      if (part.t !== 'array') continue;
      if (index >= part.max) {
        return {
          path: path.slice(0, -1),
          code: 'too_big',
          origin: p.conj.origin,
          sample: undefined,
          maximum: part.max,
          unit: 'array',
        };
      }
      const element = part.element ?? (index < part.items!.length ? part.items![index] : part.rest);
      if (element !== undefined && element !== null) (specs ??= []).push(element);
    }
    return specs ?? NO_SPECS;
  }

  /**
   * A value of JSON type `kind` starts at `path`: returns its candidates (each parent candidate
   * whose schema allows no such value dies).
   */
  function enter(path: JsonPath, kind: number, sample: unknown): Cand[] {
    const parent = frames.length === 0 ? rootFrame : frames[frames.length - 1]!;
    const out: Cand[] = [];
    for (const p of parent.cands) {
      if (!p.alive) continue;
      let specs: readonly ZodLike[] | Reason;
      if (parent.array) {
        specs = elementSpecs(p, path[path.length - 1] as number, path);
        if (!Array.isArray(specs)) {
          kill(p, specs as Reason);
          continue;
        }
      } else {
        specs = p.pending;
      }
      const conjs = alternativesOfAll(specs as readonly ZodLike[]);
      p.live = 0;
      let expected = 0;
      for (const conj of conjs) {
        expected |= conj.mask;
        if ((conj.mask & kind) === 0) continue;
        out.push({ conj, parent: p, alive: true, live: 0, pending: NO_SPECS, remaining: undefined });
        p.live++;
      }
      if (p.live === 0) {
        const origin = (specs as readonly ZodLike[]).length === 1 ? (specs as readonly ZodLike[])[0] : undefined;
        kill(p, { path, code: 'invalid_type', origin, sample, expected, received: kind });
      }
    }
    return out;
  }

  /** Runs the checks of a complete scalar or string; returns the reason it fails, if it does. */
  function scalarFails(conj: Conj, value: unknown, path: JsonPath): Reason | undefined {
    for (const part of conj.parts) {
      for (const run of part.runs) {
        if (!runOk(run, value)) return { path, code: 'run', origin: conj.origin, sample: value, schema: run };
      }
    }
    return undefined;
  }

  /** Checks a closed container against one candidate; returns the reason it fails, if it does. */
  function containerFails(conj: Conj, value: unknown, path: JsonPath, isRoot: boolean): Reason | undefined {
    for (const part of conj.parts) {
      if (!structurallyOk(part, value) && 'schema' in part && !runOk(part.schema, value)) {
        return { path, code: 'run', origin: conj.origin, sample: value, schema: part.schema };
      }
      // The root's own checks are left to the final parse, which runs them anyway.
      if (isRoot) continue;
      for (const run of part.runs) {
        if (!runOk(run, value)) return { path, code: 'run', origin: conj.origin, sample: value, schema: run };
      }
    }
    return undefined;
  }

  function complete(path: JsonPath, value: unknown): unknown {
    if (frames.length > 0 && path.length === frames.length - 1) {
      // A container closes: its children have been judged; check what only the whole can show.
      const frame = frames.pop()!;
      const isRoot = frames.length === 0;
      for (const cand of frame.cands) {
        if (!cand.alive) continue;
        const reason = containerFails(cand.conj, value, path, isRoot);
        if (reason !== undefined) kill(cand, reason);
      }
      check();
      return value;
    }
    const kind = kindOf(value);
    let cands: Cand[];
    if (slot !== undefined && kind === K_STRING) {
      cands = slot.cands;
      slot = undefined;
    } else {
      cands = enter(path, kind, value);
    }
    for (const cand of cands) {
      if (!cand.alive) continue;
      const reason = scalarFails(cand.conj, value, path);
      if (reason !== undefined) kill(cand, reason);
    }
    // A number is complete only at the character after it (`12` may become `123`).
    check(typeof value === 'number' ? 1 : 0);
    return value;
  }

  return {
    open(path, kind) {
      const array = kind === 'array';
      const cands = enter(path, array ? K_ARRAY : K_OBJECT, array ? [] : {});
      check();
      frames.push({ array, cands });
    },

    key(path, key) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) return;
      for (const cand of frame.cands) {
        if (!cand.alive) continue;
        const verdict = keySpecs(cand.conj, key, path);
        if (Array.isArray(verdict)) cand.pending = verdict as readonly ZodLike[];
        else kill(cand, verdict as Reason);
      }
      check();
    },

    startString(path) {
      const cands = enter(path, K_STRING, '');
      check();
      slot = { path, cands, units: 0, points: 0 };
      let atomic = cands.length > 0;
      for (const cand of cands) {
        let hasOptions = false;
        let isAtomic = false;
        for (const part of cand.conj.parts) {
          if (part.t !== 'string') continue;
          if (part.atomic) isAtomic = true;
          if (part.options !== undefined) hasOptions = true;
        }
        if (hasOptions) cand.remaining = cand.conj.parts.map((part) => (part.t === 'string' ? part.options : undefined));
        if (!isAtomic) atomic = false;
      }
      return atomic;
    },

    stringPart(path, text) {
      const s = slot;
      if (s === undefined) return;
      for (const cand of s.cands) {
        if (!cand.alive) continue;
        const reason = stringFails(cand, text, path, s);
        if (reason === undefined) continue;
        cand.reason = reason;
        kill(cand, reason);
      }
      // The last alternatives may die on a later character than the first ones: the message
      // names what each of them wanted (every member of a discriminated union's literals).
      if (!root.alive) reasons = s.cands.flatMap((cand) => (cand.reason === undefined ? [] : [cand.reason]));
      check();
    },

    complete,

    finish(value) {
      return finalValidation(schema, value);
    },
  };
}

/** Code points of `text`, counted incrementally in `slot` (strings only grow). */
function codePoints(slot: StringSlot, text: string): number {
  let i = slot.units;
  let points = slot.points;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    // A surrogate pair is one code point; the parser never hands over half a pair mid-string.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    i++;
    points++;
  }
  slot.units = i;
  slot.points = points;
  return points;
}

function stringFails(cand: Cand, text: string, path: JsonPath, slot: StringSlot): Reason | undefined {
  const parts = cand.conj.parts;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.t !== 'string') continue;
    if (part.max < text.length && part.max < codePoints(slot, text)) {
      return { path, code: 'too_big', origin: cand.conj.origin, sample: text, maximum: part.max, unit: 'string' };
    }
    const remaining = cand.remaining?.[i];
    if (remaining !== undefined) {
      const still = remaining.filter((option) => option.startsWith(text));
      if (still.length === 0) {
        return { path, code: 'invalid_value', origin: cand.conj.origin, sample: text, options: part.options! };
      }
      cand.remaining![i] = still;
    }
    for (const prefix of part.prefixes) {
      const ok = text.length >= prefix.length ? text.startsWith(prefix) : prefix.startsWith(text);
      if (!ok) return { path, code: 'invalid_format', origin: cand.conj.origin, sample: text, prefix };
    }
  }
  return undefined;
}

/**
 * The schemas the value of `key` must match in an object of alternative `conj`, or why the key
 * may not be there. A key one part of an intersection rejects is fine if another part owns it
 * (zod reconciles unrecognized keys across intersection sides).
 */
function keySpecs(conj: Conj, key: string, path: JsonPath): readonly ZodLike[] | Reason {
  let specs: ZodLike[] | undefined;
  let accepted = false;
  let rejection: Reason | undefined;
  for (const part of conj.parts) {
    switch (part.t) {
      case 'object': {
        // zod skips `__proto__` (never copying it), unless a strict object does not list it.
        const listed = hasOwn.call(part.shape, key);
        if (key === '__proto__') {
          if (!listed && part.rest === 'strict') rejection ??= unrecognized(conj, key, path);
          else accepted = true;
        } else if (listed) {
          (specs ??= []).push(part.shape[key]!);
          accepted = true;
        } else if (part.rest === 'strict') {
          rejection ??= unrecognized(conj, key, path);
        } else {
          if (typeof part.rest !== 'string') (specs ??= []).push(part.rest);
          accepted = true;
        }
        break;
      }
      case 'record': {
        if (key === '__proto__') {
          accepted = true;
          break;
        }
        const valid =
          part.keys !== undefined
            ? part.keys.has(key)
            : runOk(part.keyType, key) || (NUMERIC_KEY.test(key) && runOk(part.keyType, Number(key)));
        if (valid) {
          (specs ??= []).push(part.valueType);
          accepted = true;
        } else if (part.loose) {
          accepted = true;
        } else if (part.enumerable) {
          rejection ??= unrecognized(conj, key, path);
        } else {
          rejection ??= { path, code: 'invalid_key', origin: conj.origin, sample: { [key]: null }, key };
        }
        break;
      }
      case 'any':
        accepted = true;
        break;
      default:
        break;
    }
  }
  if (rejection !== undefined && !accepted) return rejection;
  return specs ?? NO_SPECS;
}

function unrecognized(conj: Conj, key: string, path: JsonPath): Reason {
  const sample: Record<string, unknown> = {};
  Object.defineProperty(sample, key, { value: null, enumerable: true, writable: true, configurable: true });
  return { path, code: 'unrecognized_keys', origin: conj.origin, sample, key };
}

function structurallyOk(part: Part, value: unknown): boolean {
  switch (part.t) {
    case 'object':
    case 'record':
      for (const key of part.required) {
        if (!hasOwn.call(value, key)) return false;
      }
      return true;
    case 'array':
      return (value as unknown[]).length >= part.min;
    default:
      return true;
  }
}

function samePath(a: JsonPath, b: JsonPath): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function prefixed(path: JsonPath, issues: readonly SchemaIssue[]): SchemaIssue[] {
  return issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
}

/** zod's own issues for `sample` against `schema`, when they say what `code` says. */
function zodIssues(schema: ZodLike, sample: unknown, code: Reason['code']): SchemaIssue[] | undefined {
  const issues = issuesOf(schema, sample);
  if (issues === undefined || issues.length === 0) return undefined;
  if (code === 'run') return issues;
  const matching = issues.filter((issue) => issue.code === code && issue.path.length <= (code === 'invalid_key' ? 1 : 0));
  return matching.length > 0 ? matching : undefined;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/** The issue for a reason in zod's English wording, when zod cannot word it itself. */
function craft(reason: Reason): SchemaIssue {
  const { path } = reason;
  switch (reason.code) {
    case 'invalid_type':
      return {
        path,
        code: 'invalid_type',
        message: `Invalid input: expected ${kindNames(reason.expected ?? 0).join(' | ') || 'nothing (no JSON value matches)'}, received ${kindNames(reason.received ?? 0).join('')}`,
      };
    case 'invalid_value': {
      const options = reason.options ?? [];
      return {
        path,
        code: 'invalid_value',
        message:
          options.length === 1
            ? `Invalid input: expected ${quote(options[0]!)}`
            : `Invalid option: expected one of ${options.map(quote).join('|')}`,
      };
    }
    case 'too_big':
      return {
        path,
        code: 'too_big',
        message: `Too big: expected ${reason.unit} to have <=${reason.maximum} ${reason.unit === 'array' ? 'items' : 'characters'}`,
      };
    case 'invalid_format':
      return { path, code: 'invalid_format', message: `Invalid string: must start with ${quote(reason.prefix ?? '')}` };
    case 'unrecognized_keys':
      return { path, code: 'unrecognized_keys', message: `Unrecognized key: ${quote(reason.key ?? '')}` };
    case 'invalid_key':
      return { path: [...path, reason.key ?? ''], code: 'invalid_key', message: 'Invalid key in record' };
    case 'run':
      return { path, code: 'custom', message: 'Invalid input' };
    default: {
      const exhaustive: never = reason.code;
      return exhaustive;
    }
  }
}

/** The issues of one failure, from the reasons its candidates died for. */
function describe(reasons: readonly Reason[]): SchemaIssue[] {
  const first = reasons[0];
  if (first === undefined) return [{ path: [], code: 'custom', message: 'Invalid input' }];
  const one = reasons.every((r) => r.origin === first.origin && r.code === first.code && samePath(r.path, first.path));
  if (one && first.origin !== undefined) {
    // One place of the schema: let zod word it (custom messages included).
    const issues = zodIssues(first.origin, first.sample, first.code);
    if (issues !== undefined) return prefixed(first.path, issues);
  }
  const samePlace = reasons.every((r) => r.code === first.code && samePath(r.path, first.path));
  if (samePlace && first.code === 'invalid_type') {
    // Several alternatives (a union): say every type they would accept.
    let expected = 0;
    for (const r of reasons) expected |= r.expected ?? 0;
    return [craft({ ...first, expected })];
  }
  if (samePlace && first.code === 'invalid_value') {
    const options = new Set<string>();
    for (const r of reasons) for (const o of r.options ?? []) options.add(o);
    return [craft({ ...first, options: [...options] })];
  }
  if (first.code === 'run' && first.schema !== undefined) {
    const issues = zodIssues(first.schema, first.sample, 'run');
    if (issues !== undefined) return prefixed(first.path, issues);
  }
  if (first.origin !== undefined && first.code !== 'run') {
    const issues = zodIssues(first.origin, first.sample, first.code);
    if (issues !== undefined) return prefixed(first.path, issues);
  }
  return [craft(first)];
}
