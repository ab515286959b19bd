import fc from 'fast-check';
import { isHighSurrogate } from '../json/surrogates.js';
import { jsonText } from './json-text.js';
import type { ParseWarningCode } from '../json/warnings.js';

/**
 * The kinds of damage {@link modelDamage} applies: what language models do to the JSON they are
 * asked for. Each is repaired by streamshape's lenient mode with the warning of the same name,
 * except `code-fence` (one `code-fence` warning per fence line: two when both lines are
 * present) and `truncation` (one `truncated` warning at the end).
 *
 * - `reasoning-block`: a `<think>…</think>` block (or `<thinking>`, `<reasoning>`) before the value.
 * - `leading-text`: prose before the value (`Here is the JSON:`).
 * - `code-fence`: the value wrapped in a markdown fence, with or without a language tag.
 * - `trailing-text`: prose after the value.
 * - `trailing-comma`: a comma after the last element of an array or object.
 * - `comment`: a `//` or `/* *\/` comment between tokens.
 * - `single-quoted-string`: a key or string value in single quotes.
 * - `unquoted-key`: a key written as a bare identifier.
 * - `python-literal`: `True`, `False` or `None` for `true`, `false`, `null`.
 * - `javascript-literal`: `undefined` for `null`; `NaN`, `Infinity` or `-Infinity` in place of a
 *   literal or number (lenient mode gives the strings `"NaN"`…, as jsonrepair does: the
 *   original text holds that string there).
 * - `control-character`: a raw control character (tab, newline, U+0001…) inside a string.
 * - `invalid-escape`: a backslash before a character that cannot start an escape (`\U`, `\x`).
 * - `truncation`: the text cut inside the value (the model hit its token limit).
 *
 * @public
 */
export type DamageKind =
  | 'reasoning-block'
  | 'leading-text'
  | 'code-fence'
  | 'trailing-text'
  | 'trailing-comma'
  | 'comment'
  | 'single-quoted-string'
  | 'unquoted-key'
  | 'python-literal'
  | 'javascript-literal'
  | 'control-character'
  | 'invalid-escape'
  | 'truncation';

/**
 * Every {@link DamageKind}, in the order the kinds appear in a damaged text's description.
 * @public
 */
export const DAMAGE_KINDS: readonly DamageKind[] = [
  'reasoning-block',
  'leading-text',
  'code-fence',
  'trailing-text',
  'trailing-comma',
  'comment',
  'single-quoted-string',
  'unquoted-key',
  'python-literal',
  'javascript-literal',
  'control-character',
  'invalid-escape',
  'truncation',
];

/**
 * A warning code lenient mode reports for a repair: the same strings as the parser's
 * `ParseWarningCode` (restricted to the repairs {@link modelDamage} makes).
 * @public
 */
export type DamageWarningCode = Exclude<ParseWarningCode, 'unterminated-string' | 'string-as-json'>;

/**
 * One sample of {@link modelDamage}.
 * @public
 */
export interface ModelDamage {
  /** The damaged text, as a model might send it. */
  text: string;
  /**
   * A valid JSON text the damaged one came from: the input text, with the characters that the
   * `control-character` and `invalid-escape` damages insert into strings written as escapes
   * (`\t`, `\\x`), and the string `"NaN"` where a `javascript-literal` damage wrote `NaN`
   * (also `Infinity`, `-Infinity`), so `JSON.parse(original)` is the value the damaged text
   * stands for.
   */
  original: string;
  /** The damages applied, in the order they were applied (a kind may repeat). */
  damages: DamageKind[];
  /**
   * The value lenient mode must give for {@link ModelDamage.text}: `JSON.parse(original)`, or,
   * after a `truncation`, the value of the text before the cut with open strings and containers
   * closed and an incomplete key (with its missing value) dropped.
   */
  expected: unknown;
  /**
   * The warning codes lenient mode must report, in stream order: one per repair, and
   * `truncated` last after a truncation (warnings of repairs after the cut are gone with it).
   */
  warnings: DamageWarningCode[];
}

