import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMutation, jsonText, mutatedJson } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const numRuns = runs();

function accepted(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('mutatedJson', () => {
  it('mostly gives texts that JSON.parse rejects, sometimes valid ones', () => {
    const samples = fc.sample(jsonText({ topLevel: 'container' }).chain((t) => mutatedJson(t)), { numRuns: 1000, seed: 2 });
    const valid = samples.filter(accepted).length;
    expect(valid).toBeGreaterThan(0);
    expect(valid).toBeLessThan(samples.length * 0.5);
  });

  it('changes the text in at most maxMutations edits', () => {
    fc.assert(
      fc.property(fc.constantFrom('{"a":[1,2,3]}', '"x"', '', 'true'), fc.integer({ min: 1, max: 5 }), (text, max) => {
        fc.assert(
          fc.property(mutatedJson(text, { maxMutations: max }), (mutated) => {
            expect(typeof mutated).toBe('string');
          }),
          { numRuns: 5 },
        );
      }),
      { numRuns: Math.max(1, Math.round(numRuns / 10)) },
    );
  });

  it('applies each kind of mutation as documented', () => {
    expect(applyMutation('[1,2]', { kind: 'delete', at: 1, length: 2 })).toBe('[2]');
    expect(applyMutation('[1,2]', { kind: 'insert', at: 5, text: ',' })).toBe('[1,2],');
    expect(applyMutation('[1,2]', { kind: 'replace', at: 2, text: ':' })).toBe('[1:2]');
    expect(applyMutation('[1,2]', { kind: 'swap', at: 0 })).toBe('1[,2]');
    expect(applyMutation('[1,2]', { kind: 'truncate', at: 3 })).toBe('[1,');
    expect(applyMutation('[1,2]', { kind: 'duplicate', at: 1, length: 2 })).toBe('[1,1,2]');
    // positions wrap around
    expect(applyMutation('ab', { kind: 'delete', at: 3, length: 1 })).toBe('a');
    expect(applyMutation('', { kind: 'swap', at: 3 })).toBe('');
  });
});
