export { createToolCallAssembler } from './assembler.js';
export type {
  CompletedToolCall,
  PartialToolCall,
  ToolArguments,
  ToolCallAssembler,
  ToolCallAssemblerOptions,
  ToolCallInfo,
  ToolCallState,
  ToolCallStatus,
  ToolSchemas,
} from './assembler.js';
export { assembleToolCalls } from './assemble.js';
export type { AssembledEvent, AssembleToolCallsOptions } from './assemble.js';
export { ToolCallError } from './errors.js';
export type { ToolCallErrorInit, ToolCallErrorReason } from './errors.js';
export { resolveToolSchemas } from './json-schema-tools.js';
export type { FromJsonSchema, JsonSchema, JsonSchemaToolDefinition, ToolDefinitions } from './json-schema-tools.js';