/**
 * Constraints for {@link modelDamage}.
 * @public
 */
export interface ModelDamageConstraints {
  /**
   * Fewest damages attempted. A damage with no place to go in the text (a trailing comma in
   * `[]`, prose around a top-level scalar) is skipped, so fewer may be applied.
   * @defaultValue 1
   */
  minDamages?: number | undefined;
  /**
   * Most damages attempted.
   * @defaultValue 4
   */
  maxDamages?: number | undefined;
  /**
   * The kinds to choose from.
   * @defaultValue every kind ({@link DAMAGE_KINDS})
   */
  kinds?: readonly DamageKind[] | undefined;
}

/** One damage to apply: its kind, where (taken modulo the places it can go) and which variant. */
interface DamageSpec {
  kind: DamageKind;
  at: number;
  variant: number;
}

/** A piece of string content: the damaged text, the original text, the code units it stands for. */
interface Piece {
  raw: string;
  orig: string;
  value: string;
  /** The warning this piece causes (an inserted control character or invalid escape). */
  warning?: DamageWarningCode | undefined;
}

type Token =
  | { kind: 'ws'; raw: string; /** a cut right after it is not allowed (it is inside a repair) */ noCut?: boolean | undefined }
  | { kind: 'open'; raw: '{' | '[' }
  | { kind: 'close'; raw: '}' | ']'; /** index of the matching open */ open: number }
  | { kind: 'colon'; raw: ':' }
  | { kind: 'comma'; raw: ',' }
  | { kind: 'string'; key: boolean; quote: '"' | "'" | ''; pieces: Piece[]; warning?: DamageWarningCode | undefined }
  | { kind: 'number'; raw: string }
  /** `true`, `false`, `null`, or after a damage `True`…, `undefined`, and `NaN`/`Infinity`/`-Infinity` (string values). */
  | { kind: 'literal'; raw: string; value: boolean | null | string; warning?: DamageWarningCode | undefined }
  /** Text a damage inserted between tokens (a comment, a trailing comma): absent from the original. */
  | { kind: 'inserted'; raw: string; warning: DamageWarningCode; /** a cut right after it is not allowed */ noCutAfter: boolean };

/** The text around the value. */
interface Frame {
  think?: string | undefined;
  prose?: string | undefined;
  fence?: string | undefined;
  fenceClose?: string | undefined;
  trailing?: string | undefined;
}

interface Doc {
  tokens: Token[];
  frame: Frame;
  /** Whether the top-level value is an array or object (text around it is recoverable). */
  container: boolean;
}

