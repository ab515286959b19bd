import fc from 'fast-check';
import { HIGH_SURROGATE_MIN, isSurrogate, LOW_SURROGATE_MAX } from '../json/surrogates.js';

/**
 * Constraints for {@link jsonText} and {@link jsonTextWithValue}.
 *
 * @remarks
 * Every option only widens or narrows what is generated; whatever the options, every generated
 * text is accepted by `JSON.parse`.
 *
 * @public
 */
export interface JsonTextConstraints {
  /**
   * Maximal nesting of arrays and objects; `0` gives only scalars (or empty containers when
   * {@link JsonTextConstraints.topLevel} asks for one).
   * @defaultValue 3
   */
  maxDepth?: number | undefined;
  /**
   * Maximal number of elements of an array or members of an object.
   * @defaultValue 5
   */
  maxLength?: number | undefined;
  /**
   * Maximal number of characters or escapes in one string (an escape such as `\uD83D\uDE00`
   * counts once).
   * @defaultValue 12
   */
  maxStringLength?: number | undefined;
  /**
   * Put random runs of the four JSON whitespace characters (space, `\t`, `\n`, `\r`) before and
   * after every token.
   * @defaultValue true
   */
  whitespace?: boolean | undefined;
  /**
   * Write strings with escapes: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` for any
   * code unit (hex digits in random case) and escaped surrogate pairs. When `false`, strings hold
   * only characters that need no escape.
   * @defaultValue true
   */
  escapes?: boolean | undefined;
  /**
   * Put raw non-ASCII characters in strings: BMP characters (including U+2028, U+2029, U+FEFF)
   * and astral characters (two UTF-16 code units).
   * @defaultValue true
   */
  nonAscii?: boolean | undefined;
  /**
   * Also write escaped lone surrogates (`"\uD800"`, `"\uDC00x"`), which `JSON.parse` accepts and
   * turns into strings that are not well-formed UTF-16. Needs {@link JsonTextConstraints.escapes}.
   * @defaultValue false
   */
  loneSurrogates?: boolean | undefined;
  /**
   * Mix in numbers at the edges of the grammar and of IEEE 754: `-0`, `1E+400` (Infinity),
   * `1e-400` (0), `0.000…1`, integers beyond 2^53, exponents with leading zeros, the largest and
   * smallest doubles. When `false`, numbers are small integers and short decimals.
   * @defaultValue true
   */
  edgeNumbers?: boolean | undefined;
  /**
   * Let objects repeat a key (`{"a":1,"a":"x"}`); `JSON.parse` keeps the last value at the
   * position of the first occurrence. Keys are compared after unescaping (`"\u0061"` repeats `"a"`).
   * @defaultValue false
   */
  repeatedKeys?: boolean | undefined;
  /**
   * Use `__proto__` (raw or escaped) among the keys; `JSON.parse` makes it an own property.
   * @defaultValue true
   */
  protoKeys?: boolean | undefined;
  /**
   * What the top-level value may be: any JSON value, a container (array or object), or only an
   * object or only an array.
   * @defaultValue 'any'
   */
  topLevel?: 'any' | 'container' | 'object' | 'array' | undefined;
}

/**
 * A JSON text and the value `JSON.parse` gives for it, computed independently of `JSON.parse`.
 * @public
 */
export interface JsonTextWithValue {
  /** The JSON text (RFC 8259), in UTF-16 code units. */
  text: string;
  /** The value of {@link JsonTextWithValue.text} as `JSON.parse` returns it (a fresh object per sample). */
  value: unknown;
}

/** A generated piece of JSON: its source text and its value. */
interface Piece {
  raw: string;
  value: unknown;
}

