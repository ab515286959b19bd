/**
 * Code a maintainer can change (issue 13, item 5): no function over about 150 lines whose `let`
 * variables are shared by more than a handful of inner functions. Such a closure is a class in
 * disguise, with fields nobody can list and methods nobody can find; write a class with fields
 * and methods instead (as `StreamTokenizer` and `ParserCore` are).
 *
 * The audit reads every file of src/ with the TypeScript parser. For each function (declaration,
 * expression, arrow, method, constructor, accessor) longer than {@link MAX_LINES} lines it
 * collects the `let` variables declared in its own body (not inside its inner functions), then
 * counts the inner functions directly inside it whose text refers to one of them by name. More
 * than {@link MAX_SHARERS} fails, unless the function is in {@link ALLOWED}: the list of known
 * offenders, each with the issue that owns it. A new offender fails CI; a fixed one must leave the
 * list (the test also fails on stale entries), so the list only shrinks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

/** Longest function, in lines, that may share mutable state freely. */
const MAX_LINES = 150;
/** Most inner functions that may share the `let`s of a long function. */
const MAX_SHARERS = 5;

/**
 * Known offenders (`file:function`), with why they stay for now. Remove an entry when its function
 * becomes a class (or shrinks); add none without naming the issue that will fix it.
 */
const ALLOWED: Record<string, string> = {
  // Issue 13 item 5: each is a closure-shaped factory to turn into a class with fields and methods.
  'src/cli/render.ts:createTtyRenderer': 'issue 13 item 5 (CLI)',
  'src/cli/session.ts:createReplaySession': 'issue 13 item 5 (CLI)',
  'src/jsonl/lines.ts:createLinesSplitter': 'issue 13 items 1 and 5 (the JSON Lines splitter on the tokenizer)',
  'src/providers/anthropic-messages.ts:createAnthropicMessagesNormalizer': 'issue 13 item 5 (provider normalizers: one class shape for all)',
  'src/providers/openai-realtime.ts:createOpenAIRealtimeNormalizer': 'issue 13 item 5 (provider normalizers)',
  'src/providers/openai-responses.ts:createOpenAIResponsesNormalizer': 'issue 13 item 5 (provider normalizers)',
  'src/schema/zod-guide.ts:createZodGuide': 'issue 13 items 2 and 5 (the zod guide)',
};

interface Offender {
  readonly id: string;
  readonly lines: number;
  readonly lets: number;
  readonly sharers: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** A readable name: `f`, `Class.method`, the variable or property an anonymous function is assigned to, or `<anonymous>@line`. */
function functionName(node: ts.FunctionLikeDeclaration, file: ts.SourceFile): string {
  const own = node.name !== undefined && !ts.isComputedPropertyName(node.name) ? node.name.getText(file) : undefined;
  if (ts.isConstructorDeclaration(node)) return `${className(node.parent)}.constructor`;
  if (own !== undefined) return ts.isClassLike(node.parent) ? `${className(node.parent)}.${own}` : own;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return `<anonymous>@${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
}

function className(node: ts.Node): string {
  return ts.isClassLike(node) && node.name !== undefined ? node.name.text : '<class>';
}

/** Calls `visit` on every node under `node` that is not inside an inner function; inner functions themselves go to `inner`. */
function walkOwnBody(node: ts.Node, visit: (node: ts.Node) => void, inner: (fn: ts.FunctionLikeDeclaration) => void): void {
  ts.forEachChild(node, (child) => {
    if (isFunction(child)) {
      inner(child);
      return;
    }
    visit(child);
    walkOwnBody(child, visit, inner);
  });
}

function refersTo(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(node) && names.has(node.text)) return true;
  return ts.forEachChild(node, (child) => refersTo(child, names) || undefined) ?? false;
}

function audit(name: string, text: string): Offender[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const offenders: Offender[] = [];
  const check = (fn: ts.FunctionLikeDeclaration): void => {
    if (fn.body !== undefined) {
      const first = file.getLineAndCharacterOfPosition(fn.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(fn.getEnd()).line;
      const lines = last - first + 1;
      if (lines > MAX_LINES) {
        const lets = new Set<string>();
        const inner: ts.FunctionLikeDeclaration[] = [];
        walkOwnBody(
          fn.body,
          (node) => {
            if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.Let) !== 0) {
              for (const declaration of node.declarations) {
                if (ts.isIdentifier(declaration.name)) lets.add(declaration.name.text);
              }
            }
          },
          (innerFn) => inner.push(innerFn),
        );
        const sharers = lets.size === 0 ? 0 : inner.filter((innerFn) => refersTo(innerFn, lets)).length;
        if (sharers > MAX_SHARERS) offenders.push({ id: `${name}:${functionName(fn, file)}`, lines, lets: lets.size, sharers });
      }
    }
  };
  const visit = (node: ts.Node): void => {
    if (isFunction(node)) check(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return offenders;
}

const offenders = sourceFiles(src).flatMap((path) => audit(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')));

describe('code shape (issue 13 item 5)', () => {
  it(`no function over ${MAX_LINES} lines shares its lets with more than ${MAX_SHARERS} inner functions, except the listed ones`, () => {
    const found = offenders.filter((offender) => !(offender.id in ALLOWED));
    expect(found.map((o) => `${o.id} (${o.lines} lines, ${o.lets} lets shared by ${o.sharers} inner functions)`)).toEqual([]);
  });

  it('every allowed offender still exists (a fixed one leaves the list)', () => {
    const ids = new Set(offenders.map((offender) => offender.id));
    expect(Object.keys(ALLOWED).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('the audit finds a closure-shaped function (self-test)', () => {
    const lines = Array.from({ length: MAX_LINES }, (_, i) => `  const c${i} = ${i};`).join('\n');
    const inner = Array.from({ length: MAX_SHARERS + 1 }, (_, i) => `  function f${i}() { return n + ${i}; }`).join('\n');
    const text = `export function big() {\n  let n = 0;\n${lines}\n${inner}\n  n++;\n}\n`;
    expect(audit('x.ts', text).map((o) => [o.id, o.lets, o.sharers])).toEqual([['x.ts:big', 1, MAX_SHARERS + 1]]);
    // One sharer fewer, or the same function as a class with fields, passes.
    expect(audit('x.ts', text.replace(/  function f0\(\).*\n/, ''))).toEqual([]);
  });
});