const WS = /[ \t\n\r]/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Splits a valid JSON text into tokens (strings into pieces). Only for texts `JSON.parse` accepts. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const opens: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (WS.test(c)) {
      let j = i + 1;
      while (j < text.length && WS.test(text.charAt(j))) j++;
      tokens.push({ kind: 'ws', raw: text.slice(i, j) });
      i = j;
    } else if (c === '{' || c === '[') {
      opens.push(tokens.length);
      tokens.push({ kind: 'open', raw: c });
      i++;
    } else if (c === '}' || c === ']') {
      tokens.push({ kind: 'close', raw: c, open: opens.pop()! });
      i++;
    } else if (c === ':') {
      tokens.push({ kind: 'colon', raw: ':' });
      i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma', raw: ',' });
      i++;
    } else if (c === '"') {
      const pieces: Piece[] = [];
      let j = i + 1;
      while (text.charAt(j) !== '"') {
        let raw: string;
        if (text.charAt(j) === '\\') {
          raw = text.charAt(j + 1) === 'u' ? text.slice(j, j + 6) : text.slice(j, j + 2);
          // An escaped surrogate pair is one piece: a cut never separates its halves.
          const code = parseInt(raw.slice(2), 16);
          if (raw.length === 6 && isHighSurrogate(code) && /^\\u[dD][c-fC-F]/.test(text.slice(j + 6, j + 10))) {
            raw = text.slice(j, j + 12);
          }
        } else {
          const code = text.charCodeAt(j);
          raw = isHighSurrogate(code) && j + 1 < text.length ? text.slice(j, j + 2) : text.charAt(j);
        }
        pieces.push({ raw, orig: raw, value: JSON.parse(`"${raw}"`) as string });
        j += raw.length;
      }
      tokens.push({ kind: 'string', key: false, quote: '"', pieces });
      i = j + 1;
    } else if (c === 't' || c === 'f' || c === 'n') {
      const raw = c === 'f' ? 'false' : c === 't' ? 'true' : 'null';
      tokens.push({ kind: 'literal', raw, value: c === 'n' ? null : c === 't' });
      i += raw.length;
    } else {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (match === null || match[0] === '') throw new TypeError(`modelDamage: not a JSON text at ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
      tokens.push({ kind: 'number', raw: match[0] });
      i += match[0].length;
    }
  }
  // A string is a key when the next token that is not whitespace is a colon.
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.kind !== 'string') continue;
    let n = t + 1;
    while (tokens[n]?.kind === 'ws') n++;
    token.key = tokens[n]?.kind === 'colon';
  }
  return tokens;
}

function rawOf(token: Token): string {
  if (token.kind !== 'string') return token.raw;
  let out = token.quote;
  for (const piece of token.pieces) out += piece.raw;
  return out + token.quote;
}

function origOf(token: Token): string {
  switch (token.kind) {
    case 'string': {
      let out = '"';
      for (const piece of token.pieces) out += piece.orig;
      return `${out}"`;
    }
    case 'literal':
      return JSON.stringify(token.value);
    case 'inserted':
      return '';
    default:
      return token.raw;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Words a lenient parser may read as literals: never used as unquoted keys. */
const RESERVED = new Set(['true', 'false', 'null', 'True', 'False', 'None', 'undefined', 'NaN', 'Infinity']);

const THINK_TAGS = ['think', 'thinking', 'reasoning'] as const;
const THINK_TEXT = [
  'The user wants JSON. I will answer with an object.',
  'Let me think.\nThe schema says {"name": string}; fields [a, b].',
  'ok',
];
// Prose never holds `{`, `[`, a backtick, `<` or a quote, and starts with a letter that cannot
// start a value (not t/f/n/T/F/N/u/I/digits).
const PROSE = ['Here is the JSON you asked for:\n', 'Sure! ', 'Okay, here it is.\n\n', 'Result: ', 'Here you go:\n'];
const FENCE_TAGS = ['json', '', 'JSON', 'jsonc', 'javascript'];
// Trailing prose may hold anything; it starts with a letter so it cannot continue the value.
const TRAILING = ['\nHope this helps!', ' Let me know if you need anything else.', '\n\nNote: the "ids" are {examples}, see [1].', '\nDone.\n'];
const COMMENTS = ['// note\n', '/* note */', '// a "quoted" {brace} [x]\n', '/* multi\nline */', '//\n', '/**/'];
const JS_WORDS = ['NaN', 'Infinity', '-Infinity'];
const CONTROL = ['\t', '\n', '\u0001', '\u001f', '\r', '\b', '\u0000', '\f'];
/** Characters that cannot start an escape (not `"\/bfnrtu`), nor a quote or a line break. */
const BAD_ESCAPE = ['U', 'x', 'a', 'd', 'p', 's', 'w', '0', 'C', '.', '-', '_', 'W', ' ', '$'];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** `\uXXXX` or the short escape for a control character, as the original text writes it. */
function escapeControl(c: string): string {
  return JSON.stringify(c).slice(1, -1);
}

/** Where a damage can go: returns the indices (or other handles) of the places. */
function sites(doc: Doc, kind: DamageKind): number[] {
  const { tokens, frame } = doc;
  const out: number[] = [];
  switch (kind) {
    case 'reasoning-block':
      return doc.container && frame.think === undefined ? [0] : [];
    case 'leading-text':
      return doc.container && frame.prose === undefined ? [0] : [];
    case 'code-fence':
      return doc.container && frame.fence === undefined ? [0] : [];
    case 'trailing-text':
      return doc.container && frame.trailing === undefined ? [0] : [];
    case 'truncation':
      return [];
    case 'trailing-comma':
      tokens.forEach((token, t) => {
        if (token.kind !== 'close') return;
        let p = t - 1;
        while (tokens[p]?.kind === 'ws') p--;
        if (p !== token.open && tokens[p]?.kind !== 'inserted') out.push(t);
      });
      return out;
    case 'comment':
      tokens.forEach((token, t) => {
        if (token.kind === 'open' || token.kind === 'colon' || token.kind === 'comma') out.push(t);
      });
      return out;
    case 'single-quoted-string':
      tokens.forEach((token, t) => {
        if (token.kind === 'string' && token.quote === '"' && token.pieces.every((p) => !p.raw.includes("'"))) out.push(t);
      });
      return out;
    case 'unquoted-key':
      tokens.forEach((token, t) => {
        if (token.kind !== 'string' || !token.key || token.quote !== '"') return;
        const raw = token.pieces.map((p) => p.raw).join('');
        if (IDENTIFIER.test(raw) && !RESERVED.has(raw)) out.push(t);
      });
      return out;
    case 'python-literal':
      tokens.forEach((token, t) => {
        if (token.kind === 'literal' && token.warning === undefined) out.push(t);
      });
      return out;
    case 'javascript-literal':
      tokens.forEach((token, t) => {
        if ((token.kind === 'literal' && token.warning === undefined) || token.kind === 'number') out.push(t);
      });
      return out;
    case 'control-character':
    case 'invalid-escape':
      tokens.forEach((token, t) => {
        if (token.kind === 'string' && token.quote !== '') out.push(t);
      });
      return out;
    default: {
      const exhaustive: never = kind;
      throw new TypeError(`modelDamage: unknown damage ${String(exhaustive)}`);
    }
  }
}

/** Applies one damage at `site` (from {@link sites}); `variant` picks among its forms. */
function apply(doc: Doc, kind: Exclude<DamageKind, 'truncation'>, site: number, variant: number): void {
  const { tokens, frame } = doc;
  switch (kind) {
    case 'reasoning-block': {
      const tag = pick(THINK_TAGS, variant);
      frame.think = `<${tag}>\n${pick(THINK_TEXT, variant >> 2)}\n</${tag}>\n`;
      return;
    }
    case 'leading-text':
      frame.prose = pick(PROSE, variant);
      return;
    case 'code-fence':
      frame.fence = `\`\`\`${pick(FENCE_TAGS, variant)}\n`;
      // The closing fence ends its line when prose follows (set when the text is assembled).
      frame.fenceClose = variant % 2 === 0 ? '\n```\n' : '\n```';
      return;
    case 'trailing-text':
      frame.trailing = pick(TRAILING, variant);
      return;
    case 'trailing-comma': {
      // Right after the last element; whitespace may follow before the bracket, no cut in between.
      let p = site - 1;
      while (tokens[p]?.kind === 'ws') p--;
      tokens.splice(p + 1, 0, { kind: 'inserted', raw: ',', warning: 'trailing-comma', noCutAfter: true });
      for (let w = p + 2; ; w++) {
        const ws = tokens[w];
        if (ws?.kind !== 'ws') break;
        ws.noCut = true;
      }
      fixOpens(tokens, p + 1);
      return;
    }
    case 'comment': {
      tokens.splice(site + 1, 0, { kind: 'inserted', raw: pick(COMMENTS, variant), warning: 'comment', noCutAfter: false });
      fixOpens(tokens, site + 1);
      return;
    }
    case 'single-quoted-string': {
      const token = tokens[site] as Extract<Token, { kind: 'string' }>;
      token.quote = "'";
      token.warning = 'single-quoted-string';
      // Inside single quotes a double quote needs no escape.
      for (const piece of token.pieces) if (piece.raw === '\\"' && variant % 2 === 0) piece.raw = '"';
      return;
    }
    case 'unquoted-key': {
      const token = tokens[site] as Extract<Token, { kind: 'string' }>;
      token.quote = '';
      token.warning = 'unquoted-key';
      return;
    }
    case 'python-literal': {
      const token = tokens[site] as Extract<Token, { kind: 'literal' }>;
      token.raw = token.value === null ? 'None' : token.value ? 'True' : 'False';
      token.warning = 'python-literal';
      return;
    }
    case 'javascript-literal': {
      const token = tokens[site]!;
      if (token.kind === 'literal' && token.value === null && variant % 4 === 0) {
        token.raw = 'undefined';
        token.warning = 'javascript-literal';
        return;
      }
      // A value becomes `NaN`, `Infinity` or `-Infinity`: lenient mode gives the string, as
      // jsonrepair does, so the original holds that string in its place.
      const word = pick(JS_WORDS, variant >> 2);
      tokens[site] = { kind: 'literal', raw: word, value: word, warning: 'javascript-literal' };
      return;
    }
    case 'control-character':
    case 'invalid-escape': {
      const token = tokens[site] as Extract<Token, { kind: 'string' }>;
      const at = variant % (token.pieces.length + 1);
      let piece: Piece;
      if (kind === 'control-character') {
        const c = pick(CONTROL, variant >> 4);
        piece = { raw: c, orig: escapeControl(c), value: c, warning: 'control-character' };
      } else {
        const c = pick(BAD_ESCAPE, variant >> 4);
        piece = { raw: `\\${c}`, orig: `\\\\${c}`, value: `\\${c}`, warning: 'invalid-escape' };
      }
      token.pieces.splice(at, 0, piece);
      return;
    }
    default: {
      const exhaustive: never = kind;
      throw new TypeError(`modelDamage: unknown damage ${String(exhaustive)}`);
    }
  }
}

/** After inserting a token at `at`, shifts the `open` index of the brackets after it. */
function fixOpens(tokens: Token[], at: number): void {
  for (const token of tokens) if (token.kind === 'close' && token.open >= at) token.open++;
}

/** Sets a property as `JSON.parse` does: own and enumerable, even `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

interface Cut {
  /** Tokens wholly before the cut. */
  tokens: number;
  /** When the cut is inside a string: the pieces before it. */
  pieces?: number | undefined;
}

