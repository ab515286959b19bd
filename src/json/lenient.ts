import { characterAt } from './surrogates.js';
import { ARRAY, LENIENT_STATES as State, NO_TOKENS, OBJECT, StreamTokenizer, type FastTokenHandler, type RecordTokenizer, type State as TokenizerState, type TokenizerOptions } from './tokenizer.js';
import { LENIENT, type Lenient, type ParseWarning, type ParseWarningCode } from './warnings.js';

// Lenient mode: the repairs of model output, as a plug-in of the strict tokenizer. Only `lenient()`
// reaches this module, so an app that never calls it bundles none of it (size-budget.json).

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const APOS = 0x27;
const STAR = 0x2a;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const LESS_THAN = 0x3c;
const UPPER_A = 0x41;
const UPPER_I = 0x49;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const BACKTICK = 0x60;
const LOWER_A = 0x61;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Bit of each repair in the tokenizer's repair mask, in code order. */
const REPAIR_BITS: Readonly<Record<ParseWarningCode, number>> = {
  'leading-text': 1 << 0,
  'reasoning-block': 1 << 1,
  'code-fence': 1 << 2,
  'trailing-text': 1 << 3,
  'trailing-comma': 1 << 4,
  comment: 1 << 5,
  'single-quoted-string': 1 << 6,
  'unquoted-key': 1 << 7,
  'python-literal': 1 << 8,
  'javascript-literal': 1 << 9,
  'control-character': 1 << 10,
  'invalid-escape': 1 << 11,
  'unterminated-string': 1 << 12,
  truncated: 1 << 13,
  'string-as-json': 1 << 14,
};

/**
 * Lenient mode for the `lenient` option of every parser in streamshape: the plug-in that
 * repairs what language models send around and inside JSON instead of failing (see
 * {@link ParseWarningCode} for each repair and the README's "Lenient mode"). `lenient()` turns
 * every repair on; `lenient({ 'trailing-comma': false })` turns the repairs mapped to `false` off
 * (lenient mode stays on: with every repair off, text strict mode rejects is still rejected, but a
 * comment after the value, for example, is checked as lenient mode reads it). Each repair is
 * reported once through `onWarning` and in `warnings`; valid JSON gives exactly strict mode's
 * result.
 *
 * A plug-in rather than a boolean option: the repairs are code that only this function reaches,
 * so an app that stays strict bundles none of it (tree-shaking, as with the schema guide
 * `zodGuide`). One plug-in may be shared by any number of parsers.
 *
 * @param switches - Repairs to turn off (`false`); `true` or absent keeps a repair on.
 * @returns The plug-in to pass as `lenient` (createTokenizer, createPartialParser, parsePartial,
 *   parseStream, PartialJsonStream, createJsonlParser / parseJsonl / JsonlStream in `lines` mode,
 *   assembleToolCalls' `output: { lenient }`).
 * @throws `TypeError` when `switches` is not a plain object (an array is not), names a repair that does not exist, or gives a switch that is not `true` or `false`.
 * @example
 * ```ts
 * import { lenient, parsePartial } from 'streamshape';
 * parsePartial('```json\n{"n": 12,', { lenient: lenient() }).value; // { n: 12 }
 * parsePartial("{'a': 1,}", { lenient: lenient({ 'trailing-comma': false }) }); // throws at the `}`
 * ```
 * @see https://github.com/josdejong/jsonrepair (the repairs and the mapping of `NaN`/`Infinity` follow it)
 * @public
 */
export function lenient(switches?: Partial<Record<ParseWarningCode, boolean>>): Lenient {
  const repairs = repairMask(switches);
  shapeKeeper ??= new LenientTokenizer(NO_TOKENS, {}, repairs);
  const tokenizer = (handler: FastTokenHandler, options: TokenizerOptions): RecordTokenizer => new LenientTokenizer(handler, options, repairs);
  return Object.freeze({ [LENIENT]: tokenizer });
}

/**
 * One idle lenient tokenizer that lives as long as the module, so a major GC between two streams
 * keeps its hidden classes and the JIT's code for it (see `shapeKeeper` in partial/parser.ts).
 */
let shapeKeeper: LenientTokenizer | undefined;

