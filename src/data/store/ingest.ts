/**
 * Ingest NPD-style CSV extracts into a store: stage every file through DuckDB (csv.ts), run the named
 * rules, deduplicate, build the analysis-ready tables cin, assessments, cpp, cla, ks2, ks4, pupils and
 * the findings, and check the accounting identity per file. The end of follow-up comes from the
 * parameters (endOfData), else the declared census years, else (with a warning) the latest census year
 * that passed the census-year rules: never from whichever rows survived other checks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError } from '../errors';
import { Store, lit, declareFileEnum } from './db';
import { ingestCsv as ingestCsvFile } from './csv';
import { ingestParquet, isParquet } from './parquet';
import type { CsvIngestSpec } from './csv';
import type { CsvDialect } from './csv';
import { createFindings, addFinding, addNoRows } from './findings';
import { createMacros } from './sql';
import type { DateFormat } from './sql';
import { checkCin, buildCin, CIN_FIELDS } from './cin';
import { conflictingChildDetails } from './rules';
import { buildCla, buildKs, buildPupils, emptyRaw, OTHER_FIELDS } from './other';
import { dataFlow } from './accounting';
import { enumifyTables } from './export';
import { stageCinXml, stageSsda903 } from './staged';
import type { IngestedFile } from './accounting';
import { CIN_FACTOR_CODES } from '../codes';
import type { ExtractMapping, BirthLayout, DataFlowRow } from '../types';
import type { ProfilePhase } from './profile';

export interface ExtractFiles {
  /** NPD-style CIN CSV extract(s) */
  cin?: string | string[];
  /** LA CIN census XML returns (any schema year) */
  cinXml?: string[];
  /** an LA's own SSDA903 return, in place of a CLA extract */
  ssda903?: { header: string; episodes: string };
  /** LA code for the SSDA903 return (which carries none); default the LEA of the first XML return */
  ssda903La?: string;
  cla?: string; ks2?: string; ks4?: string; pupils?: string;
}
export interface IngestOptions {
  mapping: ExtractMapping;
  endOfData?: string;
  censusYears?: [number, number];
  dateFormat?: DateFormat;
  dialect?: CsvDialect;
  onProgress?: (step: string, done: number, total: number) => void;
  /** asks for a profile of the ingest (statements, wall and CPU time per phase), handed over when it ends */
  onProfile?: (phases: ProfilePhase[]) => void;
}

const REQUIRED: Record<keyof ExtractMapping, string[]> = {
  cin: ['census_year', 'la', 'child_id', 'sex', 'referral_date'],
  cla: ['la', 'child_id', 'decom'],
  ks2: ['pmr', 'academic_year'],
  ks4: ['pmr', 'academic_year'],
  pupils: ['pmr'],
};
const CONSEQUENCES: Record<string, string> = {
  closure_date: 'closure dates unavailable, so every episode would look open and re-referral survival cannot be built (column absent, not blank)',
  closure_reason: 'reasons for closure unavailable: adoptions and deaths (RC1/RC2) cannot leave the re-referral risk set',
  assessment_date: 'assessment dates unavailable: no assessment (and no factor) is analysed',
  cpp_start: 'CPP start dates unavailable: no child protection plan is analysed',
  pmr: 'pupil matching references unavailable: no linkage to pupils or key stage results',
  dec: 'episode end dates (DEC) unavailable: every care episode looks open',
};
/** CSV, or Parquet by the file's extension */
function ingestCsv(store: Store, spec: CsvIngestSpec): ReturnType<typeof ingestCsvFile> {
  return isParquet(spec.file) ? ingestParquet(store, spec) : ingestCsvFile(store, spec);
}
const STEPS = ['cin', 'cla', 'ks2', 'ks4', 'pupils', 'rules', 'tables', 'accounting'];

