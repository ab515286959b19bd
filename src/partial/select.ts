import type { Container } from './own.js';

/**
 * Pointer patterns (`select`, `text`) and what the parser does with the values they match:
 * `onElement` / `keep: false` and `onText`. The parser calls these hooks at its token steps; the
 * per-value cost is O(1) (a mask test) off the selected paths, O(length of the key) on them.
 *
 * A pattern is a JSON Pointer (RFC 6901) in which a segment `*` matches any one key or index:
 * `/items/*`, `/files/*\/content`, `''` (the root). Matching is by segment count, so `/items/*`
 * matches `/items/3` but neither `/items` nor `/items/3/name`.
 */

/** Callbacks and options the watch serves (a subset of the parser's options). */
export interface WatchOptions {
  readonly select?: readonly string[] | undefined;
  readonly onElement?: ((value: unknown, pointer: string) => void) | undefined;
  readonly keep?: boolean | undefined;
  readonly text?: readonly string[] | undefined;
  readonly onText?: ((delta: string, pointer: string, done: boolean) => void) | undefined;
}

/** What the watch needs of the parser (implemented by the parser's core). */
export interface WatchHost {
  /** Open containers. */
  readonly depth: number;
  /** The working container at depth `d`. */
  containerAt(d: number): Container;
  /** The key the next value placed in the innermost container takes (object: the pending key). */
  readonly pendingKey: string;
  /** Removes the last entry of the container at depth `d` (a delivered element), with its delta. */
  dropLast(d: number): void;
  /** Puts a complete value into the next slot of the innermost container. */
  place(value: unknown, deltaValue: unknown): unknown;
}

/** Commas looked at, from the end of a run's text, for one that separates two elements. */
const RUN_COMMAS = 16;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Most patterns (`select` and `text` together): one bit each in a 32-bit mask. */
const MAX_PATTERNS = 31;