/**
 * The repair mask of `lenient(switches)`: every repair, less those switched off. Lenient mode
 * always has a bit outside every repair, so "lenient with every repair off" is not 0 (strict).
 */
function repairMask(switches: Partial<Record<ParseWarningCode, boolean>> | undefined): number {
  let mask = (1 << 16) - 1;
  if (switches === undefined) return mask;
  if (typeof switches !== 'object' || switches === null || Array.isArray(switches)) {
    const got = Array.isArray(switches) ? 'an array' : typeof switches === 'string' ? JSON.stringify(switches) : String(switches);
    throw new TypeError(`lenient() takes an object of repair switches such as { 'trailing-comma': false }, got ${got}`);
  }
  for (const code of Object.keys(switches) as ParseWarningCode[]) {
    // Own names only: `toString` or `__proto__` must not be found on the prototype.
    const bit = Object.prototype.hasOwnProperty.call(REPAIR_BITS, code) ? REPAIR_BITS[code] : undefined;
    if (bit === undefined) throw new TypeError(`lenient: unknown repair ${JSON.stringify(code)}`);
    const on: unknown = switches[code];
    if (on !== true && on !== false && on !== undefined) {
      throw new TypeError(`lenient: the switch of ${JSON.stringify(code)} must be true or false, got ${typeof on === 'string' ? JSON.stringify(on) : String(on)}`);
    }
    if (on === false) mask &= ~bit;
  }
  return mask;
}

/** Lenient mode's words and what they become (`undefined` is JSON `null`). */
const WORDS: readonly (readonly [string, ParseWarningCode, boolean | null | string])[] = [
  ['True', 'python-literal', true],
  ['False', 'python-literal', false],
  ['None', 'python-literal', null],
  ['undefined', 'javascript-literal', null],
  ['NaN', 'javascript-literal', 'NaN'],
  ['Infinity', 'javascript-literal', 'Infinity'],
];
const REASONING_TAGS = ['think', 'thinking', 'reasoning'] as const;
// Answers of a lookahead (#keyOnNextLine).
const NO = 0;
const YES = 1;
const HOLD = 2;
const MAX_FENCE_TAG = 32;

function isWordStart(c: number): boolean {
  return (c >= UPPER_A && c <= 0x5a) || (c >= LOWER_A && c <= 0x7a) || c === 0x5f || c === 0x24;
}
function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= DIGIT_0 && c <= DIGIT_9);
}
/** Fence language tags: `json`, `jsonc`, `c++`, `objective-c`, `x.y`. */
function isTagPart(c: number): boolean {
  return isWordPart(c) || c === PLUS || c === MINUS || c === DOT || c === 0x23;
}
/** True when `text` is a prefix of one of lenient mode's {@link WORDS}. */
function wordPrefix(text: string): boolean {
  for (const [word] of WORDS) if (word.startsWith(text)) return true;
  return false;
}

/**
 * The strict tokenizer with lenient mode's repairs at its repair points. Every method runs only
 * from a point where strict mode fails (or from a lenient state). Decisions that need characters
 * not yet written hold the rest of the chunk back (#hold: a bounded run, re-read with the next
 * chunk: a few characters, 35 for a fence tag, ~150 for the `unterminated-string` lookahead), so
 * they are the same for every chunking; `end()` decides with what there is.
 */
class LenientTokenizer extends StreamTokenizer {
  readonly #onWarning: ((warning: ParseWarning) => void) | undefined;
  #warnings: ParseWarning[] | undefined = undefined;
  #commaPos = -1; // the latest comma, for a trailing-comma warning
  #commaLine = 1;
  #commaLineStart = 0;
  #carry = ''; // text held back from the last chunk: a decision at its start needs more input
  #holdFrom = -1; // index in the current chunk where the carry starts, or -1
  #atEnd = false; // end() is feeding the carry: decide with what there is
  #lineBlank = true; // prose: only whitespace so far on this line (a fence may open here)
  #closeTag = ''; // the closing tag of the reasoning block
  #commentReturn: TokenizerState = State.VALUE_;
  #wordBuf = '';
  #wordStart = 0;
  #wordIsKey = false;
  #wordNegative = false; // `-` before the word (`-Infinity`)
  #wordTop = false; // the word is at the top level before any value: it may be prose
  #fenceAfter = false; // the closing fence after the value was seen

