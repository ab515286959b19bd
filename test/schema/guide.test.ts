import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { createPartialParser } from '../../src/partial/index.js';
import { SchemaValidationError } from '../../src/index.js';
import { expectEarly, expectFinal, expectValid, feed, indexOf, units } from './harness.js';
import { zodGuide } from '../../src/schema/index.js';

describe('objects', () => {
  const Person = z.object({ name: z.string(), age: z.number().int().min(0), nick: z.string().optional() });

  it('accepts valid objects cut anywhere; strip objects ignore unknown keys', () => {
    expectValid(Person, '{"name":"Ada Lovelace","age":36}', { growing: [['name']] });
    expectValid(Person, '{ "extra": {"deep": [1, "x"]}, "name": "Ada", "age": 36, "nick": "A" }');
  });

  it('fails at the character that gives a property the wrong JSON type', () => {
    const text = '{"name":"Ada","age":"36"}';
    expectEarly(Person, text, indexOf(text, '"36"'), { path: ['age'], code: 'invalid_type', message: /expected number, received string/ });
    const text2 = '{"name":["Ada"],"age":36}';
    expectEarly(Person, text2, indexOf(text2, '['), { path: ['name'], code: 'invalid_type' });
    const text3 = '{"name":null,"age":36}';
    expectEarly(Person, text3, indexOf(text3, 'null'), { path: ['name'] });
  });

  it('fails a number once complete: at the character after it', () => {
    const text = '{"name":"Ada","age":36.5}';
    expectEarly(Person, text, indexOf(text, '}'), { path: ['age'], message: /expected int/ });
    const text2 = '{"age":-1,"name":"Ada"}';
    expectEarly(Person, text2, indexOf(text2, ','), { path: ['age'], code: 'too_small' });
  });

  it('fails at the closing brace when a required key is missing', () => {
    const text = '{"name":"Ada"}';
    expectEarly(Person, text, text.length - 1, { path: ['age'], code: 'invalid_type' });
    const Nested = z.object({ a: z.object({ b: z.string() }), c: z.number() });
    const text2 = '{"a":{},"c":1}';
    expectEarly(Nested, text2, indexOf(text2, '}'), { path: ['a', 'b'] });
  });

  it('strict objects fail at the closing quote of a key they do not list', () => {
    const Strict = z.strictObject({ a: z.number() });
    const text = '{"a":1,"b":2}';
    expectEarly(Strict, text, indexOf(text, '"b"', 2), { path: [], code: 'unrecognized_keys', message: /Unrecognized key: "b"/ });
    expectValid(Strict, '{"a":1}');
  });

  it('catch-all schemas validate the extra keys; loose objects pass them through', () => {
    const Catchall = z.object({ a: z.string() }).catchall(z.number());
    expectValid(Catchall, '{"a":"x","b":1,"c":2}');
    const text = '{"a":"x","b":"y"}';
    expectEarly(Catchall, text, indexOf(text, '"y"'), { path: ['b'] });
    expectValid(z.looseObject({ a: z.string() }), '{"a":"x","b":{"c":[true]}}');
  });

  it('optional, nullable, default and prefault properties', () => {
    const S = z.object({
      a: z.string().optional(),
      b: z.number().nullable(),
      c: z.string().default('dflt'),
      d: z.array(z.number()).prefault([]),
      e: z.string().nullish(),
    });
    expectValid(S, '{"b":null}');
    expectValid(S, '{"a":"x","b":2,"c":"y","d":[1],"e":null}');
    const text = '{"b":"2"}';
    expectEarly(S, text, indexOf(text, '"2"'), { path: ['b'] });
    const text2 = '{"c":null,"b":1}';
    expectEarly(S, text2, indexOf(text2, 'null'), { path: ['c'] });
    // defaults apply only to the final value
    const outcome = feed(S, ['{"b":1}']);
    expect(outcome).toMatchObject({ ok: true, value: { b: 1, c: 'dflt', d: [] } });
    expect(outcome.snapshots.at(-1)).toStrictEqual({ b: 1 });
  });

  it('refinements of nested objects run when the object closes; of the root, at end()', () => {
    const Range = z.object({ lo: z.number(), hi: z.number() }).refine((r) => r.lo <= r.hi, 'lo must not exceed hi');
    const Doc = z.object({ range: Range, label: z.string() });
    const text = '{"range":{"lo":5,"hi":1},"label":"x"}';
    expectEarly(Doc, text, indexOf(text, '}'), { path: ['range'], code: 'custom', message: /lo must not exceed hi/ });
    expectValid(Doc, '{"range":{"lo":1,"hi":5},"label":"x"}');
    const error = expectFinal(Range, '{"lo":5,"hi":1}');
    expect(error.issues[0]?.message).toBe('lo must not exceed hi');
  });

  it('treats __proto__ as zod does', () => {
    expectValid(z.object({ a: z.number() }), '{"__proto__":{"x":1},"a":1}');
    const text = '{"a":1,"__proto__":1}';
    expectEarly(z.strictObject({ a: z.number() }), text, indexOf(text, '"', 0, 3), { code: 'unrecognized_keys' });
  });
});

