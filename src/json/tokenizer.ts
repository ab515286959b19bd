import { chunkTypeError, ParseError, type ParseErrorCode } from './errors.js';
import { lenientPlugin, type Lenient, type ParseWarning } from './warnings.js';
import { concatBytes, fatalDecoder, incompleteTail, utf8PrefixLength } from './utf8.js';
import { characterAt, isHighSurrogate } from './surrogates.js';

// Character codes the state machine branches on, named so it reads as the grammar of RFC 8259.
// A const enum: the build writes each as its number, as the hot loop compares against them
// millions of times (module-local constants would be variables in every bundle).
const enum Ch {
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  QUOTE = 0x22,
  PLUS = 0x2b,
  COMMA = 0x2c,
  MINUS = 0x2d,
  DOT = 0x2e,
  SLASH = 0x2f,
  DIGIT_0 = 0x30,
  DIGIT_9 = 0x39,
  COLON = 0x3a,
  UPPER_A = 0x41,
  UPPER_E = 0x45,
  UPPER_F = 0x46,
  OPEN_BRACKET = 0x5b,
  BACKSLASH = 0x5c,
  CLOSE_BRACKET = 0x5d,
  LOWER_A = 0x61,
  LOWER_B = 0x62,
  LOWER_E = 0x65,
  LOWER_F = 0x66,
  LOWER_N = 0x6e,
  LOWER_R = 0x72,
  LOWER_T = 0x74,
  LOWER_U = 0x75,
  OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  BOM = 0xfeff,
}


/**
 * Receives the tokens of a JSON text from {@link createTokenizer}, in document order.
 *
 * Strings stream: a string that opens and closes within one `write` arrives as one
 * {@link TokenHandler.string} call; a string still open when a `write` ends arrives as
 * {@link TokenHandler.startString}, then one {@link TokenHandler.stringPart} per `write` that
 * added text to it, then {@link TokenHandler.endString}. Parts carry unescaped text; an escape
 * is never split between parts, and a part never ends with a high surrogate while the string is
 * open (it is held back until the next code unit is known). Keys always arrive whole.
 *
 * Numbers and literals arrive once complete. A number needs the character after it (or `end()`)
 * to be complete: `12` may still become `123`.
 *
 * Before a {@link ParseError} is thrown, every token the text before the bad character completes
 * has been emitted, and an open string value has received its text up to that character (as a
 * `startString`/`stringPart`, within `maxStringLength`, holding back a lone high surrogate), so
 * what a handler built is the same however the input was chunked, as text or as bytes.
 *
 * @public
 */
export interface TokenHandler {
  /** `{` was read. */
  startObject(): void;
  /** `}` was read. */
  endObject(): void;
  /** `[` was read. */
  startArray(): void;
  /** `]` was read. */
  endArray(): void;
  /** A complete object key (unescaped). The `:` after it has not necessarily been read yet. */
  key(key: string): void;
  /** A complete string value (unescaped) that opened and closed within one `write`. */
  string(value: string): void;
  /** A string value opened and is still open at the end of this `write`. */
  startString(): void;
  /** More unescaped text of the open string value (never empty). */
  stringPart(text: string): void;
  /** The open string value closed. */
  endString(): void;
  /** A complete number, converted exactly as `JSON.parse` converts it (overflow gives ±Infinity). */
  number(value: number): void;
  /** A complete `true`, `false` or `null`. */
  literal(value: boolean | null): void;
}

/**
 * Where the string value or key opening at `s[i]` (a `"`) closes: the index of the next quote
 * preceded by an even number of backslashes, or -1 when it runs past `s`. A bracket scan's jump
 * over a string (the tokenizer's skip and `select`'s runs); it does not validate the string.
 * @internal
 */
export function closingQuote(s: string, i: number): number {
  let j = s.indexOf('"', i + 1);
  while (j >= 0) {
    let k = j - 1;
    while (s.charCodeAt(k) === Ch.BACKSLASH) k--;
    if (((j - 1 - k) & 1) === 0) return j;
    j = s.indexOf('"', j + 1);
  }
  return -1;
}

/**
 * The fast path a handler inside streamshape may offer, under this key (not part of the public
 * {@link TokenHandler}: a handler written outside never triggers it by accident). When present,
 * an array or object that opens and closes within one `write` is not tokenized: its text (from
 * `[`/`{` to the matching close) is offered instead. Return `true` if it was taken as one
 * complete value (for example by `JSON.parse`), `false` if it is not valid JSON: the
 * tokenizer then tokenizes it as usual, emitting its tokens and raising the {@link ParseError}
 * at the exact character, with no fast path inside it; or `undefined` to decline it whatever its
 * text (it is tokenized, and the containers inside it are offered in turn). The text has only
 * been scanned for brackets and string ends, not validated, so the handler must validate it.
 * @internal
 */
export const SKIPPED: unique symbol = Symbol('streamshape.skipped');

/**
 * The fast path for runs of array elements, used only beside {@link SKIPPED}. When an array or
 * object opens at `s[i]` as an element of an array, the handler may take several whole elements
 * at once: it returns the index just after the last one it took (after a `]` or `}` closing an
 * element; the text from `i` to there must be elements separated by commas, which the handler
 * has validated, each at most `depthLeft` deep), or -1 to decline.
 * @internal
 */
export const SKIPPED_RUN: unique symbol = Symbol('streamshape.skippedRun');

/** A {@link TokenHandler} that may take closed containers whole (see {@link SKIPPED}). @internal */
export interface FastTokenHandler extends TokenHandler {
  readonly [SKIPPED]?: ((text: string) => boolean | undefined) | undefined;
  /**
   * With {@link SKIPPED}: the fast path for runs of array elements (see {@link SKIPPED_RUN}).
   */
  readonly [SKIPPED_RUN]?: ((s: string, i: number, depthLeft: number) => number) | undefined;
}

