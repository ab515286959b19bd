/**
 * `streamshape check <file>`: validate a JSON Lines file (a batch-API results file, a log) or a
 * JSON file, optionally against a zod schema, reporting every bad record as
 * `file:line:column: message` with the offending line and a caret.
 * @module
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createJsonlParser } from '../jsonl/index.js';
import { lenient as lenientMode } from '../json/lenient.js';
import type { ParseWarning } from '../json/warnings.js';
import type { SchemaLike } from '../partial/schema-types.js';
import { type CheckArgs, type CheckFormat, UsageError } from './args.js';
import { drained, printable } from './output.js';

export { printable } from './output.js';
import type { Output } from './render.js';
import type { CliIo } from './replay.js';
import { createLineCounter, type LineCounter } from './count-lines.js';
import { loadSchema, validateSync, validateWith } from './schema.js';

/** One bad record. */
export interface BadRecord {
  /** 1-based line and column (UTF-16 code units) of the error in the file. */
  line: number;
  column: number;
  message: string;
  /**
   * `parse` (not JSON), `schema` (JSON that fails the schema), or `warning`: a repair lenient
   * mode made (`--lenient`; the record is good), with its code in the message.
   */
  kind: 'parse' | 'schema' | 'warning';
  /** The line holding the error (possibly shortened around the column), when known. */
  source?: string | undefined;
  /** 0-based offset of the caret in `source`. */
  caret?: number | undefined;
}

/** What {@link checkFile} found. */
export interface CheckResult {
  records: number;
  /** Bad records, all counted. */
  bad: number;
  /** The first `maxErrors` bad records, in file order. */
  reported: BadRecord[];
  /** With `lenient`: the first `maxErrors` repairs (kind `warning`), in file order. */
  warnings: BadRecord[];
  /** With `lenient`: every repair, counted. */
  repairs: number;
  bytes: number;
  elapsedMs: number;
}

export interface CheckOptions {
  format?: CheckFormat | undefined;
  schema?: SchemaLike | undefined;
  /** @defaultValue 100 */
  maxErrors?: number | undefined;
  /** Called with bytes read so far, about every 64 KB (for a progress bar). */
  onProgress?: ((bytesRead: number) => void) | undefined;
  /** Read size in bytes. @defaultValue 256 KB */
  chunkSize?: number | undefined;
  /** Repair JSON Lines records in lenient mode (JSON Lines only): repairs are `warnings`, not bad records. */
  lenient?: boolean | undefined;
}

/** The format a file name suggests: `.json` is JSON text(s), anything else JSON Lines. */
export function formatForPath(path: string): CheckFormat {
  return /\.json$/i.test(path) ? 'json' : 'jsonl';
}

/** Longest source line shown; longer lines are cut around the caret. */
const WINDOW = 120;

/** The line of `text` holding offset `at`, cut to {@link WINDOW} around it, with the caret's offset. */
export function sourceLine(text: string, at: number): { source: string; caret: number } {
  const offset = Math.max(0, Math.min(at, text.length));
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end === -1) end = text.length;
  let line = text.slice(start, end);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  let caret = offset - start;
  if (line.length > WINDOW) {
    const from = Math.max(0, Math.min(caret - WINDOW / 2, line.length - WINDOW));
    const cut = line.slice(from, from + WINDOW);
    const head = from > 0 ? '…' : '';
    line = head + cut + (from + WINDOW < line.length ? '…' : '');
    caret = caret - from + head.length;
  }
  return { source: printable(line.replace(/\t/g, ' ')), caret };
}

/** How much of a file {@link sniffBinary} looks at. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Whether a file is binary rather than text, from its first 64 KB: `{ at }` is the byte offset
 * of the first NUL byte (JSON text holds no raw NUL, and UTF-16 text, images, archives and
 * executables all have one early); `gzip` when it starts with the gzip magic bytes.
 * `undefined` for a file that may be text.
 */
export function sniffBinary(path: string): { at: number; gzip: boolean } | undefined {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const bytes = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return { at: 0, gzip: true };
    const nul = bytes.indexOf(0);
    return nul === -1 ? undefined : { at: nul, gzip: false };
  } finally {
    closeSync(fd);
  }
}

/** The one-line usage error for a binary file, `undefined` for a text file (or one that cannot be read: reported when read). */
function binaryError(name: string, path: string): UsageError | undefined {
  let binary;
  try {
    binary = sniffBinary(path);
  } catch {
    return undefined;
  }
  if (binary === undefined) return undefined;
  return new UsageError(
    binary.gzip
      ? `${name} is gzip-compressed, not JSON text (decompress it first: gunzip -k ${name})`
      : `${name} is binary, not JSON text (a NUL byte at byte ${binary.at})`,
  );
}

/** Where a schema issue's path probably is in the record's text: its last key, quoted and followed by a colon. */
function locateKey(text: string, key: string | number | undefined): number {
  if (typeof key !== 'string' || key === '') return 0;
  const match = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).exec(text);
  return match === null ? 0 : match.index;
}

