import fc from 'fast-check';
import type { ParseWarningCode } from '../../src/index.js';

// ---- A small generator of damaged texts with known repairs (the full `modelDamage` arbitrary
// lives in streamshape/testing; this one checks the tokenizer against its own expectations).

export type Damaged = { text: string; codes: ParseWarningCode[] };

const identifierKey = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function damagedValue(value: unknown, choices: fc.Arbitrary<number>): fc.Arbitrary<Damaged> {
  return fc.array(choices, { minLength: 64, maxLength: 64 }).map((dice) => {
    let k = 0;
    const roll = (): number => dice[k++ % dice.length]!;
    const codes: ParseWarningCode[] = [];
    const comment = (): string => {
      if (roll() % 7 !== 0) return '';
      codes.push('comment');
      return roll() % 2 === 0 ? ' /* c */ ' : ' // c\n';
    };
    const str = (s: string): string => {
      if (roll() % 5 === 0 && !s.includes("'") && !s.includes('\\')) {
        codes.push('single-quoted-string');
        return `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"')}'`;
      }
      return JSON.stringify(s);
    };
    const print = (v: unknown): string => {
      if (v === true || v === false || v === null) {
        if (roll() % 3 === 0) {
          codes.push('python-literal');
          return v === true ? 'True' : v === false ? 'False' : 'None';
        }
        return JSON.stringify(v);
      }
      if (typeof v === 'string') return str(v);
      if (typeof v === 'number') return JSON.stringify(v);
      const entries = Array.isArray(v) ? v.map((x) => [undefined, x] as const) : Object.entries(v as object);
      let out = Array.isArray(v) ? '[' : '{';
      entries.forEach(([key, x], index) => {
        if (index > 0) out += ',';
        out += comment();
        if (key !== undefined) {
          if (identifierKey.test(key) && roll() % 4 === 0) {
            codes.push('unquoted-key');
            out += key;
          } else {
            out += str(key);
          }
          out += ':' + comment();
        }
        out += print(x);
        out += comment();
      });
      if (entries.length > 0 && roll() % 4 === 0) {
        codes.push('trailing-comma');
        out += ',';
      }
      return out + (Array.isArray(v) ? ']' : '}');
    };
    const body = print(value);
    const before: string[] = [];
    const beforeCodes: ParseWarningCode[] = [];
    if (roll() % 3 === 0) {
      before.push('<think>Let me think about {"a": 1} and ```code```.</think>\n');
      beforeCodes.push('reasoning-block');
    }
    if (roll() % 3 === 0) {
      before.push('Here is the JSON you asked for:\n');
      beforeCodes.push('leading-text');
    }
    const fenced = roll() % 2 === 0;
    if (fenced) {
      before.push('```json\n');
      beforeCodes.push('code-fence');
    }
    let after = '';
    const afterCodes: ParseWarningCode[] = [];
    if (fenced) {
      after += '\n```';
      afterCodes.push('code-fence');
    }
    if (roll() % 3 === 0) {
      after += '\nHope this helps!';
      afterCodes.push('trailing-text');
    }
    return { text: before.join('') + body + after, codes: [...beforeCodes, ...codes, ...afterCodes] };
  });
}

export const containers = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 3 })), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })));

