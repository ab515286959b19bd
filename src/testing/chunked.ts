import fc from 'fast-check';
import { isHighSurrogate, isLowSurrogate } from '../json/surrogates.js';

/**
 * How {@link chunked} and {@link utf8Chunks} choose where to cut.
 *
 * - `whole`: one chunk holding everything.
 * - `units`: one chunk per UTF-16 code unit ({@link chunked}) or per byte ({@link utf8Chunks}),
 *   so every surrogate pair and every multi-byte character is split.
 * - `tokens`: one chunk per JSON token and per whitespace run (a lenient scan: the text need not
 *   be valid JSON). For bytes, the same cuts at their UTF-8 offsets.
 * - `fixed`: chunks of one random size, the last one shorter.
 * - `sizes`: a short random list of sizes, repeated until the text is used up.
 * - `cuts`: a few cut points anywhere.
 * - `tricky`: cut points chosen among the places parsers get wrong: inside `\uXXXX` escapes
 *   (`\u12|34`), between `\` and the escaped character, between the two halves of a surrogate
 *   pair (raw or escaped), inside numbers (`-|1.5|e|+3`) and literals (`tr|ue`); for bytes also
 *   inside every multi-byte UTF-8 sequence.
 *
 * @public
 */
export type ChunkingMode = 'whole' | 'units' | 'tokens' | 'fixed' | 'sizes' | 'cuts' | 'tricky';

/** Every {@link ChunkingMode}, the default of {@link ChunkedConstraints.modes}. @public */
export const CHUNKING_MODES: readonly ChunkingMode[] = ['whole', 'units', 'tokens', 'fixed', 'sizes', 'cuts', 'tricky'];

/**
 * Constraints for {@link chunked}, {@link utf8Chunks} and {@link textChunks}.
 * @public
 */
export interface ChunkedConstraints {
  /**
   * The chunking modes to draw from (each sample uses one).
   * @defaultValue every mode of {@link ChunkingMode}
   */
  modes?: readonly ChunkingMode[] | undefined;
  /**
   * Largest chunk size of the `fixed` and `sizes` modes, in UTF-16 code units ({@link chunked})
   * or bytes ({@link utf8Chunks}).
   * @defaultValue 16
   */
  maxChunkLength?: number | undefined;
  /**
   * Also insert empty chunks (`""` or an empty `Uint8Array`) here and there, which a parser must
   * accept and ignore.
   * @defaultValue false
   */
  emptyChunks?: boolean | undefined;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const LOWER_U = 0x75;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isNumberChar(code: number): boolean {
  // digits, `-`, `+`, `.`, `e`, `E`
  return (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2b || code === 0x2e || code === 0x65 || code === 0x45;
}

function isLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46);
}

/** Token boundaries and tricky cut positions of a text, in UTF-16 code units (0 < position < length). */
export interface TextCutPoints {
  tokens: number[];
  tricky: number[];
}

/**
 * Scans a text as JSON, leniently (any text is accepted), and lists the token boundaries and the
 * tricky cut positions described in {@link ChunkingMode}. Positions are sorted and unique.
 * @internal
 */
export function scanCutPoints(text: string): TextCutPoints {
  const n = text.length;
  const tokens = new Set<number>();
  const tricky = new Set<number>();
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    const start = i;
    if (code === QUOTE) {
      i++;
      while (i < n) {
        const ch = text.charCodeAt(i);
        if (ch === QUOTE) {
          i++;
          break;
        }
        if (ch === BACKSLASH) {
          tricky.add(i + 1); // between `\` and the escaped character
          if (text.charCodeAt(i + 1) === LOWER_U) {
            let end = i + 2;
            while (end < i + 6 && end < n && isHexDigit(text.charCodeAt(end))) {
              tricky.add(end); // `\u|`, `\u1|`, `\u12|`, `\u123|`
              end++;
            }
            const unit = Number.parseInt(text.slice(i + 2, end), 16);
            if (end === i + 6 && isHighSurrogate(unit)) tricky.add(end); // between escaped surrogate halves
            i = end;
          } else {
            i += 2;
          }
          continue;
        }
        if (isHighSurrogate(ch) && isLowSurrogate(text.charCodeAt(i + 1))) {
          tricky.add(i + 1);
          i += 2;
          continue;
        }
        i++;
      }
    } else if (isWhitespace(code)) {
      while (i < n && isWhitespace(text.charCodeAt(i))) i++;
    } else if (isNumberChar(code) && !isLetter(code)) {
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      for (let p = start + 1; p < i; p++) tricky.add(p);
    } else if (isLetter(code)) {
      while (i < n && isLetter(text.charCodeAt(i))) i++;
      for (let p = start + 1; p < i; p++) tricky.add(p);
    } else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(i + 1))) {
      tricky.add(i + 1);
      i += 2;
    } else {
      i++;
    }
    if (start > 0) tokens.add(start);
    if (i < n) tokens.add(i);
  }
  tricky.delete(n);
  tricky.delete(0);
  return { tokens: [...tokens].sort((a, b) => a - b), tricky: [...tricky].sort((a, b) => a - b) };
}

