import type { ParseError } from '../json/errors.js';
import type { ParseWarning } from '../json/warnings.js';
import type { Delta } from '../partial/delta.js';
import type { StreamEvent } from '../providers/events.js';
import type { SchemaValidationError } from '../partial/schema-error.js';
import {
  createToolCallAssembler,
  type CompletedToolCall,
  type PartialToolCall,
  type ToolArguments,
  type ToolCallAssemblerOptions,
  type ToolSchemas,
} from './assembler.js';
import type { ToolCallError } from './errors.js';
import { describeValue, pushedItems, type SourceOptions } from '../streams/source.js';

/**
 * What {@link assembleToolCalls} yields: every input {@link StreamEvent} unchanged, each followed
 * by what it produced:
 * - `tool-call-partial`: a call's partial arguments after a fragment;
 * - `tool-call`: a call ended with valid arguments (safe to execute);
 * - `tool-call-error`: a call that must not be executed ({@link ToolCallError}: truncated,
 *   invalid JSON, schema, unknown tool);
 * - with `output`: `output-partial` (the text's partial JSON value and its deltas), `output`
 *   (the final value at the finish), `output-error`, and with `output: { lenient }`
 *   `output-warning` (one repair of the output text, see `ParseWarning`).
 * @public
 */
export type AssembledEvent<Args = unknown> =
  | StreamEvent
  | ({
      /** A call's arguments grew: the fields are the call's partial state. */
      type: 'tool-call-partial';
    } & PartialToolCall<Args>)
  | ({
      /** A call ended with valid arguments (safe to execute). */
      type: 'tool-call';
    } & CompletedToolCall<Args>)
  | {
      /** A call failed and must not be executed. */
      type: 'tool-call-error';
      /** Why: `reason` is `truncated`, `invalid-json`, `schema` or `unknown-tool`. */
      error: ToolCallError;
      /** The choice the call belongs to, when the provider streams several. */
      choice?: number | undefined;
    }
  | {
      /** The structured output (the text as JSON, with `output`) grew. */
      type: 'output-partial';
      /** The output's partial value so far: an immutable snapshot, structurally shared. */
      value: unknown;
      /** The changes since the previous `output-partial` of this choice (replay with `applyDelta`). */
      deltas: Delta[];
      /** The choice the text belongs to, when the provider streams several. */
      choice?: number | undefined;
    }
  | {
      /**
       * The structured output is complete, at the finish event. In lenient mode also the best value
       * of a text cut at the finish, after an `output-warning` with code `truncated`.
       */
      type: 'output';
      /** The final value: with a schema, the schema's full parse (defaults, transforms). */
      value: unknown;
      /** The choice the text belongs to, when the provider streams several. */
      choice?: number | undefined;
    }
  | {
      /** The structured output failed: the text is not JSON, is cut, or does not match the schema. */
      type: 'output-error';
      /** `ParseError` for text that is not (or not yet, at the finish) one JSON value; `SchemaValidationError` for a schema failure, early or final. */
      error: ParseError | SchemaValidationError;
      /** The choice the text belongs to, when the provider streams several. */
      choice?: number | undefined;
    }
  | {
      /** Lenient mode (`output: { lenient }`) repaired the structured output's text. */
      type: 'output-warning';
      /** The repair: its code, position and message. */
      warning: ParseWarning;
      /** The choice the text belongs to, when the provider streams several. */
      choice?: number | undefined;
    };

/**
 * Options of {@link assembleToolCalls}: the assembler's, without its callbacks, and a `signal`.
 * `argumentDeltas` defaults to `true` here: the yielded events are meant to be forwarded (see
 * `toToolCallEventStream`).
 * @public
 */
export type AssembleToolCallsOptions<Tools extends ToolSchemas | undefined = undefined> = Pick<
  ToolCallAssemblerOptions<Tools>,
  'tools' | 'guide' | 'output' | 'argumentDeltas'
> &
  SourceOptions;

/**
 * Assembles tool calls (and, with `output`, structured output) from a stream of normalized
 * events, in one loop: yields each event followed by the partial, complete or failed calls it
 * produced. When the events end, calls still open are yielded as `truncated` errors.
 *
 * The events are read one at a time, when what the previous one produced has been taken
 * (backpressure). When things go wrong: an error of the events' source (or of the assembler)
 * is thrown from the iteration after what the events before it produced; `break` /
 * `return()` (also while a pull is pending) and aborting `options.signal` (also while the
 * source is silent) end the iteration at once and cancel the source (its iterator's
 * `return()`, not awaited); an abort makes the iteration throw the signal's reason. No timer is
 * used; nothing is thrown outside the consumer's calls.
 *
 * @example
 * ```ts
 * for await (const event of assembleToolCalls(fromAnthropicMessages(stream), { tools })) {
 *   if (event.type === 'text-delta') process.stdout.write(event.delta);
 *   if (event.type === 'tool-call') await execute(event.name, event.arguments);
 *   if (event.type === 'tool-call-error') console.warn(event.error.message);
 * }
 * ```
 * @throws `TypeError` at once when `events` is not an (async) iterable of events (a `Response`,
 *   a string, `null`). From the iteration: the events' source's errors, the assembler's, or the
 *   signal's abort reason.
 * @public
 */
export function assembleToolCalls<Tools extends ToolSchemas | undefined = undefined>(
  events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>,
  options: AssembleToolCallsOptions<Tools> = {},
): AsyncGenerator<AssembledEvent<ToolArguments<Tools>>, void, undefined> {
  type Out = AssembledEvent<ToolArguments<Tools>>;
  if (
    typeof events !== 'object' ||
    events === null ||
    (!(Symbol.asyncIterator in events) && !(Symbol.iterator in events) && typeof (events as { getReader?: unknown }).getReader !== 'function')
  ) {
    throw new TypeError(
      `assembleToolCalls() takes an (async) iterable of StreamEvents, got ${describeValue(events)}; ` +
        'pass the events of a provider adapter, e.g. assembleToolCalls(fromOpenAIChatCompletions(stream))',
    );
  }
  const { signal, ...assemblerOptions } = options;
  return pushedItems<StreamEvent, Out>(events, signal, (emit) => {
    const assembler = createToolCallAssembler<Tools>({
      ...assemblerOptions,
      argumentDeltas: options.argumentDeltas ?? true,
      onToolCallDelta: (call) => emit({ type: 'tool-call-partial', ...call }),
      onToolCall: (call) => emit({ type: 'tool-call', ...call }),
      onToolCallError: (error) =>
        emit({ type: 'tool-call-error', error, ...(error.choice === undefined ? {} : { choice: error.choice }) }),
      onOutput: (value, deltas, choice) =>
        emit({ type: 'output-partial', value, deltas, ...(choice === undefined ? {} : { choice }) }),
      onOutputComplete: (value, choice) => emit({ type: 'output', value, ...(choice === undefined ? {} : { choice }) }),
      onOutputError: (error, choice) => emit({ type: 'output-error', error, ...(choice === undefined ? {} : { choice }) }),
      onOutputWarning: (warning, choice) => emit({ type: 'output-warning', warning, ...(choice === undefined ? {} : { choice }) }),
    });
    return {
      write(event) {
        emit(event); // the event first, then what it produced
        assembler.push(event);
      },
      end: () => assembler.end(),
    };
  });
}