/** A piece of string content: its source text and the code units it stands for. */
interface StringPiece {
  raw: string;
  value: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** `\uXXXX` for one code unit; bit `i` of `caseMask` upper-cases hex digit `i` when it is a letter. */
function unicodeEscape(code: number, caseMask: number): string {
  const hex = code.toString(16).padStart(4, '0');
  let out = '\\u';
  for (let i = 0; i < 4; i++) {
    const digit = hex.charAt(i);
    out += (caseMask >> i) & 1 ? digit.toUpperCase() : digit;
  }
  return out;
}

const SHORT_ESCAPES: readonly StringPiece[] = [
  { raw: '\\"', value: '"' },
  { raw: '\\\\', value: '\\' },
  { raw: '\\/', value: '/' },
  { raw: '\\b', value: '\b' },
  { raw: '\\f', value: '\f' },
  { raw: '\\n', value: '\n' },
  { raw: '\\r', value: '\r' },
  { raw: '\\t', value: '\t' },
];

/** Raw characters that are easy to get wrong when decoding or re-encoding. */
const NOTABLE_RAW = ['\u007f', '\u0080', '\u00e9', '\u00ff', '\u2028', '\u2029', '\ufeff', '\uffff', '\u4e2d', '\u{1f600}', '\u{10ffff}'];

function plainAsciiPiece(): fc.Arbitrary<StringPiece> {
  // 0x20..0x7e minus `"` and `\`: printable ASCII that needs no escape.
  return fc
    .integer({ min: 0x20, max: 0x7e })
    .filter((code) => code !== QUOTE && code !== BACKSLASH)
    .map((code) => {
      const ch = String.fromCharCode(code);
      return { raw: ch, value: ch };
    });
}

function wordPiece(): fc.Arbitrary<StringPiece> {
  return fc.constantFrom('hello', ' world', 'id', 'name', 'The', ' quick', 'value', '42', ' ').map((w) => ({ raw: w, value: w }));
}

function stringPiece(c: ResolvedConstraints): fc.Arbitrary<StringPiece> {
  const arbs: fc.WeightedArbitrary<StringPiece>[] = [
    { arbitrary: plainAsciiPiece(), weight: 10 },
    { arbitrary: wordPiece(), weight: 3 },
  ];
  if (c.escapes) {
    arbs.push(
      { arbitrary: fc.constantFrom(...SHORT_ESCAPES), weight: 3 },
      {
        // Any non-surrogate code unit, escaped.
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max: 0xffff }).filter((code) => !isSurrogate(code)), fc.nat({ max: 15 }))
          .map(([code, mask]) => ({ raw: unicodeEscape(code, mask), value: String.fromCharCode(code) })),
        weight: 2,
      },
      {
        // Control characters must be escaped; give them their own weight.
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max: 0x1f }), fc.nat({ max: 15 }))
          .map(([code, mask]) => ({ raw: unicodeEscape(code, mask), value: String.fromCharCode(code) })),
        weight: 1,
      },
      {
        // An astral character written as an escaped surrogate pair.
        arbitrary: fc
          .tuple(fc.integer({ min: 0x10000, max: 0x10ffff }), fc.nat({ max: 15 }), fc.nat({ max: 15 }))
          .map(([codePoint, maskHigh, maskLow]) => {
            const value = String.fromCodePoint(codePoint);
            return {
              raw: unicodeEscape(value.charCodeAt(0), maskHigh) + unicodeEscape(value.charCodeAt(1), maskLow),
              value,
            };
          }),
        weight: 1,
      },
    );
    if (c.loneSurrogates) {
      arbs.push({
        arbitrary: fc
          .tuple(fc.integer({ min: HIGH_SURROGATE_MIN, max: LOW_SURROGATE_MAX }), fc.nat({ max: 15 }))
          .map(([code, mask]) => ({ raw: unicodeEscape(code, mask), value: String.fromCharCode(code) })),
        weight: 1,
      });
    }
  }
  if (c.nonAscii) {
    arbs.push(
      {
        arbitrary: fc
          .integer({ min: 0x80, max: 0xffff })
          .filter((code) => !isSurrogate(code))
          .map((code) => {
            const ch = String.fromCharCode(code);
            return { raw: ch, value: ch };
          }),
        weight: 2,
      },
      {
        arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((codePoint) => {
          const ch = String.fromCodePoint(codePoint);
          return { raw: ch, value: ch };
        }),
        weight: 1,
      },
      { arbitrary: fc.constantFrom(...NOTABLE_RAW).map((ch) => ({ raw: ch, value: ch })), weight: 1 },
    );
  }
  return fc.oneof(...arbs);
}

function stringToken(c: ResolvedConstraints, maxPieces: number): fc.Arbitrary<StringPiece> {
  return fc.array(stringPiece(c), { maxLength: maxPieces }).map((pieces) => {
    let raw = '"';
    let value = '';
    for (const piece of pieces) {
      raw += piece.raw;
      value += piece.value;
    }
    return { raw: `${raw}"`, value };
  });
}

function keyToken(c: ResolvedConstraints): fc.Arbitrary<StringPiece> {
  // A small pool makes repeated keys likely when they are allowed.
  const pool: StringPiece[] = ['a', 'b', 'id', 'name', 'type', '', '1', '0'].map((k) => ({ raw: JSON.stringify(k), value: k }));
  if (c.escapes) pool.push({ raw: '"\\u0061"', value: 'a' }, { raw: '"n\\u0061me"', value: 'name' });
  const arbs: fc.WeightedArbitrary<StringPiece>[] = [
    { arbitrary: fc.constantFrom(...pool), weight: 3 },
    { arbitrary: stringToken(c, 6), weight: 3 },
  ];
  if (c.protoKeys) {
    const proto: StringPiece[] = [{ raw: '"__proto__"', value: '__proto__' }];
    if (c.escapes) proto.push({ raw: '"__proto\\u005f_"', value: '__proto__' });
    arbs.push({ arbitrary: fc.constantFrom(...proto), weight: 1 });
  }
  return fc.oneof(...arbs);
}