/** Every place the value can be cut so that what lenient mode keeps is certain. */
function cuts(tokens: Token[]): Cut[] {
  const out: Cut[] = [];
  // The value's last token is the closing bracket (or the scalar): cut before it, after its first character.
  let last = tokens.length - 1;
  while (tokens[last]?.kind === 'ws') last--;
  let first = 0;
  while (tokens[first]?.kind === 'ws') first++;
  for (let t = first; t <= last; t++) {
    const token = tokens[t]!;
    if (token.kind === 'string' && token.quote !== "'" && token.quote !== '') {
      // Inside a string: after the opening quote and between pieces, never after a raw line break
      // (a string that ends at a line break might be read as unterminated).
      for (let p = 0; p <= token.pieces.length; p++) {
        if (p === token.pieces.length && t === last) break;
        const previous = token.pieces[p - 1];
        if (previous !== undefined && (previous.raw === '\n' || previous.raw === '\r')) continue;
        out.push({ tokens: t, pieces: p });
      }
    }
    if (t === last) break;
    // After the whole token: not after a number or literal (it might go on), nor inside a repair.
    if (token.kind === 'number' || token.kind === 'literal') continue;
    if (token.kind === 'inserted' && token.noCutAfter) continue;
    if (token.kind === 'ws' && token.noCut === true) continue;
    if (token.kind === 'string' && token.quote === '') continue;
    out.push({ tokens: t + 1 });
  }
  return out;
}

