/**
 * Turns Vertex AI `functionCall.partialArgs` (one scalar per JSON path, strings possibly in
 * several pieces) into JSON text written strictly left to right, so that the concatenation of
 * everything it returns is one JSON object equal to the arguments the partial args describe.
 *
 * Paths are expected in document order, as the model generates them: a path may go deeper,
 * move to the next key or array element, or climb out; containers it leaves are closed at once.
 * An array index that skips elements fills them with `null` (at most 10,000 of them; a longer
 * gap is reported like a path that cannot be placed). A path that returns into a
 * container already closed cannot be written in order; it is written as a repeated key (the
 * last value wins, as with `JSON.parse`), and an index already written is reported.
 *
 * @internal
 */

/** One entry of `functionCall.partialArgs`. @public */
export interface GeminiPartialArg {
  /** RFC 9535 JSON path of the value, e.g. `$.recipe.ingredients[3].name`. */
  jsonPath?: string | undefined;
  /** A string value, or the next piece of it (with `willContinue`). */
  stringValue?: string | undefined;
  /** A number value (protobuf JSON may send it as a string). */
  numberValue?: number | string | undefined;
  /** A boolean value. */
  boolValue?: boolean | undefined;
  /** `"NULL_VALUE"` (protobuf JSON) when the value is null. */
  nullValue?: string | null | undefined;
  /** For strings: more of this path's string follows in a later partial arg. */
  willContinue?: boolean | undefined;
}

type Segment = string | number;

interface Frame {
  kind_: 'object' | 'array';
  /** Where this container sits in its parent (unused for the root). */
  segment_: Segment | undefined;
  /** Members written so far (objects) or the next index (arrays). */
  count_: number;
}

/** @internal */
export interface PartialArgsWriter {
  /** Text for the next partial arg; throws a `SyntaxError` for a path it cannot place. */
  write(arg: GeminiPartialArg): string;
  /** Text that closes everything still open (`{}` if nothing was written). */
  close(): string;
  /** Whether any text was written. */
  readonly started: boolean;
}

/** @internal */
export function createPartialArgsWriter(): PartialArgsWriter {
  const frames: Frame[] = [];
  /** Path of the string still open (its closing quote not written yet). */
  let openString: Segment[] | undefined;
  let started = false;

  function closeString(): string {
    if (openString === undefined) return '';
    openString = undefined;
    return '"';
  }

  function write(arg: GeminiPartialArg): string {
    const path = parseJsonPath(arg.jsonPath ?? '');
    if (path.length === 0) {
      throw new SyntaxError(`partialArgs path ${JSON.stringify(arg.jsonPath)} does not name a property`);
    }
    let text = '';
    const isString = typeof arg.stringValue === 'string';
    if (openString !== undefined) {
      if (isString && samePath(openString, path)) {
        text += escapeFragment(arg.stringValue ?? '');
        if (arg.willContinue !== true) text += closeString();
        return text;
      }
      text += closeString();
    }
    if (frames.length === 0) {
      text += '{';
      started = true;
      frames.push({ kind_: 'object', segment_: undefined, count_: 0 });
    }
    // Keep the containers the new path shares with the open ones, close the others.
    let depth = 1;
    while (
      depth < frames.length &&
      depth < path.length &&
      frames[depth]?.segment_ === path[depth - 1]
    ) {
      depth++;
    }
    while (frames.length > depth) text += closer(frames.pop());
    for (let i = depth - 1; i < path.length; i++) {
      const frame = frames[frames.length - 1];
      const segment = path[i];
      if (frame === undefined || segment === undefined) break;
      text += place(frame, segment, arg.jsonPath ?? '');
      if (i < path.length - 1) {
        const next = path[i + 1];
        const kind = typeof next === 'number' ? 'array' : 'object';
        text += kind === 'array' ? '[' : '{';
        frames.push({ kind_: kind, segment_: segment, count_: 0 });
      }
    }
    if (isString) {
      text += '"' + escapeFragment(arg.stringValue ?? '');
      if (arg.willContinue === true) openString = path;
      else text += '"';
    } else if (typeof arg.boolValue === 'boolean') {
      text += arg.boolValue ? 'true' : 'false';
    } else if (arg.numberValue !== undefined && arg.numberValue !== null) {
      const value = typeof arg.numberValue === 'number' ? arg.numberValue : Number(arg.numberValue);
      // JSON has no NaN or Infinity; JSON.stringify writes null for them, and so do we.
      text += JSON.stringify(value);
    } else {
      text += 'null';
    }
    return text;
  }

  function close(): string {
    let text = closeString();
    if (frames.length === 0) {
      started = true;
      return text + '{}';
    }
    while (frames.length > 0) text += closer(frames.pop());
    return text;
  }

  return {
    write,
    close,
    get started() {
      return started;
    },
  };
}

