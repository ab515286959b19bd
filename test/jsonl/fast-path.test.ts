/**
 * The concatenated and array modes let the tokenizer hand a record that closes within one write
 * to the platform's `JSON.parse` whole (its SKIPPED fast path) instead of emitting every token.
 * The values are the same either way, so only the hook's presence can tell: this pins it, after a
 * rename of the tokenizer's hook (a method name became a symbol) switched it off silently and
 * array mode ran 1.5-2x slower.
 */
import { describe, expect, it } from 'vitest';
import { SKIPPED } from '../../src/json/tokenizer.js';
import { createValuesSplitter } from '../../src/jsonl/values.js';

describe('JSON Lines: the values splitter offers the tokenizer its JSON.parse fast path', () => {
  for (const mode of ['array', 'concatenated'] as const) {
    it(`${mode} mode`, () => {
      const sink = { value() {}, error() {} } as unknown as Parameters<typeof createValuesSplitter>[0];
      const splitter = createValuesSplitter(sink, { array: mode === 'array', maxLength: Infinity, partials: false }) as unknown as Record<symbol, unknown>;
      expect(typeof splitter[SKIPPED]).toBe('function');
    });
  }
});