/** Options of {@link createTokenizer}. @public */
export interface TokenizerOptions {
  /**
   * Most arrays and objects that may be open at once; one more is a `max-depth-exceeded`
   * {@link ParseError} at its `[` or `{`.
   * @defaultValue `Infinity` (like `JSON.parse`, limited only by memory: no recursion is used,
   *   and the tokenizer's work per token does not depend on depth; `createPartialParser`, whose
   *   snapshots and paths do, defaults to 128)
   */
  maxDepth?: number | undefined;
  /**
   * Longest string or key, in UTF-16 code units after unescaping; a longer one is a
   * `max-string-length-exceeded` {@link ParseError}.
   * @defaultValue `Infinity`
   */
  maxStringLength?: number | undefined;
  /**
   * Accept a sequence of JSON texts separated by whitespace or nothing (`{"a":1}{"b":2} [3]`),
   * as in concatenated JSON and JSON Lines, instead of exactly one. Empty input is then valid.
   * @defaultValue `false`
   */
  multiple?: boolean | undefined;
  /**
   * Lenient mode: `lenient()` (imported from `streamshape`, see {@link lenient} and the README's
   * "Lenient mode") repairs what language models send instead of failing: text, fences and
   * reasoning blocks around the value, trailing commas, comments, single quotes, unquoted keys,
   * Python/JavaScript literals, raw control characters and bad escapes in strings, and (at
   * `end()`) a truncated text. Each repair is reported once through `onWarning`. Valid JSON gives
   * exactly the tokens of strict mode. A plug-in, not a flag, so that apps that stay strict do not
   * bundle the repairs.
   * @throws `TypeError` (from `createTokenizer`) for anything else but `undefined` or `false`,
   *   such as `true` or an object of repair switches: pass `lenient()` or `lenient({ … })`.
   * @defaultValue `undefined` (strict RFC 8259)
   */
  lenient?: Lenient | false | undefined;
  /**
   * Called synchronously, in stream order, during the `write()` or `end()` that decides a
   * repair, before the tokens the repair affects. If it throws, that call rethrows and the
   * tokenizer is left in an unspecified state.
   */
  onWarning?: ((warning: ParseWarning) => void) | undefined;
}

/**
 * A push tokenizer made by {@link createTokenizer}.
 * @public
 */
export interface Tokenizer {
  /**
   * Feeds the next chunk: text, or UTF-8 bytes decoded by one streaming fatal `TextDecoder`
   * (so a character may be split between chunks). Emits every token the chunk completes.
   * @throws {@link ParseError} at the first character after which no valid JSON text could
   *   follow; the tokens before it have been emitted. The tokenizer then refuses further input.
   * @throws `TypeError` when called after `end()` or after an error, or with a chunk that is
   *   neither a string nor a `Uint8Array`.
   */
  write(chunk: string | Uint8Array): void;
  /**
   * Signals the end of the input: completes a trailing top-level number.
   * @throws {@link ParseError} with code `unexpected-end` when the JSON text is incomplete, or
   *   `invalid-utf8` when the bytes end inside a UTF-8 sequence.
   */
  end(): void;
  /**
   * Code units (UTF-16, of the decoded text) consumed so far, including a skipped BOM. After a
   * {@link ParseError}, the error's `position` (the offending character, or the end of the
   * text), however the input was chunked. Inside a handler call it is where the current write
   * began: handlers read {@link Tokenizer.tokenPosition}.
   */
  readonly position: number;
  /** Arrays and objects open now. */
  readonly depth: number;
  /**
   * Position (UTF-16 code units from the start of the stream) of the last character of the
   * latest token handed to the handler: the closing quote of a string or key, the last digit of
   * a number, a bracket; for a string part at the end of a write, the write's last character.
   * Handlers read it to locate errors they raise.
   */
  readonly tokenPosition: number;
  /**
   * The text of the number being read when the last `write` ended inside one (`12`, `-`, `1.`,
   * `1e+`), `''` otherwise; after a {@link ParseError} inside a number (`1.x`, `01`), its text
   * before the bad character, however the input was chunked. For displays of growing numbers
   * (`partialNumbers`); the number itself still arrives once complete.
   */
  readonly numberText: string;
  /** True once the input can end here: a complete JSON text (or, with `multiple`, any number of them) has been read. */
  readonly complete: boolean;
  /** Every repair made so far in lenient mode, in stream order (empty in strict mode). */
  readonly warnings: readonly ParseWarning[];
}

// Tokenizer states. Each names what the next non-whitespace character may be. A `const enum`:
// esbuild and tsc inline the numbers in this file, so the hot loop compares small integers, and a
// `switch` over all of them can end in `unreachable`. Exported as a type for the lenient plug-in
// (lenient.ts), which reads the values from LENIENT_STATES.
/** @internal */
export const enum State {
  VALUE = 0, // a value (after `:`, after `,` in an array, at the start)
  VALUE_OR_CLOSE = 1, // a value or `]` (after `[`)
  KEY_OR_CLOSE = 2, // `"` or `}` (after `{`)
  KEY = 3, // `"` (after `,` in an object)
  COLON = 4, // `:` (after a key)
  AFTER_VALUE = 5, // `,` or the container's close
  STRING = 6, // inside a string or key
  ESCAPE = 7, // after `\` in a string
  UNICODE = 8, // inside `\uXXXX`
  NUMBER = 9, // inside a number (sub-state in `numState`)
  LITERAL = 10, // inside `true`, `false` or `null`
  DONE = 11, // after a complete top-level value: only whitespace (or, with `multiple`, another value)
  // Lenient mode only (entered by the lenient plug-in's repairs).
  PROSE = 12, // text before the top-level value
  REASONING = 13, // inside a <think> block before the value (closing tag in `closeTag`)
  TRAILING = 14, // text after the top-level value: ignored
  LINE_COMMENT = 15, // inside `// …` (back to `commentReturn` at the line end)
  BLOCK_COMMENT = 16, // inside `/* … */`
  WORD = 17, // an identifier: unquoted key, Python/JavaScript literal, or a prose word
  SQ_STRING = 18, // inside a single-quoted string or key
}

/**
 * The states the lenient plug-in (lenient.ts) sets or tests, as a plain object: that module cannot
 * inline this file's `const enum` (the package is built one module at a time), and importing the
 * enum would bundle its object with every member's name. The keys end in `_`, so the build
 * shortens them (mangle.config.ts).
 * @internal
 */
export const LENIENT_STATES = {
  VALUE_: State.VALUE,
  KEY_: State.KEY,
  COLON_: State.COLON,
  STRING_: State.STRING,
  ESCAPE_: State.ESCAPE,
  UNICODE_: State.UNICODE,
  DONE_: State.DONE,
  PROSE_: State.PROSE,
  REASONING_: State.REASONING,
  TRAILING_: State.TRAILING,
  LINE_COMMENT_: State.LINE_COMMENT,
  BLOCK_COMMENT_: State.BLOCK_COMMENT,
  WORD_: State.WORD,
  SQ_STRING_: State.SQ_STRING,
} as const;

