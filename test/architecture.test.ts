/**
 * The folder picture matches DESIGN.md's layers (issue 13, "Done when"): every runtime import
 * between folders of src/ goes down the layer table below, the folders import each other in no
 * cycle, and library code stays free of Node built-ins so it runs in browsers, Bun, Deno and edge
 * runtimes.
 *
 * Runtime imports are what a bundle carries: `import`/`export … from` statements and `import()`
 * calls. `import type` and `export type` are erased and ignored. `import { type A } from './x.js'`
 * is NOT ignored: under `verbatimModuleSyntax` it compiles to `import {} from './x.js'`, which still
 * loads the module; write `import type { A }` instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

/** The folders' own name for files directly in src/ (src/index.ts): the package's entry points. */
const ENTRY = '(entry)';

/**
 * The layer table: each folder of src/ and the folders it may import at runtime, from DESIGN.md's
 * picture (bottom up). A folder may always import its own files. A new folder fails the test
 * until it is placed here.
 */
const LAYERS: Record<string, readonly string[]> = {
  // The one owner of JSON lexing: the tokenizer, ParseError, JSON Pointer paths. Imports nothing.
  json: [],
  // The partial builder on the tokenizer. It owns the guide interface that the schema layer
  // implements, so it never imports schema/ (an app without a schema carries no schema code).
  partial: ['json'],
  // JSON Lines: consumes the tokenizer, and the partial builder for the record in progress.
  jsonl: ['json', 'partial'],
  // zod-aware validation: implements partial's guide interface.
  schema: ['json', 'partial'],
  // Async-iterable and Web Streams wrappers over the push parsers. Never schema at runtime: a
  // schema reaches them only as an option value the user passes.
  streams: ['json', 'partial', 'jsonl'],
  // Provider chunks to the normalized StreamEvent union; SSE reading (uses streams' sources).
  providers: ['json', 'partial', 'streams'],
  // The tool-call assembler: provider events in, one partial parser per call, schema validation.
  'tool-calls': ['json', 'partial', 'schema', 'streams', 'providers'],
  // The server/browser forwarding pair (`streamshape/forward`, issue 13 item 3).
  forward: ['json', 'partial', 'schema', 'streams', 'providers', 'tool-calls'],
  // Framework bindings (`streamshape/react`): a store over the parsers. Schemas come from the user.
  react: ['json', 'partial', 'jsonl', 'streams', 'providers', 'tool-calls', 'forward'],
  // fast-check arbitraries (`streamshape/testing`): may use any library layer.
  testing: ['json', 'partial', 'jsonl', 'schema', 'streams', 'providers', 'tool-calls', 'forward'],
  // The `streamshape` command: an application on top of the library (not of its test helpers).
  cli: ['json', 'partial', 'jsonl', 'schema', 'streams', 'providers', 'tool-calls', 'forward'],
  // src/index.ts and any other file directly in src/: the package entries, which re-export.
  [ENTRY]: ['json', 'partial', 'jsonl', 'schema', 'streams', 'providers', 'tool-calls', 'forward', 'react', 'testing'],
};

/**
 * Runtime imports that break the table today, as `importer -> imported` (paths from the repository
 * root). Each is a known, tracked violation; nothing may be added here.
 */
const KNOWN_VIOLATIONS: readonly string[] = [
  // Empty: issue 13 items 2 and 3 removed the last ones (the core's schema imports, forward.ts
  // reading SSE from inside streams/). A new entry needs its issue and a plan to remove it.
];