function closer(frame: Frame | undefined): string {
  return frame?.kind_ === 'array' ? ']' : '}';
}

/** The most array elements one path may skip (each is written as `null`). */
const MAX_SKIPPED_ELEMENTS = 10_000;

/** Write the separator and key (objects) or the gap (arrays) that puts `segment` next in `frame`. */
function place(frame: Frame, segment: Segment, jsonPath: string): string {
  if (frame.kind_ === 'object') {
    const key = String(segment);
    const text = (frame.count_ > 0 ? ',' : '') + JSON.stringify(key) + ':';
    frame.count_++;
    return text;
  }
  if (typeof segment !== 'number' || segment < frame.count_) {
    throw new SyntaxError(
      `partialArgs path ${JSON.stringify(jsonPath)} goes back to an array element already written`,
    );
  }
  if (segment - frame.count_ > MAX_SKIPPED_ELEMENTS) {
    // Each skipped element costs 5 characters of text: a huge index would exhaust memory.
    throw new SyntaxError(
      `partialArgs path ${JSON.stringify(jsonPath)} skips ${segment - frame.count_} array elements ` +
        `(at most ${MAX_SKIPPED_ELEMENTS} are filled with null)`,
    );
  }
  let text = '';
  while (frame.count_ < segment) {
    text += (frame.count_ > 0 ? ',' : '') + 'null';
    frame.count_++;
  }
  text += frame.count_ > 0 ? ',' : '';
  frame.count_++;
  return text;
}

function samePath(a: readonly Segment[], b: readonly Segment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A string fragment as JSON string content (no quotes). Lone surrogates split across fragments
 * become `\uXXXX` escapes, which JSON.parse joins back into the pair. */
function escapeFragment(fragment: string): string {
  const quoted = JSON.stringify(fragment);
  return quoted.slice(1, -1);
}

const DOLLAR = 0x24;
const DOT = 0x2e;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Parse the normalized subset of RFC 9535 paths that Vertex sends: `$`, `.name`, `[0]`,
 * `['name']` / `["name"]` (with backslash escapes). Returns the segments after `$`.
 * @internal
 */
export function parseJsonPath(path: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  if (path.charCodeAt(0) === DOLLAR) i = 1;
  while (i < path.length) {
    const code = path.charCodeAt(i);
    if (code === DOT) {
      let end = i + 1;
      while (end < path.length && path.charCodeAt(end) !== DOT && path.charCodeAt(end) !== OPEN_BRACKET) end++;
      segments.push(path.slice(i + 1, end));
      i = end;
    } else if (code === OPEN_BRACKET) {
      const quote = path.charCodeAt(i + 1);
      if (quote === SINGLE_QUOTE || quote === DOUBLE_QUOTE) {
        let name = '';
        let j = i + 2;
        while (j < path.length && path.charCodeAt(j) !== quote) {
          if (path.charCodeAt(j) === BACKSLASH && j + 1 < path.length) j++;
          name += path[j];
          j++;
        }
        segments.push(name);
        i = j + 1;
        if (path.charCodeAt(i) === CLOSE_BRACKET) i++;
      } else {
        let end = i + 1;
        while (end < path.length && path.charCodeAt(end) !== CLOSE_BRACKET) end++;
        const index = Number(path.slice(i + 1, end));
        if (!Number.isInteger(index) || index < 0) {
          throw new SyntaxError(`Unsupported JSON path ${JSON.stringify(path)}`);
        }
        segments.push(index);
        i = end + 1;
      }
    } else {
      throw new SyntaxError(`Unsupported JSON path ${JSON.stringify(path)}`);
    }
  }
  return segments;
}
