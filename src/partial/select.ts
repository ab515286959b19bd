import { closingQuote } from '../json/tokenizer.js';
import { POINTERS, SCALAR_DELIVER, SCALAR_DROP, SCALAR_PLAIN, type ParserWatch, type PointerPatterns, type WatchHost, type WatchOptions } from './pointers.js';

/**
 * Pointer patterns (`select`, `text`) and what the parser does with the values they match:
 * `onElement` / `keep: false` and `onText`. The parser calls these hooks at its token steps; the
 * per-value cost is O(1) (a mask test) off the selected paths, O(length of the key) on them.
 *
 * A pattern is a JSON Pointer (RFC 6901) in which a segment `*` matches any one key or index:
 * `/items/*`, `/files/*\/content`, `''` (the root). Matching is by segment count, so `/items/*`
 * matches `/items/3` but neither `/items` nor `/items/3/name`.
 *
 * This module is the `pointers()` plug-in: only `pointers()` reaches it, so a parser that never
 * selects bundles none of it (the parser knows the seam in pointers.ts).
 */

/**
 * JSON Pointer patterns for the `select` and `text` options of every parser in streamshape
 * (`createPartialParser`, `parseStream`, `PartialJsonStream`, `createPartialStore`,
 * `usePartialJson`, the tool-call assembler's `text`): RFC 6901 pointers in which a segment `*`
 * matches any one key or index. `pointers('/items/*')` matches `/items/3` but neither `/items`
 * nor `/items/3/name` (a pattern matches a path of exactly its length); `pointers('')` is the
 * root.
 *
 * A plug-in rather than a string array, as `lenient()` is: the matching and the element and text
 * delivery are code that only this function reaches, so an app whose parsers never select does
 * not bundle them (the stream helpers carry them for `textStream()`). One value may be shared by
 * any number of parsers.
 *
 * @example
 * ```ts
 * import { createPartialParser, pointers } from 'streamshape';
 * const parser = createPartialParser({ select: pointers('/items/*'), keep: false, onElement: (item) => rows.push(item) });
 * const typing = createPartialParser({ text: pointers('/answer'), onText: (delta) => (el.textContent += delta) });
 * ```
 * @param patterns - At most 31 (`select` and `text` of one parser together); `~0` and `~1`
 *   escape `~` and `/` in a segment, as in RFC 6901.
 * @returns The plug-in to pass as `select` or `text`; its `patterns` are the ones given.
 * @throws `SyntaxError` for a pattern that is neither empty nor starts with `/`, or holds a `~`
 *   not followed by `0` or `1`; `TypeError` for one that is not a string; `RangeError` for more
 *   than 31 patterns.
 * @see https://www.rfc-editor.org/rfc/rfc6901
 * @public
 */
export function pointers(...patterns: string[]): PointerPatterns {
  new PatternSet(patterns); // checks each pattern and the count now, where the mistake is
  return Object.freeze({ patterns: Object.freeze(patterns), [POINTERS]: makeWatch });
}