function fixedCuts(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let p = size; p < length; p += size) cuts.push(p);
  return cuts;
}

function cycledCuts(length: number, sizes: readonly number[]): number[] {
  const cuts: number[] = [];
  let p = 0;
  for (let k = 0; sizes.length > 0; k++) {
    p += sizes[k % sizes.length] ?? 1;
    if (p >= length) break;
    cuts.push(p);
  }
  return cuts;
}

function allUnits(length: number): number[] {
  const cuts: number[] = [];
  for (let p = 1; p < length; p++) cuts.push(p);
  return cuts;
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/**
 * An arbitrary of sorted, unique cut positions in `1..length-1`, drawn from the given modes.
 * @internal
 */
export function cutPositions(
  length: number,
  points: TextCutPoints,
  constraints: ChunkedConstraints,
): fc.Arbitrary<number[]> {
  const modes = constraints.modes ?? CHUNKING_MODES;
  if (modes.length === 0) throw new RangeError('chunked: constraints.modes is empty; give at least one ChunkingMode');
  const maxChunkLength = Math.max(1, constraints.maxChunkLength ?? 16);
  if (length <= 1) return fc.constant([]);
  const randomCut = fc.integer({ min: 1, max: length - 1 });
  const arbs: fc.WeightedArbitrary<number[]>[] = [];
  for (const mode of modes) {
    switch (mode) {
      case 'whole':
        arbs.push({ arbitrary: fc.constant([]), weight: 1 });
        break;
      case 'units':
        arbs.push({ arbitrary: fc.constant(null).map(() => allUnits(length)), weight: 1 });
        break;
      case 'tokens':
        arbs.push({ arbitrary: fc.constant(null).map(() => [...points.tokens]), weight: 1 });
        break;
      case 'fixed':
        arbs.push({ arbitrary: fc.integer({ min: 1, max: maxChunkLength }).map((size) => fixedCuts(length, size)), weight: 2 });
        break;
      case 'sizes':
        arbs.push({
          arbitrary: fc
            .array(fc.integer({ min: 1, max: maxChunkLength }), { minLength: 1, maxLength: 8 })
            .map((sizes) => cycledCuts(length, sizes)),
          weight: 2,
        });
        break;
      case 'cuts':
        arbs.push({
          arbitrary: fc.uniqueArray(randomCut, { maxLength: length - 1 }).map((cuts) => [...cuts].sort((a, b) => a - b)),
          weight: 3,
        });
        break;
      case 'tricky': {
        if (points.tricky.length === 0) {
          arbs.push({ arbitrary: fc.uniqueArray(randomCut, { maxLength: length - 1 }).map((cuts) => [...cuts].sort((a, b) => a - b)), weight: 1 });
          break;
        }
        const tricky = points.tricky;
        arbs.push({
          arbitrary: fc.oneof(
            // every tricky position at once
            fc.constant(null).map(() => [...tricky]),
            // some of them, plus a few random cuts
            fc
              .tuple(fc.subarray(tricky, { minLength: 1 }), fc.uniqueArray(randomCut, { maxLength: 3 }))
              .map(([some, extra]) => mergeSorted(some, extra)),
          ),
          weight: 3,
        });
        break;
      }
      default: {
        const exhaustive: never = mode;
        throw new RangeError(`chunked: unknown ChunkingMode ${JSON.stringify(exhaustive)}`);
      }
    }
  }
  return fc.oneof(...arbs);
}

/** Inserts empty chunks at some of the chunk boundaries (given as indexes into the chunk list). */
function withEmptyChunks<T>(empty: T): (chunks: T[], at: readonly number[]) => T[] {
  return (chunks, at) => {
    if (at.length === 0) return chunks;
    const marks = new Set(at.map((k) => k % (chunks.length + 1)));
    const out: T[] = [];
    for (let k = 0; k <= chunks.length; k++) {
      if (marks.has(k)) out.push(empty);
      const chunk = chunks[k];
      if (chunk !== undefined) out.push(chunk);
    }
    return out;
  };
}

function splitString(text: string, cuts: readonly number[]): string[] {
  const chunks: string[] = [];
  let previous = 0;
  for (const cut of cuts) {
    chunks.push(text.slice(previous, cut));
    previous = cut;
  }
  chunks.push(text.slice(previous));
  return chunks;
}

function addEmpties<T>(arb: fc.Arbitrary<T[]>, constraints: ChunkedConstraints, empty: () => T): fc.Arbitrary<T[]> {
  if (!constraints.emptyChunks) return arb;
  return fc
    .tuple(arb, fc.array(fc.nat(), { maxLength: 3 }))
    .map(([chunks, at]) => withEmptyChunks(empty())(chunks, at));
}

/**
 * Ways of cutting a text into chunks: an arbitrary of `string[]` whose concatenation is `text`.
 *
 * @remarks
 * Each sample uses one {@link ChunkingMode}: the whole text, one chunk per UTF-16 code unit
 * (splitting surrogate pairs), per JSON token, fixed or cycling sizes, random cut points, or cuts
 * at the places incremental parsers get wrong (inside `\uXXXX`, between `\` and the escaped
 * character, between surrogate halves, inside numbers and literals). Chunks are non-empty unless
 * {@link ChunkedConstraints.emptyChunks} is set; an empty text gives `[]`. Shrinks towards fewer
 * cuts. The text need not be valid JSON.
 *
 * @param text - The text to cut.
 * @param constraints - Which modes to use; see {@link ChunkedConstraints}.
 * @returns An arbitrary of chunk lists, with `chunks.join('') === text`.
 *
 * @example
 * ```ts
 * const text = '{"a":"\\u00e9\\ud83d\\ude00","n":-1.5e+3}';
 * fc.assert(fc.property(chunked(text), (chunks) => {
 *   const parser = createPartialParser();
 *   for (const chunk of chunks) parser.write(chunk);
 *   expect(parser.end()).toStrictEqual(JSON.parse(text));
 * }));
 * ```
 *
 * @public
 */
export function chunked(text: string, constraints: ChunkedConstraints = {}): fc.Arbitrary<string[]> {
  if (typeof text !== 'string') throw new TypeError('chunked(text): text must be a string; use utf8Chunks for bytes');
  if (text.length === 0) return addEmpties(fc.constant(null).map((): string[] => []), constraints, () => '');
  const points = scanCutPoints(text);
  const arb = cutPositions(text.length, points, constraints).map((cuts) => splitString(text, cuts));
  return addEmpties(arb, constraints, () => '');
}

/** UTF-8 byte offset of every UTF-16 offset (length + 1 entries); lone surrogates must not occur. */
function utf8Offsets(text: string): number[] {
  const offsets = new Array<number>(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    offsets[i] = bytes;
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code)) {
      // the pair is 4 bytes; the low half, next, adds none
      bytes += 4;
      offsets[i + 1] = bytes;
      i++;
      continue;
    } else bytes += 3;
  }
  offsets[text.length] = bytes;
  return offsets;
}