describe('arrays and tuples', () => {
  it('validates elements as they complete', () => {
    const S = z.array(z.object({ id: z.number(), tags: z.array(z.string()) }));
    expectValid(S, '[{"id":1,"tags":["alpha","b"]},{"id":2,"tags":[]}]', { growing: [[0, 'tags', 0]] });
    const text = '[{"id":1,"tags":["a",2]}]';
    // a scalar's JSON type is certain at its first character
    expectEarly(S, text, indexOf(text, '2]'), { path: [0, 'tags', 1] });
  });

  it('fails at the first character of an element past the maximum', () => {
    const S = z.array(z.string()).max(2);
    const text = '["a", "b", "c"]';
    expectEarly(S, text, indexOf(text, '"c"'), { path: [], code: 'too_big', message: /<=2 items/ });
    // a number (or true, false, null) is seen only once complete, but its existence is certain
    // at its first character
    const N = z.array(z.number()).max(2);
    const text1 = '[1, 2, 34]';
    expectEarly(N, text1, indexOf(text1, '34'), { path: [], code: 'too_big' });
    const T = z.object({ list: z.array(z.string()).length(1) });
    const text2 = '{"list":["a","b"]}';
    expectEarly(T, text2, indexOf(text2, '"b"'), { path: ['list'], code: 'too_big' });
  });

  it('fails at the closing bracket when too short', () => {
    const S = z.object({ xs: z.array(z.number()).min(2) });
    const text = '{"xs":[1]}';
    expectEarly(S, text, indexOf(text, ']'), { path: ['xs'], code: 'too_small' });
    expectValid(S, '{"xs":[1,2]}');
  });

  it('tuples: items, rest, optional tail, overflow', () => {
    const Pair = z.tuple([z.string(), z.number()]);
    expectValid(Pair, '["a",1]');
    const text = '["a","b"]';
    expectEarly(Pair, text, indexOf(text, '"b"'), { path: [1] });
    const text2 = '["a",1,[]]';
    expectEarly(Pair, text2, indexOf(text2, '[', 0, 1), { path: [], code: 'too_big' });
    const text3 = '["a"]';
    expectEarly(Pair, text3, indexOf(text3, ']'), { code: 'too_small' });
    const Rest = z.tuple([z.string()], z.number());
    expectValid(Rest, '["a",1,2,3]');
    const text4 = '["a",1,"x"]';
    expectEarly(Rest, text4, indexOf(text4, '"x"'), { path: [2] });
    const Tail = z.tuple([z.string(), z.number().optional()]);
    expectValid(Tail, '["a"]');
    expectValid(Tail, '["a",1]');
  });
});

