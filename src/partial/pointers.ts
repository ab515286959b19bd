/**
 * The seam between the partial parser and its pointer-pattern plug-in (`select` / `text`, made by
 * `pointers()` in select.ts). The parser imports only this module: the patterns' matcher and the
 * element and text delivery (select.ts) come with `pointers()`, so an app that never selects
 * carries none of that code (issue 13: pay for what you use, as with `lenient()` and `zodGuide`).
 * @module
 */
import { optionKind } from '../json/warnings.js';
import type { Container } from './own.js';

/**
 * The key under which a {@link PointerPatterns} plug-in carries its watch factory. A registered
 * symbol: the ESM and the CommonJS build each have their own module copy, and a plug-in made by
 * one must work in a parser of the other (as `lenient()` and `zodGuide` do).
 * @internal
 */
export const POINTERS: unique symbol = Symbol.for('streamshape.pointers');

/**
 * JSON Pointer patterns (RFC 6901; a segment `*` matches any one key or index), as the `select`
 * and `text` options take them: made by `pointers('/items/*', …)` from `streamshape`, opaque
 * otherwise. A plug-in rather than a string array so that an app that never selects bundles none
 * of the matching code. One value may be shared by any number of parsers.
 * @public
 */
export interface PointerPatterns {
  /** The patterns, as given to `pointers()` (frozen). */
  readonly patterns: readonly string[];
  /** The watch's factory (typed opaque, so no internal name reaches the declaration files). @internal */
  readonly [POINTERS]: unknown;
}

/** What a parser hands its watch: the `select` / `text` patterns and callbacks (a subset of its options). @internal */
export interface WatchOptions {
  readonly select?: readonly string[] | undefined;
  readonly onElement?: ((value: unknown, pointer: string) => void) | undefined;
  readonly keep?: boolean | undefined;
  readonly text?: readonly string[] | undefined;
  readonly onText?: ((delta: string, pointer: string, done: boolean) => void) | undefined;
}

/** What the watch needs of the parser (implemented by the parser's core). @internal */
export interface WatchHost {
  /** Open containers. */
  readonly depth_: number;
  /** The working container at depth `d`. */
  containerAt_(d: number): Container;
  /** The key the next value placed in the innermost container takes (object: the pending key). */
  readonly pendingKey_: string;
  /** Removes the last entry of the container at depth `d` (a delivered element), with its delta. */
  dropLast_(d: number): void;
  /** Puts a complete value into the next slot of the innermost container. */
  place_(value: unknown, deltaValue: unknown): unknown;
}

/**
 * The parser's view of the watch (select.ts's `Watch`): the hooks it calls at its token steps.
 * @internal
 */
export interface ParserWatch {
  /** The chunk in which a run was guessed wrong (the parser clears it after each write). */
  runFailed_: string | undefined;
  /** The pointer of the scalar last asked about (see {@link ParserWatch.scalar_}). */
  readonly lastPointer_: string;
  next_(placed?: boolean): number;
  inside_(bits: number): boolean;
  skipped_(value: unknown, bits: number): boolean;
  run_(s: string, i: number, depthLeft: number): number;
  open_(): void;
  close_(value: unknown): void;
  scalar_(value: unknown, placed?: boolean): number;
  deliver_(value: unknown, pointer: string, placed: boolean): void;
  startString_(): void;
  stringPart_(text: string): void;
  endString_(value: string): void;
}

/** Makes a parser's watch. @internal */
export type WatchFactory = (options: WatchOptions, host: WatchHost) => ParserWatch;

/** {@link ParserWatch.scalar_}'s answers. @internal */
export const SCALAR_PLAIN = 0;
/** Place it, then deliver it. @internal */
export const SCALAR_DELIVER = 1;
/** Delivered: do not place it (`keep: false`). @internal */
export const SCALAR_DROP = 2;

/**
 * The watch factory of a `select` or `text` option (`name`): `undefined` when it is unset.
 * @throws `TypeError` for anything but a {@link PointerPatterns} or `undefined` (such as an array
 *   of strings, the option of earlier versions), naming what to pass.
 * @internal
 */
export function pointersPlugin(option: unknown, name: string): WatchFactory | undefined {
  if (option === undefined) return undefined;
  const factory = typeof option === 'object' && option !== null ? (option as Partial<PointerPatterns>)[POINTERS] : undefined;
  if (typeof factory === 'function') return factory as WatchFactory;
  // The patterns the user meant, when they can be read off the value (the old array, one string).
  const meant = typeof option === 'string' ? [option] : Array.isArray(option) && option.length > 0 && option.every((p) => typeof p === 'string') ? option : ['/items/*'];
  throw new TypeError(
    `${name}: pass pointers(${meant.map((p) => JSON.stringify(p)).join(', ')}) from 'streamshape', not ${optionKind(option)}: a plug-in, so apps that do not use it do not bundle the matching`,
  );
}