/** Index of the first lone surrogate of `text`, or -1. @internal */
export function findLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isHighSurrogate(code)) {
      if (isLowSurrogate(text.charCodeAt(i + 1))) {
        i++;
        continue;
      }
      return i;
    }
    if (isLowSurrogate(code)) return i;
  }
  return -1;
}

/**
 * Ways of cutting the UTF-8 encoding of a text into byte chunks, including cuts inside multi-byte
 * characters: an arbitrary of `Uint8Array[]` whose concatenation is `new TextEncoder().encode(text)`.
 *
 * @remarks
 * The modes are those of {@link chunked}, counted in bytes; `tricky` cuts inside every
 * multi-byte sequence and at the tricky places of the text. Each chunk is a fresh `Uint8Array`
 * (not a view of a shared buffer), so a parser may keep or transfer it.
 *
 * @param text - The text to encode and cut; must be well-formed UTF-16.
 * @param constraints - Which modes to use; see {@link ChunkedConstraints}.
 * @returns An arbitrary of byte chunk lists.
 * @throws TypeError when `text` holds a lone surrogate, which UTF-8 cannot encode (a
 *   `TextEncoder` would silently write U+FFFD instead). Escaped lone surrogates (`"\ud800"`)
 *   are ASCII and fine.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(utf8Chunks('["é😀"]'), (chunks) => {
 *   const parser = createPartialParser();
 *   for (const chunk of chunks) parser.write(chunk);
 *   expect(parser.end()).toStrictEqual(['é😀']);
 * }));
 * ```
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc3629 | RFC 3629 (UTF-8)}
 * @public
 */