describe('records', () => {
  it('validates values and keys', () => {
    const S = z.record(z.string(), z.number());
    expectValid(S, '{"a":1,"b":2}');
    const text = '{"a":1,"b":"2"}';
    expectEarly(S, text, indexOf(text, '"2"'), { path: ['b'] });
    const Keyed = z.record(z.string().min(2), z.boolean());
    const text2 = '{"ok":true,"x":false}';
    expectEarly(Keyed, text2, indexOf(text2, '"x"', 2), { path: ['x'], code: 'invalid_key' });
  });

  it('enum-keyed records are exhaustive; partial records are not', () => {
    const S = z.record(z.enum(['a', 'b']), z.number());
    expectValid(S, '{"b":2,"a":1}');
    const text = '{"a":1}';
    expectEarly(S, text, text.length - 1, { path: ['b'] });
    const text2 = '{"a":1,"c":3,"b":2}';
    expectEarly(S, text2, indexOf(text2, '"c"', 2), { code: 'unrecognized_keys' });
    const P = z.partialRecord(z.enum(['a', 'b']), z.number());
    expectValid(P, '{"a":1}');
    const text3 = '{"z":1}';
    expectEarly(P, text3, indexOf(text3, '"z"', 2), { code: 'unrecognized_keys' });
  });

  it('numeric keys are retried as numbers, as in zod', () => {
    const S = z.record(z.number(), z.string());
    expectValid(S, '{"1":"a","2.5":"b"}');
  });

  it('loose records pass keys their key schema rejects', () => {
    const S = z.looseRecord(z.string().regex(/^x/), z.number());
    expectValid(S, '{"x1":1,"other":"anything"}');
    const text = '{"x1":"no"}';
    expectEarly(S, text, indexOf(text, '"no"'), { path: ['x1'] });
  });
});

describe('unions', () => {
  it('narrows scalar unions by JSON type and checks', () => {
    const S = z.object({ v: z.union([z.string(), z.number().int()]) });
    expectValid(S, '{"v":"x"}');
    expectValid(S, '{"v":3}');
    const text = '{"v":true}';
    expectEarly(S, text, indexOf(text, 'true'), { path: ['v'], code: 'invalid_type', message: /expected string \| number, received boolean/ });
    const text2 = '{"v":1.5}';
    expectEarly(S, text2, indexOf(text2, '}'), { path: ['v'] });
  });

  it('keeps object options alive until one cannot match; fails when none is left', () => {
    const S = z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]);
    expectValid(S, '{"a":"x"}');
    expectValid(S, '{"b":1,"a":2}'); // `a` is stripped from the second option
    const text = '{"a":1}';
    // first option dies at the number, the second at the close (missing `b`)
    expectEarly(S, text, indexOf(text, '}'), { path: [] });
    const Strict = z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.number() })]);
    const text2 = '{"c":1}';
    expectEarly(Strict, text2, indexOf(text2, '"c"', 2));
    const text3 = '{"a":1}';
    // the second option died at the key; the first at the number's first character
    expectEarly(Strict, text3, indexOf(text3, '1'));
  });

  it('unions of literals fail at the first character no member starts with', () => {
    const S = z.union([z.literal('north'), z.literal('south'), z.literal(7)]);
    expectValid(S, '"south"', { atomic: [[]] });
    expectValid(S, '7');
    const text = '"sox"';
    expectEarly(S, text, 3, { code: 'invalid_value', message: /"north"\|"south"/ });
  });

  it('discriminated unions fail at the first character of a discriminator no option accepts', () => {
    const Shape = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('circle'), r: z.number() }),
      z.object({ kind: z.literal('square'), side: z.number() }),
    ]);
    expectValid(Shape, '{"kind":"circle","r":1}', { atomic: [['kind']] });
    expectValid(Shape, '{"side":2,"kind":"square"}');
    const text = '{"kind":"cube","side":1}';
    expectEarly(Shape, text, indexOf(text, 'u'), { path: ['kind'], code: 'invalid_value', message: /"circle"\|"square"/ });
    const text2 = '{"kind":"circle","r":"1"}';
    expectEarly(Shape, text2, indexOf(text2, '"1"'), { path: ['r'], code: 'invalid_type' });
    const text3 = '{"kind":"circle","side":2}';
    expectEarly(Shape, text3, text3.length - 1, { path: ['r'] });
  });

  it('nested discriminated unions in arrays', () => {
    const Event = z.discriminatedUnion('type', [
      z.object({ type: z.literal('text'), text: z.string() }),
      z.object({ type: z.literal('tool'), name: z.enum(['search', 'fetch']), args: z.record(z.string(), z.unknown()) }),
    ]);
    const S = z.object({ events: z.array(Event) });
    expectValid(S, '{"events":[{"type":"text","text":"hi"},{"type":"tool","name":"fetch","args":{"u":[1]}}]}', {
      atomic: [['events', 1, 'name']],
    });
    const text = '{"events":[{"type":"tool","name":"fetcher","args":{}}]}';
    expectEarly(S, text, indexOf(text, 'er"'), { path: ['events', 0, 'name'], code: 'invalid_value' });
  });

  it('z.xor fails when more than one option matches (at the close)', () => {
    const X = z.object({ v: z.xor([z.object({ a: z.number() }), z.object({ b: z.number() })]) });
    expectValid(X, '{"v":{"a":1}}');
    const text = '{"v":{"a":1,"b":2}}';
    expectEarly(X, text, indexOf(text, '}'), { path: ['v'] });
  });
});

