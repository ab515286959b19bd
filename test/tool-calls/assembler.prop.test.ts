import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AssembledEvent, assembleToolCalls } from '../../src/tool-calls/index.js';
import { providerStream, type ProviderStreamConstraints, type ProviderStreamKind } from '../../src/testing/index.js';
import { adapterFor } from '../providers/helpers.js';
import { runs } from '../support/shared.js';


// Gemini sends complete calls unless Vertex streams `partialArgs`: only then can a call be cut.
const setups: { provider: ProviderStreamKind; label: string; constraints: ProviderStreamConstraints; cuts: boolean }[] = [
  { provider: 'openai-chat', label: 'openai-chat', constraints: { choices: 2 }, cuts: true },
  { provider: 'openai-responses', label: 'openai-responses', constraints: {}, cuts: true },
  { provider: 'anthropic', label: 'anthropic', constraints: {}, cuts: true },
  { provider: 'gemini', label: 'gemini (complete calls)', constraints: { geminiMode: 'complete' }, cuts: false },
  { provider: 'gemini', label: 'gemini (Vertex partialArgs)', constraints: { geminiMode: 'partial-args' }, cuts: true },
];

describe('tool calls from generated provider streams (adapter + assembler)', () => {
  for (const { provider, label, constraints, cuts } of setups) {
    it(`${label}: complete calls equal their arguments, cut calls are truncated, nothing completes early`, async () => {
      await fc.assert(
        fc.asyncProperty(
          providerStream(provider, { ending: ['finish', 'length', 'error', 'cut'], ...constraints }),
          async ({ chunks, expected }) => {
            const out: AssembledEvent[] = [];
            // Order check: no call may be delivered before the adapter's end signal for it.
            const ended = new Set<string>();
            for await (const event of assembleToolCalls(adapterFor(provider)(chunks as unknown[]))) {
              if (event.type === 'tool-call-end') ended.add(`${event.choice ?? 0}/${event.id}`);
              if (event.type === 'finish' && event.reason !== 'length') {
                // a stop/tool-calls finish is an end signal for that choice's open calls
                ended.add(`${event.choice ?? 0}/*`);
              }
              if (event.type === 'tool-call') {
                const key = `${event.choice ?? 0}/${event.id}`;
                expect(ended.has(key) || ended.has(`${event.choice ?? 0}/*`), `${key} delivered before its end`).toBe(true);
              }
              out.push(event);
            }
            const delivered = out.flatMap((e) => (e.type === 'tool-call' ? [e] : []));
            const failed = out.flatMap((e) => (e.type === 'tool-call-error' ? [e.error] : []));
            const complete = expected.toolCalls.filter((c) => c.complete);
            const cut = expected.toolCalls.filter((c) => !c.complete);
            // Every call is reported exactly once, as a call or as an error.
            expect(delivered.length + failed.length).toBe(expected.toolCalls.length);
            expect(
              delivered.map((c) => ({ name: c.name, choice: c.choice ?? 0, arguments: c.arguments })).sort(byKey),
            ).toEqual(complete.map((c) => ({ name: c.name, choice: c.choice, arguments: c.arguments })).sort(byKey));
            // Exactly its arguments: the raw text too (resends deduplicated, nothing doubled).
            for (const call of delivered) {
              const want = expected.toolCalls.find((c) => c.choice === (call.choice ?? 0) && c.index === call.index);
              if (want?.argumentsText !== undefined) expect(call.rawArguments).toBe(want.argumentsText);
            }
            expect(failed.map((e) => e.reason)).toEqual(cut.map(() => 'truncated'));
            for (const c of cut) expect(failed.some((e) => e.toolName === c.name && (e.choice ?? 0) === c.choice)).toBe(true);
          },
        ),
        { numRuns: runs(0.5) },
      );
    });

    it(`${label}: the generator exercises both outcomes (a property over no calls would prove nothing)`, () => {
      // A fixed seed keeps this check deterministic whatever the property budget.
      const sample = fc.sample(providerStream(provider, { ending: ['finish', 'length', 'error', 'cut'], ...constraints }), {
        numRuns: 200,
        seed: 42,
      });
      const calls = sample.flatMap((s) => s.expected.toolCalls);
      expect(calls.filter((c) => c.complete).length).toBeGreaterThan(0);
      if (cuts) expect(calls.filter((c) => !c.complete).length).toBeGreaterThan(0);
    });
  }
});

describe('the generated streams carry every quirk the adapters must survive', () => {
  const wanted: Record<string, string[]> = {
    'openai-chat': [
      'openai-every-call-on-index-0',
      'openai-id-on-every-fragment',
      'openai-compatible-no-index',
      'openai-compatible-index-minus-1',
      'openai-compatible-args-before-id-and-name',
      'openai-compatible-placeholder-id',
      'openai-compatible-id-shared-by-every-call',
      'openai-compatible-whole-so-far-resends',
      'openai-compatible-tool-calls-finish-on-cut-call',
    ],
    anthropic: ['anthropic-spliced-message'],
    'openai-responses': ['responses-multi-response', 'responses-spliced-response'],
  };
  for (const [provider, quirks] of Object.entries(wanted)) {
    it(`${provider}: ${quirks.length} quirks appear in a fixed-seed sample`, () => {
      const sample = fc.sample(providerStream(provider as ProviderStreamKind, { ending: ['finish', 'length', 'error', 'cut'] }), {
        numRuns: 400,
        seed: 7,
      });
      const seen = new Set(sample.flatMap((s) => s.expected.quirks));
      expect(quirks.filter((q) => !seen.has(q))).toEqual([]);
    });
  }
});

function byKey(a: { name: string; choice: number; arguments: unknown }, b: { name: string; choice: number; arguments: unknown }): number {
  const ka = `${a.choice}/${a.name}/${JSON.stringify(a.arguments)}`;
  const kb = `${b.choice}/${b.name}/${JSON.stringify(b.arguments)}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
