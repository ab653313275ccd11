/**
 * National notebooks (npm run bench -- national). LONG-RUNNING (tens of minutes, up to ~12 GB):
 * not part of the default `npm run bench`. Runs notebooks 01–03 (or --only=NN,NN) one after
 * another on the national synthetic set (data/synthetic/national-seed1) under /usr/bin/time -v,
 * and reports per notebook: status, wall time, CPU time, peak RSS, and the truth-check verdict
 * (a failed check stops the notebook with "Truth checks failed: ...").
 * On a shared machine set NATIONAL_LOCK=/path/to/lockfile to run each notebook under flock.
 * Flags: --only=01,02 (notebook prefixes), --heap=MB (default 16000), --seed=N (default 1),
 * --dir=PATH (an ingested national folder, e.g. /work/national-data/national-seed1).
 * Do not edit src/ (or merge, or run another notebook that rebuilds build/notebook-lib) in this
 * worktree while it runs: the tslab kernel watches the sources and dies mid-run with "Unexpected
 * pending rebuildTimer". CPU and peak RSS come from /usr/bin/time and include the kernel process
 * only when it exits normally (a crashed kernel shows ~0.4 GB); watch `ps` for the real peak then.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = (flag('only') ?? '01,02,03').split(',').map((s) => s.trim()).filter(Boolean);
const heap = Number(flag('heap') ?? 16000);
const seed = Number(flag('seed') ?? 1);
// --dir=/work/national-data/national-seed1: a shared, already-ingested store (passed as dataSource.dir);
// its demand-typology.json (notebook 01's saved model), when present, goes to 02-04 as typologyFile.
const dataDir = flag('dir') ?? `data/synthetic/national-seed${seed}`;
if (!existsSync(`${dataDir}/truth.json`)) {
  console.error(`national bench: ${dataDir} is missing (link the national set there first; see BRIEF / README)`);
  process.exit(1);
}
const lock = process.env.NATIONAL_LOCK;
const param = `dataSource=${JSON.stringify({ kind: 'synthetic', scale: 'national', seed, ...(flag('dir') ? { dir: dataDir } : {}) })}`;
const typology = `${dataDir}/demand-typology.json`;

interface Row { notebook: string; status: string; wallS: number; cpuS: number; peakGB: number; truth: string }
const rows: Row[] = [];
for (const nb of only) {
  const typologyParam = nb !== '01' && existsSync(typology) ? ['--param', `typologyFile=${JSON.stringify(typology)}`] : [];
  const cmd = ['/usr/bin/time', '-v', 'npx', 'tsx', 'scripts/run-notebooks.ts', '--only', nb, '--param', param, ...typologyParam,
    '--jobs', '1', '--no-png', '--timeout', '3600', '--out', 'out/national'];
  const full = lock ? ['flock', lock, ...cmd] : cmd;
  console.log(`\n--- notebook ${nb}: ${full.join(' ')}`);
  const r = spawnSync(full[0], full.slice(1), {
    encoding: 'utf8', maxBuffer: 1 << 28,
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${heap}`.trim() },
  });
  const err = r.stderr ?? '';
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)/.exec(err)?.[1] ?? '';
  const wallS = wall.split(':').reduce((s, v) => s * 60 + Number(v), 0);
  const user = Number(/User time \(seconds\): ([0-9.]+)/.exec(err)?.[1] ?? NaN);
  const sys = Number(/System time \(seconds\): ([0-9.]+)/.exec(err)?.[1] ?? NaN);
  const rssKb = Number(/Maximum resident set size \(kbytes\): ([0-9]+)/.exec(err)?.[1] ?? NaN);
  const failedChecks = /Truth checks failed: ([^\n"]*)/.exec(err + (r.stdout ?? ''))?.[1];
  const ok = r.status === 0;
  for (const line of err.split('\n')) if (/\] (cell .* ok|ok in|FAILED|error)/.test(line)) console.log(`  ${line}`);
  rows.push({
    notebook: nb, status: ok ? 'ok' : `failed (exit ${r.status ?? r.signal})`, wallS, cpuS: user + sys, peakGB: rssKb / 1024 / 1024,
    truth: failedChecks ? `FAILED: ${failedChecks}` : ok ? 'passed' : 'not reached',
  });
}
console.log('\nnotebook  status        wall (s)   cpu (s)   peak RSS (GB)   truth checks');
for (const r of rows) {
  console.log(`${r.notebook.padEnd(9)} ${r.status.padEnd(13)} ${r.wallS.toFixed(0).padStart(8)} ${r.cpuS.toFixed(0).padStart(9)} ${r.peakGB.toFixed(2).padStart(15)}   ${r.truth}`);
}
process.exit(rows.every((r) => r.status === 'ok') ? 0 : 1);