function makeWatch(options: WatchOptions, host: WatchHost): ParserWatch {
  return new Watch(options, host);
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
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
      const j = closingQuote(s, i);
      if (j < 0) return -1;
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

/**
 * `text`, rebuilt from its characters. Keys are read from the chunk, and in a chunk holding any
 * character past U+00FF V8 stores them, and every string built on them, at 2 bytes a character;
 * a string joined from single characters is stored at 1 byte when it can be. Pointers in a run
 * are built on their container's prefix once per element: a 1-byte prefix measured ~2.5% of a
 * 10 MB list's time (A/B in one process, records dropped).
 */
function latin1(text: string): string {
  return Array.from(text).join('');
}

/** `String(n)` for n < 1000, and padded to three digits: the last digits of pointers in {@link Watch.run_}, filled as used. */
const UNDER_1000: string[] = [];
const THREE_DIGITS: string[] = [];

/** Most patterns (`select` and `text` together): one bit each in a 32-bit mask. */
export const MAX_PATTERNS = 31;

/** Splits a pattern into unescaped segments (`*` stays `*`). @throws SyntaxError for a malformed pointer. */
export function patternSegments(pattern: string): string[] {
  if (typeof pattern !== 'string') {
    throw new TypeError(
      Array.isArray(pattern)
        ? 'pointers() takes each pattern as an argument: pointers(...patterns), not an array'
        : `A pointer pattern must be a string, got ${pattern === null ? 'null' : typeof pattern}`,
    );
  }
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
  readonly all_: number;
  /** Patterns with no segment: they match the root. */
  readonly root_: number;
  readonly endAt_: number[] = [];
  readonly wildAt_: number[] = [];
  readonly keyAt_: (Map<string, number> | undefined)[] = [];

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
        while (this.endAt_.length <= l) {
          this.endAt_.push(0);
          this.wildAt_.push(0);
          this.keyAt_.push(undefined);
        }
        if (l === segs.length - 1) this.endAt_[l]! |= bit;
        const seg = segs[l]!;
        if (seg === '*') this.wildAt_[l]! |= bit;
        else {
          const map = (this.keyAt_[l] ??= new Map());
          map.set(seg, (map.get(seg) ?? 0) | bit);
        }
      }
    });
    this.all_ = all;
    this.root_ = root;
  }

  /** Patterns (of `mask`, those still matching the parent's path) that match a child `key` at `level`. */
  step_(mask: number, level: number, key: string | number): number {
    if (mask === 0 || level >= this.endAt_.length) return 0;
    const map = this.keyAt_[level];
    return mask & (this.wildAt_[level]! | (map === undefined ? 0 : map.get(typeof key === 'number' ? String(key) : key) ?? 0));
  }
}

/**
 * The per-parser state of `select` / `text`: for each open container, the patterns its path still
 * matches, its own pointer (only where some pattern matches), and how many of its elements were
 * dropped (`keep: false`), so pointers keep the document's indices while the working array holds
 * only the elements not yet delivered.
 */
export class Watch implements ParserWatch {
  readonly patterns_: PatternSet;
  readonly selectBits_: number;
  readonly textBits_: number;
  readonly keep_: boolean;
  readonly onElement_: ((value: unknown, pointer: string) => void) | undefined;
  readonly onText_: ((delta: string, pointer: string, done: boolean) => void) | undefined;
  readonly host_: WatchHost;

  /** Per open container (index = depth): patterns its descendants may still match. */
  readonly masks_: number[] = [];
  /** Per open container: patterns that end at the container itself (it is a selected element). */
  readonly ends_: number[] = [];
  /** Per open container: its pointer (document indices), or '' where no pattern matches. */
  readonly pointers_: string[] = [];
  /** Per open container: its pointer and `/` (the start of its children's), where some pattern may match a child. */
  readonly prefixes_: string[] = [];
  /** Per open container: elements removed from it (keep: false). */
  readonly dropped_: number[] = [];

  /** The open string value's matching patterns and pointer. */
  strBits_ = 0;
  strPointer_ = '';
  /** The pointer of the scalar last asked about (see {@link Watch.scalar_}). */
  lastPointer_ = '';
  /** The chunk in which a run was guessed wrong: no more guesses in it. */
  runFailed_: string | undefined = undefined;

  constructor(options: WatchOptions, host: WatchHost) {
    const select = options.select ?? [];
    const text = options.text ?? [];
    this.patterns_ = new PatternSet([...select, ...text]);
    this.selectBits_ = options.onElement === undefined ? 0 : (1 << select.length) - 1;
    this.textBits_ = options.onText === undefined ? 0 : ((1 << text.length) - 1) << select.length;
    this.keep_ = options.keep !== false;
    this.onElement_ = options.onElement;
    this.onText_ = options.onText;
    this.host_ = host;
  }