  constructor(handler: FastTokenHandler, options: TokenizerOptions, repairs: number) {
    // `options` goes on whole: from createRecordTokenizer it carries the JSON.parse fast path
    // (RecordTokenizerOptions.skip_, not in the public option types), which lenient parsers keep.
    super(handler, options);
    this.repairs_ = repairs;
    this.#onWarning = options.onWarning;
  }

  protected override feed_(s: string): void {
    if (this.#carry !== '') {
      s = this.#carry + s; // at most a few characters, see #hold
      this.#carry = '';
    }
    super.feed_(s);
    if (this.#holdFrom >= 0) {
      this.#carry = s.slice(this.#holdFrom);
      this.offset_ -= s.length - this.#holdFrom;
      this.#holdFrom = -1;
    }
  }

  /** The states only lenient mode enters. */
  protected override repairStep_(s: string, i: number, n: number, runStart: number): number {
    switch (this.state_) {
      case State.SQ_STRING_: {
        let c = 0;
        while (i < n) {
          c = s.charCodeAt(i);
          if (c === APOS || c === BACKSLASH || c < SPACE) break;
          i++;
        }
        if (i > runStart) this.#appendRun(s, runStart, i);
        if (i >= n) break;
        if (c === APOS) {
          this.closeString_(i);
          i++;
        } else if (c === BACKSLASH) {
          this.state_ = State.ESCAPE_;
          i++;
        } else {
          i = this.repairControl_(s, i, n);
        }
        break;
      }
      case State.WORD_:
        i = this.#word(s, i, n);
        break;
      case State.PROSE_:
        i = this.#prose(s, i, n);
        break;
      case State.REASONING_:
        i = this.#reasoning(s, i, n);
        break;
      case State.TRAILING_:
        i = n;
        break;
      case State.LINE_COMMENT_: {
        const j = s.indexOf('\n', i);
        if (j < 0) {
          i = n;
        } else {
          this.state_ = this.#commentReturn; // the line feed is read there, as whitespace
          i = j;
        }
        break;
      }
      case State.BLOCK_COMMENT_: {
        const j = s.indexOf('*/', i);
        if (j >= 0) {
          this.#countLines(s, i, j);
          this.state_ = this.#commentReturn;
          i = j + 2;
        } else {
          // A `*` at the chunk's end may start the `*/`.
          const k = !this.#atEnd && s.charCodeAt(n - 1) === STAR ? n - 1 : n;
          this.#countLines(s, i, k);
          i = k < n ? this.#hold(k, n) : n;
        }
        break;
      }
      default:
        i = super.repairStep_(s, i, n, runStart);
    }
    return i;
  }

  /** A number that cannot end at `s[i]`: `-Infinity`, or (at the top level) prose such as `1. Here is…`. */
  protected override repairNumber_(s: string, i: number, runStart: number): void {
    if (this.numBuf_ + s.slice(runStart, i) === '-') {
      this.#lenientMinus(s, i);
      return;
    }
    if (this.stack_.length === 0 && this.#has('leading-text')) {
      // A numbered list can start no number: prose.
      this.#startProse(this.offset_ + runStart - this.numBuf_.length);
      this.numBuf_ = '';
      return;
    }
    super.repairNumber_(s, i, runStart);
  }

