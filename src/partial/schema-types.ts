import type { $ZodType, input, output } from 'zod/v4/core';
import type { SchemaValidationError } from './schema-error.js';

/**
 * A schema the parser accepts.
 *
 * - A zod v4 schema (from `zod` 4, `zod/mini`, or `zod/v4` in zod 3.25) is followed while the
 *   value streams: each subtree is validated once, when it closes, against its part of the
 *   schema; a value that can never become valid fails at once with an early
 *   {@link SchemaValidationError}; enum, literal, template-literal and format-checked strings
 *   (uuid, email, url, datetime, regex, …) appear only once complete and valid, while free text
 *   grows. Partial values and `onComplete` values are the JSON values as parsed (validated, not
 *   transformed), typed from the schema's input ({@link SchemaInput}): transforms, defaults and
 *   the output side of pipes apply only to the final value from `end()`, which is the schema's
 *   full parse, typed from its output ({@link SchemaOutput}). Guidance costs O(n) whatever the
 *   schema: a value whose schema has too many alternatives to follow cheaply is judged once
 *   complete instead of while it streams.
 * - Any other Standard Schema validator (valibot, arktype, zod 3 classic, …) validates the final
 *   value only, at `end()`; it does not slow parsing down.
 *
 * zod is imported by nobody at run time: the schema carries its own definition and validator.
 * @see https://standardschema.dev
 * @public
 */
export type SchemaLike = $ZodType | StandardSchemaV1;

/**
 * The Standard Schema interface (https://standardschema.dev), declared here so that no runtime
 * dependency is needed.
 * @public
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties, under a key no library uses for anything else. */
  readonly '~standard': {
    /** The version of the Standard Schema spec the schema implements. */
    readonly version: 1;
    /** The library that made the schema (`'zod'`, `'valibot'`, `'arktype'`…). */
    readonly vendor: string;
    /**
     * Validates a value: the result, or a promise of it for schemas with async checks. streamshape
     * calls it on complete values only and needs a synchronous result.
     */
    readonly validate: (
      value: unknown,
    ) =>
      | StandardSchemaResult<Output>
      | Promise<StandardSchemaResult<Output>>;
    /** Type-level only (never read at runtime): the input and output types, for inference. */
    readonly types?:
      | {
          /** The type the schema accepts. */
          readonly input: Input;
          /** The type validation produces. */
          readonly output: Output;
        }
      | undefined;
  };
}

/**
 * What a Standard Schema's `validate` returns: the validated `value`, or `issues` (each with a
 * `message` and an optional `path` of keys), as the Standard Schema v1 spec defines it.
 * @see https://standardschema.dev
 * @public
 */
export type StandardSchemaResult<Output> =
  | {
      /** The validated value (after the schema's transforms). */
      readonly value: Output;
      /** Absent on success. */
      readonly issues?: undefined;
    }
  | {
      /** Why the value is invalid: at least one issue. */
      readonly issues: ReadonlyArray<{
        /** What is wrong, for people. */
        readonly message: string;
        /** Where, from the root: keys, or path segments holding a `key`. Absent for the root. */
        readonly path?:
          | ReadonlyArray<
              | PropertyKey
              | {
                  /** One step of the path. */
                  readonly key: PropertyKey;
                }
            >
          | undefined;
      }>;
    };

/** The type a schema produces (zod's `z.output`, or a Standard Schema's output type). @public */
export type SchemaOutput<S> = S extends $ZodType
  ? output<S>
  : S extends StandardSchemaV1<unknown, infer O>
    ? O
    : unknown;

/**
 * The JSON a schema accepts, before its transforms (zod's `z.input`, or a Standard Schema's
 * input type): what partial values hold while the text streams, since transforms, coercions and
 * defaults apply only to the final value.
 * @public
 */
export type SchemaInput<S> = S extends $ZodType
  ? input<S>
  : S extends StandardSchemaV1<infer I, unknown>
    ? I
    : unknown;

/**
 * What a partial value of type `T` can look like while it streams: every property optional,
 * recursively; arrays of partial elements (the last one may be incomplete); tuples with every
 * element optional. Strings are typed as in `T` but may be a prefix of the final string
 * (free text grows), except enum, literal and format-checked strings, which appear only once
 * complete. Numbers, booleans and `null` appear only once complete. Unions stay unions of
 * partials; `any` stays `any`, and functions, `Date`s and other non-JSON objects are left as
 * they are.
 *
 * @example
 * ```ts
 * type T = { city: string; days: { t: number; unit: 'C' | 'F' }[] };
 * // { city?: string; days?: { t?: number; unit?: 'C' | 'F' }[] }
 * type P = DeepPartial<T>;
 * ```
 * @public
 */
export type DeepPartial<T> = 0 extends 1 & T
  ? T
  : T extends readonly unknown[]
    ? number extends T['length']
      ? DeepPartial<T[number]>[]
      : { [K in keyof T]?: DeepPartial<T[K]> }
    : T extends ((...args: never[]) => unknown) | Date | RegExp | Map<unknown, unknown> | Set<unknown>
      ? T
      : T extends object
        ? { [K in keyof T]?: DeepPartial<T[K]> }
        : T;
