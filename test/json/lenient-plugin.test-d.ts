// Lenient mode is the opaque plug-in lenient() makes: the old option values (`true`, an object of
// repair switches) do not type-check anywhere `lenient` is taken, and `false` still means strict.
import { describe, expectTypeOf, it } from 'vitest';
import { createJsonlParser, createPartialParser, createTokenizer, lenient, parsePartial, type Lenient, type ParseWarning, type TokenHandler } from '../../src/index.js';
import { createToolCallAssembler } from '../../src/tool-calls/index.js';

declare const handler: TokenHandler;

describe('lenient option types', () => {
  it('lenient() returns a Lenient, with optional switches of known codes only', () => {
    expectTypeOf(lenient()).toEqualTypeOf<Lenient>();
    expectTypeOf(lenient({ 'trailing-comma': false, truncated: true })).toEqualTypeOf<Lenient>();
    // @ts-expect-error: not a repair
    lenient({ 'no-such-repair': false });
    // @ts-expect-error: switches, not a boolean
    lenient(true);
  });

  it('every option takes lenient(), false or nothing, and rejects true and plain objects', () => {
    createTokenizer(handler, { lenient: lenient() });
    createPartialParser({ lenient: false });
    parsePartial('[1]', { lenient: lenient({ comment: false }) });
    createJsonlParser({ mode: 'lines', lenient: lenient() });
    createToolCallAssembler({ output: { lenient: lenient() } });
    // @ts-expect-error: the option of earlier versions
    createTokenizer(handler, { lenient: true });
    // @ts-expect-error: the option of earlier versions
    createPartialParser({ lenient: { 'trailing-comma': false } });
    // @ts-expect-error: the option of earlier versions
    parsePartial('[1]', { lenient: true });
    // @ts-expect-error: the option of earlier versions
    createToolCallAssembler({ output: { lenient: true } });
  });

  it("parsePartial with lenient() always has warnings; strict or unknown may not", () => {
    expectTypeOf(parsePartial('[1,', { lenient: lenient() }).warnings).toEqualTypeOf<readonly ParseWarning[]>();
    expectTypeOf(parsePartial('[1]').warnings).toEqualTypeOf<readonly ParseWarning[] | undefined>();
    const maybe: Lenient | false = Math.random() > 0.5 ? lenient() : false;
    expectTypeOf(parsePartial('[1]', { lenient: maybe }).warnings).toEqualTypeOf<readonly ParseWarning[] | undefined>();
  });
});