  /** At the top level, `the answer is {…}` was prose, not `true`. */
  protected override repairLiteral_(s: string, i: number, index: number): void {
    if (this.stack_.length === 0 && this.#has('leading-text')) this.#startProse(this.offset_ + i - index);
    else super.repairLiteral_(s, i, index);
  }

  protected override endText_(): void {
    this.#atEnd = true;
    if (this.#carry !== '') this.feed_('');
    if (this.state_ === State.WORD_ && !this.#wordIsKey) this.#finishWord('', 0);
    super.endText_();
  }

  protected override endIncomplete_(): void {
    if (!this.#closeOpen()) super.endIncomplete_();
  }

  override get warnings(): readonly ParseWarning[] {
    return this.#warnings ?? super.warnings;
  }

  override get complete(): boolean {
    const state = this.state_ === State.LINE_COMMENT_ || this.state_ === State.BLOCK_COMMENT_ ? this.#commentReturn : this.state_;
    return state === State.TRAILING_ || super.complete || state === State.DONE_;
  }

  #has(code: ParseWarningCode): boolean {
    return (this.repairs_ & REPAIR_BITS[code]) !== 0;
  }

  /**
   * A repair a handler makes on top of the tokenizer's (lenient `string-as-json`, decided by the
   * partial parser with its schema guide), reported in the same list and callback, at `position`
   * on the current line. Returns false (nothing reported) when that repair is off.
   * @internal
   */
  handlerRepair_(code: ParseWarningCode, position: number, message: string): boolean {
    if (!this.#has(code)) return false;
    this.#warn(code, position, message);
    return true;
  }

  /**
   * A repair inside a string value that has not been handed over yet: it is first (its text
   * before `position`), so a handler that rejects the string at its start (a schema expecting a
   * number) does so before the repair is reported, as when a write ended inside the string.
   * Once per string: later repairs in the same write do not hand it over again.
   */
  #warnInString(code: ParseWarningCode, position: number, message: string): void {
    if (!this.strStarted_) this.showString_(position);
    this.#warn(code, position, message);
  }

  #warn(code: ParseWarningCode, position: number, message: string, line = this.line_, lineStart = this.lineStart_): void {
    const warning: ParseWarning = { code, position, line, column: position - lineStart + 1, message };
    (this.#warnings ??= []).push(warning);
    this.#onWarning?.(warning);
  }

  /** Keeps `s[i..n)` for the next chunk (nothing in it has been read); returns `n`. */
  #hold(i: number, n: number): number {
    this.#holdFrom = i;
    return n;
  }

  #countLines(s: string, from: number, to: number): void {
    for (let j = s.indexOf('\n', from); j >= 0 && j < to; j = s.indexOf('\n', j + 1)) {
      this.line_++;
      this.lineStart_ = this.offset_ + j + 1;
    }
  }

  protected override noteComma_(i: number): void {
    this.#commaPos = this.offset_ + i;
    this.#commaLine = this.line_;
    this.#commaLineStart = this.lineStart_;
  }

  #trailingComma(i: number, kind: number): number {
    this.#warn('trailing-comma', this.#commaPos, 'Trailing comma before the closing bracket, dropped', this.#commaLine, this.#commaLineStart);
    return this.close_(i, kind);
  }

  /** A `/` outside strings: the index after `//` or `/*` (now in a comment state), `n` when held, or -1. */
  #tryComment(s: string, i: number, n: number): number {
    if (!this.#has('comment')) return -1;
    // A `/` that ends the text: cut short inside the value (truncated), or trailing text after it.
    if (i + 1 >= n) return !this.#atEnd ? this.#hold(i, n) : this.state_ === State.DONE_ ? -1 : n;
    const d = s.charCodeAt(i + 1);
    if (d !== SLASH && d !== STAR) return -1;
    this.#warn('comment', this.offset_ + i, `${d === SLASH ? 'Line' : 'Block'} comment, skipped`);
    this.#commentReturn = this.state_;
    this.state_ = d === SLASH ? State.LINE_COMMENT_ : State.BLOCK_COMMENT_;
    return i + 2;
  }

  /** After a key or a value: only a comment can be repaired here. */
  protected override repairSeparator_(s: string, i: number, n: number): number {
    if (s.charCodeAt(i) === SLASH) {
      const j = this.#tryComment(s, i, n);
      if (j >= 0) return j;
    }
    return this.failAt_(s, i);
  }

