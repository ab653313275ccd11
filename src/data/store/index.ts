/**
 * The study store: a DuckDB database holding the ingested extracts, the findings and the analysis-ready
 * tables. `openStudyStore` re-ingests only when an input file's size, mtime or content fingerprint (or
 * the ingest options) changed since the store was built; otherwise it reopens the store as it is.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { Store, lit } from './db';
import { ingestExtracts } from './ingest';
import type { ExtractFiles, IngestOptions } from './ingest';
import { RULES } from './rules';
import { exportTable } from './export';
import type { DataFlowRow } from '../types';

export { Store } from './db';
export type { ExtractFiles, IngestOptions } from './ingest';
export { RULES } from './rules';
export type { DateFormat } from './sql';

/** size, mtime and a hash of the first and last MiB: cheap enough for 1 GB files, and catches edits that keep size and mtime */
function fingerprint(file: string): string {
  const st = fs.statSync(file);
  const h = crypto.createHash('sha1');
  const fd = fs.openSync(file, 'r');
  try {
    const n = Math.min(st.size, 1 << 20);
    const buf = Buffer.alloc(n);
    fs.readSync(fd, buf, 0, n, 0);
    h.update(buf);
    if (st.size > n) { fs.readSync(fd, buf, 0, n, st.size - n); h.update(buf); }
  } finally { fs.closeSync(fd); }
  return `${st.size}:${st.mtimeMs}:${h.digest('hex')}`;
}

const LAYOUT_VERSION = 'store-v4';

export interface OpenedStudy { store: Store; dataFlow: DataFlowRow[]; endOfData: string; reused: boolean }

export async function openStudyStore(storePath: string, files: ExtractFiles, opts: IngestOptions): Promise<OpenedStudy> {
  const all = [...(files.cin === undefined ? [] : Array.isArray(files.cin) ? files.cin : [files.cin]), ...(files.cinXml ?? []), files.ssda903?.header, files.ssda903?.episodes, files.cla, files.ks2, files.ks4, files.pupils].filter((f): f is string => !!f);
  const optKey = JSON.stringify({ v: LAYOUT_VERSION, files, mapping: opts.mapping, endOfData: opts.endOfData, censusYears: opts.censusYears, dateFormat: opts.dateFormat, dialect: opts.dialect });
  const wanted = all.map((f) => (fs.existsSync(f) ? `${f}=${fingerprint(f)}` : `${f}=missing`)).join('\n') + '\n' + optKey;
  if (storePath !== ':memory:') fs.mkdirSync(path.dirname(storePath), { recursive: true });
  let store = await Store.open(storePath);
  if (storePath !== ':memory:' && (await store.hasTable('meta_inputs'))) {
    const have = await store.scalar(`SELECT inputs FROM meta_inputs`);
    if (have === wanted) {
      const end = String(await store.scalar(`SELECT end_of_data FROM meta_study`));
      const flow = (await store.rows(`SELECT source, file, rows_read::INTEGER AS rows_read, duplicates_merged::INTEGER AS duplicates_merged, rows_excluded::INTEGER AS rows_excluded, rows_analysed::INTEGER AS rows_analysed FROM data_flow`)) as DataFlowRow[];
      return { store, dataFlow: flow, endOfData: end, reused: true };
    }
    // stale: start from an empty file rather than carry old tables along
    store.close();
    fs.rmSync(storePath, { force: true });
    fs.rmSync(storePath + '.wal', { force: true });
    store = await Store.open(storePath);
  }
  try {
    const r = await ingestExtracts(store, files, opts);
    await store.exec(`CREATE OR REPLACE TABLE meta_inputs AS SELECT ${lit(wanted)} AS inputs`);
    if (storePath !== ':memory:') await store.exec('CHECKPOINT');
    return { store, ...r, reused: false };
  } catch (e) {
    store.close();
    if (storePath !== ':memory:') { fs.rmSync(storePath, { force: true }); fs.rmSync(storePath + '.wal', { force: true }); }
    throw e;
  }
}

/** a store table as an arquero table (columns moved over whole; helper columns starting with '_' left behind) */
export async function tableOf(store: Store, name: string): Promise<ColumnTable> {
  return exportTable(store, name);
}

/** findings of the given actions as a table: source, file, row, field, value, reason, action, rule, message, child_id */
export async function findingsTable(store: Store, actions: string[]): Promise<ColumnTable> {
  const reason = `CASE rule ${Object.entries(RULES).map(([k, v]) => `WHEN ${lit(k)} THEN ${lit(v)}`).join(' ')} ELSE rule END`;
  const data = await store.columns(`SELECT source, file, line AS "row", field, value, ${reason} AS reason, action, rule, message, child_id
    FROM findings WHERE action IN (${actions.map(lit).join(', ')}) ORDER BY source, file, line NULLS FIRST, rule`);
  return aq.table(data);
}