  /**
   * The patterns the next value placed in the innermost container matches (those ending there
   * and those continuing below it), with its pointer in `lastPointer` when any does.
   */
  next_(placed = false): number {
    const top = this.host_.depth_ - 1;
    if (top < 0) {
      this.lastPointer_ = '';
      return this.patterns_.all_;
    }
    const mask = this.masks_[top]!;
    if (mask === 0) return 0;
    const container = this.host_.containerAt_(top);
    const key: string | number = Array.isArray(container) ? container.length - (placed ? 1 : 0) + this.dropped_[top]! : this.host_.pendingKey_;
    const bits = this.patterns_.step_(mask, top, key);
    if (bits !== 0) this.lastPointer_ = this.prefixes_[top]! + (typeof key === 'number' ? key : pointerSegment(key));
    return bits;
  }

  /** Patterns of `bits` that end at the level of the innermost container's children (or the root). */
  ending_(bits: number): number {
    const top = this.host_.depth_ - 1;
    return top < 0 ? bits & this.patterns_.root_ : bits & (this.patterns_.endAt_[top] ?? 0);
  }

  /** A container is about to be placed and opened (call before the parser pushes its frame). */
  open_(): void {
    const bits = this.next_();
    const ends = this.ending_(bits);
    const below = bits & ~ends;
    this.masks_.push(below);
    this.ends_.push(ends);
    this.pointers_.push(bits === 0 ? '' : this.lastPointer_);
    this.prefixes_.push(below === 0 ? '' : latin1(`${this.lastPointer_}/`));
    this.dropped_.push(0);
  }

  /** The innermost container closed with `value` (already in its parent's slot). */
  close_(value: unknown): void {
    this.masks_.pop();
    const ends = this.ends_.pop()!;
    const pointer = this.pointers_.pop()!;
    this.prefixes_.pop();
    this.dropped_.pop();
    if ((ends & this.selectBits_) !== 0) this.deliver_(value, pointer, true);
  }

  /**
   * Hands a complete element to `onElement`; with `keep: false` drops it from its (open) parent
   * once the callback returns: removes it when `placed`, else never places it (unless the callback
   * throws: a failed parser's value holds the element it failed on, whatever the chunking).
   */
  deliver_(value: unknown, pointer: string, placed: boolean): void {
    const top = this.host_.depth_ - 1;
    if (!placed && !this.keep_ && top >= 0) return this.#dropped(value, pointer, top);
    this.onElement_!(value, pointer);
    if (this.keep_ || top < 0) return;
    if (placed) this.host_.dropLast_(top);
    this.dropped_[top]!++;
  }

  /**
   * A complete scalar (a whole string included) is about to be placed. Sends its text to
   * `onText` when a `text` pattern matches; says whether it is a selected element. `placed`:
   * it is in its slot already (a growing number, now complete).
   */
  scalar_(value: unknown, placed = false): number {
    const bits = this.next_(placed);
    if (bits === 0) return SCALAR_PLAIN;
    const ends = this.ending_(bits);
    if ((ends & this.textBits_) !== 0 && typeof value === 'string') this.onText_!(value, this.lastPointer_, true);
    if ((ends & this.selectBits_) === 0) return SCALAR_PLAIN;
    return this.keep_ || this.host_.depth_ === 0 ? SCALAR_DELIVER : SCALAR_DROP;
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
  run_(s: string, i: number, depthLeft: number): number {
    if (s === this.runFailed_) return -1;
    const host = this.host_;
    const top = host.depth_ - 1;
    const mask = top < 0 ? 0 : this.masks_[top]!;
    if (mask === 0 || (mask & ~(this.patterns_.endAt_[top] ?? 0)) !== 0 || (mask & this.textBits_) !== 0) return -1;
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
    // Every element here is selected alike and dropped: deliver each straight away (what #take
    // does through next_() and skipped_(), without asking per element).
    const prefix = this.#dropsEvery(top, mask) ? this.prefixes_[top]! : undefined;
    // Its pointers, `prefix` + index: the index as its thousands (`head`, once per 1,000) and its
    // last three digits from a table, not a number converted per element: past V8's number-to-string
    // cache each conversion allocates, and on the 10 MB bench list they cost ~3% (A/B, one process).
    let head = prefix ?? '';
    let headHigh = 0;
    let from = at;
    for (let last = s.indexOf(separator, from); last >= 0; last = s.indexOf(separator, from)) {
      const next = last + 1;
      if (next - from > longest && bracketsAbove(s, from, next, depthLeft)) break;
      try {
        value = JSON.parse(s.slice(from, next));
      } catch {
        this.runFailed_ = s;
        break;
      }
      if (prefix === undefined) this.#take(value);
      else {
        // The working array holds no delivered element: its length plus those dropped is the index.
        const index = (host.containerAt_(top) as unknown[]).length + this.dropped_[top]!;
        const low = index % 1000;
        const high = (index - low) / 1000;
        if (high !== headHigh) {
          headHigh = high;
          head = high === 0 ? prefix : prefix + high;
        }
        this.#dropped(value, head + (high === 0 ? (UNDER_1000[low] ??= String(low)) : (THREE_DIGITS[low] ??= String(low).padStart(3, '0'))), top);
      }
      end = next;
      from = last + after;
    }
    return end;
  }

  /**
   * Whether every element of the array open at depth `top` (whose patterns `mask` all end at its
   * elements) is selected and dropped on delivery: `keep: false`, and no pattern names an index
   * at that level, so each element matches the same patterns whatever its index.
   */
  #dropsEvery(top: number, mask: number): boolean {
    const patterns = this.patterns_;
    return !this.keep_ && patterns.keyAt_[top] === undefined && (mask & patterns.wildAt_[top]! & this.selectBits_) !== 0;
  }

