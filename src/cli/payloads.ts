/**
 * Splitting the decoded input into provider payloads: SSE events (eventsource-parser), JSON
 * Lines, the elements of a JSON array (Gemini's streamed body), or, for plain JSON text,
 * model-sized text fragments.
 * @module
 */
import { createParser } from 'eventsource-parser';
import { createJsonlParser } from '../jsonl/index.js';
import { UsageError } from './args.js';

/** Turns text chunks into payloads, in order. */
export interface PayloadSplitter {
  write(text: string): unknown[];
  end(): unknown[];
  /**
   * After `end()`: the data of a final SSE event the input left unfinished (cut before the blank
   * line that ends it), which was dropped, not read; `undefined` when nothing (or only a
   * `[DONE]`) was dropped.
   */
  readonly dropped?: string | undefined;
}

/** `text` as a JSON string, shortened to `max` UTF-16 code units and an ellipsis. */
export function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
}

const CR = 0x0d;

/**
 * SSE: each event's `data` parsed as JSON; `[DONE]` ends the stream; events with empty data
 * (keep-alives) are skipped. At the end of the input, an event left without its closing blank
 * line is read when its data is whole JSON (recorded files are often saved without that line),
 * and otherwise dropped as cut (a stream cut mid-event, `curl -N` dropped; the SSE standard drops
 * every such event), its data kept in `dropped` so the summary can say so.
 * @throws {@link UsageError} for a complete event whose data is not JSON.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export function createSseSplitter(): PayloadSplitter {
  let out: unknown[] = [];
  let done = false;
  let events = 0;
  let ending = false;
  let endsWithCr = false;
  let dropped: string | undefined;
  const parser = createParser({
    onEvent(event) {
      events++;
      if (done || event.data === '') return;
      if (event.data === '[DONE]') {
        done = true;
        return;
      }
      try {
        out.push(JSON.parse(event.data));
      } catch {
        // A final event without its blank line whose data is not whole JSON was cut: dropped (a
        // cut `[DONE]` carries nothing to lose). One whose data is whole is read: recorded files
        // are often saved without the last blank line.
        if (ending) {
          if (!'[DONE]'.startsWith(event.data)) dropped = event.data;
          return;
        }
        throw new UsageError(`SSE event ${events} is not JSON: data ${quote(event.data)}`);
      }
    },
  });
  return {
    write(text) {
      out = [];
      if (text === '') return out;
      endsWithCr = text.charCodeAt(text.length - 1) === CR;
      parser.feed(text);
      return out;
    },
    end() {
      out = [];
      // The parser holds a final CR until it sees whether an LF follows; either way it ended a
      // line, so an event whose blank line it was is complete and read.
      if (endsWithCr) parser.feed('\n');
      // Two line ends finish any line and event still open: what that dispatches had no blank line.
      ending = true;
      parser.feed('\n\n');
      return out;
    },
    get dropped() {
      return dropped;
    },
  };
}

/**
 * JSON Lines (`lines`) or the elements of one top-level array (`array`), each a payload.
 * @throws {@link UsageError} for a line or element that is not JSON.
 */
export function createJsonSplitter(mode: 'lines' | 'array'): PayloadSplitter {
  let out: unknown[] = [];
  const parser = createJsonlParser({
    mode,
    recordInfo: false, // values only: no position object per record
    onValue(value) {
      out.push(value);
    },
    onError(error, info) {
      throw new UsageError(`${mode === 'lines' ? `line ${info.line}` : 'array element'} is not JSON: ${error.message}`);
    },
  });
  return {
    write(text) {
      out = [];
      parser.write(text);
      return out;
    },
    end() {
      out = [];
      parser.end();
      return out;
    },
  };
}

/** A piece of text about the size of a model token: a short word (with its leading space), one or two punctuation marks, or a run of whitespace. */
const PIECE = /\s*[\p{L}\p{N}_]{1,6}|\s*[^\p{L}\p{N}_\s]{1,2}|\s+/gu;

/** Cuts text into model-token-sized fragments (the way a model streams JSON), holding back the last fragment until more text or the end arrives. */
export function tokenLikePieces(text: string): string[] {
  return text.match(PIECE) ?? [];
}

/** Plain JSON text: replayed as structured output in token-sized fragments. */
export function createTextSplitter(): PayloadSplitter {
  let held = '';
  return {
    write(text) {
      const pieces = tokenLikePieces(held + text);
      held = pieces.pop() ?? '';
      return pieces;
    },
    end() {
      const rest = held;
      held = '';
      return rest === '' ? [] : [rest];
    },
  };
}