// Number sub-states (RFC 8259 §6): which characters may come next and whether it may end here.
const enum Num {
  MINUS = 0, // after `-`: a digit
  ZERO = 1, // after a leading `0`: `.`, `e`, or the end
  INT = 2, // in integer digits: digit, `.`, `e`, or the end
  DOT = 3, // after `.`: a digit
  FRAC = 4, // in fraction digits: digit, `e`, or the end
  EXP = 5, // after `e`: sign or digit
  EXP_SIGN = 6, // after the exponent sign: a digit
  EXP_DIGITS = 7, // in exponent digits: digit or the end
}

/**
 * True when a number may end in sub-state `state`: after a digit. Exhaustive, so a new sub-state
 * cannot be forgotten here (the compiler rejects the `default`).
 */
function numberMayEnd(state: Num): boolean {
  switch (state) {
    case Num.ZERO:
    case Num.INT:
    case Num.FRAC:
    case Num.EXP_DIGITS:
      return true;
    case Num.MINUS:
    case Num.DOT:
    case Num.EXP:
    case Num.EXP_SIGN:
      return false;
    default:
      return unreachable(state);
  }
}

/** The `default` of a `switch` that handles every member of a union: `value` is `never` there. */
function unreachable(value: never): never {
  throw new Error(`streamshape: unknown tokenizer state ${value as number}`);
}

/** @internal */
export const ARRAY = 0;
/** @internal */
export const OBJECT = 1;

const LITERALS = ['true', 'false', 'null'] as const;
const LITERAL_VALUES = [true, false, null] as const;

function hexValue(c: number): number {
  if (c >= Ch.DIGIT_0 && c <= Ch.DIGIT_9) return c - Ch.DIGIT_0;
  if (c >= Ch.LOWER_A && c <= Ch.LOWER_F) return c - Ch.LOWER_A + 10;
  if (c >= Ch.UPPER_A && c <= Ch.UPPER_F) return c - Ch.UPPER_A + 10;
  return -1;
}

function simpleEscape(c: number): string | undefined {
  switch (c) {
    case Ch.QUOTE:
      return '"';
    case Ch.BACKSLASH:
      return '\\';
    case Ch.SLASH:
      return '/';
    case Ch.LOWER_B:
      return '\b';
    case Ch.LOWER_F:
      return '\f';
    case Ch.LOWER_N:
      return '\n';
    case Ch.LOWER_R:
      return '\r';
    case Ch.LOWER_T:
      return '\t';
    default:
      return undefined;
  }
}

const EMPTY_BYTES = new Uint8Array(0);
const NO_WARNINGS: readonly ParseWarning[] = Object.freeze([]);

/**
 * Creates a character-level incremental JSON tokenizer: a push state machine that accepts
 * exactly the texts `JSON.parse` accepts (RFC 8259), resumable after any character — inside a
 * string, an escape, a `\uXXXX`, between the two escapes of a surrogate pair, inside a number or
 * a literal, between the bytes of a UTF-8 character — and emits tokens to `handler`.
 *
 * A leading byte order mark (U+FEFF) is skipped (RFC 8259 §8.1 allows a parser to ignore it).
 * No recursion is used: nesting depth is limited only by memory unless `maxDepth` is set.
 *
 * Cost: O(length of the chunk) per `write`; strings, whitespace and digits are scanned in runs.
 *
 * @example
 * ```ts
 * const tokenizer = createTokenizer({ ...handler, number: (n) => console.log(n) });
 * tokenizer.write('[1, 2');
 * tokenizer.write('3]'); // logs 1, then 23
 * tokenizer.end();
 * ```
 * @throws `TypeError` when `handler` lacks one of the {@link TokenHandler} methods (or options were
 *   passed first), naming it.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 * @public
 */
export function createTokenizer(handler: TokenHandler, options: TokenizerOptions = {}): Tokenizer {
  // Checked here, not at the first token that needs it: a missing method would fail mid-text
  // with an internal name in the message.
  for (const method of Object.keys(NO_TOKENS) as (keyof TokenHandler)[]) {
    if (typeof handler?.[method] !== 'function') {
      throw new TypeError(
        `createTokenizer: the first argument is the token handler (options go second), and it has no ${method}() method; a TokenHandler has all of ${Object.keys(NO_TOKENS).join(', ')}`,
      );
    }
  }
  return new TokenizerHandle(makeTokenizer(handler, options));
}

/**
 * What {@link createTokenizer} returns: the tokenizer's public members over the tokenizer itself,
 * whose fields (renamed short by the build) would otherwise show in `Object.keys`, `console.log`
 * and `JSON.stringify` of the object a user holds. The parser and JSON Lines use the tokenizer directly.
 */
class TokenizerHandle implements Tokenizer {
  readonly #tokenizer: Tokenizer;
  constructor(tokenizer: Tokenizer) {
    this.#tokenizer = tokenizer;
  }

  write(chunk: string | Uint8Array): void {
    this.#tokenizer.write(chunk);
  }
  end(): void {
    this.#tokenizer.end();
  }
  get position(): number {
    return this.#tokenizer.position;
  }
  get depth(): number {
    return this.#tokenizer.depth;
  }
  get tokenPosition(): number {
    return this.#tokenizer.tokenPosition;
  }
  get numberText(): string {
    return this.#tokenizer.numberText;
  }
  get complete(): boolean {
    return this.#tokenizer.complete;
  }
  get warnings(): readonly ParseWarning[] {
    return this.#tokenizer.warnings;
  }
}

/**
 * One idle tokenizer that lives as long as the module: V8 holds an object's hidden classes only
 * weakly, so when a major GC finds no tokenizer alive, the optimized code that depends on them is
 * thrown away and the next stream runs unoptimized until the JIT compiles it again (see
 * `shapeKeeper` in partial/parser.ts, which measured it).
 */
let shapeKeeper: StreamTokenizer | undefined;

const ignore = (): void => {};
/** A handler that ignores every token. @internal */
export const NO_TOKENS: TokenHandler = {
  startObject: ignore,
  endObject: ignore,
  startArray: ignore,
  endArray: ignore,
  key: ignore,
  string: ignore,
  startString: ignore,
  stringPart: ignore,
  endString: ignore,
  number: ignore,
  literal: ignore,
};

/**
 * A tokenizer that reads a stream of records (JSON Lines' `concatenated` and `array` modes): it
 * says where each value starts, and can go on after a bad record instead of refusing input.
 * @internal
 */