export function utf8Chunks(text: string, constraints: ChunkedConstraints = {}): fc.Arbitrary<Uint8Array[]> {
  if (typeof text !== 'string') throw new TypeError('utf8Chunks(text): text must be a string');
  const lone = findLoneSurrogate(text);
  if (lone !== -1) {
    throw new TypeError(
      `utf8Chunks(text): text has a lone surrogate at index ${lone}, which UTF-8 cannot encode; use chunked() for such texts`,
    );
  }
  const bytes = new TextEncoder().encode(text);
  const empty = (): Uint8Array => new Uint8Array(0);
  if (bytes.length === 0) return addEmpties(fc.constant(null).map((): Uint8Array[] => []), constraints, empty);
  const offsets = utf8Offsets(text);
  const textPoints = scanCutPoints(text);
  const toBytes = (positions: readonly number[]): number[] => positions.map((p) => offsets[p] ?? 0);
  const inside: number[] = [];
  for (let b = 1; b < bytes.length; b++) {
    // a continuation byte (10xxxxxx) starts a chunk that begins inside a character
    if (((bytes[b] ?? 0) & 0xc0) === 0x80) inside.push(b);
  }
  const points: TextCutPoints = {
    tokens: toBytes(textPoints.tokens),
    tricky: mergeSorted(inside, toBytes(textPoints.tricky)).filter((b) => b > 0 && b < bytes.length),
  };
  const arb = cutPositions(bytes.length, points, constraints).map((cuts) => {
    const chunks: Uint8Array[] = [];
    let previous = 0;
    for (const cut of cuts) {
      chunks.push(bytes.slice(previous, cut));
      previous = cut;
    }
    chunks.push(bytes.slice(previous));
    return chunks;
  });
  return addEmpties(arb, constraints, empty);
}

/**
 * A text from `textArbitrary` together with one way of cutting it: the convenience of
 * `textArbitrary.chain((text) => chunked(text, constraints))` with both kept.
 *
 * @remarks
 * Shrinks the chunking first, then the text (as `chain` does).
 *
 * @param textArbitrary - Where texts come from, e.g. {@link jsonText}.
 * @param constraints - Which modes to use; see {@link ChunkedConstraints}.
 * @returns An arbitrary of `{ text, chunks }` with `chunks.join('') === text`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(textChunks(jsonText()), ({ text, chunks }) => {
 *   expect(parseChunks(chunks)).toStrictEqual(JSON.parse(text));
 * }));
 * ```
 *
 * @public
 */
export function textChunks(
  textArbitrary: fc.Arbitrary<string>,
  constraints: ChunkedConstraints = {},
): fc.Arbitrary<{
  /** The whole text. */
  text: string;
  /** Its chunks, non-empty, in order: `chunks.join('') === text`. */
  chunks: string[];
}> {
  return textArbitrary.chain((text) => chunked(text, constraints).map((chunks) => ({ text, chunks })));
}
