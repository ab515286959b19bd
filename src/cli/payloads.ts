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
}

function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
}

/**
 * SSE: each event's `data` parsed as JSON; `[DONE]` ends the stream; events with empty data
 * (keep-alives) are skipped. At the end, an event the body left without its closing blank line
 * is still read (recorded files are often saved without it).
 * @throws {@link UsageError} for an event whose data is not JSON.
 */
export function createSseSplitter(): PayloadSplitter {
  let out: unknown[] = [];
  let done = false;
  let events = 0;
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
        throw new UsageError(`SSE event ${events} is not JSON: data ${quote(event.data)}`);
      }
    },
  });
  return {
    write(text) {
      out = [];
      parser.feed(text);
      return out;
    },
    end() {
      out = [];
      parser.feed('\n\n');
      return out;
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
