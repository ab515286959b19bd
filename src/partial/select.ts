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
  readonly depth_: number;
  /** The working container at depth `d`. */
  containerAt_(d: number): Container;
  /** The key the next value placed in the innermost container takes (object: the pending key). */
  readonly pendingKey_: string;
  /** Removes the last entry of the container at depth `d` (a delivered element), with its delta. */
  dropLast_(d: number): void;
  /** Puts a complete value into the next slot of the innermost container. */
  place_(value: unknown, deltaValue: unknown): unknown;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Where the array or object opening at `s[i]` ends (the index after its closing bracket), or -1
 * when it does not close within `s` or nests deeper than `maxDepth` (itself included). Scans for
 * brackets, jumping over strings with `indexOf`; it does not validate (`JSON.parse` does).
 */
function containerEnd(s: string, i: number, maxDepth: number): number {
  const n = s.length;
  let depth = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      // The string ends at the next quote preceded by an even number of backslashes.
      let j = s.indexOf('"', i + 1);
      for (;;) {
        if (j < 0) return -1;
        let k = j - 1;
        while (s.charCodeAt(k) === BACKSLASH) k--;
        if (((j - 1 - k) & 1) === 0) break;
        j = s.indexOf('"', j + 1);
      }
      i = j + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return -1;
      i++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      i++;
      if (--depth === 0) return i;
    } else {
      i++;
    }
  }
  return -1;
}

/** Whether `s[from..to)` holds more than `limit` opening brackets (strings included: a bound on its depth). */
function bracketsAbove(s: string, from: number, to: number, limit: number): boolean {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c === OPEN_BRACE || c === OPEN_BRACKET) && ++count > limit) return true;
  }
  return false;
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
  /** Per open container: its pointer and `/` (the start of its children's), where some pattern may match a child. */
  readonly prefixes: string[] = [];
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
    const top = this.host.depth_ - 1;
    if (top < 0) {
      this.lastPointer = '';
      return this.patterns.all;
    }
    const mask = this.masks[top]!;
    if (mask === 0) return 0;
    const container = this.host.containerAt_(top);
    const key: string | number = Array.isArray(container) ? container.length - (placed ? 1 : 0) + this.dropped[top]! : this.host.pendingKey_;
    const bits = this.patterns.step(mask, top, key);
    if (bits !== 0) this.lastPointer = this.prefixes[top]! + (typeof key === 'number' ? key : pointerSegment(key));
    return bits;
  }

  /** Patterns of `bits` that end at the level of the innermost container's children (or the root). */
  ending(bits: number): number {
    const top = this.host.depth_ - 1;
    return top < 0 ? bits & this.patterns.root : bits & (this.patterns.endAt[top] ?? 0);
  }

  /** A container is about to be placed and opened (call before the parser pushes its frame). */
  open(): void {
    const bits = this.next();
    const ends = this.ending(bits);
    const below = bits & ~ends;
    this.masks.push(below);
    this.ends.push(ends);
    this.pointers.push(bits === 0 ? '' : this.lastPointer);
    this.prefixes.push(below === 0 ? '' : `${this.lastPointer}/`);
    this.dropped.push(0);
  }

  /** The innermost container closed with `value` (already in its parent's slot). */
  close(value: unknown): void {
    this.masks.pop();
    const ends = this.ends.pop()!;
    const pointer = this.pointers.pop()!;
    this.prefixes.pop();
    this.dropped.pop();
    if ((ends & this.selectBits) !== 0) this.deliver(value, pointer, true);
  }

  /** Hands a complete element to `onElement`; with `keep: false` drops it from its (open) parent when `placed`. */
  deliver(value: unknown, pointer: string, placed: boolean): void {
    this.onElement!(value, pointer);
    const top = this.host.depth_ - 1;
    if (this.keep || top < 0) return;
    if (placed) this.host.dropLast_(top);
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
    return this.keep || this.host.depth_ === 0 ? SCALAR_DELIVER : SCALAR_DROP;
  }

  /**
   * The tokenizer's `skippedRun`: takes the whole elements of the innermost array from `s[i]` on,
   * each with its own `JSON.parse` of a slice of `s`, when each element is handled whole (no
   * pattern reaches inside them, none sends them to `onText`).
   *
   * The first element's end is found by a scan ({@link containerEnd}); the text from its close
   * to the next element's open (`},\n{` in JSON Lines records written as an array) is then the
   * separator searched for (one native `indexOf` per element), and each slice from an element's
   * open to the next separator goes to `JSON.parse`. Its success proves the guess: a slice that
   * starts with `{` or `[` and ends with the matching `}` or `]` parses only if it is exactly one
   * element (a strict prefix of one never closes it). Each slice shares `s`'s characters (as the
   * JSON Lines parser's line slices do): parsing one `[` + run + `]` instead copied the run (2
   * bytes a character in a two-byte chunk), and on the 10 MB bench that extra young garbage
   * (42 MB allocated a run instead of 19.5 MB; JSON Lines: 16 MB) made the scavenger copy every
   * element the consumer still held.
   *
   * A wrong guess (the separator inside a string or a nested array of objects, or a bad element)
   * costs one failed parse and stops guessing in that chunk: the tokenizer then takes each
   * element (its one-container fast path, or token by token, which reports a bad element's error
   * at the same position as without `select`). An element longer than `2 * depthLeft` counts its
   * opening brackets (an upper bound of its depth) and ends the run above `depthLeft`. Returns
   * the index after the run, or -1.
   */
  run(s: string, i: number, depthLeft: number): number {
    if (s === this.runFailed) return -1;
    const host = this.host;
    const top = host.depth_ - 1;
    const mask = top < 0 ? 0 : this.masks[top]!;
    if (mask === 0 || (mask & ~(this.patterns.endAt[top] ?? 0)) !== 0 || (mask & this.textBits) !== 0) return -1;
    let end = containerEnd(s, i, depthLeft);
    if (end < 0) return -1;
    let value: unknown;
    try {
      value = JSON.parse(s.slice(i, end));
    } catch {
      return -1; // the tokenizer reports its error
    }
    this.#take(value);
    // The separator after it, up to the next element's open: the needle for the others.
    let at = end;
    while (isSpace(s.charCodeAt(at))) at++;
    if (s.charCodeAt(at) !== COMMA) return end;
    at++;
    while (isSpace(s.charCodeAt(at))) at++;
    const close = s.charCodeAt(end - 1);
    const open = s.charCodeAt(at);
    // Each element then opens with the first one's bracket and closes with the matching one.
    if (open !== (close === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) return end;
    const separator = s.slice(end - 1, at + 1);
    const after = separator.length - 1; // from an element's last character to the next one's first
    const longest = 2 * depthLeft; // depth d takes at least 2d characters
    let from = at;
    for (let last = s.indexOf(separator, from); last >= 0; last = s.indexOf(separator, from)) {
      const next = last + 1;
      if (next - from > longest && bracketsAbove(s, from, next, depthLeft)) break;
      try {
        value = JSON.parse(s.slice(from, next));
      } catch {
        this.runFailed = s;
        break;
      }
      this.#take(value);
      end = next;
      from = last + after;
    }
    return end;
  }

  /** An element of a run (see {@link Watch.run}): delivered and, unless dropped, placed. */
  #take(value: unknown): void {
    const bits = this.next();
    if (bits !== 0 && this.skipped(value, bits)) return;
    this.host.place_(value, value);
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
    return !this.keep && this.host.depth_ > 0;
  }
}