type Open = { array: unknown[] } | { object: Record<string, unknown>; key: string | undefined };

/** The value of the tokens before `cut` as lenient mode completes it (all tokens when no cut). */
function valueOf(tokens: Token[], cut: Cut | undefined): unknown {
  const end = cut?.tokens ?? tokens.length;
  const stack: Open[] = [];
  let root: unknown;
  const add = (value: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) root = value;
    else if ('array' in top) top.array.push(value);
    else {
      setOwn(top.object, top.key!, value);
      top.key = undefined;
    }
  };
  const stringValue = (token: Extract<Token, { kind: 'string' }>, pieces: number): string =>
    token.pieces
      .slice(0, pieces)
      .map((p) => p.value)
      .join('');
  for (let t = 0; t < end; t++) {
    const token = tokens[t]!;
    switch (token.kind) {
      case 'open': {
        const container: Open = token.raw === '[' ? { array: [] } : { object: {}, key: undefined };
        add('array' in container ? container.array : container.object);
        stack.push(container);
        break;
      }
      case 'close':
        stack.pop();
        break;
      case 'string': {
        const value = stringValue(token, token.pieces.length);
        const top = stack[stack.length - 1];
        if (token.key && top !== undefined && 'object' in top) top.key = value;
        else add(value);
        break;
      }
      case 'number':
        add(JSON.parse(token.raw));
        break;
      case 'literal':
        add(token.value);
        break;
      default:
        break;
    }
  }
  if (cut?.pieces !== undefined) {
    const token = tokens[end] as Extract<Token, { kind: 'string' }>;
    // A cut key is dropped with its value; a cut string value keeps the text before the cut.
    if (!token.key) add(stringValue(token, cut.pieces));
  }
  return root;
}

