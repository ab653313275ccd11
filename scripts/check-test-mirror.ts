/**
 * `npx tsx scripts/check-test-mirror.ts [--all]`: lists the files under src/ that have no mirrored
 * test. src/a/b.ts is mirrored by test/a/b.test.ts, or by a folder test/a/b/ holding *.test.ts
 * files (for a module whose tests are split by case). Files with no runtime code (only types,
 * interfaces and re-exports, such as index.ts and types.ts) are counted apart: they have nothing a
 * test could exercise on its own. Report only: always exits 0; the last line gives the counts.
 * Pass --all to list the files without runtime code as well.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const src = path.join(root, 'src');
const test = path.join(root, 'test');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** True when the file declares something that exists at run time (a function, class, const, let, var or enum). */
function hasRuntimeCode(text: string): boolean {
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return /^\s*(export\s+)?(default\s+)?(async\s+)?(function\*?|class|const|let|var|enum)\s/m.test(noComments);
}

function mirrored(rel: string): boolean {
  const stem = rel.replace(/\.ts$/, '');
  if (existsSync(path.join(test, `${stem}.test.ts`))) return true;
  const dir = path.join(test, stem);
  return existsSync(dir) && statSync(dir).isDirectory() && readdirSync(dir).some((f) => f.endsWith('.test.ts'));
}

const all = process.argv.includes('--all');
const missing: string[] = [];
const noRuntime: string[] = [];
let total = 0;
for (const file of walk(src)) {
  const rel = path.relative(src, file);
  total++;
  if (mirrored(rel)) continue;
  if (hasRuntimeCode(readFileSync(file, 'utf8'))) missing.push(rel);
  else noRuntime.push(rel);
}
for (const f of missing) console.log(`src/${f}`);
if (all) for (const f of noRuntime) console.log(`src/${f}  (no runtime code)`);
console.log(`${missing.length} of ${total} src files with runtime code have no mirrored test (${noRuntime.length} more hold only types or re-exports)`);
