/**
 * Data layer benchmark. Each case runs in its own child process so peak RSS is per case:
 *   generate-small, load-small (+ analysis tables), generate-national (skipped with --quick),
 *   load-national (only with --national: loads data/synthetic/national-seed1, generating it first
 *   if missing (~5 min), then builds the LCA matrix and the survival episodes; child heap 16 GB).
 * Output per case: wall time, throughput, peak RSS (process.resourceUsage().maxRSS).
 * Generated data goes to a temporary folder that is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSynthetic } from '../src/data/synth';
import { loadStudyData, buildLcaMatrix, buildSurvivalEpisodes, buildPupilLinked } from '../src/data';

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  const name = process.argv[caseArg + 1];
  const dir = process.argv[caseArg + 2];
  const t0 = performance.now();
  let detail = '';
  if (name === 'generate-small' || name === 'generate-national') {
    const { truth } = generateSynthetic({ scale: name === 'generate-small' ? 'small' : 'national', seed: 1, dir });
    const secs = (performance.now() - t0) / 1000;
    const bytes = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    const c = truth.counts;
    detail = `${c.population.toLocaleString()} children simulated, ${c.referrals.toLocaleString()} referrals, ${c.assessments.toLocaleString()} assessments, ${c.cin_rows.toLocaleString()} CIN rows; ` +
      `${(bytes / 1e6).toFixed(0)} MB written; ${(c.population / secs / 1e6).toFixed(2)} M children/s`;
  } else if (name === 'load-small') {
    const data = loadStudyData({ kind: 'synthetic', scale: 'small', seed: 1, dir });
    const tLoad = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    buildLcaMatrix(data);
    buildSurvivalEpisodes(data);
    buildPupilLinked(data, { keyStage: 2 });
    buildPupilLinked(data, { keyStage: 4 });
    const tTables = (performance.now() - t1) / 1000;
    const rows = data.dataFlow.reduce((s, f) => s + f.rows_read, 0);
    detail = `load ${tLoad.toFixed(2)} s (${(rows / tLoad / 1e3).toFixed(0)}k rows/s over ${rows.toLocaleString()} rows), analysis tables ${tTables.toFixed(2)} s`;
  } else if (name === 'load-national') {
    const cpu0 = process.cpuUsage();
    const data = loadStudyData({ kind: 'synthetic', scale: 'national', seed: 1, dir: dir === '-' ? undefined : dir });
    const tLoad = (performance.now() - t0) / 1000;
    const rssLoad = process.resourceUsage().maxRSS / 1024;
    let t1 = performance.now();
    const lca = buildLcaMatrix(data);
    const tLca = (performance.now() - t1) / 1000;
    t1 = performance.now();
    const surv = buildSurvivalEpisodes(data);
    const tSurv = (performance.now() - t1) / 1000;
    const rows = data.dataFlow.reduce((s, f) => s + f.rows_read, 0);
    const cpu = process.cpuUsage(cpu0);
    detail = `load ${tLoad.toFixed(1)} s (${(rows / tLoad / 1e3).toFixed(0)}k rows/s over ${rows.toLocaleString()} rows, peak RSS after load ${rssLoad.toFixed(0)} MB); ` +
      `${data.cin.numRows().toLocaleString()} episodes, ${data.assessments.numRows().toLocaleString()} assessments; LCA matrix ${lca.table.numRows().toLocaleString()} rows in ${tLca.toFixed(1)} s; ` +
      `survival ${surv.episodes.numRows().toLocaleString()} episodes in ${tSurv.toFixed(1)} s; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s`;
  } else throw new Error(`unknown case ${name}`);
  const secs = (performance.now() - t0) / 1000;
  console.log(`data ${name.padEnd(18)} ${secs.toFixed(2).padStart(7)} s   peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0).padStart(5)} MB   ${detail}`);
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-data-bench-'));
const run = (name: string, dir: string): void => {
  const heap = name === 'load-national' ? ['--max-old-space-size=16384'] : [];
  const r = spawnSync(process.execPath, [...heap, '--import', 'tsx', new URL(import.meta.url).pathname, '--case', name, dir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`case ${name} failed (${r.status ?? r.signal})`);
};
try {
  const small = path.join(tmp, 'small');
  run('generate-small', small);
  run('load-small', small);
  if (quick) console.log('data generate-national   skipped (--quick)');
  else run('generate-national', path.join(tmp, 'national'));
  if (process.argv.includes('--national')) run('load-national', '-');
  else console.log('data load-national       skipped (pass --national; uses data/synthetic/national-seed1)');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
