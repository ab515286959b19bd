import type { JsonPath } from '../json/json-pointer.js';
import type { GuideFactory, GuideHooks, ValueGuide } from '../partial/guide.js';
import type { SchemaIssue } from '../partial/schema-error.js';
import {
  alternativesOfAll,
  isZodV4,
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
import { isHighSurrogate, isSurrogatePairAt } from '../json/surrogates.js';

/*
 * How the guide follows a value.
 *
 * Every open container has a frame holding its candidates: the alternatives of the schema that
 * the value so far still matches (one, unless unions are involved). When a value starts inside a
 * container, each live candidate of the container names the schemas the child must match (its
 * "spec"), and the child's candidates are the alternatives of those specs whose JSON type fits.
 * Children are shared: parents that ask for the same alternative get one child candidate that
 * points back to all of them, so a frame never holds more candidates than the schema has
 * alternatives at that place, however deep the recursion (a recursive union whose options share
 * keys would otherwise multiply them: branches^depth). A candidate dies when its value breaks it
 * (wrong type, forbidden key, too many elements, a string that no member of an enum starts with,
 * a closed subtree its schema rejects); a candidate whose children in the current slot have all
 * died dies with them, up the chain. The value can never be valid when the root dies: then the
 * guide throws.
 *
 * Bounded work. Where following a value would cost more than MAX_PAIRS (parent, alternative)
 * pairs (unions of many options nested in unions), the value is deferred: its subtree is not
 * followed, and when it is complete each parent's specs run on it once (zod's own parse). A
 * container's own checks (refinements) run at its close only when no enclosing open container
 * runs checks of its own (whose run covers the subtree); under a refined root they wait for the
 * final parse. So every character is validated a bounded number of times: O(n) for any schema.
 *
 * Positions. Every failure is reported at a place that does not depend on how the text was cut:
 * a container at its bracket, a key at its closing quote, a number at the character after it, a
 * literal at its last letter, a string of the wrong type at its opening quote, a string whose
 * content breaks an enum, a literal, a prefix or a maximum length at the character that breaks it
 * (located in the text of the current write), a string's other checks at its closing quote, a
 * container's missing keys, minimum length, refinements and deferred checks at its close.
 */

/** Why a candidate died, enough to build an issue (lazily: only the failing path pays). */
interface Reason {
  /**
   * Where the issue is: the path made of the steps of the first `depth` open frames (built only
   * when the failure is reported, so that a dying candidate costs O(1) however deep it is).
   */
  depth_: number;
  /** The path, once built. */
  path_?: JsonPath | undefined;
  code: 'invalid_type' | 'invalid_value' | 'too_big' | 'invalid_format' | 'unrecognized_keys' | 'invalid_key' | 'run';
  /** The schema of that place, to let zod word the message. */
  origin_: ZodLike | undefined;
  /** A value to run `origin` (or `schema`) on to get zod's message. */
  sample_: unknown;
  /** Stream position of the character that made the failure certain. */
  position_: number;
  /** `run`: the schema that rejected the value. */
  schema_?: ZodLike | undefined;
  expected_?: number;
  received_?: number;
  options_?: readonly string[];
  key_?: string;
  maximum_?: number;
  unit_?: 'array' | 'string';
  prefix_?: string;
  /** Strings: code units of the text before the failing character. */
  accepted_?: number;
}

interface Cand {
  conj_: Conj;
  /** The candidates of the enclosing container this one is a child of (shared children). */
  parents_: Cand[];
  alive_: boolean;
  /** Live candidates of the current child slot that belong to this one. */
  live_: number;
  /** Objects: the schemas the value of the last key read must match. */
  pending_: readonly ZodLike[];
  /** Open strings: the enum or literal members each part still allows. */
  remaining_: (readonly string[] | undefined)[] | undefined;
  /** Open strings: why it died, if it did. */
  reason_?: Reason | undefined;
  /** A deferred value: its parents grouped by the specs they ask it to match. */
  deferred_?: Map<readonly ZodLike[], Cand[]> | undefined;
}

interface Frame {
  array_: boolean;
  /** The key or index of the entry being filled (the next step of the path). */
  step_: string | number;
  /** Arrays: elements entered so far. */
  count_: number;
  cands_: Cand[];
  /** Some candidate runs checks of its own at the close (a refinement): covers the subtree. */
  refined_: boolean;
}

interface StringSlot {
  /** Depth of the string's value (the length of its path). */
  depth_: number;
  cands_: Cand[];
  /** Code units of the text counted so far, and code points among them (for `max`). */
  units_: number;
  points_: number;
  /** Code units of the text the candidates have already checked. */
  checked_: number;
  /** Stream position of the opening quote (-1 until needed). */
  quote_: number;
  /** Raw text after the opening quote (escapes as written), kept when content checks need it. */
  raw_: string | undefined;
  /** Most raw characters worth keeping. */
  rawLimit_: number;
}

const NO_SPECS: readonly ZodLike[] = [];
const NO_CANDS: Cand[] = [];
const hasOwn = Object.prototype.hasOwnProperty;
// A record key that looks like a number is retried as one (as zod does).
const NUMERIC_KEY = /^-?\d+(?:\.\d+)?$/;
const QUOTE = 0x22;
const APOS = 0x27;
const BACKSLASH = 0x5c;
// An escape as written (one code unit); a backslash that starts none is kept alone (lenient).
const ESCAPE = /\\(?:u[\da-fA-F]{4}|["\\/bfnrt])/y;

/**
 * Most (parent, alternative) pairs followed for one value; past it the value is deferred (see
 * above). 64 keeps a 20-option discriminated union inside a 3-option union followed exactly.
 * @internal
 */
export const MAX_PAIRS = 64;

/** A deferred value's own candidate: follows nothing, judged when complete. */
const DEFERRED: Conj = { parts_: [], mask_: K_ANY, origin_: undefined };

/**
 * Work counters of every zod guide, for tests that pin bounded work (operation counts, not
 * time): `candidates` created, and the most candidates one value ever had.
 * @internal
 */
export const guideCounters = { candidates: 0, widest: 0 };

/**
 * The guide for a zod v4 schema: validates each subtree once, when it closes, and fails as soon
 * as the value can never become valid. See {@link zodGuide}.
 * @internal
 */
export function createZodGuide(schema: ZodLike, options: GuideHooks): ValueGuide {
  const root: Cand = {
    conj_: { parts_: [], mask_: K_ANY, origin_: undefined },
    parents_: [],
    alive_: true,
    live_: 0,
    pending_: [schema],
    remaining_: undefined,
  };
  const rootFrame: Frame = { array_: false, step_: '', count_: 0, cands_: [root], refined_: false };
  const frames: Frame[] = [];
  let refinedOpen = 0; // open frames (below the root's) that run checks of their own at the close
  let passiveDepth = 0; // open frames inside a deferred (or unconstrained-and-unfollowed) subtree
  let slot: StringSlot | undefined;
  let reasons: Reason[] = [];
  let accepted = 0;
  // The text of the current write (with what the tokenizer held back of the last one), from
  // stream position `rawOffset`, to locate failures inside strings.
  let raw = '';
  let rawOffset = 0;
  // The last characters before `rawOffset`: a word lenient mode reads as a string (`-Infinity`)
  // may have begun there.
  let carry = '';
  let decoder: TextDecoder | undefined;
  const lists = new Map<string, readonly Conj[]>();
  const ids = new WeakMap<ZodLike, number>();
  let nextId = 0;

  /** The alternatives of a value that must match every schema of `specs` (cached, so shared children dedupe). */
  function listOf(specs: readonly ZodLike[]): readonly Conj[] {
    if (specs.length <= 1) return alternativesOfAll(specs);
    let key = '';
    for (const spec of specs) {
      let id = ids.get(spec);
      if (id === undefined) ids.set(spec, (id = ++nextId));
      key += `${id},`;
    }
    let list = lists.get(key);
    if (list === undefined) lists.set(key, (list = alternativesOfAll(specs)));
    return list;
  }

  function kill(cand: Cand, reason: Reason | undefined): void {
    if (reason !== undefined) reasons.push(reason);
    if (!cand.alive_) return;
    cand.alive_ = false;
    // Up the chain without recursion: nesting may be deeper than the call stack.
    const stack: Cand[] = [cand];
    while (stack.length > 0) {
      const c = stack.pop()!;
      for (const p of c.parents_) {
        if (!p.alive_ || --p.live_ > 0) continue;
        p.alive_ = false;
        stack.push(p);
      }
    }
  }

  /** The path of a value at `depth`: the steps of the frames above it. */
  function pathTo(depth: number): JsonPath {
    const path: (string | number)[] = [];
    for (let d = 0; d < depth && d < frames.length; d++) path.push(frames[d]!.step_);
    return path;
  }

  /** Throws if no alternative is left. Runs for every token: allocates nothing on the way through. */
  function check(at: number): void {
    if (root.alive_) {
      if (reasons.length > 0) reasons = [];
      return;
    }
    const found = reasons;
    reasons = [];
    // The last alternative died at the latest of the places its reasons name (a string's
    // content may fail before the character the event is at).
    let position = found.length > 0 ? -1 : at;
    for (const r of found) if (r.position_ > position) position = r.position_;
    for (const r of found) r.path_ ??= pathTo(r.depth_);
    throw options.error({ issues: describe(found as Placed[], options.issues), early: true, position });
  }

  /** The schemas a new child of `p` must match (arrays), or the reason it may not exist. */
  function elementSpecs(p: Cand, index: number, depth: number, at: number): readonly ZodLike[] | Reason {
    let specs: ZodLike[] | undefined;
    for (const part of p.conj_.parts_) {
      if (part.t !== 'array') continue;
      if (index >= part.max_) {
        return {
          depth_: depth - 1,
          code: 'too_big',
          origin_: p.conj_.origin_,
          sample_: undefined,
          position_: at,
          maximum_: part.max_,
          unit_: 'array',
        };
      }
      const element = part.element_ ?? (index < part.items_!.length ? part.items_![index] : part.rest_);
      if (element !== undefined && element !== null) (specs ??= []).push(element);
    }
    return specs ?? NO_SPECS;
  }

  function newCand(conj: Conj, parent: Cand): Cand {
    guideCounters.candidates++;
    return { conj_: conj, parents_: [parent], alive_: true, live_: 0, pending_: NO_SPECS, remaining_: undefined };
  }

  /**
   * A value of JSON type `kind` starts at `path`: returns its candidates (each parent candidate
   * whose schema allows no such value dies, at `at()`).
   */
  function enter(kind: number, sample: unknown, at: () => number): Cand[] {
    if (passiveDepth > 0) return NO_CANDS;
    const depth = frames.length;
    const parent = depth === 0 ? rootFrame : frames[depth - 1]!;
    if (parent.array_) parent.step_ = parent.count_++;
    // What following the value costs: (parent, alternative) pairs. Arrays keep the element's
    // specs in `pending` (objects set it at each key).
    let pairs = 0;
    let parents = 0;
    for (const p of parent.cands_) {
      if (!p.alive_) continue;
      if (parent.array_) {
        const specs = elementSpecs(p, parent.step_ as number, depth, at());
        if (!Array.isArray(specs)) {
          kill(p, specs as Reason);
          continue;
        }
        p.pending_ = specs as readonly ZodLike[];
      }
      pairs += listOf(p.pending_).length;
      parents++;
    }
    if (pairs > MAX_PAIRS) return [defer(parent.cands_)];
    const out: Cand[] = [];
    for (const p of parent.cands_) {
      if (!p.alive_) continue;
      p.live_ = 0;
      let expected = 0;
      for (const conj of listOf(p.pending_)) {
        expected |= conj.mask_;
        if ((conj.mask_ & kind) === 0) continue;
        // Shared children: one candidate per alternative, whichever parents ask for it.
        let child: Cand | undefined;
        if (parents > 1) {
          for (const c of out) {
            if (c.conj_ === conj) {
              child = c;
              break;
            }
          }
        }
        if (child === undefined) out.push(newCand(conj, p));
        else child.parents_.push(p);
        p.live_++;
      }
      if (p.live_ === 0) {
        const origin = p.pending_.length === 1 ? p.pending_[0] : undefined;
        kill(p, { depth_: depth, code: 'invalid_type', origin_: origin, sample_: sample, position_: at(), expected_: expected, received_: kind });
      }
    }
    if (out.length > guideCounters.widest) guideCounters.widest = out.length;
    return out;
  }

  /** One candidate standing for the value for every live parent, judged by running their specs once it is complete. */
  function defer(cands: readonly Cand[]): Cand {
    const parents: Cand[] = [];
    const deferred = new Map<readonly ZodLike[], Cand[]>();
    for (const p of cands) {
      if (!p.alive_) continue;
      parents.push(p);
      const group = deferred.get(p.pending_);
      if (group === undefined) deferred.set(p.pending_, [p]);
      else group.push(p);
      p.live_ = 1;
    }
    guideCounters.candidates++;
    return { conj_: DEFERRED, parents_: parents, alive_: true, live_: 0, pending_: NO_SPECS, remaining_: undefined, deferred_: deferred };
  }

  /** Judges a deferred value: each parent whose specs reject it loses its only child. */
  function judgeDeferred(cand: Cand, value: unknown, depth: number, at: number): void {
    for (const [specs, parents] of cand.deferred_!) {
      let failed: ZodLike | undefined;
      for (const spec of specs) {
        if (!runOk(spec, value)) {
          failed = spec;
          break;
        }
      }
      if (failed === undefined) continue;
      const reason: Reason = { depth_: depth, code: 'run', origin_: specs.length === 1 ? failed : undefined, sample_: value, position_: at, schema_: failed };
      for (const p of parents) {
        if (!p.alive_) continue;
        p.live_ = 1;
        kill({ conj_: DEFERRED, parents_: [p], alive_: true, live_: 0, pending_: NO_SPECS, remaining_: undefined }, reason);
      }
    }
  }

  /** Runs the checks of a complete scalar or string; returns the reason it fails, if it does. */
  function scalarFails(conj: Conj, value: unknown, depth: number, at: number): Reason | undefined {
    for (const part of conj.parts_) {
      for (const run of part.runs_) {
        if (!runOk(run, value)) return { depth_: depth, code: 'run', origin_: conj.origin_, sample_: value, position_: at, schema_: run };
      }
    }
    return undefined;
  }

  /** Checks a closed container against one candidate; returns the reason it fails, if it does. */
  function containerFails(conj: Conj, value: unknown, depth: number, skipRuns: boolean, at: number): Reason | undefined {
    for (const part of conj.parts_) {
      // The structure (missing keys, too few elements) is exact: zod's object, record and tuple
      // parses decide a missing entry from the same `optin` this module read.
      if (!structurallyOk(part, value)) {
        return { depth_: depth, code: 'run', origin_: conj.origin_, sample_: value, position_: at, schema_: 'schema' in part ? part.schema : undefined };
      }
      if (skipRuns) continue;
      for (const run of part.runs_) {
        if (!runOk(run, value)) return { depth_: depth, code: 'run', origin_: conj.origin_, sample_: value, position_: at, schema_: run };
      }
    }
    return undefined;
  }

  function closeContainer(value: unknown): void {
    const at = options.position();
    if (passiveDepth > 0) {
      passiveDepth--;
      const frame = frames.pop()!;
      if (passiveDepth > 0) return;
      // The deferred value itself closes: judge it whole, once.
      for (const cand of frame.cands_) if (cand.alive_ && cand.deferred_ !== undefined) judgeDeferred(cand, value, frames.length, at);
      check(at);
      return;
    }
    const frame = frames.pop()!;
    if (frame.refined_) refinedOpen--;
    // The root's own checks are left to the final parse; a refined ancestor's run covers ours.
    const skipRuns = frames.length === 0 || refinedOpen > 0;
    for (const cand of frame.cands_) {
      if (!cand.alive_) continue;
      if (cand.deferred_ !== undefined) {
        judgeDeferred(cand, value, frames.length, at);
        continue;
      }
      const reason = containerFails(cand.conj_, value, frames.length, skipRuns, at);
      if (reason !== undefined) kill(cand, reason);
    }
    check(at);
  }

  function complete(value: unknown): unknown {
    const kind = kindOf(value);
    if (kind === K_OBJECT || kind === K_ARRAY) {
      // A container closes (they complete only then): its children have been judged; check what
      // only the whole can show.
      closeContainer(value);
      return value;
    }
    const end = options.position();
    // Where each verdict became certain. A scalar's JSON type is known at its first character; so
    // is everything about `true`, `false` and `null`; a number's checks only at the character after
    // it (`12` may become `123`, `1.5` may become `1.5e1`); a string's at its closing quote.
    let at = end;
    let typeAt = (): number => end;
    if (typeof value === 'number') {
      at = end + 1;
      typeAt = options.start;
    } else if (typeof value === 'boolean' || value === null) {
      // Its first letter (lenient mode's `True`, `None`, `undefined` too).
      at = options.start();
      typeAt = () => at;
    }
    let cands: Cand[];
    if (slot !== undefined && kind === K_STRING) {
      cands = slot.cands_;
      slot = undefined;
    } else {
      cands = enter(kind, value, typeAt);
    }
    const depth = frames.length;
    for (const cand of cands) {
      if (!cand.alive_) continue;
      if (cand.deferred_ !== undefined) {
        judgeDeferred(cand, value, depth, at);
        continue;
      }
      const reason = scalarFails(cand.conj_, value, depth, at);
      if (reason !== undefined) kill(cand, reason);
    }
    check(at);
    return value;
  }

  /** The character at stream position `p` (`NaN` when no longer kept). */
  function charAt(p: number): number {
    return p >= rawOffset ? raw.charCodeAt(p - rawOffset) : carry.charCodeAt(carry.length - rawOffset + p);
  }

  /** Stream position of the last raw character of code unit `unit` of the open string. */
  function unitPosition(s: StringSlot, unit: number): number {
    const text = s.raw_ ?? '';
    let u = 0;
    let i = 0;
    while (i < text.length) {
      ESCAPE.lastIndex = i;
      const len = ESCAPE.exec(text)?.[0].length ?? 1;
      if (u === unit) return s.quote_ + i + len;
      u++;
      i += len;
    }
    // Not in the kept text (should not happen): the write's last character.
    return options.position();
  }

  function stringFails(cand: Cand, text: string, s: StringSlot): Reason | undefined {
    const depth = s.depth_;
    const parts = cand.conj_.parts_;
    // The earliest failing unit over the parts: the candidate dies there.
    let fail = -1;
    let found: Reason | undefined;
    const consider = (unit: number, reason: Omit<Reason, 'position_' | 'accepted_'>): void => {
      if (fail >= 0 && unit >= fail) return;
      fail = unit;
      found = reason as Reason;
    };
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.t !== 'string') continue;
      if (part.max_ < text.length && part.max_ < codePoints(s, text)) {
        consider(unitOfPoint(text, part.max_), {
          depth_: depth,
          code: 'too_big',
          origin_: cand.conj_.origin_,
          sample_: undefined,
          maximum_: part.max_,
          unit_: 'string',
        });
      }
      const remaining = cand.remaining_?.[i];
      if (remaining !== undefined) {
        const tail = text.slice(s.checked_);
        const still = remaining.filter((option) => option.startsWith(tail, s.checked_));
        if (still.length === 0) {
          let unit = 0;
          for (const option of remaining) unit = Math.max(unit, commonPrefix(option, text));
          consider(unit, { depth_: depth, code: 'invalid_value', origin_: cand.conj_.origin_, sample_: undefined, options_: part.options_! });
        } else {
          cand.remaining_![i] = still;
        }
      }
      for (const prefix of part.prefixes_) {
        const ok = text.length >= prefix.length ? text.startsWith(prefix) : prefix.startsWith(text);
        if (!ok) consider(commonPrefix(prefix, text), { depth_: depth, code: 'invalid_format', origin_: cand.conj_.origin_, sample_: undefined, prefix_: prefix });
      }
    }
    if (found === undefined) return undefined;
    // A unit that starts a surrogate pair is certain at the pair's second half.
    const c = text.charCodeAt(fail);
    const last = isHighSurrogate(c) && fail + 1 < text.length ? fail + 1 : fail;
    // What a growing string keeps: the text before the failing unit, never half a pair.
    let keep = fail;
    const before = text.charCodeAt(keep - 1);
    if (keep > 0 && isHighSurrogate(before)) keep--;
    found.sample_ = text.slice(0, last + 1);
    found.position_ = unitPosition(s, last);
    found.accepted_ = keep;
    return found;
  }

  return {
    get accepted() {
      return accepted;
    },

    input(chunk) {
      // The tokenizer goes on from `offset()`: what it held back of the last write (lenient
      // mode: a `<` that may open `<think>`, a fence) is read again with this one.
      const used = Math.min(raw.length, options.offset() - rawOffset);
      carry = (carry + raw.slice(0, used)).slice(-16);
      rawOffset += used;
      let text = '';
      if (typeof chunk === 'string') text = chunk;
      else if (chunk instanceof Uint8Array) {
        // The same streaming decoding as the tokenizer's (a BOM kept), so positions line up.
        decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
        text = decoder.decode(chunk, { stream: true });
      }
      raw = raw.slice(used) + text;
      const s = slot;
      if (s !== undefined && s.raw_ !== undefined && s.raw_.length < s.rawLimit_) s.raw_ += text;
    },

    open(kind) {
      const array = kind === 'array';
      const at = options.position();
      const cands = enter(array ? K_ARRAY : K_OBJECT, array ? [] : {}, () => at);
      check(at);
      if (passiveDepth > 0 || (cands.length === 1 && cands[0]!.deferred_ !== undefined)) {
        // Inside a deferred value nothing is followed; the deferred value itself keeps its frame.
        if (passiveDepth > 0) passiveDepth++;
        else passiveDepth = 1;
        frames.push({ array_: array, step_: '', count_: 0, cands_: cands, refined_: false });
        return;
      }
      let refined = false;
      for (const cand of cands) {
        for (const part of cand.conj_.parts_) if (part.runs_.length > 0) refined = true;
      }
      if (refined) refinedOpen++;
      frames.push({ array_: array, step_: '', count_: 0, cands_: cands, refined_: refined });
    },

    key(key) {
      const frame = frames[frames.length - 1];
      if (frame === undefined || passiveDepth > 0) return;
      frame.step_ = key;
      const at = options.position();
      for (const cand of frame.cands_) {
        if (!cand.alive_) continue;
        const verdict = keySpecs(cand.conj_, key, frames.length - 1, at);
        if (Array.isArray(verdict)) cand.pending_ = verdict as readonly ZodLike[];
        else kill(cand, verdict as Reason);
      }
      check(at);
    },

    expectsJsonText() {
      // What the next value's schema accepts: a container but no string (string-as-json).
      if (passiveDepth > 0) return undefined;
      const depth = frames.length;
      const parent = depth === 0 ? rootFrame : frames[depth - 1]!;
      let mask = 0;
      for (const p of parent.cands_) {
        if (!p.alive_) continue;
        if (p.deferred_ !== undefined) return undefined;
        const specs = parent.array_ ? elementSpecs(p, parent.count_, depth, options.position()) : p.pending_;
        if (!Array.isArray(specs)) continue;
        for (const conj of listOf(specs as readonly ZodLike[])) mask |= conj.mask_;
      }
      if ((mask & K_STRING) !== 0) return undefined;
      const object = (mask & K_OBJECT) !== 0;
      const array = (mask & K_ARRAY) !== 0;
      return object ? (array ? 'either' : 'object') : array ? 'array' : undefined;
    },

    startString(whole = false) {
      // Where the string began (its opening quote, or the first letter of a word lenient mode
      // reads as one: `NaN`), and the last character read of it: the closing quote of a whole
      // string, else the last of its content read so far (a write's end, the character before a
      // bad one, the end of a string that lenient mode closed without its quote).
      const start = options.start();
      const last = options.position();
      const first = charAt(start);
      const word = whole && first !== QUOTE && first !== APOS;
      // Raw index where the content read so far ends: before a closing quote of the same kind
      // (an escaped one is content), else after the last character read.
      let b = 0;
      while (charAt(last - 1 - b) === BACKSLASH) b++;
      const end = last - rawOffset + (whole && !word && last > start && charAt(last) === first && (b & 1) === 0 ? 0 : 1);
      const startAt = (): number => start;
      const cands = enter(K_STRING, '', startAt);
      check(start);
      const s: StringSlot = { depth_: frames.length, cands_: cands, units_: 0, points_: 0, checked_: 0, quote_: -1, raw_: undefined, rawLimit_: 0 };
      slot = s;
      let atomic = cands.length > 0;
      let limit = 0;
      for (const cand of cands) {
        let hasOptions = false;
        let isAtomic = cand.deferred_ !== undefined;
        for (const part of cand.conj_.parts_) {
          if (part.t !== 'string') continue;
          if (part.atomic_) isAtomic = true;
          if (part.options_ !== undefined) {
            hasOptions = true;
            for (const option of part.options_) limit = Math.max(limit, option.length + 2);
          }
          for (const prefix of part.prefixes_) limit = Math.max(limit, prefix.length + 2);
          if (part.max_ !== Infinity) limit = Math.max(limit, 2 * part.max_ + 4);
        }
        if (hasOptions) cand.remaining_ = cand.conj_.parts_.map((part) => (part.t === 'string' ? part.options_ : undefined));
        if (!isAtomic) atomic = false;
      }
      if (limit > 0) {
        // Content checks may fail inside the string: keep its raw text (an escape is at most 6
        // characters per code unit) to locate the failing character whatever the chunking.
        // (Of a word, the character before it stands for the quote.)
        const q = word ? start - 1 : start;
        s.quote_ = q;
        s.rawLimit_ = 6 * limit;
        // An open string goes on to the write's end (a repair may hand it over before that).
        let text = '';
        for (let p = q + 1; p < rawOffset && p <= last; p++) text += String.fromCharCode(charAt(p));
        s.raw_ = text + raw.slice(Math.max(0, q + 1 - rawOffset), Math.min(whole ? end : raw.length, q + 1 - rawOffset + s.rawLimit_));
      }
      return atomic;
    },

    stringPart(text) {
      const s = slot;
      if (s === undefined || s.raw_ === undefined) return;
      for (const cand of s.cands_) {
        if (!cand.alive_ || cand.deferred_ !== undefined) continue;
        const reason = stringFails(cand, text, s);
        if (reason === undefined) continue;
        cand.reason_ = reason;
        kill(cand, reason);
      }
      s.checked_ = text.length;
      if (!root.alive_) {
        // The last alternatives may die on a later character than the first ones: the message
        // names what each of them wanted (every member of a discriminated union's literals), and
        // the string keeps what precedes the latest failing character.
        reasons = s.cands_.flatMap((cand) => (cand.reason_ === undefined ? [] : [cand.reason_]));
        accepted = 0;
        for (const r of reasons) accepted = Math.max(accepted, r.accepted_ ?? 0);
      }
      check(options.position());
    },

    complete,

    finish(value) {
      return zodFinal(schema, value, options);
    },
  };
}

/** Length of the common prefix of `a` and `b`, in code units. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The code unit after the code point that starts at unit `i` of `text` (a surrogate pair counts as one). */
function nextPoint(text: string, i: number): number {
  return isSurrogatePairAt(text, i) ? i + 2 : i + 1;
}

/** The code unit where code point number `point` (0-based) of `text` starts. */
function unitOfPoint(text: string, point: number): number {
  let i = 0;
  for (let p = 0; p < point && i < text.length; p++) {
    i = nextPoint(text, i);
  }
  return i;
}

/** Code points of `text`, counted incrementally in `slot` (strings only grow). */
function codePoints(slot: StringSlot, text: string): number {
  let i = slot.units_;
  let points = slot.points_;
  while (i < text.length) {
    // A surrogate pair is one code point; the parser never hands over half a pair mid-string.
    i = nextPoint(text, i);
    points++;
  }
  slot.units_ = i;
  slot.points_ = points;
  return points;
}

/**
 * The schemas the value of `key` must match in an object of alternative `conj`, or why the key
 * may not be there. A key one part of an intersection rejects is fine if another part owns it
 * (zod reconciles unrecognized keys across intersection sides).
 */
function keySpecs(conj: Conj, key: string, depth: number, at: number): readonly ZodLike[] | Reason {
  let specs: ZodLike[] | undefined;
  let accepted = false;
  let rejection: Reason | undefined;
  for (const part of conj.parts_) {
    switch (part.t) {
      case 'object': {
        // zod skips `__proto__` (never copying it), unless a strict object does not list it.
        const listed = hasOwn.call(part.shape_, key);
        if (key === '__proto__') {
          if (!listed && part.rest === 'strict') rejection ??= unrecognized(conj, key, depth, at);
          else accepted = true;
        } else if (listed) {
          (specs ??= []).push(part.shape_[key]!);
          accepted = true;
        } else if (part.rest === 'strict') {
          rejection ??= unrecognized(conj, key, depth, at);
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
          part.keys_ !== undefined
            ? part.keys_.has(key)
            : runOk(part.keyType_, key) || (NUMERIC_KEY.test(key) && runOk(part.keyType_, Number(key)));
        if (valid) {
          (specs ??= []).push(part.valueType_);
          accepted = true;
        } else if (part.loose_) {
          accepted = true;
        } else if (part.enumerable_) {
          rejection ??= unrecognized(conj, key, depth, at);
        } else {
          rejection ??= { depth_: depth, code: 'invalid_key', origin_: conj.origin_, sample_: { [key]: null }, position_: at, key_: key };
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

function unrecognized(conj: Conj, key: string, depth: number, at: number): Reason {
  const sample: Record<string, unknown> = {};
  Object.defineProperty(sample, key, { value: null, enumerable: true, writable: true, configurable: true });
  return { depth_: depth, code: 'unrecognized_keys', origin_: conj.origin_, sample_: sample, position_: at, key_: key };
}

function structurallyOk(part: Part, value: unknown): boolean {
  switch (part.t) {
    case 'object':
    case 'record':
      for (const key of part.required_) {
        if (!hasOwn.call(value, key)) return false;
      }
      return true;
    case 'array':
      return (value as unknown[]).length >= part.min_;
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

/** Issues of a value against a schema, in the core's form (see {@link GuideHooks.issues}). */
type IssuesOf = GuideHooks['issues'];

/** zod's own issues for `sample` against `schema`, when they say what `code` says. */
function zodIssues(issuesOf: IssuesOf, schema: ZodLike, sample: unknown, code: Reason['code']): SchemaIssue[] | undefined {
  const issues = issuesOf(schema, sample);
  if (issues === undefined || issues.length === 0) return undefined;
  if (code === 'run') return issues;
  const matching = issues.filter((issue) => issue.code === code && issue.path.length <= (code === 'invalid_key' ? 1 : 0));
  return matching.length > 0 ? matching : undefined;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/** A reason whose path has been built. */
type Placed = Reason & { path_: JsonPath };

/** The issue for a reason in zod's English wording, when zod cannot word it itself. */
function craft(reason: Placed): SchemaIssue {
  const { path_: path } = reason;
  switch (reason.code) {
    case 'invalid_type':
      return {
        path,
        code: 'invalid_type',
        message: `Invalid input: expected ${kindNames(reason.expected_ ?? 0).join(' | ') || 'nothing (no JSON value matches)'}, received ${kindNames(reason.received_ ?? 0).join('')}`,
      };
    case 'invalid_value': {
      const options = reason.options_ ?? [];
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
        message: `Too big: expected ${reason.unit_} to have <=${reason.maximum_} ${reason.unit_ === 'array' ? 'items' : 'characters'}`,
      };
    case 'invalid_format':
      return { path, code: 'invalid_format', message: `Invalid string: must start with ${quote(reason.prefix_ ?? '')}` };
    case 'unrecognized_keys':
      return { path, code: 'unrecognized_keys', message: `Unrecognized key: ${quote(reason.key_ ?? '')}` };
    case 'invalid_key':
      return { path: [...path, reason.key_ ?? ''], code: 'invalid_key', message: 'Invalid key in record' };
    case 'run':
      return { path, code: 'custom', message: 'Invalid input' };
    default: {
      const exhaustive: never = reason.code;
      return exhaustive;
    }
  }
}

/** The issues of one failure, from the reasons its candidates died for. */
function describe(reasons: readonly Placed[], issuesOf: IssuesOf): SchemaIssue[] {
  const first = reasons[0];
  if (first === undefined) return [{ path: [], code: 'custom', message: 'Invalid input' }];
  const one = reasons.every((r) => r.origin_ === first.origin_ && r.code === first.code && samePath(r.path_, first.path_));
  if (one && first.origin_ !== undefined) {
    // One place of the schema: let zod word it (custom messages included).
    const issues = zodIssues(issuesOf, first.origin_, first.sample_, first.code);
    if (issues !== undefined) return prefixed(first.path_, issues);
  }
  const samePlace = reasons.every((r) => r.code === first.code && samePath(r.path_, first.path_));
  if (samePlace && first.code === 'invalid_type') {
    // Several alternatives (a union): say every type they would accept.
    let expected = 0;
    for (const r of reasons) expected |= r.expected_ ?? 0;
    return [craft({ ...first, expected_: expected })];
  }
  if (samePlace && first.code === 'invalid_value') {
    const options = new Set<string>();
    for (const r of reasons) for (const o of r.options_ ?? []) options.add(o);
    return [craft({ ...first, options_: [...options] })];
  }
  if (first.code === 'run' && first.schema_ !== undefined) {
    const issues = zodIssues(issuesOf, first.schema_, first.sample_, 'run');
    if (issues !== undefined) return prefixed(first.path_, issues);
  }
  if (first.origin_ !== undefined && first.code !== 'run') {
    const issues = zodIssues(issuesOf, first.origin_, first.sample_, first.code);
    if (issues !== undefined) return prefixed(first.path_, issues);
  }
  return [craft(first)];
}

function asyncSchema(): TypeError {
  return new TypeError(
    'The schema validates asynchronously (an async refinement or transform); streamshape needs a synchronous schema: validate the value returned by end() yourself',
  );
}

/** zod's error for a promise met during a synchronous parse (matched by message: zod is not imported). */
function isZodAsyncError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Encountered Promise during synchronous parse');
}

/**
 * The final validation at `end()`: the schema's full parse (defaults, transforms, refinements),
 * run directly, so an error thrown by a refinement or transform reaches the caller as it is
 * (zod's Standard Schema interface would turn it into a rejected promise). Returns the parsed
 * value.
 * @throws the core's `SchemaValidationError` (`early: false`) when the value does not match.
 * @throws `TypeError` when the schema validates asynchronously.
 * @throws whatever a refinement or transform of the schema throws.
 */
function zodFinal(schema: ZodLike, value: unknown, hooks: GuideHooks): unknown {
  let result: unknown;
  try {
    result = schema._zod.run({ value, issues: [] }, { async: false });
  } catch (error) {
    throw isZodAsyncError(error) ? asyncSchema() : error;
  }
  if (result instanceof Promise) {
    result.then(undefined, () => {});
    throw asyncSchema();
  }
  const payload = result as { value: unknown; issues: readonly unknown[] };
  if (payload.issues.length === 0) return payload.value;
  // zod writes the messages of the issues in its Standard Schema result.
  const issues = hooks.issues(schema, value);
  throw hooks.error({
    early: false,
    issues: issues !== undefined && issues.length > 0 ? issues : [{ path: [], message: 'Invalid input' }],
  });
}

/**
 * The guide for zod v4 schemas (zod 4, `zod/mini`, or `zod/v4` in zod 3.25), passed as the
 * `guide` option of every API that takes a schema: it follows the value through the schema's
 * definition while it streams.
 *
 * - Each subtree is validated once, when it closes, against the matching part of the schema,
 *   and a value that can never become valid fails at the first character that shows it (wrong
 *   JSON type, a key a strict object forbids, a string no enum member or literal starts with,
 *   an array or string over its maximum, a discriminator no option accepts), with an early
 *   `SchemaValidationError`. Unions narrow as the data arrives and fail only when no option is
 *   left.
 * - Enum, literal, template-literal and format-checked strings (uuid, email, url, datetime,
 *   regex, …) appear only once complete and valid; free text grows.
 * - `end()` returns the schema's full parse (defaults, transforms, refinements); an error a
 *   refinement or transform throws reaches the caller as it is.
 *
 * Returns `undefined` for any other schema (valibot, arktype, zod 3 classic, …): the parser then
 * validates the final value only, through its Standard Schema interface.
 *
 * Values in the tree stay the JSON values as parsed (validated, not transformed). Every failure
 * is reported at a position that does not depend on the chunking (see
 * `SchemaValidationError.position`), and the parser's value then holds only what the text
 * before it says.
 *
 * Work is O(n) whatever the schema: a value has at most one candidate per alternative of the
 * schema at its place (alternatives asked for by several enclosing candidates are shared). Where
 * following a value would take more than `MAX_PAIRS` (enclosing candidate, alternative)
 * pairs, the value is deferred: not followed while it streams, and judged once complete by
 * running its schemas on it; a failure then points at its end.
 *
 * Limits (each errs on the lenient side; the final parse catches what streaming cannot):
 * - Numbers, `true`, `false` and `null` are judged once complete, so a scalar of the wrong type
 *   fails at the character after the number or at the literal's last letter. Keys arrive whole:
 *   a key a strict object forbids fails at its closing quote.
 * - Refinements and checks other than lengths run when their value closes, on the whole
 *   subtree, unless an enclosing container runs its own (then at that container's close, or in
 *   the final parse when it is the root). String formats, `endsWith`, `includes` and regexes
 *   are judged when the string closes.
 * - Pipes and transforms are followed on their input side; their output side is judged by the
 *   final parse only.
 * - A key repeated in an object is judged at each occurrence, although `JSON.parse` keeps only
 *   the last one.
 * - Schemas this guide does not look inside (custom, coerced, promise, schemas newer than it)
 *   accept any JSON value and run once their value is complete.
 *
 * zod is not imported at run time: the schema carries its own definition and validator.
 *
 * @example
 * ```ts
 * import { createPartialParser, zodGuide } from 'streamshape';
 * const parser = createPartialParser({ schema: Weather, guide: zodGuide });
 * ```
 * @public
 */
export const zodGuide: GuideFactory = (schema, hooks) => (isZodV4(schema) ? createZodGuide(schema, hooks) : undefined);