interface Import {
  /** The importing file, from the repository root, with `/` separators. */
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** For a relative specifier, the imported source file, from the repository root. */
  to?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const posix = (path: string): string => relative(root, path).split(sep).join('/');

/** The source file a relative `.js` specifier names (`./x.js` is x.ts or x.tsx). */
function resolveRelative(file: string, specifier: string): string {
  const target = resolve(dirname(file), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'), target.replace(/\.jsx$/, '.tsx'), target];
  const found = candidates.find((path) => existsSync(path) && path !== dirname(path));
  if (found === undefined) throw new Error(`${posix(file)}: cannot resolve ${JSON.stringify(specifier)}`);
  return found;
}

/** Every runtime import of one file: static imports and re-exports that are not type-only, and `import()` calls. */
function runtimeImports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.importClause?.isTypeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteralLike(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return specifiers.map((specifier) =>
    specifier.startsWith('.') ? { from: posix(file), specifier, to: posix(resolveRelative(file, specifier)) } : { from: posix(file), specifier },
  );
}

/** The layer (folder of src/) a repository path belongs to. */
function layerOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 2 ? parts[1]! : ENTRY;
}

/** The cycles of a directed graph (its strongly connected components with more than one node, or a self-loop). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  // Tarjan's algorithm, iterative (no recursion, as everywhere in this repository).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edges: Iterator<string> }[] = [];
    const open = (node: string): void => {
      index.set(node, next);
      low.set(node, next);
      next++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: (graph.get(node) ?? new Set<string>()).values() });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.edges.next();
      if (!step.done) {
        const to = step.value;
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || graph.get(frame.node)?.has(frame.node)) found.push(component.sort());
    }
  }
  return found;
}

const files = sourceFiles(src);
const imports = files.flatMap(runtimeImports);
const relativeImports = imports.filter((i): i is Import & { to: string } => i.to !== undefined);

describe('architecture: the folders of src/ follow DESIGN.md layers', () => {
  it('reads the sources', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(relativeImports.length).toBeGreaterThan(50);
  });

  it('every folder of src/ has its place in the layer table', () => {
    const unplaced = [...new Set(files.map((file) => layerOf(posix(file))))].filter((layer) => !(layer in LAYERS));
    expect(unplaced, 'add the new folder to LAYERS in test/architecture.test.ts').toEqual([]);
  });

  it('the layer table itself has no cycle', () => {
    const graph = new Map(Object.entries(LAYERS).map(([layer, below]) => [layer, new Set(below)]));
    expect(cycles(graph)).toEqual([]);
  });

  it('no runtime import cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, to } of relativeImports) {
      const [a, b] = [layerOf(from), layerOf(to)];
      if (a === b) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
    }
    expect(cycles(graph)).toEqual([]);
  });

  it('no runtime import cycle between files', () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, to } of relativeImports) {
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
    expect(cycles(graph).map((cycle) => cycle.join(' <-> '))).toEqual([]);
  });

  it('each folder imports at runtime only from the layers below it', () => {
    const violations = relativeImports
      .filter(({ from, to }) => layerOf(from) !== layerOf(to) && !LAYERS[layerOf(from)]?.includes(layerOf(to)))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect([...new Set(violations)].filter((edge) => !KNOWN_VIOLATIONS.includes(edge))).toEqual([]);
  });

  it('the known violations are still there (delete each from the list once fixed)', () => {
    const edges = new Set(relativeImports.map(({ from, to }) => `${from} -> ${to}`));
    expect(KNOWN_VIOLATIONS.filter((edge) => !edges.has(edge))).toEqual([]);
  });

  it('the core (json, partial, jsonl, streams) never imports schema/ at runtime', () => {
    const core = new Set(['json', 'partial', 'jsonl', 'streams']);
    for (const layer of core) expect(LAYERS[layer]).not.toContain('schema');
    const edges = relativeImports
      .filter(({ from, to }) => core.has(layerOf(from)) && layerOf(to) === 'schema')
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(edges.filter((edge) => !KNOWN_VIOLATIONS.includes(edge))).toEqual([]);
  });

  it('library code outside src/cli imports no Node built-in', () => {
    const builtins = new Set(builtinModules);
    const nodeImports = imports
      .filter(({ from }) => layerOf(from) !== 'cli')
      .filter(({ specifier }) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]!))
      .map(({ from, specifier }) => `${from} imports ${specifier}`);
    expect(nodeImports).toEqual([]);
  });
});
