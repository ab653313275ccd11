/**
 * Data layer benchmark: the DuckDB store against the previous in-JS loader, in the same run. Each case
 * runs in its own child process (no heap flag) so peak RSS is per case:
 *   ingest-<scale>   loadStudyData into a fresh store file (CSV -> DuckDB, rules, tables)
 *   reopen-<scale>   loadStudyData again on the unchanged inputs (store reused; tables read only when asked)
 *   tables-<scale>   reopen + buildLcaMatrix, buildSurvivalEpisodes, buildPupilLinked (KS2, KS4), by SQL in the store
 *   legacy-<scale>   the previous loader (bench/legacy/load.ts) + its in-JS tables (bench/legacy/tables.ts)
 * Scales: small unless --skip-small (generated into a temporary folder); regional with --regional (uses
 * data/synthetic/regional-seed1, a tenth of national); national with --national (uses
 * data/synthetic/national-seed1; legacy-national needs a 16 GB heap and runs only with --legacy-national).
 * Run national under the shared lock: flock /work/national.lock npm run bench -- data --national.
 * Output per case: wall time, CPU time and peak RSS (process.resourceUsage().maxRSS).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSynthetic } from '../src/data/synth';
import { loadStudyData, buildLcaMatrix, buildSurvivalEpisodes, buildPupilLinked } from '../src/data';
import type { StudyData, StudySource } from '../src/data';
import { loadStudyDataLegacy } from './legacy/load';
import type { LegacyStudyData } from './legacy/load';
import * as legacy from './legacy/tables';

async function tables(data: StudyData | LegacyStudyData): Promise<string> {
  const t1 = performance.now();
  const old = 'cin' in data;
  const lca = old ? legacy.buildLcaMatrix(data) : await buildLcaMatrix(data);
  const surv = old ? legacy.buildSurvivalEpisodes(data) : await buildSurvivalEpisodes(data);
  const k2 = old ? legacy.buildPupilLinked(data, { keyStage: 2 }) : await buildPupilLinked(data, { keyStage: 2 });
  const k4 = old ? legacy.buildPupilLinked(data, { keyStage: 4 }) : await buildPupilLinked(data, { keyStage: 4 });
  return `tables ${((performance.now() - t1) / 1000).toFixed(2)} s (LCA ${lca.table.numRows()}, survival ${surv.episodes.numRows()}, KS2 ${k2.table.numRows()}, KS4 ${k4.table.numRows()} rows)`;
}

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  const name = process.argv[caseArg + 1];
  const dir = process.argv[caseArg + 2];
  const scale = name.endsWith('national') ? 'national' : name.endsWith('regional') ? 'regional' : 'small';
  const source: StudySource = { kind: 'synthetic', scale, seed: 1, dir };
  // national / regional: the default store beside the data, so a notebook run afterwards reopens it instead of ingesting again
  const store = path.join(dir, scale === 'small' ? 'bench-store.duckdb' : 'store.duckdb');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let detail = '';
  if (name.startsWith('generate')) {
    generateSynthetic({ scale, seed: 1, dir });
  } else if (name.startsWith('ingest') || name.startsWith('reopen')) {
    if (name.startsWith('ingest')) { fs.rmSync(store, { force: true }); fs.rmSync(store + '.wal', { force: true }); }
    const data = await loadStudyData(source, { store });
    const cin = data.dataFlow.find((f) => f.source === 'cin');
    detail = `${cin?.rows_analysed ?? 0} CIN rows analysed, ${data.dataFlow.reduce((s, f) => s + f.rows_read, 0)} rows read`;
  } else if (name.startsWith('tables')) {
    const data = await loadStudyData(source, { store });
    detail = `reopen ${((performance.now() - t0) / 1000).toFixed(2)} s; ` + (await tables(data));
  } else if (name.startsWith('legacy')) {
    const data = loadStudyDataLegacy(source);
    detail = `load ${((performance.now() - t0) / 1000).toFixed(2)} s; ` + (await tables(data));
  } else throw new Error(`unknown case ${name}`);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`data ${name.padEnd(16)} ${secs.toFixed(2).padStart(7)} s  cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1).padStart(6)} s  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0).padStart(5)} MB  ${detail}`);
  process.exit(0);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-data-bench-'));
const run = (name: string, dir: string, heap: string[] = []): void => {
  const r = spawnSync(process.execPath, [...heap, '--import', 'tsx', new URL(import.meta.url).pathname, '--case', name, dir], { stdio: 'inherit' });
  if (r.status !== 0) console.error(`case ${name} failed (${r.status ?? r.signal})`);
};
try {
  const small = path.join(tmp, 'small');
  if (!process.argv.includes('--skip-small')) {
    run('generate-small', small);
    for (const c of ['ingest-small', 'reopen-small', 'tables-small', 'legacy-small']) run(c, small);
  }
  if (process.argv.includes('--regional')) {
    const regional = path.resolve('data/synthetic/regional-seed1');
    if (!fs.existsSync(path.join(regional, 'cin.csv'))) console.log(`data regional: ${regional} missing; run npm run synth -- --scale regional --seed 1`);
    else for (const c of ['ingest-regional', 'reopen-regional', 'tables-regional']) run(c, regional);
  }
  if (process.argv.includes('--national')) {
    const national = path.resolve('data/synthetic/national-seed1');
    if (!fs.existsSync(path.join(national, 'cin.csv'))) console.log(`data national: ${national} missing; run npm run synth -- --scale national --seed 1`);
    else {
      for (const c of ['ingest-national', 'reopen-national', 'tables-national']) run(c, national);
      if (process.argv.includes('--legacy-national')) run('legacy-national', national, ['--max-old-space-size=16384']);
      else console.log('data legacy-national      skipped (pass --legacy-national; needs a 16 GB heap)');
    }
  } else console.log('data *-national           skipped (pass --national; uses data/synthetic/national-seed1)');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
