/**
 * Property mangling of the published build (issue 13 item 4). A user's minifier renames locals
 * and `#private` names but keeps every ordinary property name, and the library's internal classes
 * (the tokenizer and its lenient subclass, the parser core, the JSON Lines splitter, the tool-call
 * assembler, the zod guide's candidates) carry many fields and methods other modules or
 * subclasses reach, so they cannot be `#private`. Those internal names end in `_` in the source
 * (`this.offset_`, `core.frames_`), esbuild's convention for `mangleProps`, and the library build
 * renames them to short names, so every user bundle gets the short names.
 *
 * Rules, checked by test/package/mangle.test.ts:
 * - A name ending in `_` is internal: never in a public type (the declaration files carry none),
 *   never serialized, never read from outside data, never accessed by a quoted key (esbuild
 *   leaves strings alone, so `'offset_' in x` would look for a name that no longer exists).
 * - The ESM build (one file per module) and the CommonJS build (shared chunks) are separate
 *   esbuild runs, and their objects meet (a `lenient()` plug-in from `import` in a parser from
 *   `require`): both take every name from the one cache computed here, so a name maps the same
 *   way in every file of both builds.
 * - A short name must not be a property name the code also uses: esbuild does not check (it
 *   would rename `x.foo_` to `x.a` next to a real `x.a`). The cache is therefore computed here,
 *   not left to esbuild: short names are handed out in order of use (the most used internal name
 *   gets the first), skipping every property name and string the library's source contains and
 *   every member of the built-in prototypes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Property names the build renames: internal names end in one `_` (`__proto__` does not match). */
export const MANGLE_PROPS = /[^_]_$/;

const root = fileURLToPath(new URL('./', import.meta.url));

/** Every library module (the CLI, a separate application bundle, is not mangled), sorted. */
export function libraryModules(): string[] {
  return (readdirSync(`${root}src`, { recursive: true }) as string[])
    .map((file) => file.replaceAll('\\', '/'))
    .filter((file) => /\.tsx?$/.test(file) && !file.startsWith('cli/'))
    .sort()
    .map((file) => `src/${file}`);
}

/** What the library's source says about property names. */
export interface PropertyNames {
  /**
   * Internal names (matching {@link MANGLE_PROPS}) with how often each occurs, weighted by how
   * many of the imports size-budget.json measures carry the module (see {@link weightOf}).
   */
  mangled: Map<string, number>;
  /** Every other name in a property position (`x.name`, `{ name: … }`, `{ name }` patterns, members). */
  kept: Set<string>;
  /**
   * Every string literal's text (it may be a quoted key, an `in` test, a `Reflect.get` name…),
   * except in src/testing: its strings are character pools for generated JSON text, and it reaches
   * no internal object (it uses the public API), so they cannot meet a short name.
   */
  strings: Set<string>;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) {
    return parent.name === node;
  }
  if (ts.isBindingElement(parent)) {
    return parent.propertyName === node || (parent.propertyName === undefined && parent.name === node && ts.isObjectBindingPattern(parent.parent));
  }
  if (ts.isJsxAttribute(parent)) return true;
  return ts.isClassElement(parent) || ts.isTypeElement(parent) || ts.isEnumMember(parent) ? parent.name === node : false;
}

/**
 * How much a use in `file` counts when short names are handed out: the tokenizer (src/json) is
 * in every measured import, the parser (src/partial) in all but the tokenizer's, the rest (the
 * lenient plug-in included) in one at most.
 */
export function weightOf(file: string): number {
  if (file === 'src/json/lenient.ts') return 1;
  return file.startsWith('src/json/') ? 5 : file.startsWith('src/partial/') ? 4 : 1;
}

/** Reads every library module's property names and strings. */
export function propertyNames(): PropertyNames {
  const names: PropertyNames = { mangled: new Map(), kept: new Set(), strings: new Set() };
  for (const file of libraryModules()) {
    const weight = weightOf(file);
    const textPools = file.startsWith('src/testing/');
    const source = ts.createSourceFile(file, readFileSync(`${root}${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const name = node.text;
        if (MANGLE_PROPS.test(name)) names.mangled.set(name, (names.mangled.get(name) ?? 0) + weight);
        else if (isPropertyName(node)) names.kept.add(name);
      } else if (ts.isStringLiteralLike(node) && !ts.isLiteralTypeNode(node.parent) && !textPools) {
        // (a string type, `Omit<T, 'a_'>`, is gone at run time)
        names.strings.add(node.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return names;
}

/** Members of the built-in prototypes an internal object may inherit or be mistaken for. */
function builtinMembers(): Set<string> {
  const members = new Set<string>();
  const prototypes = [Object, Function, Array, String, Number, Boolean, Symbol, Error, Map, Set, WeakMap, Promise, RegExp, Uint8Array, TextDecoder];
  for (const constructor of prototypes) {
    for (const name of Object.getOwnPropertyNames(constructor.prototype)) members.add(name);
    for (const name of Object.getOwnPropertyNames(constructor)) members.add(name);
  }
  return members;
}

const FIRST = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$_';
const NEXT = `${FIRST}0123456789`;

/** Short names in order: `a` … `_`, then `aa`, `ab`, … */
function* shortNames(): Generator<string> {
  yield* FIRST;
  for (const first of FIRST) for (const next of NEXT) yield first + next;
  for (const first of FIRST) for (const second of NEXT) for (const next of NEXT) yield first + second + next;
}

/**
 * The name every internal property gets in both library builds (`{ offset_: 'b', … }`), as
 * esbuild's `mangleCache` takes it: the most used name first (uses weighted by {@link weightOf}:
 * the names every import carries get the shortest), ties in alphabetical order, each
 * given the next short name that is not taken (see the module comment). Deterministic: the same
 * source gives the same cache.
 */
export function mangleCache(names: PropertyNames = propertyNames()): Record<string, string> {
  const taken = new Set([...names.kept, ...names.strings, ...builtinMembers()]);
  const order = [...names.mangled].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1));
  const cache: Record<string, string> = {};
  const next = shortNames();
  for (const [name] of order) {
    let short = next.next().value as string;
    while (taken.has(short) || short.endsWith('_')) short = next.next().value as string;
    cache[name] = short;
  }
  return cache;
}
