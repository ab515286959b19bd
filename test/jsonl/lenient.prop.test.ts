/**
 * JSON Lines in lenient mode (issue 14): a line `JSON.parse` rejects is repaired per record when
 * lenient mode can give it a value, its repairs reported at their place in the stream, just
 * before the record; good lines take the fast path unchanged. The damages are `modelDamage`'s,
 * without the kinds that cannot live on one line or are ambiguous there: prose, fences and
 * `<think>` blocks span lines (and a line of prose is a bad record, not text around one), a
 * raw control character may be a newline (which ends the record), a `//` comment runs to the
 * line end. The same records, warnings and errors for every chunking, as text and as bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonlParser, parseJsonl, type ParseWarning, lenient } from '../../src/index.js';
import { chunked, jsonText, modelDamage, utf8Chunks, type DamageKind } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const LINE_KINDS: readonly DamageKind[] = [
  'trailing-comma',
  'single-quoted-string',
  'unquoted-key',
  'python-literal',
  'javascript-literal',
  'invalid-escape',
  'truncation',
];

/** One record on one line: good JSON, or damaged JSON with the value and warnings lenient mode must give. */
type Line = { text: string; value: unknown; warnings: string[] };

const oneLine = jsonText({ topLevel: 'container' }).map((text) => JSON.stringify(JSON.parse(text)));
const good: fc.Arbitrary<Line> = oneLine.map((text) => ({ text, value: JSON.parse(text) as unknown, warnings: [] }));
const damaged: fc.Arbitrary<Line> = modelDamage(oneLine, { kinds: LINE_KINDS, minDamages: 1, maxDamages: 3 })
  .filter((d) => !/[\n\r\u2028\u2029]/.test(d.text) && d.warnings.length > 0)
  .map((d) => ({ text: d.text, value: d.expected, warnings: d.warnings }));

const lines = fc.array(fc.oneof(good, damaged), { minLength: 1, maxLength: 6 });

async function* source(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

type Seen = { values: unknown[]; warnings: ParseWarning[][]; errors: number; lines: number[] };

function parse(chunks: readonly (string | Uint8Array)[]): Seen {
  const seen: Seen = { values: [], warnings: [], errors: 0, lines: [] };
  let pending: ParseWarning[] = [];
  const parser = createJsonlParser({
    lenient: lenient(),
    onWarning: (warning, info) => {
      expect(info.index).toBe(seen.values.length);
      pending.push(warning);
    },
    onValue: (value, info) => {
      seen.values.push(value);
      seen.warnings.push(pending);
      seen.lines.push(info.line);
      pending = [];
    },
    onError: () => void seen.errors++,
  });
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  expect(pending).toEqual([]);
  return seen;
}

describe('createJsonlParser({ lenient }) in lines mode', () => {
  it('damaged records give their repaired value and one warning per repair, at stream positions, for every chunking', () => {
    fc.assert(
      fc.property(
        lines.chain((ls) => {
          const text = ls.map((l) => l.text).join('\n') + '\n';
          return fc.tuple(fc.constant(ls), fc.constant(text), fc.oneof(chunked(text), utf8Chunks(text)));
        }),
        ([ls, text, chunks]) => {
          const seen = parse(chunks);
          expect(seen.errors).toBe(0);
          expect(seen.values).toEqual(ls.map((l) => l.value));
          expect(seen.warnings.map((ws) => ws.map((w) => w.code))).toEqual(ls.map((l) => l.warnings));
          // Positions are the stream's: the warning's line is the record's, and the position
          // is where that line and column are in the whole text.
          const starts = [0];
          for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
          seen.warnings.forEach((ws, k) => {
            for (const w of ws) {
              expect(w.line).toBe(seen.lines[k]);
              expect(w.position).toBe(starts[w.line - 1]! + w.column - 1);
            }
          });
          // Each record's warnings are those of parsing the line alone, shifted.
          expect(parse([text])).toEqual(seen);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('good lines are untouched (same records as strict mode, no warning); a line no repair covers is the same bad record', () => {
    const text = '{"a": 1}\n{"a": 2,}\nnot json at all\n[1, 2 3]\n{b: True}\n';
    const strict: unknown[] = [];
    const strictErrors: string[] = [];
    createJsonlParser({ onValue: (v) => void strict.push(v), onError: (e) => void strictErrors.push(`${e.line}:${e.column} ${e.code}`) }).write(text);
    expect(strict).toEqual([{ a: 1 }]);
    const values: unknown[] = [];
    const errors: string[] = [];
    const codes: string[] = [];
    const parser = createJsonlParser({
      lenient: lenient(),
      onWarning: (w) => void codes.push(`${w.line}:${w.column} ${w.code}`),
      onValue: (v) => void values.push(v),
      onError: (e) => void errors.push(`${e.line}:${e.column} ${e.code}`),
    });
    parser.write(text);
    parser.end();
    expect(values).toEqual([{ a: 1 }, { a: 2 }, { b: true }]);
    expect(codes).toEqual(['2:8 trailing-comma', '5:2 unquoted-key', '5:5 python-literal']);
    // The lines lenient mode cannot repair are reported exactly as strict mode reports them.
    expect(errors).toEqual(strictErrors.filter((e) => e.startsWith('3:') || e.startsWith('4:')));
  });

  it('parseJsonl passes lenient and onWarning through; other modes refuse lenient', async () => {
    const warnings: string[] = [];
    const out: unknown[] = [];
    for await (const record of parseJsonl(source(["{'a': None}\n[1,", ']\n']), { lenient: lenient(), onWarning: (w) => void warnings.push(w.code) })) if (record.type === 'value') out.push(record.value);
    expect(out).toEqual([{ a: null }, [1]]);
    expect(warnings).toEqual(['single-quoted-string', 'python-literal', 'trailing-comma']);
    expect(() => createJsonlParser({ mode: 'concatenated', lenient: lenient() })).toThrow(TypeError);
  });
});