const EDGE_NUMBERS: readonly string[] = [
  '-0',
  '-0.0',
  '0e0',
  '0E-0',
  '-0e+5',
  '1E+400',
  '-1e400',
  '1e-400',
  '-1e-400',
  '0.0000000000000000000000000000000000000001',
  '123456789012345678901234567890',
  '-9007199254740993',
  '9007199254740992',
  '1.7976931348623157e308',
  '1.7976931348623159e308',
  '5e-324',
  '2e-324',
  '2.2250738585072014E-308',
  '1e007',
  '0.1',
  '100000000000000000000000e-23',
  '4.35',
];

function digits(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: 9 }), { minLength, maxLength }).map((ds) => ds.join(''));
}

function numberToken(c: ResolvedConstraints): fc.Arbitrary<string> {
  const smallInt = fc.integer({ min: -1000, max: 1000 }).map(String);
  const intPart = (maxDigits: number): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constant('0'),
      fc.tuple(fc.integer({ min: 1, max: 9 }), digits(0, maxDigits)).map(([first, rest]) => `${first}${rest}`),
    );
  if (!c.edgeNumbers) {
    return fc.oneof(
      { arbitrary: smallInt, weight: 3 },
      {
        arbitrary: fc
          .tuple(fc.boolean(), intPart(4), digits(1, 3))
          .map(([negative, int, frac]) => `${negative ? '-' : ''}${int}.${frac}`),
        weight: 1,
      },
    );
  }
  const grammar = fc
    .tuple(
      fc.boolean(),
      intPart(25),
      fc.option(digits(1, 20), { nil: undefined }),
      fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 4)), { nil: undefined }),
    )
    .map(([negative, int, frac, exp]) => {
      let text = negative ? `-${int}` : int;
      if (frac !== undefined) text += `.${frac}`;
      if (exp !== undefined) text += `${exp[0]}${exp[1]}${exp[2]}`;
      return text;
    });
  return fc.oneof(
    { arbitrary: smallInt, weight: 4 },
    { arbitrary: grammar, weight: 3 },
    { arbitrary: fc.constantFrom(...EDGE_NUMBERS), weight: 1 },
  );
}

function whitespace(enabled: boolean): fc.Arbitrary<string> {
  if (!enabled) return fc.constant('');
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 4 },
    { arbitrary: fc.constant(' '), weight: 2 },
    {
      arbitrary: fc.array(fc.constantFrom(' ', '\t', '\n', '\r'), { minLength: 1, maxLength: 4 }).map((ws) => ws.join('')),
      weight: 1,
    },
  );
}

interface ResolvedConstraints {
  maxDepth: number;
  maxLength: number;
  maxStringLength: number;
  whitespace: boolean;
  escapes: boolean;
  nonAscii: boolean;
  loneSurrogates: boolean;
  edgeNumbers: boolean;
  repeatedKeys: boolean;
  protoKeys: boolean;
  topLevel: 'any' | 'container' | 'object' | 'array';
}

function resolve(constraints: JsonTextConstraints): ResolvedConstraints {
  return {
    maxDepth: constraints.maxDepth ?? 3,
    maxLength: constraints.maxLength ?? 5,
    maxStringLength: constraints.maxStringLength ?? 12,
    whitespace: constraints.whitespace ?? true,
    escapes: constraints.escapes ?? true,
    nonAscii: constraints.nonAscii ?? true,
    loneSurrogates: constraints.loneSurrogates ?? false,
    edgeNumbers: constraints.edgeNumbers ?? true,
    repeatedKeys: constraints.repeatedKeys ?? false,
    protoKeys: constraints.protoKeys ?? true,
    topLevel: constraints.topLevel ?? 'any',
  };
}

/** Sets a property the way `JSON.parse` does: an own, enumerable data property, even for `__proto__`. */
function defineJsonProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

interface Member {
  before: string;
  key: StringPiece;
  afterKey: string;
  beforeValue: string;
  value: Piece;
  after: string;
}

/**
 * Valid JSON texts with their values, as `JSON.parse` returns them.
 *
 * @remarks
 * The value is computed while generating, not by calling `JSON.parse`, so a test can use it as an
 * independent oracle: `expect(JSON.parse(text)).toEqual(value)` holds for every sample (with
 * `Object.is` semantics for `-0`). Objects are built with `Object.defineProperty`, so a
 * `__proto__` key is an own property as with `JSON.parse`.
 *
 * @param constraints - What to generate; see {@link JsonTextConstraints}.
 * @returns An arbitrary of `{ text, value }`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(jsonTextWithValue(), ({ text, value }) => {
 *   expect(myParse(text)).toStrictEqual(value);
 * }));
 * ```
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc8259 | RFC 8259}
 * @public
 */
