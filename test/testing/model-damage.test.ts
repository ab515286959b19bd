import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePartial } from '../../src/index.js';
import { DAMAGE_KINDS, deepEqualJson, jsonText, modelDamage } from '../../src/testing/index.js';
import type { DamageKind, DamageWarningCode } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

function accepted(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The warnings a damage gives when nothing cuts it off. */
function codesOf(kind: DamageKind): DamageWarningCode[] {
  if (kind === 'code-fence') return ['code-fence', 'code-fence'];
  if (kind === 'truncation') return ['truncated'];
  return [kind];
}

const sorted = <T>(list: readonly T[]): T[] => [...list].sort();

describe('modelDamage', () => {
  it('gives invalid JSON exactly when it applied a damage, and the undamaged text otherwise', () => {
    fc.assert(
      fc.property(modelDamage(undefined, { minDamages: 0 }), ({ text, original, damages }) => {
        expect(accepted(original)).toBe(true);
        if (damages.length === 0) expect(text).toBe(original);
        else expect(accepted(text)).toBe(false);
      }),
      { numRuns: runs() },
    );
  });

  it('expects JSON.parse(original) and one warning per damage when nothing is cut', () => {
    fc.assert(
      fc.property(modelDamage(undefined, { kinds: DAMAGE_KINDS.filter((k) => k !== 'truncation'), maxDamages: 6 }), (sample) => {
        expect(deepEqualJson(sample.expected, JSON.parse(sample.original))).toBe(true);
        expect(sorted(sample.warnings)).toStrictEqual(sorted(sample.damages.flatMap(codesOf)));
      }),
      { numRuns: runs() },
    );
  });

  it('with only a cut, expects what the strict parser shows for the same prefix (an independent oracle)', () => {
    fc.assert(
      fc.property(modelDamage(jsonText(), { kinds: ['truncation'] }), ({ text, original, damages, expected, warnings }) => {
        fc.pre(damages.length > 0);
        expect(original.startsWith(text)).toBe(true);
        expect(warnings).toStrictEqual(['truncated']);
        const strict = parsePartial(text);
        expect(strict.complete).toBe(false);
        expect(deepEqualJson(strict.value, expected)).toBe(true);
      }),
      { numRuns: runs(2) },
    );
  });

  it('after a cut, lists the warnings of the repairs before it and `truncated` last', () => {
    fc.assert(
      fc.property(modelDamage(undefined, { maxDamages: 6 }), ({ damages, warnings }) => {
        if (!damages.includes('truncation')) return;
        expect(warnings[warnings.length - 1]).toBe('truncated');
        expect(warnings.filter((w) => w === 'truncated')).toHaveLength(1);
        // Text after the value is always cut off with it.
        expect(warnings).not.toContain('trailing-text');
        expect(warnings.length).toBeLessThanOrEqual(damages.flatMap(codesOf).length);
      }),
      { numRuns: runs() },
    );
  });

  it('applies every kind of damage often enough to matter', () => {
    const samples = fc.sample(modelDamage(), { numRuns: 2000, seed: 14 });
    const counts = new Map<DamageKind, number>();
    for (const sample of samples) for (const kind of new Set(sample.damages)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    for (const kind of DAMAGE_KINDS) {
      // Literals and keys that are identifiers are rarer in random JSON; still present.
      expect(counts.get(kind) ?? 0, kind).toBeGreaterThan(samples.length * (kind.endsWith('literal') || kind === 'unquoted-key' ? 0.02 : 0.08));
    }
    expect(samples.filter((s) => s.damages.length >= 3).length).toBeGreaterThan(samples.length * 0.2);
  });

  it('puts each damage where it means one thing', () => {
    const one = (text: string, kinds: readonly DamageKind[]): string =>
      fc.sample(modelDamage(fc.constant(text), { kinds, minDamages: 1, maxDamages: 1 }), { numRuns: 1, seed: 1 })[0]!.text;
    expect(one('{"a":[1,null]}', ['python-literal'])).toBe('{"a":[1,None]}');
    expect(one('{"a":[1,null]}', ['javascript-literal'])).toMatch(/^\{"a":\[(1,(undefined|NaN|-?Infinity)|(NaN|-?Infinity),null)\]\}$/);
    expect(one('{"a":1}', ['unquoted-key'])).toBe('{a:1}');
    expect(one('["x"]', ['single-quoted-string'])).toBe("['x']");
    expect(one('[]', ['trailing-comma'])).toBe('[]');
    expect(one('[1 ]', ['trailing-comma'])).toBe('[1, ]');
    expect(one('"x"', ['leading-text', 'code-fence', 'reasoning-block', 'trailing-text'])).toBe('"x"');
  });

  it('keeps a key or string with a quote of the other kind out of single quotes, and literal words out of bare keys', () => {
    const quoted = fc.sample(modelDamage(fc.constant('{"it\'s":"don\'t"}'), { kinds: ['single-quoted-string'] }), { numRuns: 20, seed: 3 });
    const bare = fc.sample(modelDamage(fc.constantFrom('{"true":1}', '{"None":2}', '{"a b":3}', '{"1a":4}'), { kinds: ['unquoted-key'] }), {
      numRuns: 50,
      seed: 3,
    });
    for (const { text, damages } of [...quoted, ...bare]) {
      expect(damages).toStrictEqual([]);
      expect(accepted(text)).toBe(true);
    }
  });

  it('shrinks a failure to one damage of a small text', () => {
    const result = fc.check(
      fc.property(modelDamage(), ({ damages }) => !damages.includes('python-literal')),
      { seed: 5, numRuns: 2000 },
    );
    expect(result.failed).toBe(true);
    const [sample] = result.counterexample!;
    expect(sample.damages).toStrictEqual(['python-literal']);
    expect(sample.original.length).toBeLessThanOrEqual(8);
  });

  it('rejects a JSON arbitrary that gives invalid JSON, and unknown kinds', () => {
    expect(() => fc.sample(modelDamage(fc.constant('{'), { minDamages: 0, maxDamages: 0 }), 1)).toThrow(TypeError);
    expect(() => modelDamage(undefined, { kinds: ['nope' as DamageKind] })).toThrow(/unknown damage kind/);
    expect(() => modelDamage(undefined, { kinds: [] })).toThrow(TypeError);
  });
});