export interface RecordTokenizer extends Tokenizer {
  /**
   * Position (UTF-16 code units from the start of the stream) of the first character of the
   * latest value begun: its quote, bracket, first digit or `-`, first letter of a literal (also
   * set at a `]` that closes an empty array, and at a character that cannot start a value); -1
   * before the first.
   */
  readonly valueStart: number;
  /**
   * After `write` threw a {@link ParseError}, accepts input again, reading on after a bad value
   * that the caller skipped (with `createValueSkipper` of `skip.ts`): the next write starts at
   * `position` (UTF-16 code units from the stream start), on line `line` whose first character is
   * at `lineStart`, after a value at depth `depth` (0: a top-level value, 1: an element of the
   * top-level array; the containers the bad value left open are closed). Only valid right after
   * `write` threw, with the stream at least `depth` containers deep (not checked).
   */
  resume(depth: number, position: number, line: number, lineStart: number): void;
}

/**
 * Creates a {@link RecordTokenizer}: {@link createTokenizer} with value starts and recovery.
 * @internal
 */
export function createRecordTokenizer(handler: FastTokenHandler, options: TokenizerOptions = {}): RecordTokenizer {
  return makeTokenizer(handler, handler[SKIPPED] === undefined ? options : { ...options, skip_: skipContainer });
}

function makeTokenizer(handler: FastTokenHandler, options: RecordTokenizerOptions): StreamTokenizer {
  shapeKeeper ??= new StreamTokenizer(NO_TOKENS, {});
  const lenientTokenizer = lenientPlugin(options.lenient);
  return lenientTokenizer === undefined ? new StreamTokenizer(handler, options) : (lenientTokenizer(handler, options) as StreamTokenizer);
}

/**
 * {@link TokenizerOptions} as the library's own tokenizers take them: the fast path a handler
 * with {@link SKIPPED} gets from {@link createRecordTokenizer}. `createTokenizer`'s handlers never
 * have one, so its tokenizers (and the bundles of apps that import only it) carry no fast path.
 * @internal
 */
export interface RecordTokenizerOptions extends TokenizerOptions {
  readonly skip_?: SkipContainer | undefined;
}

/** The fast path's step: see {@link skipContainer}. @internal */
export type SkipContainer = (t: FastPathState, s: string, i: number, n: number) => number;

/** The tokenizer's state the fast path reads and moves (members of {@link StreamTokenizer}). @internal */
export interface FastPathState {
  readonly handler_: FastTokenHandler;
  readonly maxDepth_: number;
  readonly stack_: number[];
  readonly offset_: number;
  state_: State;
  line_: number;
  lineStart_: number;
  tokenEnd_: number;
  unclosed_: number[];
  scanStack_: number[];
  unclosedNext_: number;
  noSkipBefore_: number;
  afterValue_(): State;
}

/**
 * The fast path of a handler with {@link SKIPPED}, at the array or object opening at `s[i]`
 * (with room for one more level below `maxDepth`): the handler's {@link SKIPPED_RUN} takes a run
 * of whole elements of the innermost array, or {@link SKIPPED} takes the container whole when it
 * closes within `s`. Returns the index after what was taken, with the tokenizer's state after
 * it, or -1 to tokenize it.
 */
function skipContainer(t: FastPathState, s: string, i: number, n: number): number {
  const handler = t.handler_;
  if (handler[SKIPPED_RUN] !== undefined && i >= t.noSkipBefore_ && t.stack_[t.stack_.length - 1] === ARRAY) {
    const end = handler[SKIPPED_RUN]!(s, i, t.maxDepth_ - t.stack_.length);
    if (end > i) {
      countLines(t, s.slice(i, end), i);
      t.tokenEnd_ = t.offset_ + end - 1;
      t.state_ = State.AFTER_VALUE;
      return end;
    }
  }
  if (i < t.noSkipBefore_) return -1;
  while (t.unclosedNext_ < t.unclosed_.length && t.unclosed_[t.unclosedNext_]! < i) t.unclosedNext_++;
  if (t.unclosedNext_ < t.unclosed_.length && t.unclosed_[t.unclosedNext_] === i) {
    t.unclosedNext_++;
    return -1;
  }
  const end = scanContainer(t, s, i, n);
  if (end < 0) return -1;
  const text = s.slice(i, end);
  const took = handler[SKIPPED]!(text);
  if (took === true) {
    countLines(t, text, i);
    t.tokenEnd_ = t.offset_ + end - 1;
    t.state_ = t.afterValue_();
    return end;
  }
  // Rejected text (false) is tokenized with no fast path inside it, which finds the error. A
  // container declined for another reason (undefined: `select` reaches inside it) may still
  // hold containers to take whole.
  if (took === false) t.noSkipBefore_ = end;
  return -1;
}

/**
 * Counts the line breaks of `text` (the chunk's text from index `from`, taken whole by the fast
 * path) for the positions of later errors, as when it is tokenized (every LF in valid JSON is
 * whitespace). A native search within it: O(its length).
 */
function countLines(t: FastPathState, text: string, from: number): void {
  for (let j = text.indexOf('\n'); j >= 0; j = text.indexOf('\n', j + 1)) {
    t.line_++;
    t.lineStart_ = t.offset_ + from + j + 1;
  }
}

/**
 * Finds the end of the array or object opening at `s[i]` by tracking only brackets and string
 * ends (JSON.parse validates the text afterwards). Returns the index after its close, or -1 if
 * it stays open in this chunk; then every container still open is remembered in `unclosed_`.
 */
function scanContainer(t: FastPathState, s: string, i: number, n: number): number {
  let depth = 0;
  const stack = t.scanStack_;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === Ch.QUOTE) {
      const j = closingQuote(s, i);
      if (j < 0) break; // the string runs past the chunk: so does everything open
      i = j + 1;
    } else if (c === Ch.OPEN_BRACE || c === Ch.OPEN_BRACKET) {
      stack[depth++] = i++;
      if (t.stack_.length + depth > t.maxDepth_) break; // tokenize it: the limit error needs its position
    } else if (c === Ch.CLOSE_BRACE || c === Ch.CLOSE_BRACKET) {
      i++;
      if (--depth === 0) return i;
    } else {
      i++;
    }
  }
  // Only a failed scan replaces the list: it saw every container from `i` to the chunk's end,
  // so a later container not on it closes in this chunk and its scan cannot fail. That keeps
  // the scans of one chunk O(chunk) in total, even for alternating open and closed nesting.
  stack.length = depth;
  t.scanStack_ = t.unclosed_;
  t.unclosed_ = stack;
  t.unclosedNext_ = 0;
  return -1;
}

/**
 * The state machine behind {@link createTokenizer}: strict RFC 8259. Its state lives in fields of
 * one object and its steps are prototype methods, not closures: a tokenizer costs a few hundred
 * bytes, which matters for servers holding 10,000 streams at once (issue 12). Lenient mode is its
 * subclass in lenient.ts, reached only through `lenient()`.
 * @internal
 */
