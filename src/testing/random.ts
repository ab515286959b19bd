import { isHighSurrogate } from '../json/surrogates.js';

/**
 * The mulberry32 generator: 32 bits of state, fast, and good enough for laying out test data
 * (fragment sizes, interleavings), not for anything that needs unpredictability. One seed, one
 * sequence, on every platform. Internal to the testing entry and the repository's fixtures.
 *
 * @param seed - any number; only its low 32 bits are used.
 * @returns a function giving floats in [0, 1).
 * @internal
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/**
 * Split text into fragments of 1…max code units (max below 1 counts as 1), never between the
 * halves of a surrogate pair; one draw of `random` per fragment. Shared by the provider-stream
 * arbitraries, which each had a copy.
 * @internal
 */
export function fragment(text: string, max: number, random: () => number): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + 1 + Math.floor(random() * Math.max(1, max)));
    const code = text.charCodeAt(end - 1);
    if (end < text.length && isHighSurrogate(code)) end++;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}
