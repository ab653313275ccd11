/**
 * npm run ingest -- <source.json> [--store path.duckdb] [--profile]
 * Ingests a study source into its DuckDB store outside a notebook (the same loadStudyData the notebooks
 * call, so a notebook reopens the store in seconds), with a progress bar, then prints the data-flow
 * table and the number of exclusions and warnings by rule. source.json is a StudySource; relative
 * paths are taken from the folder holding source.json. Exit 1 with the DataError's message on bad input.
 * With --profile (or CSC_PROFILE=1) it also prints where the ingest spent its time: SQL statements, wall
 * and CPU seconds per phase.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SingleBar, Presets } from 'cli-progress';
import { loadStudyData, DataError } from '../src/data';
import { formatProfile } from '../src/data/store/index';
import type { ProfilePhase } from '../src/data/store/index';
import type { StudySource } from '../src/data';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** relative paths in a source are relative to the JSON file's folder */
function resolvePaths(v: unknown, base: string, key = ''): unknown {
  if (typeof v === 'string') return ['kind', 'scale', 'endOfData', 'dateFormat', 'la', 'delimiter', 'quote', 'style', 'column', 'prefix', 'month', 'year'].includes(key) || key === '' ? v : path.resolve(base, v);
  if (Array.isArray(v)) return v.map((x) => resolvePaths(x, base, key === 'censusYears' ? 'censusYears' : key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'mapping' || k === 'dialect' ? x : resolvePaths(x, base, k)]));
  return v;
}

async function main(): Promise<number> {
  const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--store');
  if (!file) { console.error('usage: npm run ingest -- <source.json> [--store path.duckdb] [--profile]'); return 2; }
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as StudySource;
  const source = (raw.kind === 'synthetic' ? raw : resolvePaths(raw, path.dirname(path.resolve(file)))) as StudySource;
  const bar = new SingleBar({ format: 'ingest [{bar}] {percentage}% | {step} | {duration}s' }, Presets.shades_classic);
  let started = false;
  const t0 = Date.now();
  const wantProfile = process.argv.includes('--profile') || process.env.CSC_PROFILE === '1';
  let profile: ProfilePhase[] | null = null;
  try {
    const data = await loadStudyData(source, {
      store: arg('store'),
      onProgress: (step, done, total) => {
        // why the store is ingested again (another layout version, a changed input), before the bar starts
        if (step.startsWith('store: ')) { console.log(step); return; }
        if (!started) { bar.start(total, 0, { step }); started = true; }
        bar.update(done, { step });
      },
      ...(wantProfile ? { onProfile: (p: ProfilePhase[]) => { profile = p; } } : {}),
    });
    if (started) bar.stop();
    console.log(`\n${started ? 'ingested' : 'reopened the store'} in ${((Date.now() - t0) / 1000).toFixed(1)} s; end of follow-up ${data.endOfData}\n`);
    console.table(data.dataFlow.map((f) => ({ ...f, file: path.basename(f.file) })));
    const byRule = (t: typeof data.exclusions): Record<string, number> => Object.fromEntries((t.groupby('rule').count().objects() as Array<{ rule: string; count: number }>).map((r) => [r.rule, r.count]));
    console.log('exclusions by rule:', byRule(data.exclusions));
    console.log('warnings by rule:', byRule(data.warnings));
    if (wantProfile) console.log(profile ? `\ningest profile (CPU: the whole process, DuckDB threads and Node)\n${formatProfile(profile)}` : '\ningest profile: none (the store was reused, nothing was ingested)');
    return 0;
  } catch (e) {
    if (started) bar.stop();
    if (e instanceof DataError) { console.error(`\n${e.message}`); return 1; }
    throw e;
  }
}

main().then((code) => process.exit(code));