export class StreamTokenizer implements RecordTokenizer {
  // Members without `#` are the state the lenient plug-in's subclass (lenient.ts) reads and
  // repairs; the rest stays private (and is renamed by minifiers).
  protected readonly handler_: FastTokenHandler;
  readonly maxDepth_: number;
  protected readonly maxStringLength_: number;
  readonly #multiple: boolean;
  // The fast path (see createRecordTokenizer) cannot count string lengths, so it is off under a limit.
  readonly skip_: SkipContainer | undefined;

  protected state_: State = State.VALUE;
  protected stack_: number[] = [];
  protected offset_ = 0; // absolute position of the current chunk's first code unit
  protected line_ = 1;
  protected lineStart_ = 0; // absolute position of the current line's first code unit
  protected isKey_ = false;
  protected strBuf_ = ''; // unescaped text of the current string not yet emitted
  protected strLen_ = 0; // code units of the current string so far (for maxStringLength)
  protected strStarted_ = false; // startString() was emitted for the current string value
  protected strState_ = State.STRING; // the string state an escape returns to (lenient: or State.SQ_STRING)
  #unicodeCount = 0;
  #unicodeCode = 0;
  protected unicodeRaw_ = ''; // the hex digits of a `\u` escape read in earlier chunks (kept as written by lenient mode)
  #numState: Num = Num.INT;
  protected numBuf_ = ''; // the part of a number read in earlier chunks
  #litIndex = 0;
  #litKind = 0;
  #failure: ParseError | undefined = undefined;
  #ended = false;
  protected tokenEnd_ = 0; // absolute position of the last character of the latest token
  #decoder: TextDecoder | undefined = undefined;
  #pending: Uint8Array = EMPTY_BYTES; // bytes of an unfinished UTF-8 sequence the decoder holds
  /** The lenient plug-in's repair mask; 0 here (strict), so the comma bookkeeping is skipped. */
  protected repairs_ = 0;

  // Fast path (see skipContainer): containers found by a scan to stay open at the end of this
  // chunk, in ascending order, so they are scanned once per chunk, not once per ancestor. Fields
  // of every tokenizer, used or not: one hidden class for all.
  unclosed_: number[] = [];
  scanStack_: number[] = []; // working stack of scanContainer
  unclosedNext_ = 0;
  noSkipBefore_ = 0; // no fast path inside a container whose text JSON.parse rejected
  #valueStart = -1; // RecordTokenizer: where the latest value began (none yet)

  constructor(handler: FastTokenHandler, options: RecordTokenizerOptions) {
    this.handler_ = handler;
    this.maxDepth_ = options.maxDepth ?? Infinity;
    this.maxStringLength_ = options.maxStringLength ?? Infinity;
    this.#multiple = options.multiple === true;
    this.skip_ = this.maxStringLength_ === Infinity ? options.skip_ : undefined;
  }

  protected fail_(code: ParseErrorCode, absolute: number, found?: string, detail?: string, cause?: unknown): never {
    throw new ParseError({
      code,
      position: absolute,
      line: this.line_,
      column: absolute - this.lineStart_ + 1,
      found,
      detail,
      cause,
    });
  }

  protected failAt_(s: string, i: number, code: ParseErrorCode = 'unexpected-character'): never {
    return this.fail_(code, this.offset_ + i, characterAt(s, i));
  }

  protected afterValue_(): State {
    return this.stack_.length === 0 ? State.DONE : State.AFTER_VALUE;
  }