describe('enums, literals and string formats', () => {
  it('enums: atomic, failing at the first character no member starts with', () => {
    const S = z.object({ unit: z.enum(['celsius', 'fahrenheit']), city: z.string() });
    expectValid(S, '{"unit":"celsius","city":"Paris"}', { atomic: [['unit']], growing: [['city']] });
    const text = '{"unit":"kelvin","city":"x"}';
    expectEarly(S, text, indexOf(text, 'k'), { path: ['unit'], code: 'invalid_value', message: /one of "celsius"\|"fahrenheit"/ });
    const text2 = '{"unit":"cels","city":"x"}';
    // a prefix of a member is fine until the string closes
    expectEarly(S, text2, indexOf(text2, 's"') + 1, { path: ['unit'], code: 'invalid_value' });
  });

  it('numeric enums and literals are checked when complete', () => {
    enum Level {
      Low = 1,
      High = 2,
    }
    const S = z.object({ level: z.enum(Level), flag: z.literal(true) });
    expectValid(S, '{"level":2,"flag":true}');
    const text = '{"level":3,"flag":true}';
    expectEarly(S, text, indexOf(text, ','), { path: ['level'] });
    const text2 = '{"level":1,"flag":false}';
    // everything about a literal is certain at its first letter
    expectEarly(S, text2, indexOf(text2, 'false'), { path: ['flag'] });
  });

  it('format strings appear only once complete and valid', () => {
    const S = z.object({
      id: z.uuid(),
      email: z.email(),
      site: z.url(),
      at: z.iso.datetime(),
      code: z.string().regex(/^[A-Z]{3}$/),
      note: z.string(),
    });
    const text = JSON.stringify({
      id: '123e4567-e89b-42d3-a456-426614174000',
      email: 'ada@example.com',
      site: 'https://example.com/a',
      at: '2024-05-01T12:00:00Z',
      code: 'ABC',
      note: 'free text grows',
    });
    expectValid(S, text, { atomic: [['id'], ['email'], ['site'], ['at'], ['code']], growing: [['note']] });
    const bad = text.replace('ada@example.com', 'ada-at-example');
    expectEarly(S, bad, indexOf(bad, '"', 0, 7), { path: ['email'], code: 'invalid_format' });
  });

  it('template literals are atomic', () => {
    const S = z.object({ size: z.templateLiteral([z.number(), 'px']) });
    expectValid(S, '{"size":"12px"}', { atomic: [['size']] });
    const text = '{"size":"12em"}';
    expectEarly(S, text, indexOf(text, 'm"') + 1, { path: ['size'] });
  });

  it('strings over their maximum fail at the first character past it (in code points)', () => {
    const S = z.object({ s: z.string().max(3) });
    expectValid(S, '{"s":"abc"}');
    const text = '{"s":"abcd"}';
    expectEarly(S, text, indexOf(text, 'd'), { path: ['s'], code: 'too_big' });
    // escapes count once, surrogate pairs count once
    expectValid(S, '{"s":"\\u00e9\\n\\ud83d\\ude00"}');
    const emoji = z.object({ s: z.string().max(2) });
    expectValid(emoji, '{"s":"😀😀"}');
    const text2 = '{"s":"😀😀😀"}';
    // the high surrogate is held back until its low half arrives
    expectEarly(emoji, text2, indexOf(text2, '😀', 1, 2), { path: ['s'], code: 'too_big' });
    const Len = z.object({ s: z.string().length(2) });
    const text3 = '{"s":"abc"}';
    expectEarly(Len, text3, indexOf(text3, 'c'), { code: 'too_big' });
  });

  it('startsWith fails at the first character that breaks the prefix', () => {
    const S = z.object({ s: z.string().startsWith('ab') });
    expectValid(S, '{"s":"abc"}', { growing: [['s']] });
    const text = '{"s":"ax"}';
    expectEarly(S, text, indexOf(text, 'x'), { code: 'invalid_format' });
  });

  it('overwrite checks (trim) postpone length checks to the complete string', () => {
    const S = z.object({ s: z.string().trim().max(2) });
    expectValid(S, '{"s":"  ab  "}');
    const text = '{"s":" abc "}';
    expectEarly(S, text, indexOf(text, '"', 0, 3), { code: 'too_big' });
  });
});

