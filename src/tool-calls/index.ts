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
