/**
 * Why a JSON text was rejected.
 *
 * - `unexpected-character`: a character that no valid JSON text can have at this point.
 * - `unexpected-end`: the input ended before the JSON text was complete.
 * - `invalid-escape`: a backslash escape that RFC 8259 §7 does not allow (`\x`, `\u12G4`).
 * - `control-character`: an unescaped U+0000..U+001F inside a string (RFC 8259 §7).
 * - `invalid-utf8`: byte input that is not valid UTF-8 (RFC 8259 §8.1).
 * - `max-depth-exceeded`: more nested arrays and objects than the `maxDepth` option allows.
 * - `max-string-length-exceeded`: a string or key longer than `maxStringLength`.
 * - `max-line-length-exceeded`: a JSON Lines record longer than `maxLineLength`.
 *
 * @public
 */
export type ParseErrorCode =
  | 'unexpected-character'
  | 'unexpected-end'
  | 'invalid-escape'
  | 'control-character'
  | 'invalid-utf8'
  | 'max-depth-exceeded'
  | 'max-string-length-exceeded'
  | 'max-line-length-exceeded';

/** Fields that locate a {@link ParseError} in its input. @public */
export interface ParseErrorInit {
  /** What went wrong. */
  code: ParseErrorCode;
  /** 0-based offset of the offending character from the start of the stream, in UTF-16 code units of the decoded text. */
  position: number;
  /** 1-based line of {@link ParseErrorInit.position}; lines end at `\n` (a `\r\n` pair counts once). */
  line: number;
  /** 1-based column of {@link ParseErrorInit.position}, in UTF-16 code units. */
  column: number;
  /** The offending character (or a short excerpt), quoted in the message; absent at end of input. */
  found?: string | undefined;
  /** Extra detail for the message, e.g. the limit that was exceeded. */
  detail?: string | undefined;
  /** The underlying error, e.g. the `TypeError` of a fatal `TextDecoder`. */
  cause?: unknown;
}

const MAX_QUOTED = 20;

function quote(found: string): string {
  const shown = found.length > MAX_QUOTED ? `${found.slice(0, MAX_QUOTED)}…` : found;
  return JSON.stringify(shown);
}

function describe({ code, found, detail }: ParseErrorInit): string {
  const quoted = found === undefined ? '' : ` ${quote(found)}`;
  const limit = (what: string): string => `Maximum ${what}${detail === undefined ? '' : ` of ${detail}`} exceeded`;
  switch (code) {
    case 'unexpected-character':
      return found === undefined ? 'Unexpected character' : `Unexpected${quoted}`;
    case 'unexpected-end':
      return 'Unexpected end of JSON input';
    case 'invalid-escape':
      return `Bad escaped character${quoted}`;
    case 'control-character':
      return `Bad control character${quoted} in string literal`;
    case 'invalid-utf8':
      return 'Invalid UTF-8 byte sequence';
    case 'max-depth-exceeded':
      return limit('nesting depth');
    case 'max-string-length-exceeded':
      return limit('string length');
    case 'max-line-length-exceeded':
      return limit('line length');
    default: {
      const exhaustive: never = code;
      return exhaustive;
    }
  }
}

/**
 * A JSON text was rejected: the input can no longer become valid JSON (RFC 8259), or it ended
 * too early.
 *
 * Extends `SyntaxError`, so code written for `JSON.parse` (`catch (e) { if (e instanceof
 * SyntaxError) … }`) keeps working. The message follows V8's `JSON.parse` wording and adds the
 * position: `Unexpected "}" in JSON at position 16 (line 3 column 1)`.
 *
 * Raised at the earliest character after which no valid JSON text could follow (`[tx` fails at
 * `x`); input that is only incomplete fails when the parser is ended, with code `unexpected-end`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259
 * @public
 */
export class ParseError extends SyntaxError {
  // `declare`: the constructor assigns every field, so no separate field definitions are emitted.
  /** What went wrong. */
  declare readonly code: ParseErrorCode;
  /** 0-based offset from the start of the stream, in UTF-16 code units of the decoded text. */
  declare readonly position: number;
  /** 1-based line number of {@link ParseError.position}. */
  declare readonly line: number;
  /** 1-based column of {@link ParseError.position}, in UTF-16 code units. */
  declare readonly column: number;
  /** The offending character or excerpt, when there is one. */
  declare readonly found: string | undefined;
  /** Extra detail for the message (the limit that was exceeded). */
  declare readonly detail: string | undefined;

  /** @internal The library throws these errors; apps read them and never construct one. */
  constructor(init: ParseErrorInit) {
    super(
      `${describe(init)}${init.code === 'unexpected-end' ? '' : ' in JSON'} at position ${init.position} (line ${init.line} column ${init.column})`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'ParseError';
    this.code = init.code;
    this.position = init.position;
    this.line = init.line;
    this.column = init.column;
    this.found = init.found;
    this.detail = init.detail;
  }
}

/**
 * The misuse error every push parser throws for a chunk that is neither text nor bytes.
 * @internal
 */
export function chunkTypeError(chunk: unknown): TypeError {
  const kind =
    chunk === null ? 'null' : typeof chunk === 'object' ? ((chunk as object).constructor?.name ?? 'object') : typeof chunk;
  return new TypeError(`write() takes a string or a Uint8Array, got ${kind}; decode or stringify the chunk first`);
}
