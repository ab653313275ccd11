/**
 * loadStudyData: ingest the extracts into a DuckDB store (once; reopened while the inputs are
 * unchanged); tables are handed over when asked (data.table) and the analysis tables are built in it. Every input row is analysed,
 * excluded with a reason, or merged as a duplicate; dataFlow accounts for each file against its
 * physical lines. See src/data/store/ for the ingest and the named rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import { DataError } from './errors';
import { ensureSynthetic } from './synth/generate';
import { findRepoRoot } from './paths';
import { openStudyStore, findingsTable } from './store/index';
import { attachStore, storeTable } from './store/handle';
import type { IngestOptions, ExtractFiles } from './store/index';
import type { StudySource, StudyData, StudyTableName, ExtractMapping, PartialExtractMapping, SyntheticTruth } from './types';

export { NPD_MAPPING } from './mapping';
import { NPD_MAPPING } from './mapping';

export interface LoadOptions {
  /** DuckDB file for the store; default next to the synthetic data, or data/cache/ for extracts; ':memory:' for none */
  store?: string;
  /** progress callback (step name, steps done, steps in all) */
  onProgress?: IngestOptions['onProgress'];
  /** asks for a profile of the ingest (SQL statements, wall and CPU seconds per phase); not called when the store is reused */
  onProfile?: IngestOptions['onProfile'];
}

function cacheKey(files: ExtractFiles): string {
  return crypto.createHash('sha1').update(JSON.stringify(files, (_k, v) => (typeof v === 'string' ? path.resolve(v) : v))).digest('hex').slice(0, 16);
}

function mergeMapping(partial?: PartialExtractMapping): ExtractMapping {
  const m = JSON.parse(JSON.stringify(NPD_MAPPING)) as ExtractMapping;
  if (!partial) return m;
  for (const k of Object.keys(partial) as Array<keyof ExtractMapping>) Object.assign(m[k], partial[k]);
  return m;
}

/**
 * Load a study dataset (see StudySource). Async: the store is DuckDB. Throws DataError for missing
 * files or required columns, undecidable layouts (duplicate mapped column, mixed line ends, UTF-16),
 * and a broken accounting identity; everything else lands in data.exclusions / data.warnings.
 */
export async function loadStudyData(source: StudySource, options: LoadOptions = {}): Promise<StudyData> {
  let files: ExtractFiles;
  let opts: IngestOptions;
  let storePath: string;
  let truth: SyntheticTruth | undefined;
  if (source.kind === 'synthetic') {
    const dir = ensureSynthetic({ scale: source.scale ?? 'small', seed: source.seed ?? 1, dir: source.dir });
    truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as SyntheticTruth;
    files = { cin: path.join(dir, 'cin.csv'), cla: path.join(dir, 'cla.csv'), ks2: path.join(dir, 'ks2.csv'), ks4: path.join(dir, 'ks4.csv'), pupils: path.join(dir, 'pupils.csv') };
    opts = { mapping: NPD_MAPPING, endOfData: truth.endOfData };
    storePath = options.store ?? path.join(dir, 'store.duckdb');
  } else if (source.kind === 'extracts') {
    if (!source.files || !source.files.cin) throw new DataError('loadStudyData: extracts source needs files.cin (path to the CIN extract)');
    files = source.files;
    opts = { mapping: mergeMapping(source.mapping), endOfData: source.endOfData, censusYears: source.censusYears, dateFormat: source.dateFormat, dialect: source.dialect };
    storePath = options.store ?? path.join(findRepoRoot(), 'data', 'cache', `${cacheKey(files)}.duckdb`);
  } else if (source.kind === 'cin-xml' || source.kind === 'ssda903') {
    if (source.kind === 'cin-xml') {
      if (!Array.isArray(source.files) || source.files.length === 0) throw new DataError('loadStudyData: cin-xml source needs files: [path, ...]');
      files = { cinXml: source.files, ssda903: source.ssda903 };
    } else {
      if (!source.files?.header || !source.files?.episodes) throw new DataError('loadStudyData: ssda903 source needs files: { header, episodes } (the DfE header and episodes CSVs)');
      files = { ssda903: source.files, ssda903La: source.la };
    }
    opts = { mapping: NPD_MAPPING, endOfData: source.endOfData, censusYears: source.censusYears };
    storePath = options.store ?? path.join(findRepoRoot(), 'data', 'cache', `${cacheKey(files)}.duckdb`);
  } else {
    throw new DataError(`loadStudyData: unknown source kind '${(source as { kind: string }).kind}' (expected synthetic, extracts or cin-xml)`);
  }
  opts.onProgress = options.onProgress;
  opts.onProfile = options.onProfile;
  const { store, dataFlow, endOfData } = await openStudyStore(storePath, files, opts);
  // The store stays open (read-only for a file store): tables are read when asked, and the analysis
  // tables are built from it by SQL. Nothing is copied into JS here but the findings.
  try {
    const [exclusions, warnings] = [await findingsTable(store, ['excluded', 'value_dropped']), await findingsTable(store, ['warning'])];
    const data: StudyData = Object.freeze({
      table: (name: StudyTableName, columns?: string[]) => storeTable(store, name, columns),
      exclusions, warnings, dataFlow, endOfData, ...(truth ? { truth } : {}),
    });
    attachStore(data, store);
    return data;
  } catch (e) {
    store.close();
    throw e;
  }
}
