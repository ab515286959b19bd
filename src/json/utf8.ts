/**
 * UTF-8 byte handling shared by the tokenizer, the JSON Lines parser and the CLI: one fatal
 * `TextDecoder` does the validating everywhere; where it rejects, {@link utf8PrefixLength} asks
 * it again (on prefixes) where the bad byte is, so no hand-written UTF-8 validator exists beside
 * the platform's. Unit conversions for offsets complete it.
 *
 * @module
 */
import { HIGH_SURROGATE_MAX, HIGH_SURROGATE_MIN, isSurrogatePairAt, LOW_SURROGATE_MAX, LOW_SURROGATE_MIN } from './surrogates.js';

/** A fatal decoder that keeps a BOM (callers skip the one at the stream start themselves). */
export function fatalDecoder(): TextDecoder {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
}

/** Whether a fresh fatal streaming decoder accepts `bytes` (valid UTF-8, possibly cut at the end). */
function acceptsPrefix(bytes: Uint8Array): boolean {
  try {
    fatalDecoder().decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Length of the longest prefix of `bytes` that a fatal streaming `TextDecoder` accepts: valid
 * UTF-8, possibly ending inside a character that later bytes could complete. `bytes.length` when
 * all of it is accepted. Validity of a prefix is monotone, so the decoder is asked by bisection.
 * Only called on input the decoder already rejected (the slow path).
 */
export function utf8PrefixLength(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (acceptsPrefix(bytes.subarray(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Bytes of the sequence a lead byte starts, or 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * How many bytes at the end of `bytes[0..end)` begin a character that the next bytes may
 * complete (0 to 3). Those bytes are held back until the rest of the character arrives.
 */
export function incompleteTail(bytes: Uint8Array, end: number = bytes.length): number {
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = bytes[end - k]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const needed = sequenceLength(b);
    return needed > k ? k : 0;
  }
  return 0;
}

/**
 * Index range of the first invalid UTF-8 sequence of `bytes` (`from` 0), or `undefined` when all
 * of it is valid. A character cut off by the end of `bytes` is invalid. The range is the
 * "maximal subpart" of the Encoding Standard, which a replacing decoder turns into one U+FFFD:
 * the bytes of a started character up to the byte that broke it, or that one byte alone when it
 * cannot start a character (the byte that broke a sequence starts the next one).
 * @see https://encoding.spec.whatwg.org/#utf-8-decoder
 */
export function invalidUtf8(bytes: Uint8Array): { start: number; end: number } | undefined {
  // Bisection on windows of doubling length: O(d log d) for a bad byte d bytes in, whatever
  // follows it (a reader looking for many bad sequences in one piece stays O(n log n)).
  let valid = 0;
  for (let window = 64; ; window *= 2) {
    const head = bytes.subarray(0, window);
    valid = utf8PrefixLength(head);
    if (valid < head.length || head.length === bytes.length) break;
  }
  // The accepted prefix may end inside a character: that character is the bad sequence.
  const started = incompleteTail(bytes, valid);
  if (valid === bytes.length) return started === 0 ? undefined : { start: valid - started, end: valid };
  return started > 0 ? { start: valid - started, end: valid } : { start: valid, end: valid + 1 };
}

/** Where decoding `bytes` first fails: the valid text before it and the bad bytes. */
export interface Utf8Failure {
  /** Text of the complete characters before the invalid sequence. */
  readonly text: string;
  /** Index of the first byte of the invalid sequence. */
  readonly start: number;
  /** Index after it (see {@link invalidUtf8}). */
  readonly end: number;
}

/**
 * Finds the first invalid sequence of `bytes`, which `TextDecoder` rejected (at `bytes.length`
 * when there is none). Only called for input that is not UTF-8.
 */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Failure {
  const found = invalidUtf8(bytes) ?? { start: bytes.length, end: bytes.length };
  const text = found.start === 0 ? '' : fatalDecoder().decode(bytes.subarray(0, found.start));
  return { text, start: found.start, end: found.end };
}

/**
 * UTF-16 code units that the UTF-8 `bytes[from..to)` decode to (exact for valid UTF-8; an
 * estimate that counts every lead byte once for invalid input). Used for positions of text that
 * is discarded without decoding.
 */
export function utf16Units(bytes: Uint8Array, from: number, to: number): number {
  let units = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  return units;
}

/** UTF-8 bytes of `text[from..to)` (a lone surrogate counts 3, as `TextEncoder` writes U+FFFD). */
export function utf8Bytes(text: string, from: number, to: number): number {
  let bytes = to - from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= HIGH_SURROGATE_MIN && c <= HIGH_SURROGATE_MAX && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= LOW_SURROGATE_MIN && d <= LOW_SURROGATE_MAX) {
        bytes += 2; // 4 bytes for 2 code units
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/** Code units of `text` from `from` whose UTF-8 encoding takes `limit` bytes (rounded down to a character). */
export function unitsWithinBytes(text: string, from: number, limit: number): number {
  let bytes = 0;
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let width = 1;
    let size = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (isSurrogatePairAt(text, i)) {
      size = 4;
      width = 2;
    }
    if (bytes + size > limit) break;
    bytes += size;
    i += width;
  }
  return i - from;
}

/** Concatenates byte chunks into one array. */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A streaming UTF-8 decoder that does not stop at invalid input: each invalid sequence (one
 * that a replacing decoder turns into one U+FFFD) is reported through `onInvalid`, with its byte
 * length, between the texts before and after it, so a caller can charge it to the record it
 * falls in; `onText` gets each decoded text with the number of bytes it came from. Holds at most
 * 3 bytes of an incomplete character between chunks.
 * @internal
 */
export interface Utf8Reader {
  write(bytes: Uint8Array): void;
  /** Ends the bytes: a held incomplete character is invalid. */
  flush(): void;
  /** Bytes held for an incomplete character. */
  readonly pending: number;
}

/**
 * Bytes decoded at once: a 64 KB chunk of non-ASCII text decodes to a string over V8's
 * large-object threshold (128 KB), which is slow to allocate and to collect; pieces of 16 KB stay
 * in the young generation (bench/jsonl).
 */
export const DECODE_PIECE = 16_384;

/** @internal */
export function createUtf8Reader(
  onText: (text: string, bytes: number) => void,
  onInvalid: (byteLength: number, cause: unknown) => void,
): Utf8Reader {
  const decoder = fatalDecoder();
  let carry: Uint8Array | undefined;

  /** Decodes bytes that hold no cut character at their end (or that are invalid). */
  function decodeComplete(bytes: Uint8Array): void {
    let text: string;
    try {
      // Streaming mode is about 3x faster than a one-shot decode in Node 20 (bench/jsonl); with
      // no cut character at the end it holds nothing back.
      if (incompleteTail(bytes) > 0) throw new TypeError('truncated UTF-8 sequence');
      text = decoder.decode(bytes, { stream: true });
    } catch (cause) {
      // Not UTF-8: hand over the valid runs, one invalid sequence at a time.
      for (let rest = bytes; rest.length > 0; ) {
        const bad = invalidUtf8(rest);
        const to = bad === undefined ? rest.length : bad.start;
        if (to > 0) onText(fatalDecoder().decode(rest.subarray(0, to)), to);
        if (bad === undefined) return;
        onInvalid(bad.end - bad.start, cause);
        rest = rest.subarray(bad.end);
      }
      return;
    }
    if (text.length > 0) onText(text, bytes.length);
  }

  return {
    write(chunk) {
      let data = chunk;
      if (carry !== undefined) {
        data = concatBytes([carry, chunk], carry.length + chunk.length);
        carry = undefined;
      }
      const tail = incompleteTail(data);
      if (tail > 0) carry = data.slice(data.length - tail);
      const end = data.length - tail;
      // In pieces cut at character starts (see DECODE_PIECE).
      for (let from = 0; from < end; ) {
        let to = Math.min(end, from + DECODE_PIECE);
        while (to < end && to > from && (data[to]! & 0xc0) === 0x80) to--;
        if (to === from) to = end;
        decodeComplete(from === 0 && to === data.length ? data : data.subarray(from, to));
        from = to;
      }
    },
    flush() {
      if (carry === undefined) return;
      const held = carry;
      carry = undefined;
      decodeComplete(held); // a character cut off by the end: invalid
    },
    get pending() {
      return carry === undefined ? 0 : carry.length;
    },
  };
}