export function jsonTextWithValue(constraints: JsonTextConstraints = {}): fc.Arbitrary<JsonTextWithValue> {
  const c = resolve(constraints);
  const ws = whitespace(c.whitespace);
  const depthIdentifier = fc.createDepthIdentifier();

  const scalar: fc.Arbitrary<Piece> = fc.oneof(
    { arbitrary: stringToken(c, c.maxStringLength), weight: 4 },
    { arbitrary: numberToken(c).map((raw) => ({ raw, value: Number(raw) })), weight: 3 },
    {
      arbitrary: fc.constantFrom<Piece>({ raw: 'true', value: true }, { raw: 'false', value: false }, { raw: 'null', value: null }),
      weight: 1,
    },
  );

  const tree = fc.letrec<{ value: Piece; array: Piece; object: Piece }>((tie) => ({
    value: fc.oneof({ maxDepth: c.maxDepth, depthIdentifier }, scalar, tie('array'), tie('object')),
    array: fc
      .tuple(ws, fc.array(fc.tuple(ws, tie('value'), ws), { maxLength: c.maxLength, depthIdentifier }))
      .map(([empty, elements]) => {
        if (elements.length === 0) return { raw: `[${empty}]`, value: [] };
        const value: unknown[] = [];
        const parts: string[] = [];
        for (const [before, element, after] of elements) {
          parts.push(before + element.raw + after);
          value.push(element.value);
        }
        return { raw: `[${parts.join(',')}]`, value };
      }),
    object: fc.tuple(ws, members(c, ws, tie('value'), depthIdentifier)).map(([empty, list]) => {
      if (list.length === 0) return { raw: `{${empty}}`, value: {} };
      const value: Record<string, unknown> = {};
      const parts: string[] = [];
      for (const m of list) {
        parts.push(`${m.before}${m.key.raw}${m.afterKey}:${m.beforeValue}${m.value.raw}${m.after}`);
        defineJsonProperty(value, m.key.value, m.value.value);
      }
      return { raw: `{${parts.join(',')}}`, value };
    }),
  }));

  let top: fc.Arbitrary<Piece>;
  switch (c.topLevel) {
    case 'any':
      top = tree.value;
      break;
    case 'container':
      top = fc.oneof(tree.array, tree.object);
      break;
    case 'object':
      top = tree.object;
      break;
    case 'array':
      top = tree.array;
      break;
    default: {
      const exhaustive: never = c.topLevel;
      throw new TypeError(`jsonText: unknown topLevel ${String(exhaustive)}`);
    }
  }
  return fc.tuple(ws, top, ws).map(([before, piece, after]) => ({ text: before + piece.raw + after, value: piece.value }));
}

function members(
  c: ResolvedConstraints,
  ws: fc.Arbitrary<string>,
  value: fc.Arbitrary<Piece>,
  depthIdentifier: fc.DepthIdentifier,
): fc.Arbitrary<Member[]> {
  const member = fc
    .tuple(ws, keyToken(c), ws, ws, value, ws)
    .map(([before, key, afterKey, beforeValue, v, after]): Member => ({ before, key, afterKey, beforeValue, value: v, after }));
  if (c.repeatedKeys) return fc.array(member, { maxLength: c.maxLength, depthIdentifier });
  return fc.uniqueArray(member, { maxLength: c.maxLength, depthIdentifier, selector: (m) => m.key.value });
}

/**
 * Valid JSON texts (RFC 8259) that `JSON.parse` accepts, with controllable depth, size,
 * whitespace, escapes and edge-case numbers.
 *
 * @remarks
 * Covers what incremental parsers get wrong: whitespace (`\t\r\n` and space) between any two
 * tokens, every escape form including `\uXXXX` in mixed case and escaped surrogate pairs, raw
 * non-ASCII and astral characters, numbers such as `-0`, `1E+400`, `1e-400`, `0.000…1` and
 * integers beyond 2^53, `__proto__` keys, and optionally repeated keys and escaped lone
 * surrogates. Use {@link jsonTextWithValue} to get the expected value along with the text.
 *
 * @param constraints - What to generate; see {@link JsonTextConstraints}.
 * @returns An arbitrary of JSON texts, in UTF-16 code units.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { jsonText, chunked } from 'streamshape/testing';
 *
 * fc.assert(fc.property(jsonText(), (text) => {
 *   expect(() => JSON.parse(text)).not.toThrow();
 * }));
 * ```
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc8259 | RFC 8259}
 * @public
 */
export function jsonText(constraints: JsonTextConstraints = {}): fc.Arbitrary<string> {
  return jsonTextWithValue(constraints).map((sample) => sample.text);
}