  /** Where a value (or `]`) was expected and `s[i]` cannot start one. */
  protected override repairValue_(s: string, i: number, n: number): number {
    const c = s.charCodeAt(i);
    const top = this.stack_.length === 0;
    if (c === CLOSE_BRACKET && this.state_ === State.VALUE_ && !top && this.stack_[this.stack_.length - 1] === ARRAY && this.#has('trailing-comma')) {
      return this.#trailingComma(i, ARRAY);
    }
    if (c === SLASH) {
      const j = this.#tryComment(s, i, n);
      if (j >= 0) return j;
    }
    if (c === APOS && this.#has('single-quoted-string')) {
      this.#openQuoted(i, false);
      return i + 1;
    }
    if (isWordStart(c) && (top || this.#has('python-literal') || this.#has('javascript-literal'))) {
      this.#startWord(i, false, false);
      return i;
    }
    if (top) {
      if (c === BACKTICK) {
        const j = this.#tryFence(s, i, n, true);
        if (j >= 0) return j;
      }
      if (c === LESS_THAN) {
        const j = this.#tryReasoning(s, i, n);
        if (j >= 0) return j;
      }
      if (this.#has('leading-text')) {
        this.#startProse(this.offset_ + i);
        return i + 1;
      }
    }
    return this.failAt_(s, i);
  }

  /** Where a key (or `}`) was expected and `s[i]` is not `"`. */
  protected override repairKey_(s: string, i: number, n: number): number {
    const c = s.charCodeAt(i);
    if (c === CLOSE_BRACE && this.state_ === State.KEY_ && this.#has('trailing-comma')) return this.#trailingComma(i, OBJECT);
    if (c === SLASH) {
      const j = this.#tryComment(s, i, n);
      if (j >= 0) return j;
    }
    if (c === APOS && this.#has('single-quoted-string')) {
      this.#openQuoted(i, true);
      return i + 1;
    }
    if (isWordStart(c) && this.#has('unquoted-key')) {
      this.#startWord(i, true, false);
      return i;
    }
    return this.failAt_(s, i);
  }

  /** After the top-level value (not `multiple`): a closing fence, a comment, or trailing text. */
  protected override repairAfter_(s: string, i: number, n: number): number {
    const c = s.charCodeAt(i);
    if (c === SLASH) {
      const j = this.#tryComment(s, i, n);
      if (j >= 0) return j;
    }
    if (c === BACKTICK && !this.#fenceAfter) {
      const j = this.#tryFence(s, i, n, false);
      if (j >= 0) return j;
    }
    if (this.#has('trailing-text')) {
      this.#warn('trailing-text', this.offset_ + i, 'Text after the JSON value, ignored');
      this.state_ = State.TRAILING_;
      return n;
    }
    return this.failAt_(s, i);
  }

  /** `-` then `s[i]`, not a digit: `-Infinity`, or prose at the top level. */
  #lenientMinus(s: string, i: number): number {
    this.numBuf_ = '';
    if (s.charCodeAt(i) === UPPER_I && this.#has('javascript-literal')) {
      this.#startWord(i, false, true);
      return i;
    }
    if (this.stack_.length === 0 && this.#has('leading-text')) {
      this.#startProse(this.offset_ + i - 1);
      return i;
    }
    return this.failAt_(s, i);
  }

  #startProse(position: number): void {
    this.#warn('leading-text', position, 'Text before the JSON value, skipped');
    this.state_ = State.PROSE_;
    this.#lineBlank = false;
  }