/** Reads one line of the file at `byteOffset` (up to 1 MB), for a schema error's report. */
function readLineAt(path: string, byteOffset: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(1 << 20);
    const read = readSync(fd, buffer, 0, buffer.length, byteOffset);
    const text = new TextDecoder().decode(buffer.subarray(0, read));
    const end = text.indexOf('\n');
    return end === -1 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs `fn` with V8's stack capture off (`Error.stackTraceLimit = 0`), and restores it. Every bad
 * record costs a few `Error` objects (`JSON.parse`'s `SyntaxError`, the tokenizer's
 * `ParseError` that positions it, a copy moved to the record's offset in the file), and
 * capturing their stacks was half of the time spent on a file of bad records; the command never
 * prints those stacks. Synchronous, so no other code runs meanwhile.
 */
function withoutStacks(fn: () => void): void {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    fn();
  } finally {
    Error.stackTraceLimit = saved;
  }
}

/**
 * Validates a file record by record: every record that is not JSON (with its exact position),
 * or that fails the schema, is counted and the first `maxErrors` are kept with their line.
 * Complete lines go to `JSON.parse` (createJsonlParser), so this runs close to the parser's
 * own throughput.
 * @throws {@link UsageError} when the file cannot be read.
 */
export async function checkFile(path: string, options: CheckOptions = {}): Promise<CheckResult> {
  const format = options.format ?? formatForPath(path);
  const maxErrors = options.maxErrors ?? 100;
  const lenient = options.lenient === true;
  if (lenient && format !== 'jsonl') throw new UsageError('--lenient with check repairs JSON Lines records only (--format jsonl)');
  const warnings: BadRecord[] = [];
  let repairs = 0;
  const { schema, onProgress } = options;
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`no such file: ${path}`);
  }
  if (stat.isDirectory()) throw new UsageError(`${path} is a directory, not a file`);
  const binary = binaryError(path, path);
  if (binary !== undefined) throw binary;
  const started = performance.now();
  const reported: BadRecord[] = [];
  const schemaLater: Array<{ record: BadRecord; byteOffset: number | undefined; key: string | number | undefined; value: unknown }> = [];
  const asyncChecks: Array<{ value: unknown; line: number; byteOffset: number | undefined }> = [];
  let bad = 0;

  const onValue =
    schema === undefined
      ? undefined
      : (value: unknown, info: { line: number; byteOffset: number | undefined }): void => {
            const issues = validateSync(schema, value);
            if (issues === undefined) {
              asyncChecks.push({ value, line: info.line, byteOffset: info.byteOffset });
              return;
            }
            if (issues.length === 0) return;
            bad++;
            if (reported.length >= maxErrors) return;
            const first = issues[0]!;
            const record: BadRecord = {
              line: info.line,
              column: 1,
              kind: 'schema',
              message: `schema: ${issues.map((issue) => `${issue.path === '' ? '' : issue.path + ': '}${issue.message}`).join('; ')}`,
            };
            reported.push(record);
            schemaLater.push({ record, byteOffset: info.byteOffset, key: first.key, value });
          };
  const parser = createJsonlParser({
    mode: format === 'jsonl' ? 'lines' : format === 'json' ? 'concatenated' : 'array',
    onValue,
    ...(lenient
      ? {
          lenient: lenientMode(),
          onWarning(warning: ParseWarning) {
            repairs++;
            if (warnings.length >= maxErrors) return;
            warnings.push({ line: warning.line, column: warning.column, kind: 'warning', message: printable(`warning[${warning.code}]: ${warning.message}`) });
          },
        }
      : {}),
    onError(error, info) {
      bad++;
      if (reported.length >= maxErrors) return;
      const record: BadRecord = {
        line: error.line,
        column: error.column,
        kind: 'parse',
        message: printable(error.message.replace(/ \(line \d+ column \d+\)$/, '').replace(/ at position \d+$/, '')),
      };
      if (info.text !== undefined) Object.assign(record, sourceLine(info.text, info.errorOffset));
      reported.push(record);
    },
  });

  // JSON Lines: once the list of bad records is full, the rest is only counted (count-lines.ts),
  // from the first line that starts after the chunk the parser last took.
  let counter: LineCounter | undefined;
  const counted = { line: 0, byteOffset: undefined };
  const sink = {
    value: onValue === undefined ? () => {} : (value: unknown) => onValue(value, counted),
    bad: () => void bad++,
  };
  let bytes = 0;
  let lastReport = 0;
  try {
    const stream = createReadStream(path, { highWaterMark: options.chunkSize ?? 256 * 1024 });
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (counter !== undefined) counter.write(chunk);
      else {
        withoutStacks(() => parser.write(chunk));
        // (Not in lenient mode: the counter does not repair lines.)
        if (format === 'jsonl' && !lenient && reported.length >= maxErrors) {
          const cut = chunk.lastIndexOf(0x0a);
          // The parser holds the line after the chunk's last newline: the counter takes it over.
          if (cut !== -1) {
            counter = createLineCounter(sink);
            counter.write(chunk.subarray(cut + 1));
          }
        }
      }
      if (onProgress !== undefined && bytes - lastReport >= 1 << 16) {
        lastReport = bytes;
        onProgress(bytes);
      }
    }
    if (counter !== undefined) counter.end();
    else withoutStacks(() => parser.end());
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
      throw new UsageError(`cannot read ${path}: ${error.message}`);
    }
    throw error;
  }
  onProgress?.(bytes);

  for (const check of asyncChecks) {
    const issues = await validateWith(schema!, check.value);
    if (issues.length === 0) continue;
    bad++;
    if (reported.length >= maxErrors) continue;
    const record: BadRecord = {
      line: check.line,
      column: 1,
      kind: 'schema',
      message: `schema: ${issues.map((issue) => `${issue.path === '' ? '' : issue.path + ': '}${issue.message}`).join('; ')}`,
    };
    reported.push(record);
    schemaLater.push({ record, byteOffset: check.byteOffset, key: issues[0]!.key, value: check.value });
  }
  for (const { record, byteOffset, key: issueKey } of schemaLater) {
    if (byteOffset === undefined || format !== 'jsonl') continue;
    const text = readLineAt(path, byteOffset);
    const at = locateKey(text, issueKey);
    const line = sourceLine(text, at);
    record.column = at + 1;
    record.source = line.source;
    record.caret = line.caret;
  }
  reported.sort((a, b) => a.line - b.line || a.column - b.column);
  return { records: parser.records + (counter?.records ?? 0), bad, reported, warnings, repairs, bytes, elapsedMs: performance.now() - started };
}

