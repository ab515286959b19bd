import type { ParseError } from '../json/errors.js';
import type { Delta } from '../partial/delta.js';
import type { StreamEvent } from '../providers/events.js';
import type { SchemaValidationError } from '../schema/errors.js';
import {
  createToolCallAssembler,
  type CompletedToolCall,
  type PartialToolCall,
  type ToolArguments,
  type ToolCallAssemblerOptions,
} from './assembler.js';
import type { ToolCallError } from './errors.js';
import type { ToolDefinitions } from './json-schema-tools.js';

/**
 * What {@link assembleToolCalls} yields: every input {@link StreamEvent} unchanged, each followed
 * by what it produced:
 * - `tool-call-partial`: a call's partial arguments after a fragment;
 * - `tool-call`: a call ended with valid arguments (safe to execute);
 * - `tool-call-error`: a call that must not be executed ({@link ToolCallError}: truncated,
 *   invalid JSON, schema, unknown tool);
 * - with `output`: `output-partial` (the text's partial JSON value and its deltas), `output`
 *   (the final value at the finish), `output-error`.
 * @public
 */
export type AssembledEvent<Args = unknown> =
  | StreamEvent
  | ({ type: 'tool-call-partial' } & PartialToolCall<Args>)
  | ({ type: 'tool-call' } & CompletedToolCall<Args>)
  | { type: 'tool-call-error'; error: ToolCallError; choice?: number | undefined }
  | { type: 'output-partial'; value: unknown; deltas: Delta[]; choice?: number | undefined }
  | { type: 'output'; value: unknown; choice?: number | undefined }
  | { type: 'output-error'; error: ParseError | SchemaValidationError; choice?: number | undefined };

/**
 * Options of {@link assembleToolCalls}: the assembler's, without its callbacks. `argumentDeltas`
 * defaults to `true` here: the yielded events are meant to be forwarded (see
 * `toToolCallEventStream`).
 * @public
 */
export type AssembleToolCallsOptions<Tools extends ToolDefinitions | undefined = undefined> = Pick<
  ToolCallAssemblerOptions<Tools>,
  'tools' | 'fromJSONSchema' | 'output' | 'argumentDeltas'
>;

/**
 * Assembles tool calls (and, with `output`, structured output) from a stream of normalized
 * events, in one loop: yields each event followed by the partial, complete or failed calls it
 * produced. When the events end, calls still open are yielded as `truncated` errors.
 *
 * @example
 * ```ts
 * for await (const event of assembleToolCalls(fromAnthropicMessages(stream), { tools })) {
 *   if (event.type === 'text-delta') process.stdout.write(event.delta);
 *   if (event.type === 'tool-call') await execute(event.name, event.arguments);
 *   if (event.type === 'tool-call-error') console.warn(event.error.message);
 * }
 * ```
 * @public
 */
export async function* assembleToolCalls<Tools extends ToolDefinitions | undefined = undefined>(
  events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>,
  options: AssembleToolCallsOptions<Tools> = {},
): AsyncGenerator<AssembledEvent<ToolArguments<Tools>>, void, undefined> {
  type Out = AssembledEvent<ToolArguments<Tools>>;
  const queue: Out[] = [];
  const assembler = createToolCallAssembler<Tools>({
    ...options,
    argumentDeltas: options.argumentDeltas ?? true,
    onToolCallDelta: (call) => queue.push({ type: 'tool-call-partial', ...call }),
    onToolCall: (call) => queue.push({ type: 'tool-call', ...call }),
    onToolCallError: (error) =>
      queue.push({ type: 'tool-call-error', error, ...(error.choice === undefined ? {} : { choice: error.choice }) }),
    onOutput: (value, deltas, choice) =>
      queue.push({ type: 'output-partial', value, deltas, ...(choice === undefined ? {} : { choice }) }),
    onOutputComplete: (value, choice) => queue.push({ type: 'output', value, ...(choice === undefined ? {} : { choice }) }),
    onOutputError: (error, choice) => queue.push({ type: 'output-error', error, ...(choice === undefined ? {} : { choice }) }),
  });
  for await (const event of events) {
    assembler.push(event);
    yield event;
    while (queue.length > 0) yield queue.shift()!;
  }
  assembler.end();
  while (queue.length > 0) yield queue.shift()!;
}