  /** Prose before the value: up to the first `{` or `[`, a fence at a line start, or a reasoning block. */
  #prose(s: string, i: number, n: number): number {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === LF) {
        this.line_++;
        this.lineStart_ = this.offset_ + i + 1;
        this.#lineBlank = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.state_ = State.VALUE_;
        return i; // read again as the value's start
      } else if (c === BACKTICK && this.#lineBlank) {
        const j = this.#tryFence(s, i, n, true);
        if (j >= 0) return j;
        this.#lineBlank = false;
      } else if (c === LESS_THAN) {
        const j = this.#tryReasoning(s, i, n);
        if (j >= 0) return j;
        this.#lineBlank = false;
      } else if (c !== SPACE && c !== TAB && c !== CR) {
        this.#lineBlank = false;
      }
    }
    return i;
  }

  /**
   * A backtick: an opening fence (three backticks, then an optional language tag) before the
   * value, or the closing one after it. Returns the index after it (`n` when held), or -1.
   */
  #tryFence(s: string, i: number, n: number, opening: boolean): number {
    if (!this.#has('code-fence')) return -1;
    let j = i;
    while (j < n && j < i + 3 && s.charCodeAt(j) === BACKTICK) j++;
    if (j < i + 3) return j === n && !this.#atEnd ? this.#hold(i, n) : -1;
    if (opening) {
      while (j < n && j < i + 3 + MAX_FENCE_TAG && isTagPart(s.charCodeAt(j))) j++;
      if (j === n && j < i + 3 + MAX_FENCE_TAG && !this.#atEnd) return this.#hold(i, n);
      this.state_ = State.VALUE_;
    } else {
      this.#fenceAfter = true;
    }
    this.#warn('code-fence', this.offset_ + i, `${opening ? 'Opening' : 'Closing'} markdown code fence, skipped`);
    return j;
  }

  /** A `<` before the value: a `<think>` (`<thinking>`, `<reasoning>`) block opens here? As {@link #tryFence}. */
  #tryReasoning(s: string, i: number, n: number): number {
    if (!this.#has('reasoning-block')) return -1;
    let partial = false;
    for (const tag of REASONING_TAGS) {
      const open = `<${tag}>`;
      const available = Math.min(n - i, open.length);
      if (!s.startsWith(open.slice(0, available), i)) continue;
      if (available < open.length) {
        partial = true;
        continue;
      }
      this.#warn('reasoning-block', this.offset_ + i, `<${tag}> block before the JSON value, skipped`);
      this.#closeTag = `</${tag}>`;
      this.state_ = State.REASONING_;
      return i + open.length;
    }
    return partial && !this.#atEnd ? this.#hold(i, n) : -1;
  }

  /** Inside a reasoning block: up to its closing tag. */
  #reasoning(s: string, i: number, n: number): number {
    const tag = this.#closeTag;
    const j = s.indexOf(tag, i);
    if (j >= 0) {
      this.#countLines(s, i, j);
      this.state_ = State.VALUE_;
      return j + tag.length;
    }
    // A `<` near the end may start the closing tag: hold it back.
    const lt = this.#atEnd ? -1 : s.lastIndexOf('<', n - 1);
    const k = lt >= i && lt > n - tag.length ? lt : n;
    this.#countLines(s, i, k);
    return k < n ? this.#hold(k, n) : n;
  }

  #openQuoted(i: number, isKey: boolean): void {
    this.#warn('single-quoted-string', this.offset_ + i, `Single-quoted ${isKey ? 'key' : 'string'}, read as a JSON string`);
    this.isKey_ = isKey;
    this.strBuf_ = '';
    this.strLen_ = 0;
    if (!isKey) this.strStarted_ = false;
    this.strState_ = State.SQ_STRING_;
    this.state_ = State.SQ_STRING_;
  }

  /** Appends `s[from..to)` to the open (single-quoted) string, within `maxStringLength`. */
  #appendRun(s: string, from: number, to: number): void {
    this.strBuf_ += s.slice(from, to);
    if (this.maxStringLength_ !== Infinity) {
      this.strLen_ += to - from;
      if (this.strLen_ > this.maxStringLength_) {
        const excess = this.strLen_ - this.maxStringLength_;
        this.strBuf_ = this.strBuf_.slice(0, this.strBuf_.length - excess);
        this.failInString_('max-string-length-exceeded', this.offset_ + to - excess, undefined, String(this.maxStringLength_));
      }
    }
  }

  /**
   * A raw control character at `s[i]` in a string: kept, and the index after it returned. But a
   * line end in a string value in an object, followed by `"key":` on a later line, is where the
   * closing quote (and the comma) went missing: the string ends there (`unterminated-string`).
   * Unambiguous: read as a raw newline, the string would close at that `"` and the key's text
   * after it could not follow. Returns `n` when the decision needs more text (held back).
   */
  protected override repairControl_(s: string, i: number, n: number): number {
    if (!this.#has('control-character')) return super.repairControl_(s, i, n);
    const c = s.charCodeAt(i);
    if (
      (c === LF || c === CR) &&
      !this.isKey_ &&
      this.strState_ === State.STRING_ &&
      this.stack_[this.stack_.length - 1] === OBJECT &&
      this.#has('unterminated-string')
    ) {
      const next = this.#keyOnNextLine(s, i, n);
      if (next === HOLD) return this.#hold(i, n);
      if (next === YES) {
        this.#warn('unterminated-string', this.offset_ + i, 'String without its closing quote at the end of its line (before the next key): closed there');
        this.tokenEnd_ = this.offset_ + i - 1;
        this.state_ = State.KEY_; // the comma went missing too
        if (this.strStarted_) {
          if (this.strBuf_.length > 0) this.handler_.stringPart(this.strBuf_);
          this.handler_.endString();
        } else {
          this.handler_.string(this.strBuf_);
        }
        this.strBuf_ = '';
        return i; // the line end is read again, as whitespace
      }
    }
    this.#warnInString('control-character', this.offset_ + i, `Raw control character U+${c.toString(16).padStart(4, '0').toUpperCase()} in a string, kept`);
    this.appendEscaped_(s.charAt(i), i + 1);
    if (c === LF) {
      this.line_++;
      this.lineStart_ = this.offset_ + i + 1;
    }
    return i + 1;
  }

  /** After the line end at `s[i]`: whitespace, then `"key"` (at most 64 plain characters) and `:`? */
  #keyOnNextLine(s: string, i: number, n: number): number {
    const more = this.#atEnd ? NO : HOLD;
    let j = i;
    while (j < n && j - i < 64) {
      const c = s.charCodeAt(j);
      if (c !== LF && c !== CR && c !== SPACE && c !== TAB) break;
      j++;
    }
    // At 64 characters of whitespace the next one decides (a quote, or too much whitespace):
    // when the chunk ends there, wait for it, as the whole text would read it.
    if (j >= n) return more;
    if (s.charCodeAt(j) !== QUOTE) return NO;
    const keyStart = ++j;
    for (;;) {
      if (j >= n) return more;
      const c = s.charCodeAt(j);
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < SPACE || j - keyStart >= 64) return NO;
      j++;
    }
    const quote = j++;
    for (;;) {
      if (j >= n) return more;
      const c = s.charCodeAt(j);
      if (c === COLON) return YES;
      if ((c !== SPACE && c !== TAB) || j - quote > 16) return NO;
      j++;
    }
  }

  /**
   * `\` then `s[i]`, which cannot start an escape: the backslash is kept and `s[i]` is read again
   * as string text (`\'` in a single-quoted string is a quote). Returns where to go on, or -1.
   */
  protected override repairEscape_(s: string, i: number): number {
    if (s.charCodeAt(i) === APOS && this.strState_ === State.SQ_STRING_) {
      this.appendEscaped_("'", i + 1);
      return i + 1;
    }
    if (!this.#has('invalid-escape')) return -1;
    this.#warnInString('invalid-escape', this.offset_ + i - 1, `Invalid escape \\${characterAt(s, i)} in a string, kept as a backslash and the character`);
    this.appendEscaped_('\\', i);
    return i;
  }

  /** `\u` with fewer than four hex digits before `s[i]`: kept as written. */
  protected override repairUnicode_(s: string, from: number, i: number): void {
    if (!this.#has('invalid-escape')) return super.repairUnicode_(s, from, i);
    const text = `\\u${this.unicodeRaw_}${s.slice(from, i)}`;
    this.#warnInString('invalid-escape', this.offset_ + i - text.length, `Invalid escape ${text} in a string, kept as written`);
    for (let k = 0; k < text.length; k++) this.appendEscaped_(text.charAt(k), i);
    this.unicodeRaw_ = '';
    this.state_ = this.strState_;
  }

  #startWord(i: number, isKey: boolean, negative: boolean): void {
    this.#wordBuf = '';
    this.#wordStart = this.offset_ + i;
    this.#wordIsKey = isKey;
    this.#wordNegative = negative;
    this.#wordTop = !isKey && this.stack_.length === 0;
    this.state_ = State.WORD_;
  }

  /** Inside a word: a key ends at any other character; a value must stay a prefix of a known word. */
  #word(s: string, i: number, n: number): number {
    const from = i;
    while (i < n && isWordPart(s.charCodeAt(i))) i++;
    if (i > from) this.#wordBuf += s.slice(from, i);
    if (this.#wordIsKey && this.#wordBuf.length > this.maxStringLength_) {
      // An unquoted key is bounded like a quoted one (it is buffered whole).
      this.fail_('max-string-length-exceeded', this.#wordStart + this.maxStringLength_, undefined, String(this.maxStringLength_));
    }
    if (!this.#wordIsKey) {
      const word = this.#wordBuf;
      if (this.#wordNegative ? !'Infinity'.startsWith(word) : !wordPrefix(word)) return this.#notAWord(s, i);
    }
    if (i < n) this.#finishWord(s, i);
    return i;
  }

  /** The value word read so far is none of lenient mode's words: prose at the top level, else an error. */
  #notAWord(s: string, i: number): number {
    const word = this.#wordBuf;
    if (this.#wordTop && this.#has('leading-text')) {
      this.#wordBuf = '';
      this.#startProse(this.#wordNegative ? this.#wordStart - 1 : this.#wordStart);
      return i;
    }
    const prefix = (text: string): boolean => (this.#wordNegative ? 'Infinity'.startsWith(text) : wordPrefix(text));
    let k = 0;
    while (k < word.length && prefix(word.slice(0, k + 1))) k++;
    if (k < word.length) return this.fail_('unexpected-character', this.#wordStart + k, word.charAt(k));
    return this.failAt_(s, i);
  }

  /** The word ends before `s[i]` (or at the end of the text when `s` is empty). */
  #finishWord(s: string, i: number): void {
    const word = this.#wordBuf;
    if (this.#wordIsKey) {
      this.#wordBuf = '';
      this.#warn('unquoted-key', this.#wordStart, `Unquoted key ${word}, read as "${word}"`);
      this.tokenEnd_ = this.offset_ + i - 1;
      this.handler_.key(word);
      this.state_ = State.COLON_;
      return;
    }
    const entry = WORDS.find(([w]) => w === word);
    if (entry === undefined || (this.#wordNegative && word !== 'Infinity')) {
      // A prefix of a word, cut short (`Tru,`)
      if (s === '') return; // at the end: truncated
      this.#notAWord(s, i);
      return;
    }
    const [, code, value] = entry;
    if (!this.#has(code)) return void this.fail_('unexpected-character', this.#wordStart, word.charAt(0));
    this.#wordBuf = '';
    const start = this.#wordNegative ? this.#wordStart - 1 : this.#wordStart;
    const shown = this.#wordNegative ? `-${word}` : word;
    const result = this.#wordNegative ? '-Infinity' : value;
    this.#warn(code, start, `${code === 'python-literal' ? 'Python' : 'JavaScript'} literal ${shown}, read as ${JSON.stringify(result)}`);
    this.tokenEnd_ = this.offset_ + i - 1;
    this.state_ = this.afterValue_();
    if (typeof result === 'string') this.handler_.string(result);
    else this.handler_.literal(result);
  }

  /**
   * `end()` in lenient mode on a text that is not complete: closes what is open (a string value
   * keeps its text; a key, a number, a literal, a word or a half escape are dropped) and reports
   * one `truncated` warning. Returns false when the text is complete after all (trailing text or
   * a comment after the value) or truncation repair is off.
   */
  #closeOpen(): boolean {
    let state = this.state_;
    if (state === State.LINE_COMMENT_ || state === State.BLOCK_COMMENT_) state = this.#commentReturn;
    if (state === State.DONE_ || state === State.TRAILING_) {
      this.state_ = State.DONE_;
      return true;
    }
    if (!this.#has('truncated')) return false;
    this.#warn('truncated', this.offset_, 'The text ended inside the JSON value: kept what was read, closed what was open');
    if (!this.isKey_ && (state === State.STRING_ || state === State.SQ_STRING_ || state === State.ESCAPE_ || state === State.UNICODE_)) {
      this.tokenEnd_ = this.offset_ - 1;
      if (this.strStarted_) {
        if (this.strBuf_.length > 0) this.handler_.stringPart(this.strBuf_);
        this.handler_.endString();
      } else {
        this.handler_.string(this.strBuf_);
      }
    }
    this.strBuf_ = '';
    this.numBuf_ = '';
    this.#wordBuf = '';
    this.strState_ = State.STRING_;
    this.tokenEnd_ = this.offset_ - 1;
    while (this.stack_.length > 0) {
      if (this.stack_.pop() === OBJECT) this.handler_.endObject();
      else this.handler_.endArray();
    }
    this.state_ = State.DONE_;
    return true;
  }
}
