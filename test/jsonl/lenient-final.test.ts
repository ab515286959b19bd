/**
 * A new user's review of JSON Lines lenient mode (issue 14 item 1): damaged records among CRLF
 * line endings, blank lines, a byte order mark and invalid UTF-8, at every chunking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonlParser, lenient } from '../../src/index.js';
import { jsonText, modelDamage, type DamageKind } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const LINE_KINDS: readonly DamageKind[] = ['trailing-comma', 'single-quoted-string', 'unquoted-key', 'python-literal', 'javascript-literal', 'invalid-escape', 'truncation'];
const oneLine = jsonText({ topLevel: 'container' }).map((text) => JSON.stringify(JSON.parse(text)));
type Line = { bytes: Uint8Array; value?: unknown; warnings?: string[]; bad?: true; blank?: true };
const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const line: fc.Arbitrary<Line> = fc.oneof(
  oneLine.map((text) => ({ bytes: encode(text), value: JSON.parse(text) as unknown, warnings: [] })),
  modelDamage(oneLine, { kinds: LINE_KINDS, minDamages: 1, maxDamages: 3 })
    .filter((d) => !/[\n\r\u2028\u2029]/.test(d.text) && d.warnings.length > 0)
    .map((d) => ({ bytes: encode(d.text), value: d.expected, warnings: d.warnings })),
  fc.constantFrom('', ' ', '\t ', ' \r').map((s) => ({ bytes: encode(s), blank: true as const })),
  // A damaged record with a byte that is no UTF-8: bad, whatever lenient mode could repair.
  fc.constant({ bytes: Uint8Array.from([...encode('{"a": "x'), 0xff, ...encode('",}')]), bad: true as const }),
);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function parse(chunks: readonly Uint8Array[]): string[] {
  const out: string[] = [];
  const parser = createJsonlParser({
    lenient: lenient(),
    onWarning: (w, info) => void out.push(`W${info.index} ${w.code}@${w.position} ${w.line}:${w.column}`),
    onValue: (v, info) => void out.push(`V${info.line} ${JSON.stringify(v)}`),
    onError: (e) => void out.push(`E ${e.code}@${e.position} ${e.line}:${e.column}`),
  });
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  return out;
}

describe('JSON Lines lenient: CRLF, blank lines, BOM, invalid UTF-8', () => {
  it('the same records, repairs and errors at every byte chunking; repairs only for records', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 40 }),
        (ls, bom, crlf, sizes) => {
          const eol = encode(crlf ? '\r\n' : '\n');
          const parts: Uint8Array[] = bom ? [Uint8Array.from([0xef, 0xbb, 0xbf])] : [];
          for (const l of ls) parts.push(l.bytes, eol);
          const bytes = concat(parts);
          const whole = parse([bytes]);
          const chunks: Uint8Array[] = [];
          for (let at = 0, k = 0; at < bytes.length; k++) {
            const n = sizes[k % sizes.length]!;
            chunks.push(bytes.subarray(at, at + n));
            at += n;
          }
          expect(parse(chunks)).toEqual(whole);
          const records = ls.filter((l) => l.blank !== true);
          expect(whole.filter((e) => e.startsWith('V')).map((e) => JSON.parse(e.slice(e.indexOf(' ') + 1)) as unknown)).toEqual(
            records.filter((l) => l.bad !== true).map((l) => l.value),
          );
          expect(whole.filter((e) => e.startsWith('E')).length).toBe(records.filter((l) => l.bad === true).length);
          expect(whole.filter((e) => e.startsWith('W')).map((e) => e.split(' ')[1]!.split('@')[0])).toEqual(records.flatMap((l) => l.warnings ?? []));
          // Each warning's line:column is where its position is in the decoded text.
          const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
          for (const e of whole.filter((x) => x.startsWith('W'))) {
            const [, at, lc] = /@(\d+) (\d+:\d+)$/.exec(e)!;
            const before = text.slice(0, Number(at));
            expect(lc).toBe(`${before.split('\n').length}:${Number(at) - (before.lastIndexOf('\n') + 1) + 1}`);
          }
        },
      ),
      { numRuns: runs() },
    );
  });
});