describe('recursion, intersections, pipes and the rest', () => {
  interface Category {
    name: string;
    children: Category[];
  }
  const Category: z.ZodType<Category> = z.lazy(() => z.object({ name: z.string(), children: z.array(Category) }));

  it('z.lazy recursion', () => {
    expectValid(Category, '{"name":"a","children":[{"name":"b","children":[{"name":"c","children":[]}]}]}');
    const text = '{"name":"a","children":[{"name":"b","children":[{"name":3,"children":[]}]}]}';
    expectEarly(Category, text, indexOf(text, '3,'), { path: ['children', 0, 'children', 0, 'name'] });
  });

  it('recursion through getters', () => {
    const Node = z.object({
      value: z.number(),
      get next() {
        return Node.optional();
      },
    });
    expectValid(Node, '{"value":1,"next":{"value":2,"next":{"value":3}}}');
    const text = '{"value":1,"next":{"value":2,"next":{"value":"3"}}}';
    expectEarly(Node, text, indexOf(text, '"3"'), { path: ['next', 'next', 'value'] });
  });

  it('intersections: both sides judge the value', () => {
    const S = z.object({ a: z.string() }).and(z.object({ b: z.number() }));
    expectValid(S, '{"a":"x","b":1}');
    const text = '{"a":"x","b":"y"}';
    expectEarly(S, text, indexOf(text, '"y"'), { path: ['b'] });
    const text2 = '{"a":"x"}';
    expectEarly(S, text2, text2.length - 1, { path: ['b'] });
    // a key one strict side does not list is fine when the other side owns it (zod reconciles)
    const Strict = z.strictObject({ a: z.string() }).and(z.strictObject({ b: z.number() }));
    expectValid(Strict, '{"a":"x","b":1}');
    const text3 = '{"a":"x","b":1,"c":2}';
    expectEarly(Strict, text3, indexOf(text3, '"c"', 2), { code: 'unrecognized_keys' });
    const Both = z.object({ n: z.number().min(0).and(z.number().max(10)) });
    const text4 = '{"n":11}';
    expectEarly(Both, text4, indexOf(text4, '}'), { path: ['n'] });
  });

  it('transforms and pipes: the input side is validated while streaming, the output at end()', () => {
    const S = z.object({
      len: z.string().transform((s) => s.length),
      n: z.string().pipe(z.coerce.number()),
      when: z.iso.date().transform((s) => new Date(s)),
    });
    const text = '{"len":"abc","n":"42","when":"2024-01-02"}';
    const outcome = feed(S, units(text));
    expect(outcome).toMatchObject({ ok: true, value: { len: 3, n: 42 } });
    // partial values are the JSON values
    expect(outcome.snapshots.at(-1)).toStrictEqual(JSON.parse(text));
    const bad = '{"len":3,"n":"42","when":"2024-01-02"}';
    expectEarly(S, bad, indexOf(bad, '3'), { path: ['len'] });
    // the output side of a pipe fails only in the final parse
    expectFinal(z.string().transform(Number).pipe(z.number().int()), '"4.5"');
  });

  it('preprocess, catch, any and unknown accept any JSON value', () => {
    const S = z.object({
      a: z.preprocess((v) => String(v), z.string()),
      b: z.number().catch(0),
      c: z.any(),
      d: z.unknown(),
    });
    const outcome = feed(S, units('{"a":1,"b":"x","c":[1],"d":{"e":null}}'));
    expect(outcome).toMatchObject({ ok: true, value: { a: '1', b: 0, c: [1], d: { e: null } } });
  });

  it('coerced schemas accept what they coerce', () => {
    const S = z.object({ n: z.coerce.number(), b: z.coerce.boolean() });
    expectValid(S, '{"n":"5","b":0}');
  });

  it('schemas no JSON value matches fail at the first character', () => {
    const S = z.object({ d: z.date() });
    const text = '{"d":"2024-01-01"}';
    expectEarly(S, text, indexOf(text, '"2024'), { path: ['d'] });
  });

  it('custom schemas run once the value is complete', () => {
    const Even = z.custom<number>((v) => typeof v === 'number' && v % 2 === 0, 'must be even');
    const S = z.object({ n: Even, m: z.string() });
    expectValid(S, '{"n":2,"m":"x"}');
    const text = '{"n":3,"m":"x"}';
    expectEarly(S, text, indexOf(text, ','), { path: ['n'], message: /must be even/ });
  });

  it('refinements on wrappers (a refined union) run when the value completes', () => {
    const S = z.object({ v: z.union([z.string(), z.number()]).refine((v) => v !== 'no', 'not no') });
    expectValid(S, '{"v":"yes"}');
    const text = '{"v":"no"}';
    expectEarly(S, text, indexOf(text, '"}'), { path: ['v'], message: /not no/ });
  });

  it('works with zod/mini schemas', () => {
    const S = zm.object({ kind: zm.enum(['a', 'b']), n: zm.optional(zm.number()) });
    expectValid(S, '{"kind":"a","n":1}', { atomic: [['kind']] });
    const text = '{"kind":"c"}';
    expectEarly(S, text, indexOf(text, 'c"'), { path: ['kind'] });
  });

  it('root scalars and root type errors', () => {
    expectValid(z.number().max(5), '4');
    const outcome = feed(z.number().max(5), units('7'));
    // a top-level number is complete only at end()
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.chunk).toBe(-1);
      expect(outcome.error).toMatchObject({ early: true, position: 1 });
    }
    expectEarly(z.object({}), '[]', 0, { path: [], code: 'invalid_type', message: /expected object, received array/ });
    expectEarly(z.array(z.number()), '"x"', 0);
  });
});