/** Splits a pattern into unescaped segments (`*` stays `*`). @throws SyntaxError for a malformed pointer. */
export function patternSegments(pattern: string): string[] {
  if (typeof pattern !== 'string') throw new TypeError(`A pointer pattern must be a string, got ${typeof pattern}`);
  if (pattern === '') return [];
  if (!pattern.startsWith('/')) {
    throw new SyntaxError(`Invalid pointer pattern ${JSON.stringify(pattern)}: it must be empty (the root) or start with "/" (as "/items/*")`);
  }
  return pattern
    .slice(1)
    .split('/')
    .map((raw) => {
      if (/~(?![01])/.test(raw)) throw new SyntaxError(`Invalid pointer pattern ${JSON.stringify(pattern)}: "~" must be followed by 0 or 1`);
      return raw.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** One segment of a JSON Pointer for `key` (`~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string | number): string {
  if (typeof key === 'number') return String(key);
  return key.indexOf('~') < 0 && key.indexOf('/') < 0 ? key : key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A set of compiled patterns: for each level (0-based segment index), which patterns end there,
 * which have `*` there, and which name a key there.
 */
export class PatternSet {
  readonly all: number;
  /** Patterns with no segment: they match the root. */
  readonly root: number;
  readonly endAt: number[] = [];
  readonly wildAt: number[] = [];
  readonly keyAt: (Map<string, number> | undefined)[] = [];

  constructor(patterns: readonly string[]) {
    if (patterns.length > MAX_PATTERNS) throw new RangeError(`At most ${MAX_PATTERNS} pointer patterns (select and text together), got ${patterns.length}`);
    let all = 0;
    let root = 0;
    patterns.forEach((pattern, p) => {
      const bit = 1 << p;
      all |= bit;
      const segs = patternSegments(pattern);
      if (segs.length === 0) root |= bit;
      for (let l = 0; l < segs.length; l++) {
        while (this.endAt.length <= l) {
          this.endAt.push(0);
          this.wildAt.push(0);
          this.keyAt.push(undefined);
        }
        if (l === segs.length - 1) this.endAt[l]! |= bit;
        const seg = segs[l]!;
        if (seg === '*') this.wildAt[l]! |= bit;
        else {
          const map = (this.keyAt[l] ??= new Map());
          map.set(seg, (map.get(seg) ?? 0) | bit);
        }
      }
    });
    this.all = all;
    this.root = root;
  }

  /** Patterns (of `mask`, those still matching the parent's path) that match a child `key` at `level`. */
  step(mask: number, level: number, key: string | number): number {
    if (mask === 0 || level >= this.endAt.length) return 0;
    const map = this.keyAt[level];
    return mask & (this.wildAt[level]! | (map === undefined ? 0 : map.get(typeof key === 'number' ? String(key) : key) ?? 0));
  }
}

/** {@link Watch.scalar}'s answers. */
export const SCALAR_PLAIN = 0;
export const SCALAR_DELIVER = 1; // place it, then deliver it
export const SCALAR_DROP = 2; // delivered: do not place it (keep: false)

/**
 * The per-parser state of `select` / `text`: for each open container, the patterns its path still
 * matches, its own pointer (only where some pattern matches), and how many of its elements were
 * dropped (`keep: false`), so pointers keep the document's indices while the working array holds
 * only the elements not yet delivered.
 */
export class Watch {
  readonly patterns: PatternSet;
  readonly selectBits: number;
  readonly textBits: number;
  readonly keep: boolean;
  readonly onElement: ((value: unknown, pointer: string) => void) | undefined;
  readonly onText: ((delta: string, pointer: string, done: boolean) => void) | undefined;
  readonly host: WatchHost;

  /** Per open container (index = depth): patterns its descendants may still match. */
  readonly masks: number[] = [];
  /** Per open container: patterns that end at the container itself (it is a selected element). */
  readonly ends: number[] = [];
  /** Per open container: its pointer (document indices), or '' where no pattern matches. */
  readonly pointers: string[] = [];
  /** Per open container: elements removed from it (keep: false). */
  readonly dropped: number[] = [];

  /** The open string value's matching patterns and pointer. */
  strBits = 0;
  strPointer = '';
  /** The pointer of the scalar last asked about (see {@link Watch.scalar}). */
  lastPointer = '';
  /** The chunk in which a run was guessed wrong: no more guesses in it. */
  runFailed: string | undefined = undefined;

  constructor(options: WatchOptions, host: WatchHost) {
    const select = options.select ?? [];
    const text = options.text ?? [];
    this.patterns = new PatternSet([...select, ...text]);
    this.selectBits = options.onElement === undefined ? 0 : (1 << select.length) - 1;
    this.textBits = options.onText === undefined ? 0 : ((1 << text.length) - 1) << select.length;
    this.keep = options.keep !== false;
    this.onElement = options.onElement;
    this.onText = options.onText;
    this.host = host;
  }

  /**
   * The patterns the next value placed in the innermost container matches (those ending there
   * and those continuing below it), with its pointer in `lastPointer` when any does.
   */
  next(placed = false): number {
    const top = this.host.depth - 1;
    if (top < 0) {
      this.lastPointer = '';
      return this.patterns.all;
    }
    const mask = this.masks[top]!;
    if (mask === 0) return 0;
    const container = this.host.containerAt(top);
    const key: string | number = Array.isArray(container) ? container.length - (placed ? 1 : 0) + this.dropped[top]! : this.host.pendingKey;
    const bits = this.patterns.step(mask, top, key);
    if (bits !== 0) this.lastPointer = `${this.pointers[top]!}/${pointerSegment(key)}`;
    return bits;
  }

  /** Patterns of `bits` that end at the level of the innermost container's children (or the root). */
  ending(bits: number): number {
    const top = this.host.depth - 1;
    return top < 0 ? bits & this.patterns.root : bits & (this.patterns.endAt[top] ?? 0);
  }

  /** A container is about to be placed and opened (call before the parser pushes its frame). */
  open(): void {
    const bits = this.next();
    const ends = this.ending(bits);
    this.masks.push(bits & ~ends);
    this.ends.push(ends);
    this.pointers.push(bits === 0 ? '' : this.lastPointer);
    this.dropped.push(0);
  }

  /** The innermost container closed with `value` (already in its parent's slot). */
  close(value: unknown): void {
    this.masks.pop();
    const ends = this.ends.pop()!;
    const pointer = this.pointers.pop()!;
    this.dropped.pop();
    if ((ends & this.selectBits) !== 0) this.deliver(value, pointer, true);
  }

  /** Hands a complete element to `onElement`; with `keep: false` drops it from its (open) parent when `placed`. */
  deliver(value: unknown, pointer: string, placed: boolean): void {
    this.onElement!(value, pointer);
    const top = this.host.depth - 1;
    if (this.keep || top < 0) return;
    if (placed) this.host.dropLast(top);
    this.dropped[top]!++;
  }

  /**
   * A complete scalar (a whole string included) is about to be placed. Sends its text to
   * `onText` when a `text` pattern matches; says whether it is a selected element. `placed`:
   * it is in its slot already (a growing number, now complete).
   */
  scalar(value: unknown, placed = false): number {
    const bits = this.next(placed);
    if (bits === 0) return SCALAR_PLAIN;
    const ends = this.ending(bits);
    if ((ends & this.textBits) !== 0 && typeof value === 'string') this.onText!(value, this.lastPointer, true);
    if ((ends & this.selectBits) === 0) return SCALAR_PLAIN;
    return this.keep || this.host.depth === 0 ? SCALAR_DELIVER : SCALAR_DROP;
  }

  /**
   * The tokenizer's `skippedRun`: takes the whole elements of the innermost array from `s[i]` on
   * with one `JSON.parse`, when each element is handled whole (no pattern reaches inside them,
   * none sends them to `onText`). The end of the run is guessed: the last comma (before the text
   * holding `depthLeft` opening brackets, which bounds the depth) between a `}` or `]` and a
   * `{` or `[`; `JSON.parse` accepting `[` + text + `]` proves the guess, since a prefix of a
   * JSON text parses only as the values the text starts with. A wrong guess costs one parse and
   * stops guessing in that chunk (the elements then go one by one). Returns the index after the
   * run, or -1.
   */
  run(s: string, i: number, depthLeft: number): number {
    if (s === this.runFailed) return -1;
    const top = this.host.depth - 1;
    const mask = top < 0 ? 0 : this.masks[top]!;
    if (mask === 0 || (mask & ~(this.patterns.endAt[top] ?? 0)) !== 0 || (mask & this.textBits) !== 0) return -1;
    // The text up to `limit` holds at most `depthLeft` opening brackets, so no element in it is deeper.
    let limit = s.length;
    if (depthLeft !== Infinity) {
      let count = 0;
      let brace = s.indexOf('{', i);
      let bracket = s.indexOf('[', i);
      while (brace >= 0 || bracket >= 0) {
        const at = bracket < 0 || (brace >= 0 && brace < bracket) ? brace : bracket;
        if (++count > depthLeft) {
          limit = at;
          break;
        }
        if (at === brace) brace = s.indexOf('{', at + 1);
        else bracket = s.indexOf('[', at + 1);
      }
    }
    let end = -1;
    let comma = s.lastIndexOf(',', limit - 1);
    for (let tries = 0; tries < RUN_COMMAS && comma > i; tries++, comma = s.lastIndexOf(',', comma - 1)) {
      let before = comma - 1;
      while (isSpace(s.charCodeAt(before))) before--;
      const close = s.charCodeAt(before);
      if (close !== CLOSE_BRACE && close !== CLOSE_BRACKET) continue;
      let after = comma + 1;
      while (after < limit && isSpace(s.charCodeAt(after))) after++;
      const open = s.charCodeAt(after);
      if (after < limit && (open === OPEN_BRACE || open === OPEN_BRACKET)) {
        end = before + 1;
        break;
      }
    }
    let values: unknown[];
    try {
      if (end <= i) throw new SyntaxError('no run');
      values = JSON.parse(`[${s.slice(i, end)}]`) as unknown[];
    } catch {
      this.runFailed = s;
      return -1;
    }
    const host = this.host;
    for (let k = 0; k < values.length; k++) {
      const value = values[k];
      const bits = this.next();
      if (bits !== 0 && this.skipped(value, bits)) continue;
      host.place(value, value);
    }
    return end;
  }

  /** A string value opens (it will grow in the snapshot); call before it is placed. */
  startString(): void {
    const bits = this.next();
    this.strBits = bits === 0 ? 0 : this.ending(bits);
    this.strPointer = this.strBits === 0 ? '' : this.lastPointer;
  }

  /** More text of the open string value. */
  stringPart(text: string): void {
    if ((this.strBits & this.textBits) !== 0) this.onText!(text, this.strPointer, false);
  }

  /** The open string value closed with `value` (in its slot). */
  endString(value: string): void {
    const bits = this.strBits;
    if (bits === 0) return;
    this.strBits = 0;
    if ((bits & this.textBits) !== 0) this.onText!('', this.strPointer, true);
    if ((bits & this.selectBits) !== 0) this.deliver(value, this.strPointer, true);
  }

  /**
   * Whether a container the fast path would `JSON.parse` whole (its patterns from
   * {@link Watch.next}) must be tokenized instead: some pattern matches inside it. Its inner
   * matches are then delivered from their tokens, in document order (a parsed object lists
   * index-like keys first, so it cannot give that order back).
   */
  inside(bits: number): boolean {
    return (bits & ~this.ending(bits)) !== 0;
  }

  /**
   * A container parsed whole by the fast path (see {@link Watch.inside}) is about to be placed:
   * when selected it is delivered. Returns true when it was dropped (`keep: false`): do not place it.
   */
  skipped(value: unknown, bits: number): boolean {
    if ((this.ending(bits) & this.selectBits) === 0) return false;
    this.deliver(value, this.lastPointer, false);
    return !this.keep && this.host.depth > 0;
  }
}
