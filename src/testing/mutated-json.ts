import fc from 'fast-check';

/**
 * Constraints for {@link mutatedJson}.
 * @public
 */
export interface MutatedJsonConstraints {
  /**
   * Fewest mutations applied to the text.
   * @defaultValue 1
   */
  minMutations?: number | undefined;
  /**
   * Most mutations applied to the text, one after the other.
   * @defaultValue 3
   */
  maxMutations?: number | undefined;
}

/**
 * One edit of a text. Positions are taken modulo the current length (plus one where the end is
 * a valid place), so every mutation applies to every text.
 * @public
 */
export type JsonMutation =
  | {
      /** Remove `length` code units from `at`. */
      kind: 'delete';
      /** Where the removed range starts (UTF-16 code units, modulo the length). */
      at: number;
      /** How many code units to remove (fewer at the end of the text). */
      length: number;
    }
  | {
      /** Insert `text` before the unit at `at` (or at the end). */
      kind: 'insert';
      /** Where (UTF-16 code units, modulo the length + 1). */
      at: number;
      /** What to insert. */
      text: string;
    }
  | {
      /** Replace the one code unit at `at` with `text`. */
      kind: 'replace';
      /** Which unit (UTF-16 code units, modulo the length). */
      at: number;
      /** What replaces it (any length). */
      text: string;
    }
  | {
      /** Swap the code units at `at` and `at + 1`. */
      kind: 'swap';
      /** The first of the two (UTF-16 code units, modulo the length - 1). */
      at: number;
    }
  | {
      /** Keep only the text before `at`. */
      kind: 'truncate';
      /** The new length (UTF-16 code units, modulo the length + 1). */
      at: number;
    }
  | {
      /** Repeat the `length` code units from `at` right after themselves. */
      kind: 'duplicate';
      /** Where the repeated range starts (UTF-16 code units, modulo the length). */
      at: number;
      /** How many code units to repeat (fewer at the end of the text). */
      length: number;
    };

/**
 * Characters that change the meaning of a JSON text: structure, string and escape delimiters,
 * number and literal parts, whitespace, a control character, a lone surrogate, a BOM.
 */
const SIGNIFICANT: readonly string[] = [
  '{', '}', '[', ']', ':', ',', '"', '\\', '/',
  '-', '+', '.', 'e', 'E', '0', '1', '9',
  't', 'f', 'n', 'u', 'l', 'r', 'a', 's', 'x',
  ' ', '\t', '\n', '\r',
  '\u0000', '\u001f', '\u007f', '\ud800', '\udc00', '\ufeff', '\u00e9', '\u{1f600}',
];

const INSERTABLE: readonly string[] = [...SIGNIFICANT, 'true', 'null', '\\u', '\\"', '""', '{}', '[]', ',,', '1e', '-0', '\\ud83d'];

function mutation(): fc.Arbitrary<JsonMutation> {
  const at = fc.nat();
  const length = fc.integer({ min: 1, max: 4 });
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('delete' as const), at, length }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text: fc.constantFrom(...INSERTABLE) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('replace' as const), at, text: fc.constantFrom(...SIGNIFICANT) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('swap' as const), at }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at, length }), weight: 1 },
  );
}

/**
 * Applies one {@link JsonMutation} to a text.
 *
 * @param text - The text to edit (not changed).
 * @param m - The edit; its position is taken modulo the text's length.
 * @returns The edited text.
 * @public
 */
export function applyMutation(text: string, m: JsonMutation): string {
  const n = text.length;
  switch (m.kind) {
    case 'delete': {
      if (n === 0) return text;
      const at = m.at % n;
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'replace': {
      if (n === 0) return m.text;
      const at = m.at % n;
      return text.slice(0, at) + m.text + text.slice(at + 1);
    }
    case 'swap': {
      if (n < 2) return text;
      const at = m.at % (n - 1);
      return text.slice(0, at) + text.charAt(at + 1) + text.charAt(at) + text.slice(at + 2);
    }
    case 'truncate':
      return text.slice(0, m.at % (n + 1));
    case 'duplicate': {
      if (n === 0) return text;
      const at = m.at % n;
      const end = Math.min(n, at + m.length);
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    default: {
      const exhaustive: never = m;
      throw new TypeError(`applyMutation: unknown mutation ${JSON.stringify(exhaustive)}`);
    }
  }
}

/**
 * Mutated copies of a (usually valid) JSON text, for testing how a parser rejects bad input:
 * deletions, insertions of JSON-significant characters, replacements, swaps of neighbours,
 * truncations and duplicated ranges.
 *
 * @remarks
 * A result may still be valid JSON (deleting a space, duplicating a digit), so compare with the
 * oracle rather than expecting an error: a parser must accept exactly what `JSON.parse` accepts,
 * give the same value, and fail with a position otherwise. Mutations work on UTF-16 code units
 * and may split surrogate pairs. Shrinks towards fewer mutations.
 *
 * @param text - The text to mutate.
 * @param constraints - How many mutations; see {@link MutatedJsonConstraints}.
 * @returns An arbitrary of mutated texts.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(jsonText().chain((t) => mutatedJson(t)), (text) => {
 *   let expected: unknown;
 *   try { expected = { value: JSON.parse(text) }; } catch { expected = 'error'; }
 *   expect(tryMyParser(text)).toStrictEqual(expected);
 * }));
 * ```
 *
 * @public
 */
export function mutatedJson(text: string, constraints: MutatedJsonConstraints = {}): fc.Arbitrary<string> {
  if (typeof text !== 'string') throw new TypeError('mutatedJson(text): text must be a string');
  const minLength = constraints.minMutations ?? 1;
  const maxLength = Math.max(minLength, constraints.maxMutations ?? 3);
  return fc.array(mutation(), { minLength, maxLength }).map((mutations) => mutations.reduce(applyMutation, text));
}