function damage(original: string, specs: readonly DamageSpec[]): ModelDamage {
  try {
    JSON.parse(original);
  } catch {
    throw new TypeError(`modelDamage: the JSON arbitrary gave a text JSON.parse rejects: ${JSON.stringify(original.slice(0, 60))}`);
  }
  const tokens = tokenize(original);
  const firstValue = tokens.find((token) => token.kind !== 'ws');
  const doc: Doc = { tokens, frame: {}, container: firstValue?.kind === 'open' };
  const damages: DamageKind[] = [];
  let truncation: DamageSpec | undefined;
  for (const spec of specs) {
    if (spec.kind === 'truncation') {
      truncation ??= spec;
      continue;
    }
    const places = sites(doc, spec.kind);
    if (places.length === 0) continue;
    apply(doc, spec.kind, places[spec.at % places.length]!, spec.variant);
    damages.push(spec.kind);
  }
  // The cut comes last: it depends on where every other damage put its text.
  let cut: Cut | undefined;
  if (truncation !== undefined) {
    const places = cuts(tokens);
    if (places.length > 0) {
      cut = places[truncation.at % places.length]!;
      damages.push('truncation');
    }
  }

  const { frame } = doc;
  const warnings: DamageWarningCode[] = [];
  let text = '';
  if (frame.think !== undefined) {
    text += frame.think;
    warnings.push('reasoning-block');
  }
  if (frame.prose !== undefined) {
    text += frame.prose;
    warnings.push('leading-text');
  }
  if (frame.fence !== undefined) {
    // A fence opens at a line start.
    if (text !== '' && !text.endsWith('\n')) text += '\n';
    text += frame.fence;
    warnings.push('code-fence');
  }
  const end = cut?.tokens ?? tokens.length;
  for (let t = 0; t < end; t++) {
    const token = tokens[t]!;
    text += rawOf(token);
    if (token.kind === 'string') {
      if (token.warning !== undefined) warnings.push(token.warning);
      for (const piece of token.pieces) if (piece.warning !== undefined) warnings.push(piece.warning);
    } else if ((token.kind === 'literal' || token.kind === 'inserted') && token.warning !== undefined) {
      warnings.push(token.warning);
    }
  }
  if (cut === undefined) {
    if (frame.fenceClose !== undefined) {
      text += frame.fenceClose;
      if (frame.trailing !== undefined && !frame.fenceClose.endsWith('\n')) text += '\n';
      warnings.push('code-fence');
    }
    if (frame.trailing !== undefined) {
      text += frame.trailing;
      warnings.push('trailing-text');
    }
  } else {
    if (cut.pieces !== undefined) {
      const token = tokens[end] as Extract<Token, { kind: 'string' }>;
      text += token.quote;
      for (let p = 0; p < cut.pieces; p++) {
        const piece = token.pieces[p]!;
        text += piece.raw;
        if (piece.warning !== undefined) warnings.push(piece.warning);
      }
    }
    warnings.push('truncated');
  }
  return {
    text,
    original: tokens.map(origOf).join(''),
    damages,
    expected: valueOf(tokens, cut),
    warnings,
  };
}