/** `file:line:column: message`, then the line and a caret under the column. */
export function formatBadRecord(file: string, record: BadRecord): string {
  let text = `${file}:${record.line}:${record.column}: ${record.message}\n`;
  if (record.source !== undefined && record.caret !== undefined) {
    text += `  ${record.source}\n  ${' '.repeat(record.caret)}^\n`;
  }
  return text;
}

function progressBar(out: Output, total: number): { update(done: number): void; clear(): void } {
  const started = performance.now();
  let last = 0;
  return {
    update(done) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const fraction = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(fraction * width);
      const mbs = done / 1048576 / Math.max(0.001, (now - started) / 1000);
      out.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
          `${(done / 1048576).toFixed(1)}/${(total / 1048576).toFixed(1)} MB ${mbs.toFixed(0)} MB/s`,
      );
    },
    clear() {
      out.write('\r\x1b[K');
    },
  };
}

/** Files over this size get a progress bar on a TTY. */
export const PROGRESS_THRESHOLD = 4 * 1024 * 1024;

/**
 * Runs `streamshape check` with parsed arguments: bad records on stdout, a progress bar on
 * stderr for big files on a TTY.
 * @returns 0 when every record is good, 1 otherwise.
 */
export async function runCheck(args: CheckArgs, io: CliIo): Promise<number> {
  const path = resolve(io.cwd, args.file);
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(`${args.file} is a directory, not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`no such file: ${args.file}`);
  }
  const binary = binaryError(args.file, path);
  if (binary !== undefined) throw binary;
  const schema = args.schema === undefined ? undefined : await loadSchema(args.schema, io.cwd);
  const showProgress = args.progress ?? (io.stderr.isTTY === true && size > PROGRESS_THRESHOLD);
  const bar = showProgress ? progressBar(io.stderr, size) : undefined;
  const result = await checkFile(path, {
    format: args.format,
    schema,
    maxErrors: args.maxErrors,
    lenient: args.lenient,
    ...(bar === undefined ? {} : { onProgress: (done: number) => bar.update(done) }),
  });
  bar?.clear();
  const listed = result.warnings.length === 0 ? result.reported : [...result.reported, ...result.warnings].sort((a, b) => a.line - b.line || a.column - b.column);
  for (const record of listed) {
    if (io.stdout.write(formatBadRecord(args.file, record)) === false) await drained(io.stdout);
  }
  const more = result.bad - result.reported.length;
  if (more > 0) io.stdout.write(`… and ${more} more bad record${more === 1 ? '' : 's'} (--max-errors ${args.maxErrors})\n`);
  const repaired = args.lenient ? `, ${result.repairs} repair${result.repairs === 1 ? '' : 's'}` : '';
  const summary = `${result.records} record${result.records === 1 ? '' : 's'}, ${result.bad} bad${repaired} (${(result.bytes / 1048576).toFixed(1)} MB in ${(result.elapsedMs / 1000).toFixed(2)} s)`;
  io.stdout.write(`${args.file}: ${summary}\n`);
  if (result.bad > 0) {
    io.stderr.write(`streamshape: ${args.file}: ${result.bad} of ${result.records} records are bad\n`);
    return 1;
  }
  return 0;
}
