import fc from 'fast-check';
import { mulberry32 } from './random.js';

/**
 * Constraints for {@link llmChunks}.
 * @public
 */
export interface LlmChunksConstraints {
  /**
   * Largest chunk, in UTF-16 code units; at least 2 so that an astral character (two code units)
   * fits in one chunk.
   * @defaultValue 8
   */
  maxLength?: number | undefined;
}


type SegmentKind = 'word' | 'digits' | 'punct' | 'space';

interface Segment {
  kind: SegmentKind;
  /** The segment split into code points (one or two UTF-16 code units each). */
  chars: string[];
}

const LETTER = /[\p{L}\p{M}]/u;
const DIGIT = /\p{N}/u;
const SPACE = /\s/u;

function classify(ch: string): SegmentKind {
  if (SPACE.test(ch)) return 'space';
  if (LETTER.test(ch)) return 'word';
  if (DIGIT.test(ch)) return 'digits';
  return 'punct';
}

/**
 * Pre-segments a text the way BPE pre-tokenizers do: words, groups of at most three digits and
 * punctuation runs, each taking one leading space; other whitespace runs on their own.
 */
function preSegment(text: string): Segment[] {
  const chars = Array.from(text); // code points: never split a surrogate pair
  const segments: Segment[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] ?? '';
    const kind = classify(ch);
    if (kind === 'space') {
      let end = i;
      while (end < chars.length && classify(chars[end] ?? '') === 'space') end++;
      // leave a final space to the next word (" hello"), as model tokens do
      if (end < chars.length && chars[end - 1] === ' ') end--;
      if (end > i) {
        segments.push({ kind: 'space', chars: chars.slice(i, end) });
        i = end;
        continue;
      }
      // a lone space before a word: attach it below
    }
    const start = i;
    let k = kind === 'space' ? i + 1 : i; // skip the attached leading space
    const bodyKind = classify(chars[k] ?? '');
    const bodyStart = k;
    while (k < chars.length && classify(chars[k] ?? '') === bodyKind) {
      if (bodyKind === 'digits' && k - bodyStart === 3) break;
      k++;
    }
    segments.push({ kind: bodyKind, chars: chars.slice(start, k) });
    i = k;
  }
  return segments;
}

function unitLength(chars: readonly string[]): number {
  let n = 0;
  for (const ch of chars) n += ch.length;
  return n;
}

/** Takes code points from `chars` (starting at `from`) while they fit in `units` code units; at least one. */
function takeUnits(chars: readonly string[], from: number, units: number): number {
  let used = 0;
  let k = from;
  while (k < chars.length) {
    const size = (chars[k] ?? '').length;
    if (k > from && used + size > units) break;
    used += size;
    k++;
  }
  return k;
}

function pick(random: () => number, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = random() * total;
  for (let k = 0; k < weights.length; k++) {
    r -= weights[k] ?? 0;
    if (r < 0) return k;
  }
  return weights.length - 1;
}

/** Cuts one segment into model-token-like pieces of at most `maxLength` code units. */
function cutSegment(segment: Segment, maxLength: number, random: () => number, out: string[]): void {
  const { chars, kind } = segment;
  const total = unitLength(chars);
  let k = 0;
  if (kind === 'punct') {
    // punctuation runs such as `":"` or `},{` are often one token, otherwise 1-3 characters each
    if (total <= 3 && random() < 0.75) {
      out.push(chars.join(''));
      return;
    }
    while (k < chars.length) {
      const next = takeUnits(chars, k, Math.min(1 + pick(random, [5, 3, 2]), maxLength));
      out.push(chars.slice(k, next).join(''));
      k = next;
    }
    return;
  }
  // words, digit groups and whitespace: whole when short, else a few sub-word pieces of even size
  let pieces = Math.ceil(total / maxLength);
  if (kind !== 'space' && total >= 6 && random() < 0.1) pieces++;
  let remaining = total;
  while (k < chars.length) {
    const even = remaining / pieces;
    const size = pieces <= 1 ? remaining : Math.max(1, Math.round(even + (random() * 2 - 1)));
    const next = takeUnits(chars, k, Math.min(size, maxLength));
    const piece = chars.slice(k, next).join('');
    out.push(piece);
    remaining -= piece.length;
    pieces = Math.max(1, pieces - 1);
    k = next;
  }
}

/**
 * Chunkings shaped like the text deltas of a language model: an arbitrary of `string[]` whose
 * concatenation is `text`, with chunks of 1 to 8 UTF-16 code units (about 4.5 on average on
 * English-like JSON).
 *
 * @remarks
 * The text is first pre-segmented as BPE tokenizers do: words, groups of up to three digits and
 * punctuation runs, each with its leading space attached (`" hello"`); other whitespace runs
 * stand alone. Short words stay whole, long ones split into sub-word pieces, punctuation comes
 * alone or in pairs and threes (`"`, `":`, `"},`). Surrogate pairs are never split (use
 * {@link chunked} for that). Each sample derives from one fast-check integer, so it is
 * reproducible from the run's seed; shrinking changes the integer, not the number of chunks.
 *
 * @param text - The text to cut.
 * @param constraints - See {@link LlmChunksConstraints}.
 * @returns An arbitrary of chunk lists, each chunk 1 to `maxLength` code units long, except that
 *   an empty text gives `[]`.
 * @throws RangeError when `maxLength` is below 2.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(jsonText().chain((t) => llmChunks(t).map((c) => [t, c] as const)), ([text, chunks]) => {
 *   const parser = createPartialParser();
 *   for (const chunk of chunks) parser.write(chunk);
 *   expect(parser.end()).toStrictEqual(JSON.parse(text));
 * }));
 * ```
 *
 * @public
 */
export function llmChunks(text: string, constraints: LlmChunksConstraints = {}): fc.Arbitrary<string[]> {
  if (typeof text !== 'string') throw new TypeError('llmChunks(text): text must be a string');
  const maxLength = constraints.maxLength ?? 8;
  if (!(maxLength >= 2)) throw new RangeError(`llmChunks: maxLength must be at least 2 (an astral character is 2 code units), got ${maxLength}`);
  const segments = preSegment(text);
  return fc.integer().map((seed) => {
    const random = mulberry32(seed);
    const out: string[] = [];
    for (const segment of segments) cutSegment(segment, maxLength, random, out);
    return out;
  });
}
