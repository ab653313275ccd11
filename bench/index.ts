/**
 * `npm run bench`: runs every bench/*.bench.ts in its own child process, so that each
 * reports its own peak memory (process.resourceUsage().maxRSS) and cannot skew the next.
 * Pass area names to run a subset: `npm run bench -- survival lca`.
 * Long-running cases (national.bench.ts: the national notebooks) run only when named.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benchDir = join(process.cwd(), 'bench');
const LONG = ['national.bench.ts'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => (wanted.length === 0 ? !LONG.includes(f) : wanted.some((w) => f.startsWith(w))))
  .sort();
if (files.length === 0) {
  console.error(`no bench files matched ${wanted.join(', ') || '(all)'} in ${benchDir}`);
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, f), ...process.argv.slice(2).filter((a) => a.startsWith('-'))], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.error(`${f} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
