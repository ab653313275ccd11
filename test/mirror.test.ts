import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Project rule: tests mirror src/ file for file (src/a/b.ts <-> test/a/b.test.ts). A file is exempt only when
 * its content carries no runtime code of its own — a barrel (`export … from`, imports) or type-only
 * (interfaces, type aliases, `declare`) — which is read off the TypeScript syntax tree, not off a list.
 */

const root = process.cwd();

/** Files or folders exempt for a reason the content cannot show; each entry must keep earning its place. */
export const ALLOWLIST: Array<{ path: string; reason: string }> = [
];

function listSrc(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listSrc(p));
    else if (e.isFile() && p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
export const mirrorOf = (src: string) => `test/${src.slice('src/'.length).replace(/\.ts$/, '.test.ts')}`;

const hasModifier = (n: ts.Node, k: ts.SyntaxKind) =>
  ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === k);

/**
 * Statements that emit no code of the file's own: imports, re-exports (`export … from`, `export * from`),
 * type-only `export { type … }`, interfaces, type aliases, `declare` forms. Everything else (functions,
 * classes, variables, enums, expressions, `export default x`, `export { local }` of a value) is runtime code.
 */
export function isRuntimeStatement(s: ts.Statement): boolean {
  if (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) && s.isTypeOnly) return false;
  if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) return false;
  if (ts.isExportDeclaration(s)) {
    if (s.moduleSpecifier) return false;
    if (s.isTypeOnly) return false;
    // `export { a, b }` of local names: the declarations themselves decide, so this adds no code
    return false;
  }
  if (hasModifier(s, ts.SyntaxKind.DeclareKeyword)) return false;
  if (ts.isEmptyStatement(s)) return false;
  return true;
}

export function runtimeStatements(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  return sf.statements.filter(isRuntimeStatement).map((s) => {
    const { line } = sf.getLineAndCharacterOfPosition(s.getStart(sf));
    return `${line + 1}: ${s.getText(sf).split('\n')[0].slice(0, 70)}`;
  });
}

describe('the classifier tells runtime code from barrels and types', () => {
  const cases: Array<[string, boolean]> = [
    ["export * from './a';\nexport { b, type C } from './b';\nimport type { D } from './d';", false],
    ['export interface A { x: number }\nexport type B = A | null;\ndeclare const z: number;', false],
    ["import { f } from './f';\nexport { f };", false],
    ['export const A = 1;', true],
    ['export function f() { return 1; }', true],
    ['export enum E { a, b }', true],
    ['export class K {}', true],
    ["import { f } from './f';\nf();", true],
    ['export type T = 1;\nexport default 3;', true],
  ];
  for (const [text, runtime] of cases) {
    it(`${runtime ? 'runtime' : 'no runtime'}: ${text.split('\n')[0]}`, () => {
      expect(runtimeStatements('x.ts', text).length > 0).toBe(runtime);
    });
  }
});

describe('tests mirror src/ file for file', () => {
  const files = listSrc(path.join(root, 'src')).map(rel);
  const allowed = (f: string) => ALLOWLIST.find((a) => (a.path.endsWith('/') ? f.startsWith(a.path) : f === a.path));

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('src/index.ts');
  });

  it('every src file with runtime code has its mirrored test', () => {
    const missing = files.filter((f) => !allowed(f) && !fs.existsSync(path.join(root, mirrorOf(f))))
      .map((f) => ({ f, code: runtimeStatements(path.join(root, f)) }))
      .filter((m) => m.code.length > 0)
      .map((m) => `${m.f} -> ${mirrorOf(m.f)} (runtime code at line ${m.code[0]})`);
    expect(missing).toEqual([]);
  });

  it('the allowlist cannot rot: each entry exists and still lacks mirrored tests', () => {
    for (const a of ALLOWLIST) {
      expect(a.reason.length, a.path).toBeGreaterThan(10);
      const covered = files.filter((f) => (a.path.endsWith('/') ? f.startsWith(a.path) : f === a.path));
      expect(covered.length, `${a.path} no longer exists`).toBeGreaterThan(0);
      const unmirrored = covered.filter((f) => runtimeStatements(path.join(root, f)).length > 0 && !fs.existsSync(path.join(root, mirrorOf(f))));
      expect(unmirrored.length, `${a.path}: every file now has its mirrored test; remove the allowlist entry`).toBeGreaterThan(0);
    }
  });
});
