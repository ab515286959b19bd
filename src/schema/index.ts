export { SchemaValidationError } from './errors.js';
export type { SchemaIssue, SchemaValidationErrorInit } from './errors.js';
export type { DeepPartial, SchemaInput, SchemaLike, SchemaOutput, StandardSchemaResult, StandardSchemaV1 } from './types.js';