describe('parser behaviour around schema errors', () => {
  it('reports what the chunk completed before the failure, then refuses input', () => {
    const S = z.object({ a: z.string(), b: z.number() });
    const snapshots: unknown[] = [];
    const parser = createPartialParser({ schema: S, guide: zodGuide, onPartial: (v) => snapshots.push(v) });
    expect(() => parser.write('{"a":"x","b":"y"}')).toThrow(SchemaValidationError);
    expect(snapshots.at(-1)).toStrictEqual({ a: 'x' });
    expect(() => parser.write('}')).toThrow(/rejected by its schema.*create a new parser/);
    expect(() => parser.end()).toThrow(TypeError);
  });

  it('onComplete sees the JSON values; the final value is the parse', () => {
    const S = z.object({ n: z.string().transform(Number), d: z.number().default(1) });
    const completed: unknown[] = [];
    const parser = createPartialParser({ schema: S, guide: zodGuide, onComplete: (v) => completed.push(v) });
    parser.write('{"n":"2"}');
    expect(completed).toStrictEqual(['2', { n: '2' }]);
    expect(parser.end()).toStrictEqual({ n: 2, d: 1 });
  });

  it('an error thrown by a refinement reaches the caller of end() as it is', () => {
    const S = z.object({ a: z.number() }).refine(() => {
      throw new RangeError('boom');
    });
    const parser = createPartialParser({ schema: S, guide: zodGuide });
    parser.write('{"a":1}');
    expect(() => parser.end()).toThrow(RangeError);
  });

  it('final errors list every issue with absolute paths', () => {
    const S = z.object({ a: z.object({ b: z.string().min(3) }) }).superRefine((_, ctx) => {
      ctx.addIssue({ code: 'custom', message: 'always', path: ['a', 'b'] });
    });
    const parser = createPartialParser({ schema: S, guide: zodGuide });
    parser.write('{"a":{"b":"xyz"}}');
    let error: unknown;
    try {
      parser.end();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).issues).toStrictEqual([{ path: ['a', 'b'], message: 'always', code: 'custom' }]);
    expect((error as SchemaValidationError).early).toBe(false);
  });
});
