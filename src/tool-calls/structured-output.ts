/**
 * Structured output over provider streams: each choice's text parsed as one streamed JSON value,
 * beside the tool-call assembler (which does tool calls only and hands this piece the text and
 * finish events when its `output` option is set).
 * @module
 */
import { ParseError } from '../json/errors.js';
import { lenientPlugin, type Lenient, type ParseWarning } from '../json/warnings.js';
import type { Delta } from '../partial/delta.js';
import type { GuideFactory } from '../partial/guide.js';
import { createPartialParser, type PartialParser } from '../partial/parser.js';
import { SchemaValidationError } from '../partial/schema-error.js';
import type { SchemaLike } from '../partial/schema-types.js';

/** What the structured-output piece reads: the schema, lenient mode and the assembler's `onOutput*` callbacks. @internal */
export interface StructuredOutputOptions {
  schema?: SchemaLike | undefined;
  guide?: GuideFactory | undefined;
  lenient?: Lenient | false | undefined;
  onOutputWarning?: ((warning: ParseWarning, choice: number | undefined) => void) | undefined;
  onOutput?: ((value: unknown, deltas: Delta[], choice: number | undefined) => void) | undefined;
  onOutputComplete?: ((value: unknown, choice: number | undefined) => void) | undefined;
  onOutputError?: ((error: ParseError | SchemaValidationError, choice: number | undefined) => void) | undefined;
}

/** The structured output of every choice of one stream. @internal */
export interface StructuredOutput {
  /** A text delta of `choice` (never empty): written to that choice's parser. */
  text(delta: string, choice: number | undefined): void;
  /** `choice` finished: its output ends here; text after it starts a new one. */
  finish(choice: number | undefined): void;
  /** The stream ended: every output still open ends. */
  end(): void;
}

interface Output {
  parser_: PartialParser;
  deltas_: Delta[];
  failed_: boolean;
}

/**
 * Makes the structured output of one stream: one partial parser per choice, created at the
 * choice's first text. Parse and schema failures go to `onOutputError` (that choice's output then
 * ignores its text until its finish); any other error (a callback's) is thrown.
 * @internal
 */
export function createStructuredOutput(options: StructuredOutputOptions): StructuredOutput {
  const outputs = new Map<number, Output>();
  const { schema } = options;
  // Checked now, not at a choice's first text (`true`, the old option, throws here).
  const lenient = lenientPlugin(options.lenient) === undefined ? undefined : (options.lenient as Lenient);

  function open(choice: number | undefined): Output {
    const key = choice ?? 0;
    let out = outputs.get(key);
    if (out === undefined) {
      const created: Output = {
        parser_: createPartialParser({
          ...(schema === undefined ? {} : { schema, guide: options.guide }),
          ...(lenient === undefined
            ? {}
            : { lenient, onWarning: (warning: ParseWarning) => options.onOutputWarning?.(warning, choice) }),
          onDelta: (deltas) => {
            for (const d of deltas) created.deltas_.push(d);
          },
        }),
        deltas_: [],
        failed_: false,
      };
      out = created;
      outputs.set(key, out);
    }
    return out;
  }

  function failed(out: Output, error: unknown, choice: number | undefined): void {
    out.failed_ = true;
    if (error instanceof ParseError || error instanceof SchemaValidationError) options.onOutputError?.(error, choice);
    else throw error;
  }

  /**
   * Hands out the deltas made since the last `onOutput` (if any) with the snapshot they lead to,
   * so that replaying every `onOutput`'s deltas always gives the value shown last, also when the
   * deltas came from `end()` (a lenient truncation closes what was open, a trailing number
   * completes) or from the write that failed.
   */
  function deliver(out: Output, choice: number | undefined): void {
    if (out.deltas_.length === 0) return;
    const deltas = out.deltas_;
    out.deltas_ = [];
    options.onOutput?.(out.parser_.value, deltas, choice);
  }

  function close(out: Output, choice: number | undefined): void {
    if (out.failed_ || out.parser_.done) return;
    let value: unknown;
    try {
      value = out.parser_.end();
    } catch (error) {
      deliver(out, choice);
      failed(out, error, choice);
      return;
    }
    // end()'s deltas (`{"temp": 2` + `1` cut by `finish: length` gives `temp: 21` only here)
    // go out as one last `onOutput` before `onOutputComplete`.
    deliver(out, choice);
    options.onOutputComplete?.(value, choice);
  }

  return {
    text(delta, choice) {
      const out = open(choice);
      if (out.failed_) return;
      try {
        out.parser_.write(delta);
      } catch (error) {
        deliver(out, choice);
        failed(out, error, choice);
        return;
      }
      deliver(out, choice);
    },
    finish(choice) {
      const out = outputs.get(choice ?? 0);
      if (out === undefined) return;
      // Text after the finish (the next response of a stream that holds several) is a new
      // output, never a write into an ended parser.
      outputs.delete(choice ?? 0);
      close(out, choice);
    },
    end() {
      for (const [choice, out] of outputs) close(out, choice);
    },
  };
}