function damageSpec(kinds: readonly DamageKind[]): fc.Arbitrary<DamageSpec> {
  return fc.record({ kind: fc.constantFrom(...kinds), at: fc.nat(), variant: fc.nat({ max: 0xffff }) });
}

/**
 * Damages a valid JSON text the way language models do, and says exactly what lenient parsing
 * must make of it: the value and the warnings, in order.
 *
 * @remarks
 * Damages are applied by walking the JSON text token by token, so each lands where
 * it can only mean one thing: prose, a reasoning block and a code fence before a top-level array
 * or object (in that order), a closing fence and prose after it; trailing commas after the last
 * element of a container; comments after `{`, `[`, `:` or `,`; single quotes around a key or
 * string without `'` in it; identifiers for keys that are identifiers; `True`/`False`/`None`
 * and `undefined` for literals, `NaN`/`Infinity`/`-Infinity` for a literal or number (the
 * original then holds the string lenient mode makes of it); raw control characters and invalid
 * escapes between the characters of a string (the original text gets them as escapes, so it
 * stays valid JSON with the same value); and last, at most one cut, inside the value, never inside a number, literal,
 * escape, repair or after a raw line break in a string. A damage with no place to go in the text
 * is skipped and not listed. Every damage makes the text invalid JSON, so `text` is valid
 * exactly when `damages` is empty.
 *
 * Shrinks towards fewer damages and towards the shrunk JSON text.
 *
 * @param json - Valid JSON texts to damage (each must be accepted by `JSON.parse`; a rejected text
 *   throws a `TypeError` when sampled). Default: `jsonText({ topLevel: 'container' })`, so the
 *   text around the value has a place to go.
 * @param constraints - How many damages and of which kinds; see {@link ModelDamageConstraints}.
 * @returns An arbitrary of {@link ModelDamage} samples.
 * @throws TypeError for an unknown kind in `constraints.kinds`, or an empty list of kinds.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(modelDamage(), ({ text, expected, warnings }) => {
 *   const result = parsePartial(text, { lenient: lenient() });
 *   expect(result.value).toStrictEqual(expected);
 *   expect(result.warnings.map((w) => w.code)).toStrictEqual(warnings);
 * }));
 * ```
 *
 * @public
 */
export function modelDamage(json?: fc.Arbitrary<string>, constraints: ModelDamageConstraints = {}): fc.Arbitrary<ModelDamage> {
  const kinds = constraints.kinds ?? DAMAGE_KINDS;
  if (kinds.length === 0) throw new TypeError('modelDamage: constraints.kinds must name at least one kind');
  for (const kind of kinds) {
    if (!DAMAGE_KINDS.includes(kind)) throw new TypeError(`modelDamage: unknown damage kind ${JSON.stringify(kind)}; use one of ${DAMAGE_KINDS.join(', ')}`);
  }
  const minLength = constraints.minDamages ?? 1;
  const maxLength = Math.max(minLength, constraints.maxDamages ?? 4);
  return fc
    .tuple(json ?? jsonText({ topLevel: 'container' }), fc.array(damageSpec(kinds), { minLength, maxLength }))
    .map(([original, specs]) => damage(original, specs));
}
