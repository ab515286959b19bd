/**
 * Lenient mode as an imported plug-in (issue 13 item 4): `lenient()` is the only way in, so an
 * app that stays strict bundles none of the repairs (test/package/size.test.ts checks the bundles).
 * The old option values (`true`, an object of repair switches) throw a TypeError that says what to
 * pass instead, at creation, from every function that takes `lenient`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createJsonlParser,
  createPartialParser,
  createTokenizer,
  JsonlStream,
  lenient,
  parseJsonl,
  parsePartial,
  parseStream,
  PartialJsonStream,
  type Lenient,
  type TokenHandler,
} from '../../src/index.js';
import { assembleToolCalls, createToolCallAssembler } from '../../src/tool-calls/index.js';
import { chunked, modelDamage } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const noop = (): void => {};
const handler: TokenHandler = {
  startObject: noop,
  endObject: noop,
  startArray: noop,
  endArray: noop,
  key: noop,
  string: noop,
  startString: noop,
  stringPart: noop,
  endString: noop,
  number: noop,
  literal: noop,
};

/** Every public way to pass `lenient`, each creating what takes it (not reading anything). */
const takers: Record<string, (option: Lenient) => unknown> = {
  createTokenizer: (option) => createTokenizer(handler, { lenient: option }),
  createPartialParser: (option) => createPartialParser({ lenient: option }),
  parsePartial: (option) => parsePartial('[1]', { lenient: option }),
  parseStream: (option) => parseStream(new Blob(['[1]']).stream(), { lenient: option }),
  PartialJsonStream: (option) => new PartialJsonStream({ lenient: option }),
  createJsonlParser: (option) => createJsonlParser({ mode: 'lines', lenient: option }),
  parseJsonl: (option) => parseJsonl(new Blob(['{"a": 1}\n']).stream(), { lenient: option }),
  JsonlStream: (option) => new JsonlStream({ lenient: option }),
  createToolCallAssembler: (option) => createToolCallAssembler({ output: { lenient: option } }),
  assembleToolCalls: (option) => assembleToolCalls([], { output: { lenient: option } }),
};

describe('lenient is a plug-in: lenient() or nothing', () => {
  const OLD_OPTIONS: unknown[] = [true, { 'trailing-comma': false }, {}, 'yes', 1, null];
  for (const [name, take] of Object.entries(takers)) {
    it(`${name} rejects the old option values with a TypeError that says to pass lenient()`, () => {
      for (const old of OLD_OPTIONS) {
        expect(() => take(old as Lenient)).toThrow(TypeError);
        expect(() => take(old as Lenient)).toThrow(/pass lenient\(\) from 'streamshape'/);
      }
    });
    it(`${name} takes lenient(), lenient({ … }) and false`, () => {
      expect(() => take(lenient())).not.toThrow();
      expect(() => take(lenient({ 'trailing-comma': false }))).not.toThrow();
      expect(() => take(false as unknown as Lenient)).not.toThrow();
    });
  }

  it('the message names the fix and the reason', () => {
    expect(() => createTokenizer(handler, { lenient: true as never })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: lenient: pass lenient() from 'streamshape', not true: a plug-in, so strict apps do not bundle the repairs]`,
    );
  });

  it('lenient() rejects an unknown repair and a non-object', () => {
    expect(() => lenient({ 'no-such-repair': false } as never)).toThrow(/unknown repair "no-such-repair"/);
    expect(() => lenient({ toString: false } as never)).toThrow(TypeError);
    expect(() => lenient(true as never)).toThrow(TypeError);
    expect(() => lenient([] as never)).toThrow(/got an array/);
    // A switch is true or false: 0 or 'no' would silently leave the repair on.
    expect(() => lenient({ 'trailing-comma': 0 } as never)).toThrow(/"trailing-comma" must be true or false, got 0/);
    expect(() => lenient({ comment: 'no' } as never)).toThrow(/"comment" must be true or false, got "no"/);
    expect(() => lenient({ comment: true, 'trailing-comma': undefined } as never)).not.toThrow();
  });

  it('the object createTokenizer returns shows only its public members, strict or lenient', () => {
    for (const options of [{}, { lenient: lenient() }]) {
      const tokenizer = createTokenizer(handler, options);
      tokenizer.write('[1, {"a": "x"}');
      expect(Object.keys(tokenizer)).toEqual([]);
      expect(JSON.stringify(tokenizer)).toBe('{}');
      expect([tokenizer.position, tokenizer.depth, tokenizer.complete]).toEqual([14, 1, false]);
      tokenizer.write(']');
      tokenizer.end();
      expect(tokenizer.complete).toBe(true);
    }
  });

  it('createTokenizer with the options where the handler goes says so at once', () => {
    expect(() => createTokenizer({ lenient: lenient() } as never)).toThrow(/first argument is the token handler/);
    // A handler missing a method is refused at once, naming it (not mid-text, with an internal name).
    const { startArray: _unused, ...partial } = handler;
    expect(() => createTokenizer(partial as never)).toThrow(/the first argument is the token handler \(options go second\), and it has no startArray\(\) method/);
  });

  it('the rejection names what was passed', () => {
    expect(() => createTokenizer(handler, { lenient: null as never })).toThrow(/not null:/);
    expect(() => createTokenizer(handler, { lenient: 'yes' as never })).toThrow(/not "yes":/);
    expect(() => createTokenizer(handler, { lenient: [] as never })).toThrow(/not an array:/);
  });

  it("a plug-in from one build works in the other (ESM and CommonJS each load their own copy): it is found by a registered symbol", () => {
    const plugin = lenient();
    const copy = { [Symbol.for('streamshape.lenient')]: (plugin as unknown as Record<symbol, unknown>)[Symbol.for('streamshape.lenient')] };
    const parser = createPartialParser({ lenient: copy as unknown as Lenient });
    parser.write('{"a": 1,}');
    expect(parser.end()).toEqual({ a: 1 });
  });

  it('false and undefined are strict mode', () => {
    for (const option of [false, undefined]) {
      expect(() => parsePartial('[1,]', { lenient: option as never })).toThrow(/Unexpected "\]" in JSON at position 3/);
    }
  });

  it('property: one plug-in shared by parsers at once gives what a fresh plug-in each gives, at every chunking', () => {
    const shared = lenient();
    const sharedOff = lenient({ 'trailing-comma': false });
    fc.assert(
      fc.property(
        modelDamage().chain((sample) => fc.tuple(fc.constant(sample), chunked(sample.text))),
        ([sample, chunks]) => {
          const run = (options: readonly Lenient[]): unknown[] => {
            const parsers = options.map((option) => createPartialParser({ lenient: option }));
            const out: unknown[] = [];
            // Interleaved: the parsers' state must not leak through the shared plug-in.
            for (const chunk of chunks) for (const parser of parsers) out.push(tryWrite(() => parser.write(chunk)));
            for (const parser of parsers) out.push(tryWrite(() => parser.end()), parser.value, parser.warnings);
            return out;
          };
          expect(run([shared, shared, sharedOff])).toEqual(run([lenient(), lenient(), lenient({ 'trailing-comma': false })]));
          expect(parsePartial(sample.text, { lenient: shared }).value).toEqual(sample.expected);
        },
      ),
      { numRuns: runs() },
    );
  });
});

function tryWrite(f: () => unknown): unknown {
  try {
    f();
    return 'ok';
  } catch (error) {
    return String(error);
  }
}