  /** Skips whitespace from `i`, counting lines; returns the index of the next other character. */
  #skipWhitespace(s: string, i: number, n: number): number {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === Ch.SPACE || c === Ch.TAB || c === Ch.CR) continue;
      if (c === Ch.LF) {
        this.line_++;
        this.lineStart_ = this.offset_ + i + 1;
        continue;
      }
      break;
    }
    return i;
  }

  /**
   * Runs the state machine over `s[i..n)`, keeping `state` and the string/number buffers
   * current at every return and throw.
   */
  #run(s: string, i: number, n: number): void {
    let runStart = i; // start of the current string or number run in this chunk
    while (i < n) {
      switch (this.state_) {
        case State.VALUE:
        case State.VALUE_OR_CLOSE:
        case State.DONE: {
          i = this.#skipWhitespace(s, i, n);
          if (i >= n) break;
          const c = s.charCodeAt(i);
          this.#valueStart = this.offset_ + i;
          if (this.state_ === State.DONE && !this.#multiple) {
            i = this.repairAfter_(s, i, n);
            break;
          }
          if (c === Ch.QUOTE) {
            this.isKey_ = false;
            this.strBuf_ = '';
            this.strLen_ = 0;
            this.strStarted_ = false;
            this.state_ = State.STRING;
            runStart = ++i;
          } else if (c === Ch.OPEN_BRACE || c === Ch.OPEN_BRACKET) {
            if (this.stack_.length >= this.maxDepth_) this.fail_('max-depth-exceeded', this.offset_ + i, s.charAt(i), String(this.maxDepth_));
            if (this.skip_ !== undefined && this.stack_.length + 1 < this.maxDepth_) {
              const end = this.skip_(this as unknown as FastPathState, s, i, n);
              if (end >= 0) {
                i = end;
                break;
              }
            }
            this.tokenEnd_ = this.offset_ + i;
            if (c === Ch.OPEN_BRACE) {
              this.stack_.push(OBJECT);
              this.state_ = State.KEY_OR_CLOSE;
              this.handler_.startObject();
            } else {
              this.stack_.push(ARRAY);
              this.state_ = State.VALUE_OR_CLOSE;
              this.handler_.startArray();
            }
            i++;
          } else if (c === Ch.MINUS || (c >= Ch.DIGIT_0 && c <= Ch.DIGIT_9)) {
            this.#numState = c === Ch.MINUS ? Num.MINUS : c === Ch.DIGIT_0 ? Num.ZERO : Num.INT;
            this.numBuf_ = '';
            this.state_ = State.NUMBER;
            runStart = i++;
          } else if (c === Ch.LOWER_T || c === Ch.LOWER_F || c === Ch.LOWER_N) {
            this.#litKind = c === Ch.LOWER_T ? 0 : c === Ch.LOWER_F ? 1 : 2;
            this.#litIndex = 1;
            this.state_ = State.LITERAL;
            i++;
          } else if (c === Ch.CLOSE_BRACKET && this.state_ === State.VALUE_OR_CLOSE) {
            i = this.close_(i, ARRAY);
          } else {
            i = this.repairValue_(s, i, n);
            runStart = i;
          }
          break;
        }
        case State.KEY_OR_CLOSE:
        case State.KEY: {
          i = this.#skipWhitespace(s, i, n);
          if (i >= n) break;
          const c = s.charCodeAt(i);
          if (c === Ch.QUOTE) {
            this.isKey_ = true;
            this.strBuf_ = '';
            this.strLen_ = 0;
            this.state_ = State.STRING;
            runStart = ++i;
          } else if (c === Ch.CLOSE_BRACE && this.state_ === State.KEY_OR_CLOSE) {
            i = this.close_(i, OBJECT);
          } else {
            i = this.repairKey_(s, i, n);
            runStart = i;
          }
          break;
        }
        case State.COLON: {
          i = this.#skipWhitespace(s, i, n);
          if (i >= n) break;
          if (s.charCodeAt(i) !== Ch.COLON) {
            i = this.repairSeparator_(s, i, n);
            break;
          }
          this.state_ = State.VALUE;
          i++;
          break;
        }
        case State.AFTER_VALUE: {
          i = this.#skipWhitespace(s, i, n);
          if (i >= n) break;
          const c = s.charCodeAt(i);
          const top = this.stack_[this.stack_.length - 1];
          if (c === Ch.COMMA) {
            if (this.repairs_ !== 0) this.noteComma_(i);
            this.state_ = top === OBJECT ? State.KEY : State.VALUE;
            i++;
          } else if ((c === Ch.CLOSE_BRACKET && top === ARRAY) || (c === Ch.CLOSE_BRACE && top === OBJECT)) {
            i = this.close_(i, top!);
          } else {
            i = this.repairSeparator_(s, i, n);
          }
          break;
        }
        case State.STRING: {
          // Scan the run once and slice it: per-character concatenation is O(n^2) for long strings.
          let c = 0;
          while (i < n) {
            c = s.charCodeAt(i);
            if (c === Ch.QUOTE || c === Ch.BACKSLASH || c < Ch.SPACE) break;
            i++;
          }
          if (i > runStart) {
            this.strBuf_ += s.slice(runStart, i);
            if (this.maxStringLength_ !== Infinity) {
              this.strLen_ += i - runStart;
              if (this.strLen_ > this.maxStringLength_) {
                const excess = this.strLen_ - this.maxStringLength_;
                // Keep the code units within the limit: the value shows what the text before
                // the first unit over it says, whatever the chunking.
                this.strBuf_ = this.strBuf_.slice(0, this.strBuf_.length - excess);
                this.failInString_('max-string-length-exceeded', this.offset_ + i - excess, undefined, String(this.maxStringLength_));
              }
            }
          }
          if (i >= n) break;
          if (c === Ch.QUOTE) {
            this.closeString_(i);
            i++;
          } else if (c === Ch.BACKSLASH) {
            this.state_ = State.ESCAPE;
            i++;
          } else {
            i = this.repairControl_(s, i, n);
            runStart = i;
          }
          break;
        }
        case State.ESCAPE: {
          const c = s.charCodeAt(i);
          if (c === Ch.LOWER_U) {
            this.#unicodeCount = 0;
            this.#unicodeCode = 0;
            this.unicodeRaw_ = '';
            this.state_ = State.UNICODE;
            i++;
            break;
          }
          const unescaped = simpleEscape(c);
          if (unescaped === undefined) {
            const j = this.repairEscape_(s, i);
            if (j < 0) this.#failInStringAt(s, i, 'invalid-escape');
            this.state_ = this.strState_;
            runStart = i = j;
            break;
          }
          i++;
          this.appendEscaped_(unescaped, i);
          this.state_ = this.strState_;
          runStart = i;
          break;
        }
        case State.UNICODE: {
          const from = i;
          while (i < n && this.#unicodeCount < 4) {
            const v = hexValue(s.charCodeAt(i));
            if (v < 0) break;
            this.#unicodeCode = this.#unicodeCode * 16 + v;
            this.#unicodeCount++;
            i++;
          }
          if (this.#unicodeCount === 4) {
            this.appendEscaped_(String.fromCharCode(this.#unicodeCode), i);
            this.state_ = this.strState_;
            runStart = i;
          } else if (i < n) {
            this.repairUnicode_(s, from, i); // s[i] is not a hex digit
            runStart = i;
          } else {
            this.unicodeRaw_ += s.slice(from, i);
          }
          break;
        }
        case State.NUMBER: {
          i = this.#scanNumber(s, i, n, runStart);
          if (i >= n) break; // the number goes on in the next chunk (saved below)
          // `s[i]` ends the number; it is read again in the state after the value.
          if (!numberMayEnd(this.#numState)) {
            this.repairNumber_(s, i, runStart);
            break;
          }
          this.state_ = this.afterValue_();
          this.tokenEnd_ = this.offset_ + i - 1;
          const text = this.numBuf_ === '' ? s.slice(runStart, i) : this.numBuf_ + s.slice(runStart, i);
          this.numBuf_ = '';
          this.handler_.number(+text);
          break;
        }
        case State.LITERAL: {
          const text = LITERALS[this.#litKind]!;
          while (i < n && this.#litIndex < text.length) {
            if (s.charCodeAt(i) !== text.charCodeAt(this.#litIndex)) {
              this.repairLiteral_(s, i, this.#litIndex);
              break;
            }
            this.#litIndex++;
            i++;
          }
          if (this.#litIndex === text.length) {
            this.state_ = this.afterValue_();
            this.tokenEnd_ = this.offset_ + i - 1;
            this.handler_.literal(LITERAL_VALUES[this.#litKind]!);
          }
          break;
        }
        case State.SQ_STRING:
        case State.WORD:
        case State.PROSE:
        case State.REASONING:
        case State.TRAILING:
        case State.LINE_COMMENT:
        case State.BLOCK_COMMENT:
          i = this.repairStep_(s, i, n, runStart);
          runStart = i;
          break;
        default:
          unreachable(this.state_);
      }
    }
    // The chunk ended inside a token: keep the start of a number, hand over what an open string
    // value gained.
    if (this.state_ === State.NUMBER) this.numBuf_ += s.slice(runStart, n);
    else if (!this.isKey_ && (this.state_ === State.STRING || this.state_ === State.ESCAPE || this.state_ === State.UNICODE || this.state_ === State.SQ_STRING)) {
      this.tokenEnd_ = this.offset_ + n - 1;
      this.#flushStringPart();
    }
  }

  protected appendEscaped_(unescaped: string, iAfter: number): void {
    if (this.maxStringLength_ !== Infinity && ++this.strLen_ > this.maxStringLength_) {
      this.failInString_('max-string-length-exceeded', this.offset_ + iAfter - 1, undefined, String(this.maxStringLength_));
    }
    this.strBuf_ += unescaped;
  }

  /**
   * Fails inside a string at `absolute`. An open string value first hands over the text read
   * before the bad character (buffered in this write), so the value left behind is what the text
   * before it says, however it was chunked; a key in progress never appears.
   */
  protected failInString_(code: ParseErrorCode, absolute: number, found?: string, detail?: string): never {
    this.showString_(absolute);
    return this.fail_(code, absolute, found, detail);
  }

  /** An open string value hands over the text read before `absolute` (a key in progress never appears). */
  protected showString_(absolute: number): void {
    if (!this.isKey_) {
      this.tokenEnd_ = absolute - 1;
      this.#flushStringPart();
    }
  }

  #failInStringAt(s: string, i: number, code: ParseErrorCode): never {
    return this.failInString_(code, this.offset_ + i, characterAt(s, i));
  }

  #flushStringPart(): void {
    if (!this.strStarted_) {
      this.strStarted_ = true;
      this.handler_.startString();
    }
    let text = this.strBuf_;
    // Hold back a trailing high surrogate: its low half may be in the next chunk.
    if (isHighSurrogate(text.charCodeAt(text.length - 1))) {
      this.strBuf_ = text.slice(-1);
      text = text.slice(0, -1);
    } else {
      this.strBuf_ = '';
    }
    if (text.length > 0) this.handler_.stringPart(text);
  }

  /** Returns the index of the first non-digit at or after `i`. */
  #skipDigits(s: string, i: number, n: number): number {
    while (i < n) {
      const d = s.charCodeAt(i);
      if (d < Ch.DIGIT_0 || d > Ch.DIGIT_9) break;
      i++;
    }
    return i;
  }

  /** Consumes number characters from `i`; returns the index of the first one that is not part of it. */
  #scanNumber(s: string, i: number, n: number, runStart: number): number {
    while (i < n) {
      const c = s.charCodeAt(i);
      const digit = c >= Ch.DIGIT_0 && c <= Ch.DIGIT_9;
      switch (this.#numState) {
        case Num.MINUS:
          if (!digit) return i;
          this.#numState = c === Ch.DIGIT_0 ? Num.ZERO : Num.INT;
          i++;
          break;
        case Num.ZERO:
          if (c === Ch.DOT) this.#numState = Num.DOT;
          else if (c === Ch.LOWER_E || c === Ch.UPPER_E) this.#numState = Num.EXP;
          else if (digit) this.#failInNumber(s, i, runStart); // a leading zero may not be followed by a digit
          else return i;
          i++;
          break;
        case Num.INT:
          i = this.#skipDigits(s, i, n);
          if (i >= n) return i;
          {
            const d = s.charCodeAt(i);
            if (d === Ch.DOT) this.#numState = Num.DOT;
            else if (d === Ch.LOWER_E || d === Ch.UPPER_E) this.#numState = Num.EXP;
            else return i;
          }
          i++;
          break;
        case Num.DOT:
          if (!digit) return i;
          this.#numState = Num.FRAC;
          i++;
          break;
        case Num.FRAC:
          i = this.#skipDigits(s, i, n);
          if (i >= n) return i;
          {
            const d = s.charCodeAt(i);
            if (d === Ch.LOWER_E || d === Ch.UPPER_E) this.#numState = Num.EXP;
            else return i;
          }
          i++;
          break;
        case Num.EXP:
          if (c === Ch.PLUS || c === Ch.MINUS) this.#numState = Num.EXP_SIGN;
          else if (digit) this.#numState = Num.EXP_DIGITS;
          else return i;
          i++;
          break;
        case Num.EXP_SIGN:
          if (!digit) return i;
          this.#numState = Num.EXP_DIGITS;
          i++;
          break;
        case Num.EXP_DIGITS:
          i = this.#skipDigits(s, i, n);
          return i;
        default:
          unreachable(this.#numState);
      }
    }
    return i;
  }

  /** Closes the innermost container at index `i`; returns the index after it. */
  protected close_(i: number, kind: number): number {
    this.tokenEnd_ = this.offset_ + i;
    this.stack_.pop();
    this.state_ = this.afterValue_();
    if (kind === OBJECT) this.handler_.endObject();
    else this.handler_.endArray();
    return i + 1;
  }

  protected feed_(s: string): void {
    let i = 0;
    if (this.offset_ === 0 && s.length > 0 && s.charCodeAt(0) === Ch.BOM) i = 1;
    const n = s.length;
    // Setting an array's length is a runtime call: skip it on the common empty case.
    if (this.unclosed_.length > 0) this.unclosed_.length = 0;
    this.unclosedNext_ = 0;
    this.noSkipBefore_ = 0;
    this.#run(s, i, n);
    this.offset_ += n;
  }

  /** The closing quote of a string or key (double- or single-quoted) at `s[i]`. */
  protected closeString_(i: number): void {
    this.tokenEnd_ = this.offset_ + i;
    this.strState_ = State.STRING;
    if (this.isKey_) {
      this.handler_.key(this.strBuf_);
      this.state_ = State.COLON;
    } else {
      this.state_ = this.afterValue_();
      if (this.strStarted_) {
        if (this.strBuf_.length > 0) this.handler_.stringPart(this.strBuf_);
        this.handler_.endString();
      } else {
        this.handler_.string(this.strBuf_);
      }
    }
    this.strBuf_ = '';
  }

  /**
   * The end of the text (after the decoder's last characters): completes a trailing number, then
   * fails unless a complete text was read.
   */
  protected endText_(): void {
    if (this.state_ === State.NUMBER && numberMayEnd(this.#numState)) {
      const text = this.numBuf_;
      this.numBuf_ = '';
      this.state_ = this.afterValue_();
      this.tokenEnd_ = this.offset_ - 1;
      this.handler_.number(+text);
    }
    if (!(this.state_ === State.DONE || (this.#multiple && this.state_ === State.VALUE && this.stack_.length === 0))) this.endIncomplete_();
  }

  // ---- Repair points: each is called only where strict RFC 8259 parsing fails, and fails here.
  // The lenient plug-in (`lenient()`, lenient.ts) overrides them in a subclass with its repairs,
  // so a strict tokenizer carries no repair code and its loop pays nothing for them.

  /** A text that is not complete at `end()`. */
  protected endIncomplete_(): void {
    this.fail_('unexpected-end', this.offset_);
  }

  /** `s[i]` after the top-level value (not `multiple`). Returns where to go on. */
  protected repairAfter_(s: string, i: number, _n: number): number {
    return this.failAt_(s, i);
  }

  /** `s[i]` cannot start a value (or close an empty array) where one is expected. */
  protected repairValue_(s: string, i: number, _n: number): number {
    return this.failAt_(s, i);
  }

  /** `s[i]` is not `"` (or `}`) where a key is expected. */
  protected repairKey_(s: string, i: number, _n: number): number {
    return this.failAt_(s, i);
  }

  /** `s[i]` is not the `:` after a key, or not `,` or the close after a value. */
  protected repairSeparator_(s: string, i: number, _n: number): number {
    return this.failAt_(s, i);
  }

  /** A comma at `s[i]` after a value; called only when {@link repairs_} is not 0. */
  protected noteComma_(_i: number): void {}

  /** A raw control character at `s[i]` inside a string. */
  protected repairControl_(s: string, i: number, _n: number): number {
    return this.#failInStringAt(s, i, 'control-character');
  }

  /** `\` then `s[i]`, which starts no escape: where the string goes on, or -1 to fail. */
  protected repairEscape_(_s: string, _i: number): number {
    return -1;
  }

  /** `\u` with fewer than four hex digits (from `s[from]`) before `s[i]`. */
  protected repairUnicode_(s: string, _from: number, i: number): void {
    this.#failInStringAt(s, i, 'invalid-escape');
  }

  /** `s[i]` ends a number where it may not end (`-x`, `1.x`); the number's run began at `runStart`. */
  protected repairNumber_(s: string, i: number, runStart: number): void {
    this.#failInNumber(s, i, runStart);
  }

  /** Fails at `s[i]` inside a number, keeping the number's text so far in `numberText` (for partialNumbers). */
  #failInNumber(s: string, i: number, runStart: number): never {
    this.numBuf_ += s.slice(runStart, i);
    return this.failAt_(s, i);
  }

  /** `s[i]` breaks the literal `true`/`false`/`null` after its first `index` characters. */
  protected repairLiteral_(s: string, i: number, _index: number): void {
    this.failAt_(s, i);
  }

  /** A state only lenient mode enters (a comment, prose, a word, a single-quoted string…): never reached in strict mode. */
  protected repairStep_(_s: string, _i: number, _n: number, _runStart: number): number {
    return unreachable(this.state_ as never);
  }

  /**
   * Decodes bytes; on invalid UTF-8 first feeds the valid text before the bad byte, then fails
   * after it. The decoder keeps a leading BOM in the text (`ignoreBOM`), so bytes and text agree
   * on it: `feed` skips one at the start, a second is an error, and positions count it.
   */
  #decode(bytes: Uint8Array): string {
    this.#decoder ??= fatalDecoder();
    try {
      const text = this.#decoder.decode(bytes, { stream: true });
      // What the decoder now holds of an unfinished character (at most 3 bytes): within `bytes`
      // unless it is shorter than that.
      const pending = this.#pending;
      const all = bytes.length >= 3 || pending.length === 0 ? bytes : concatBytes([pending, bytes], pending.length + bytes.length);
      const held = incompleteTail(all);
      this.#pending = held === 0 ? EMPTY_BYTES : all.slice(all.length - held);
      return text;
    } catch (cause) {
      // The fatal decoder has discarded its state. The bytes it held (an unfinished sequence
      // from earlier chunks) and this chunk are decoded again from scratch: the longest valid
      // prefix (validity of a prefix is monotone, so binary search) is fed before failing, so
      // the error and the text before it do not depend on where the chunks were cut.
      const all = concatBytes([this.#pending, bytes], this.#pending.length + bytes.length);
      this.#pending = EMPTY_BYTES;
      const lo = utf8PrefixLength(all);
      const text = lo === 0 ? '' : fatalDecoder().decode(all.subarray(0, lo), { stream: true });
      if (text.length > 0) this.feed_(text);
      return this.fail_('invalid-utf8', this.offset_, undefined, undefined, cause);
    }
  }

  #guard(method: string): void {
    if (this.#failure !== undefined) {
      throw new TypeError(
        `${method} called after the JSON text was rejected (${this.#failure.message}); create a new tokenizer`,
        { cause: this.#failure },
      );
    }
    if (this.#ended) throw new TypeError(`${method} called after end(); create a new tokenizer`);
  }

  // A ParseError ends the stream where it points, whatever the chunking: `position` reads there.
  #rejected(error: unknown): never {
    if (error instanceof ParseError) this.offset_ = (this.#failure = error).position;
    throw error;
  }

  write(chunk: string | Uint8Array): void {
    this.#guard('write()');
    try {
      if (typeof chunk === 'string') {
        if (this.#decoder !== undefined) {
          // Text after bytes: the bytes must have ended on a character boundary.
          const rest = this.#decodeFlush();
          if (rest.length > 0) this.feed_(rest);
        }
        this.feed_(chunk);
      } else if (chunk instanceof Uint8Array) {
        const text = this.#decode(chunk);
        if (text.length > 0) this.feed_(text);
      } else {
        throw chunkTypeError(chunk);
      }
    } catch (error) {
      this.#rejected(error);
    }
  }
  end(): void {
    this.#guard('end()');
    try {
      if (this.#decoder !== undefined) {
        const rest = this.#decodeFlush();
        if (rest.length > 0) this.feed_(rest);
      }
      this.endText_();
      this.#ended = true;
    } catch (error) {
      this.#rejected(error);
    }
  }
  get position() {
    return this.offset_;
  }
  get depth() {
    return this.stack_.length;
  }
  get tokenPosition() {
    return this.tokenEnd_;
  }
  get warnings(): readonly ParseWarning[] {
    return NO_WARNINGS;
  }
  get numberText() {
    return this.state_ === State.NUMBER ? this.numBuf_ : '';
  }
  get complete() {
    return this.state_ === State.DONE || (this.#multiple && this.state_ === State.VALUE && this.stack_.length === 0);
  }

  get valueStart() {
    return this.#valueStart;
  }

  resume(depth: number, position: number, line: number, lineStart: number): void {
    this.#failure = undefined;
    this.stack_.length = depth;
    this.state_ = this.afterValue_();
    this.offset_ = position;
    this.line_ = line;
    this.lineStart_ = lineStart;
  }

  #decodeFlush(): string {
    this.#pending = EMPTY_BYTES;
    try {
      return this.#decoder!.decode();
    } catch (cause) {
      return this.fail_('invalid-utf8', this.offset_, undefined, undefined, cause);
    }
  }
}
