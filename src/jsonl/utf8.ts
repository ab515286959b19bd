/**
 * UTF-8 helpers of the JSON Lines splitter: decoding that turns an invalid sequence into an
 * error of the record it falls in rather than of the stream, and unit conversions for offsets.
 *
 * @module
 */

/** A fatal decoder that keeps a BOM (the splitter removes the one at the stream start itself). */
export function fatalDecoder(): TextDecoder {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
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

/** Where decoding `bytes` first fails: the valid text before it and the bad bytes to skip. */
export interface Utf8Failure {
  /** Text of the complete characters before the invalid sequence. */
  readonly text: string;
  /** Index of the first byte of the invalid sequence. */
  readonly start: number;
  /** Index after it (an invalid sequence and the stray continuation bytes after it count as one). */
  readonly end: number;
}

/**
 * Finds the first invalid sequence of `bytes` (which `TextDecoder` rejected). The longest
 * valid prefix is found by binary search with the platform's decoder, so "invalid" means exactly
 * what the platform says (prefix validity is monotone in streaming mode). O(n log n); only called
 * for input that is not UTF-8.
 */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Failure {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    try {
      fatalDecoder().decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  // bytes[0..lo) decodes (its last character possibly pending) and bytes[lo] breaks it.
  const pending = incompleteTail(bytes, lo);
  const start = lo - pending;
  const text = start === 0 ? '' : fatalDecoder().decode(bytes.subarray(0, start));
  let end = pending > 0 ? lo : Math.min(lo + 1, bytes.length);
  while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end++;
  return { text, start, end };
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
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
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
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        size = 4;
        width = 2;
      }
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
 * A streaming UTF-8 decoder that does not stop at invalid input: each invalid sequence is
 * reported through `onInvalid` (with its byte length) between the texts before and after it, so
 * a caller can charge it to the record it falls in. Holds at most 3 bytes of an incomplete
 * character between chunks.
 * @internal
 */
export interface Utf8Reader {
  write(bytes: Uint8Array): void;
  /** Ends the bytes: a held incomplete character is invalid. */
  flush(): void;
  /** Bytes held for an incomplete character. */
  readonly pending: number;
}

/** @internal */
export function createUtf8Reader(
  onText: (text: string) => void,
  onInvalid: (byteLength: number, cause: unknown) => void,
): Utf8Reader {
  const decoder = fatalDecoder();
  let carry: Uint8Array | undefined;

  function decodeComplete(bytes: Uint8Array): void {
    while (bytes.length > 0) {
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch (cause) {
        const failure = findInvalidUtf8(bytes);
        if (failure.text.length > 0) onText(failure.text);
        onInvalid(failure.end - failure.start, cause);
        bytes = bytes.subarray(failure.end);
        continue;
      }
      if (text.length > 0) onText(text);
      return;
    }
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
      decodeComplete(tail > 0 ? data.subarray(0, data.length - tail) : data);
    },
    flush() {
      if (carry === undefined) return;
      const held = carry;
      carry = undefined;
      let cause: unknown;
      try {
        fatalDecoder().decode(held);
      } catch (error) {
        cause = error;
      }
      onInvalid(held.length, cause);
    },
    get pending() {
      return carry === undefined ? 0 : carry.length;
    },
  };
}
