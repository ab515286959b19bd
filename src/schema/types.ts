import type { $ZodType, output } from 'zod/v4/core';

/**
 * A schema the parser accepts: a zod v4 schema (from `zod` 4, or `zod/v4` in zod 3.25), which
 * the parser follows while the value streams (early failure, per-subtree validation), or any
 * Standard Schema validator (valibot, arktype, zod 3 classic, …), used for the final value only.
 * @public
 */
export type SchemaLike = $ZodType | StandardSchemaV1;

/**
 * The Standard Schema interface (https://standardschema.dev), declared here so that no runtime
 * dependency is needed.
 * @public
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) =>
      | StandardSchemaResult<Output>
      | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** @public */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
      }>;
    };

/** The type a schema produces (zod's `z.output`, or a Standard Schema's output type). @public */
export type SchemaOutput<S> = S extends $ZodType
  ? output<S>
  : S extends StandardSchemaV1<unknown, infer O>
    ? O
    : unknown;

/**
 * What a partial value of type `T` can look like while it streams: every property optional,
 * recursively, and arrays of partial elements. Scalars are as in `T` (they appear only once
 * complete).
 * @public
 */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? T extends readonly [unknown, ...unknown[]]
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : DeepPartial<E>[]
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;
