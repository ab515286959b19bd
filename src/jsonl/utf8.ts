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

/** Where decoding `bytes` first fails: the valid text before it and the bad bytes. */
export interface Utf8Failure {
  /** Text of the complete characters before the invalid sequence. */
  readonly text: string;
  /** Index of the first byte of the invalid sequence. */
  readonly start: number;
  /**
   * Index after it: the "maximal subpart" of the Encoding Standard, which a replacing decoder
   * turns into one U+FFFD (the byte that broke a sequence starts the next one).
   */
  readonly end: number;
}

/**
 * Index range of the first invalid UTF-8 sequence of `bytes[from..)`, by the UTF-8 decoder
 * algorithm of the Encoding Standard (what `TextDecoder` implements), or `undefined` when
 * the rest is valid. A sequence cut off by the end of `bytes` is invalid. O(length).
 * @see https://encoding.spec.whatwg.org/#utf-8-decoder
 */
function nextInvalid(bytes: Uint8Array, from: number): { start: number; end: number } | undefined {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0; // no overlong forms
      if (b === 0xed) upper = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90; // no overlong forms
      if (b === 0xf4) upper = 0x8f; // nothing above U+10FFFF
    } else return { start: i, end: i + 1 };
    let j = i + 1;
    for (let k = 0; k < need; k++, j++) {
      if (j >= n) return { start: i, end: n };
      const c = bytes[j]!;
      if (c < lower || c > upper) return { start: i, end: j };
      lower = 0x80;
      upper = 0xbf;
    }
    i = j;
  }
  return undefined;
}

/**
 * Finds the first invalid sequence of `bytes`, which `TextDecoder` rejected. Only called for
 * input that is not UTF-8.
 */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Failure {
  const found = nextInvalid(bytes, 0) ?? { start: bytes.length, end: bytes.length };
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
 * A streaming UTF-8 decoder that does not stop at invalid input: each invalid sequence (one
 * that a replacing decoder turns into one U+FFFD) is reported through `onInvalid`, with its byte
 * length, between the texts before and after it, so a caller can charge it to the record it
 * falls in. Holds at most 3 bytes of an incomplete
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

const PIECE = 16 * 1024;

/** @internal */
export function createUtf8Reader(
  onText: (text: string) => void,
  onInvalid: (byteLength: number, cause: unknown) => void,
): Utf8Reader {
  const decoder = fatalDecoder();
  let carry: Uint8Array | undefined;

  /** Decodes bytes that hold no cut character at their end (or that are invalid). */
  function decodeComplete(bytes: Uint8Array): void {
    let text: string;
    try {
      // Streaming mode is the fast one in Node 20 (see lines.ts); with no cut character at the
      // end it holds nothing back.
      if (incompleteTail(bytes) > 0) throw new TypeError('truncated UTF-8 sequence');
      text = decoder.decode(bytes, { stream: true });
    } catch (cause) {
      // Not UTF-8: hand over the valid runs, one invalid sequence at a time (O(length)).
      const check = fatalDecoder();
      for (let from = 0; from < bytes.length; ) {
        const bad = nextInvalid(bytes, from);
        const to = bad === undefined ? bytes.length : bad.start;
        if (to > from) onText(check.decode(bytes.subarray(from, to)));
        if (bad === undefined) return;
        onInvalid(bad.end - bad.start, cause);
        from = bad.end;
      }
      return;
    }
    if (text.length > 0) onText(text);
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
      // In pieces cut at character starts: a 64 KB chunk of non-ASCII text decodes to a string
      // over V8's large-object threshold, slow to allocate and collect (see lines.ts).
      for (let from = 0; from < end; ) {
        let to = Math.min(end, from + PIECE);
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