function birthCols(b: BirthLayout): Record<string, string> {
  return b.style === 'date' ? { dob: b.column } : { birth_month: b.month, birth_year: b.year };
}
function stringFields(m: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Inputs at least this large (bytes, all files) are ingested with one DuckDB thread per core: on 2 cores
 * the regional set (150 MB) took 25 s wall against 35 s with one thread, while the small set (24 MB)
 * was slower with two (7.7 against 7.1 s: threads waiting on each other outweigh the work they share).
 */
export const INGEST_PARALLEL_BYTES = 64 << 20;

/** every input file of an ingest */
function inputFiles(files: ExtractFiles): string[] {
  return [files.cin ?? [], files.cinXml ?? [], files.ssda903 ? [files.ssda903.header, files.ssda903.episodes] : [], files.cla ?? [], files.ks2 ?? [], files.ks4 ?? [], files.pupils ?? []].flat();
}

/** Ingest into an open store; returns the data flow and end of data. */
export async function ingestExtracts(store: Store, files: ExtractFiles, opts: IngestOptions): Promise<{ dataFlow: DataFlowRow[]; endOfData: string }> {
  const bytes = inputFiles(files).reduce((s, f) => s + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  const cores = os.cpus().length;
  return bytes >= INGEST_PARALLEL_BYTES && !process.env.CSC_DUCKDB_THREADS ? store.withThreads(cores, () => ingestAll(store, files, opts)) : ingestAll(store, files, opts);
}

async function ingestAll(store: Store, files: ExtractFiles, opts: IngestOptions): Promise<{ dataFlow: DataFlowRow[]; endOfData: string }> {
  const progress = opts.onProgress ?? (() => undefined);
  const step = (s: string): void => progress(s, STEPS.indexOf(s), STEPS.length);
  const phase = (p: string): void => store.profile?.enter(p);
  phase('setup');
  await createFindings(store);
  await createMacros(store, opts.dateFormat ?? 'YYYY-MM-DD');
  await declareFileEnum(store, inputFiles(files));
  const ingested: IngestedFile[] = [];
  const m = opts.mapping;
  // CIN: one or more files (e.g. one per census year)
  step('cin');
  const cinFiles = files.cin === undefined ? [] : Array.isArray(files.cin) ? files.cin : [files.cin];
  const layout = m.cin.factors;
  const flagCols: Record<string, string> = {};
  if (layout.style === 'flags') {
    const cols = layout.columns ?? Object.fromEntries(Object.keys(CIN_FACTOR_CODES).map((c) => [c, (layout.prefix ?? '') + c]));
    for (const [code, col] of Object.entries(cols)) flagCols['flag_' + code] = col;
  }
  const cinColumns = { ...stringFields(m.cin), ...birthCols(m.cin.birth), ...(layout.style === 'list' ? { factors: layout.column } : {}), ...flagCols };
  const parts: string[] = [];
  for (const [i, f] of cinFiles.entries()) {
    phase('cin: read');
    const r = await ingestCsv(store, { source: 'cin', what: 'CIN extract', file: f, columns: cinColumns, required: REQUIRED.cin, table: `raw_cin_${i}`,
      silent: ['true_class', ...Object.keys(flagCols)], consequences: CONSEQUENCES, dialect: opts.dialect });
    ingested.push({ source: 'cin', file: f, physicalDataLines: r.scan.lines - 1, rowsRead: r.rowsRead });
    if (r.rowsRead === 0) await addNoRows(store, 'cin', f, 'header only', 'this CIN extract adds no episode, assessment or child protection plan');
    if (layout.style === 'flags') {
      phase('cin: factor flags');
      const present = Object.keys(flagCols).filter((k) => r.present.has(k));
      if (present.length === 0) throw new DataError(`CIN extract: factor flag columns not found (looked for ${Object.values(flagCols).slice(0, 5).join(', ')}, ...)`, { file: f, row: 1 });
      for (const k of present) {
        await store.exec(`INSERT INTO findings SELECT 'cin', file, line, ${lit(flagCols[k])}, ${k}, 'flag_value', 'value_dropped',
            'factor flag column ${flagCols[k]} (factor ${k.slice(5)}) holds ''' || ${k} || ''': a flag must be 0 or 1; read as missing, not as absent', child_id
          FROM raw_cin_${i} WHERE upper(coalesce(${k}, '')) NOT IN ('', '0', '1', 'TRUE', 'FALSE', 'Y', 'N', 'YES', 'NO')`);
      }
      const fac = present.map((k) => `CASE WHEN upper(${k}) IN ('1', 'TRUE', 'Y', 'YES') THEN '${k.slice(5)}' END`).join(', ');
      await store.exec(`CREATE OR REPLACE TEMP TABLE raw_cin_${i} AS SELECT * EXCLUDE (${Object.keys(flagCols).join(', ')}), concat_ws(';', ${fac}) AS factors FROM raw_cin_${i}`);
    }
    parts.push(`SELECT ${['file', 'line', '1 AS part', ...CIN_FIELDS].join(', ')} FROM raw_cin_${i}`);
  }
  // fields absent from the layout (e.g. dob with month-year birth) are NULL columns
  for (const [i] of cinFiles.entries()) {
    const have = new Set((await store.columns(`SELECT column_name FROM information_schema.columns WHERE table_name = 'raw_cin_${i}'`)).column_name as string[]);
    for (const f of CIN_FIELDS) if (!have.has(f)) await store.exec(`ALTER TABLE raw_cin_${i} ADD COLUMN ${f} VARCHAR`);
  }
  let las: string[] = [];
  if (files.cinXml?.length) {
    phase('cin: XML returns');
    const x = await stageCinXml(store, files.cinXml, CIN_FIELDS, 'raw_cin_xml');
    ingested.push(...x.ingested);
    las = x.las;
    parts.push(`SELECT ${['file', 'line', 'part', ...CIN_FIELDS].join(', ')} FROM raw_cin_xml`);
  }
  if (parts.length === 0) parts.push(`SELECT NULL::VARCHAR AS file, NULL::INTEGER AS line, NULL::INTEGER AS part, ${CIN_FIELDS.map((f) => `NULL::VARCHAR AS ${f}`).join(', ')} WHERE false`);
  // views, not copies (raw_cin, cin_t): the rules read the staged tables, and only the narrow cin_v is materialised
  await store.exec(`CREATE OR REPLACE TEMP VIEW raw_cin AS ${parts.join(' UNION ALL ')}`);
  step('rules');
  phase('cin: rules');
  await checkCin(store, { censusYears: opts.censusYears });
  const endOfData = await resolveEnd(store, opts);
  // each other source is staged, built and its staged rows dropped before the next is read: at national
  // scale the staged text of four extracts held at once crowds the CIN build out of DuckDB's memory
  for (const source of ['cla', 'ks2', 'ks4', 'pupils'] as const) {
    step(source);
    phase(`${source}: read`);
    const drop = await stageOther(store, source, files, opts, ingested, las);
    phase(`${source}: rules and table`);
    if (source === 'cla') await buildCla(store);
    else if (source === 'pupils') await buildPupils(store, Number(endOfData.slice(0, 4)));
    else await buildKs(store, source);
    await store.exec(`DROP VIEW ${source}_t; ${drop}`);
  }
  step('tables');
  await buildCin(store, endOfData);
  await store.exec(`DROP VIEW cin_t; DROP VIEW raw_cin`);
  for (const [i] of cinFiles.entries()) await store.exec(`DROP TABLE raw_cin_${i}`);
  phase('cross checks');
  await conflictingChildDetails(store, { source: 'cin', table: 'cin', childKey: '_ckey', dobField: 'date of birth', episodes: 'episodes', children: 'CIN children' });
  step('accounting');
  phase('accounting');
  const flow = await dataFlow(store, ingested);
  phase('persist tables (ENUM columns)');
  await enumifyTables(store, ['cin', 'assessments', 'cpp', 'cla', 'ks2', 'ks4', 'pupils', 's47', 'cin_plans']);
  await store.exec(`CREATE OR REPLACE TABLE data_flow AS SELECT * FROM (VALUES ${flow.map((r) => `(${lit(r.source)}, ${lit(r.file)}, ${r.rows_read}, ${r.duplicates_merged}, ${r.rows_excluded}, ${r.rows_analysed})`).join(', ')})
    AS t(source, file, rows_read, duplicates_merged, rows_excluded, rows_analysed)`);
  await store.exec(`CREATE OR REPLACE TABLE meta_study AS SELECT ${lit(endOfData)} AS end_of_data`);
  progress('done', STEPS.length, STEPS.length);
  return { dataFlow: flow, endOfData };
}

/** Stage one non-CIN source into raw_<source> (an SSDA903 return, a CSV/Parquet extract, or empty); returns the SQL that drops what it staged. */
async function stageOther(store: Store, source: 'cla' | 'ks2' | 'ks4' | 'pupils', files: ExtractFiles, opts: IngestOptions, ingested: IngestedFile[], las: string[]): Promise<string> {
  const m = opts.mapping;
  if (source === 'cla' && files.ssda903) {
    ingested.push(...(await stageSsda903(store, files.ssda903, files.ssda903La ?? las[0] ?? '', OTHER_FIELDS.cla, 'raw_cla')));
    return 'DROP TABLE raw_cla';
  }
  const f = files[source];
  if (!f) { await emptyRaw(store, source); return `DROP TABLE raw_${source}`; }
  const map = m[source] as Record<string, unknown>;
  const columns = { ...stringFields(map), ...((map as { birth?: BirthLayout }).birth ? birthCols((map as { birth: BirthLayout }).birth) : {}) };
  const what = { cla: 'SSDA903 (CLA) extract', ks2: 'KS2 extract', ks4: 'KS4 extract', pupils: 'pupil characteristics extract' }[source];
  const r = await ingestCsv(store, { source, what, file: f, columns, required: REQUIRED[source], table: `raw_${source}0`, consequences: CONSEQUENCES, dialect: opts.dialect });
  ingested.push({ source, file: f, physicalDataLines: r.scan.lines - 1, rowsRead: r.rowsRead });
  await store.exec(`CREATE OR REPLACE TEMP VIEW raw_${source} AS SELECT file, line, ${OTHER_FIELDS[source].map((k) => (k in columns ? k : `NULL::VARCHAR AS ${k}`)).join(', ')} FROM raw_${source}0`);
  if (r.rowsRead === 0) {
    await addFinding(store, { source, file: f, line: null, field: '', value: '', rule: 'no_rows', action: 'warning',
      message: `${path.basename(f)} has no data rows (header only, 0 records)${source === 'pupils' ? ': no pupil characteristics, so every key stage record is unmatched' : ''}` });
  }
  return `DROP VIEW raw_${source}; DROP TABLE raw_${source}0`;
}

async function resolveEnd(store: Store, opts: IngestOptions): Promise<string> {
  if (opts.endOfData) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.endOfData)) throw new DataError(`endOfData '${opts.endOfData}' is not an ISO date (YYYY-MM-DD)`);
    return opts.endOfData;
  }
  if (opts.censusYears) return `${opts.censusYears[1]}-03-31`;
  const y = Number(await store.scalar(`SELECT max(cy) FROM cin_t WHERE NOT EXISTS (SELECT 1 FROM findings x WHERE x.source = 'cin' AND x.file = cin_t.file AND x.line = cin_t.line AND x.rule LIKE 'census_year%')`));
  const end = y ? `${y}-03-31` : '2021-03-31';
  await addFinding(store, { source: 'cin', file: '', line: null, field: 'endOfData', value: end, rule: 'end_of_data_assumed', action: 'warning',
    message: `end of follow-up not declared: taken as ${end}, the end of the latest census year that passed the census-year checks; pass endOfData or censusYears to fix it` });
  return end;
}
