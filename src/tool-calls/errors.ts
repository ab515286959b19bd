/**
 * Why a tool call could not be delivered as a complete, valid call.
 *
 * - `invalid-json`: the arguments text is not valid JSON (RFC 8259), or was ended by the provider
 *   while incomplete.
 * - `schema`: the arguments do not match the tool's schema (found early, while streaming, or at the end).
 * - `truncated`: the stream ended with the call still open: finish reason `length` (OpenAI
 *   `length`, Anthropic `max_tokens`, Gemini `MAX_TOKENS`), `content-filter`, an error event,
 *   or the stream was cut. Never reported as a complete call.
 * - `unknown-tool`: the model called a tool that is not in `tools`.
 * @public
 */
export type ToolCallErrorReason = 'invalid-json' | 'schema' | 'truncated' | 'unknown-tool';

/** Fields of a {@link ToolCallError}. @public */
export interface ToolCallErrorInit {
  /** Why the call cannot be executed (see {@link ToolCallErrorReason}). */
  reason: ToolCallErrorReason;
  /** The call's id (the provider's, or a generated one when the provider sends none). */
  id: string;
  /** The tool's name. */
  name: string;
  /** The arguments text received so far (exactly as streamed). */
  rawArguments: string;
  /** The choice (OpenAI `n > 1`) the call belongs to, when the provider streams several. */
  choice?: number | undefined;
  /** The underlying `ParseError`, `SchemaValidationError`, or the provider's error event. */
  cause?: unknown;
}

function describe(init: ToolCallErrorInit): string {
  const call = `Tool call ${JSON.stringify(init.name)} (${init.id})`;
  const detail = init.cause instanceof Error ? `: ${init.cause.message}` : '';
  switch (init.reason) {
    case 'invalid-json':
      return `${call} has arguments that are not valid JSON${detail}`;
    case 'schema':
      return `${call} has arguments that do not match the tool's schema${detail}`;
    case 'truncated':
      return `${call} was cut off before its arguments were complete (${init.rawArguments.length} characters received); it must not be executed`;
    case 'unknown-tool':
      return `${call} names a tool that is not in \`tools\``;
    default: {
      const exhaustive: never = init.reason;
      return exhaustive;
    }
  }
}

/**
 * A tool call that cannot be executed: its arguments are invalid JSON, do not match the tool's
 * schema, were cut off (`truncated`), or it names an unknown tool. Carries the call's identity and
 * the raw arguments text so the caller can log it, retry, or tell the model.
 * @public
 */
export class ToolCallError extends Error {
  /** Why the call cannot be executed. */
  readonly reason: ToolCallErrorReason;
  /** The call's id. */
  readonly id: string;
  /** The tool's name (`name` is the error class's name, `'ToolCallError'`, as for every `Error`). */
  readonly toolName: string;
  /** The arguments text received, exactly as streamed. */
  readonly rawArguments: string;
  /** The choice the call belongs to, when the provider streams several. */
  readonly choice: number | undefined;

  /** @internal The library throws these errors; apps read them and never construct one. */
  constructor(init: ToolCallErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ToolCallError';
    this.reason = init.reason;
    this.id = init.id;
    this.toolName = init.name;
    this.rawArguments = init.rawArguments;
    this.choice = init.choice;
  }
}
