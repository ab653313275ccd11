/**
 * `npx tsx scripts/check-import-cycles.ts [dir]`: lists import cycles among the TypeScript files
 * under dir (default src), following relative `import … from` / `export … from` specifiers
 * (type-only imports included: a cycle of types still ties the files together). Exits 1 if
 * there is a cycle. A regex over the text, not the compiler: enough for this code base, which
 * has no dynamic or computed imports in src/.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'src');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

const files = walk(root);
const edges = new Map<string, string[]>();
const spec = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/g;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const to = new Set<string>();
  for (const m of text.matchAll(spec)) {
    const r = resolve(f, m[1]);
    if (r) to.add(r);
  }
  edges.set(f, [...to]);
}

// Tarjan's strongly connected components; a component of more than one file is a cycle
let index = 0;
const idx = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const cycles: string[][] = [];
function strong(v: string): void {
  idx.set(v, index); low.set(v, index); index++;
  stack.push(v); onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
  }
  if (low.get(v) === idx.get(v)) {
    const comp: string[] = [];
    let w: string;
    do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== v);
    if (comp.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(comp);
  }
}
for (const f of files) if (!idx.has(f)) strong(f);

const rel = (p: string): string => path.relative(process.cwd(), p);
if (cycles.length === 0) {
  console.log(`no import cycles among ${files.length} files under ${rel(root) || '.'}`);
} else {
  for (const c of cycles) console.log(`cycle of ${c.length} files: ${c.map(rel).sort().join(', ')}`);
  process.exit(1);
}