  /** An element of a run (see {@link Watch.run_}): placed unless dropped, and delivered when selected (see {@link Watch.skipped_}). */
  #take(value: unknown): void {
    const bits = this.next_();
    if (bits !== 0 && this.skipped_(value, bits)) return;
    this.host_.place_(value, value);
  }

  /** A string value opens (it will grow in the snapshot); call before it is placed. */
  startString_(): void {
    const bits = this.next_();
    this.strBits_ = bits === 0 ? 0 : this.ending_(bits);
    this.strPointer_ = this.strBits_ === 0 ? '' : this.lastPointer_;
  }

  /** More text of the open string value. */
  stringPart_(text: string): void {
    if ((this.strBits_ & this.textBits_) !== 0) this.onText_!(text, this.strPointer_, false);
  }

  /** The open string value closed with `value` (in its slot). */
  endString_(value: string): void {
    const bits = this.strBits_;
    if (bits === 0) return;
    this.strBits_ = 0;
    if ((bits & this.textBits_) !== 0) this.onText_!('', this.strPointer_, true);
    if ((bits & this.selectBits_) !== 0) this.deliver_(value, this.strPointer_, true);
  }

  /**
   * Whether a container the fast path would `JSON.parse` whole (its patterns from
   * {@link Watch.next_}) must be tokenized instead: some pattern matches inside it. Its inner
   * matches are then delivered from their tokens, in document order (a parsed object lists
   * index-like keys first, so it cannot give that order back).
   */
  inside_(bits: number): boolean {
    return (bits & ~this.ending_(bits)) !== 0;
  }

  /**
   * A value parsed whole by a fast path (see {@link Watch.inside_}) is to be placed: when it is
   * selected, places it (unless `keep: false` drops it) and delivers it, in the order the token
   * path does: kept, it is in the snapshot before `onElement` sees it; dropped, it is placed only
   * when `onElement` throws (the token path had placed it, and drops it only after the callback
   * returns). Returns true when it handled the value, false when the caller places it.
   */
  skipped_(value: unknown, bits: number): boolean {
    if ((this.ending_(bits) & this.selectBits_) === 0) return false;
    const top = this.host_.depth_ - 1;
    if (this.keep_ || top < 0) {
      this.host_.place_(value, value);
      this.onElement_!(value, this.lastPointer_);
      return true;
    }
    this.#dropped(value, this.lastPointer_, top);
    return true;
  }

  /** Delivers a selected value of the container at depth `top` that `keep: false` drops without placing it. */
  #dropped(value: unknown, pointer: string, top: number): void {
    try {
      this.onElement_!(value, pointer);
    } catch (error) {
      this.host_.place_(value, value);
      throw error;
    }
    this.dropped_[top]!++;
  }
}
