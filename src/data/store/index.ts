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
import { IngestProfile } from './profile';
import { exportTable } from './export';
import type { DataFlowRow } from '../types';

export { Store } from './db';
export type { ExtractFiles, IngestOptions } from './ingest';
export { RULES } from './rules';
export { formatProfile } from './profile';
export type { ProfilePhase } from './profile';
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

// v7: CIN codes checked against the list of each row's census year (codeYears.ts)
const LAYOUT_VERSION = 'store-v7';

export interface OpenedStudy { store: Store; dataFlow: DataFlowRow[]; endOfData: string; reused: boolean }

/** How long a notebook waits for another process that is building the same store (default 30 min). */
const BUILD_WAIT_MS = Number(process.env.CSC_STORE_WAIT_MS ?? 30 * 60 * 1000);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isLockError(e: unknown): boolean {
  return /Could not set lock|Conflicting lock/i.test(String((e as Error)?.message ?? e));
}

async function readFlow(store: Store): Promise<{ dataFlow: DataFlowRow[]; endOfData: string }> {
  const endOfData = String(await store.scalar(`SELECT end_of_data FROM meta_study`));
  const dataFlow = (await store.rows(`SELECT source, file, rows_read::INTEGER AS rows_read, duplicates_merged::INTEGER AS duplicates_merged, rows_excluded::INTEGER AS rows_excluded, rows_analysed::INTEGER AS rows_analysed FROM data_flow`)) as DataFlowRow[];
  return { dataFlow, endOfData };
}

/**
 * Why a store built from `had` (its meta_inputs) must be ingested again for `wanted`: another layout
 * version (the store was written by another version of the ingest), an input file changed, or the
 * ingest options changed. Said before the ingest, so a slow first open is never a mystery.
 */
export function staleReason(had: string | null, wanted: string): string {
  if (had === null) return 'the store has no record of its inputs (an unfinished or foreign build): ingesting again';
  const version = (x: string): string => /"v":"([^"]+)"/.exec(x)?.[1] ?? 'unknown';
  if (version(had) !== version(wanted)) return `the store was written by ingest layout ${version(had)}, this code writes ${version(wanted)}: ingesting again`;
  const files = (x: string): Map<string, string> => new Map(x.split('\n').filter((l) => l.includes('=') && !l.startsWith('{')).map((l) => [l.slice(0, l.lastIndexOf('=')), l.slice(l.lastIndexOf('=') + 1)]));
  const [a, b] = [files(had), files(wanted)];
  const changed = [...b.keys()].filter((f) => a.get(f) !== b.get(f)).concat([...a.keys()].filter((f) => !b.has(f)));
  if (changed.length) return `input changed since the store was built (${changed.map((f) => path.basename(f)).join(', ')}): ingesting again`;
  return 'the ingest options (mapping, study window, date format or dialect) changed since the store was built: ingesting again';
}

/** The store at `storePath` opened read-only if it was built from exactly these inputs; else why not (null: absent); 'locked' while a writer holds it. */
async function openCurrent(storePath: string, wanted: string): Promise<OpenedStudy | { stale: string } | null | 'locked'> {
  if (!fs.existsSync(storePath)) return null;
  let store: Store;
  try { store = await Store.open(storePath, { readOnly: true }); } catch (e) { if (isLockError(e)) return 'locked'; throw e; }
  const had = (await store.hasTable('meta_inputs')) ? String(await store.scalar(`SELECT inputs FROM meta_inputs`)) : null;
  if (had === wanted) return { store, ...(await readFlow(store)), reused: true };
  store.close();
  return { stale: staleReason(had, wanted) };
}
const isOpened = (x: Awaited<ReturnType<typeof openCurrent>>): x is OpenedStudy => x !== null && x !== 'locked' && 'store' in x;

/** An exclusive build lock (a file holding our pid); a lock left by a process that has died is taken over. */
function takeBuildLock(lockPath: string): boolean {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const pid = Number(fs.readFileSync(lockPath, 'utf8'));
    let alive = Number.isInteger(pid) && pid > 0;
    if (alive) { try { process.kill(pid, 0); } catch { alive = false; } }
    if (!alive) { fs.rmSync(lockPath, { force: true }); return takeBuildLock(lockPath); }
    return false;
  }
}

/**
 * Opens the study store, ingesting the inputs first when the store is absent or was built from other
 * inputs or options. A store on disk is built under a lock file into a private file and renamed into
 * place, then opened read-only, so notebooks running side by side share one store: one builds, the
 * others wait for it (up to CSC_STORE_WAIT_MS) and then read.
 */
export async function openStudyStore(storePath: string, files: ExtractFiles, opts: IngestOptions): Promise<OpenedStudy> {
  const profile = opts.onProfile ? new IngestProfile() : null;
  profile?.enter('store: fingerprint inputs, open');
  const all = [...(files.cin === undefined ? [] : Array.isArray(files.cin) ? files.cin : [files.cin]), ...(files.cinXml ?? []), files.ssda903?.header, files.ssda903?.episodes, files.cla, files.ks2, files.ks4, files.pupils].filter((f): f is string => !!f);
  const optKey = JSON.stringify({ v: LAYOUT_VERSION, files, mapping: opts.mapping, endOfData: opts.endOfData, censusYears: opts.censusYears, dateFormat: opts.dateFormat, dialect: opts.dialect });
  const wanted = all.map((f) => (fs.existsSync(f) ? `${f}=${fingerprint(f)}` : `${f}=missing`)).join('\n') + '\n' + optKey;
  if (storePath === ':memory:') {
    const store = await Store.open(storePath);
    try {
      store.profile = profile;
      const r = await ingestExtracts(store, files, opts);
      store.profile = null;
      opts.onProfile?.(profile?.close() ?? []);
      return { store, ...r, reused: false };
    } catch (e) { store.close(); throw e; }
  }
  fs.mkdirSync(path.dirname(storePath), { recursive: true });
  const lockPath = storePath + '.lock';
  const deadline = Date.now() + BUILD_WAIT_MS;
  for (;;) {
    const current = await openCurrent(storePath, wanted);
    if (isOpened(current)) return current;
    if (current !== 'locked' && takeBuildLock(lockPath)) {
      let built = false;
      try {
        // another process may have finished the same build while we waited for the lock
        const again = await openCurrent(storePath, wanted);
        if (isOpened(again)) return again;
        if (again !== null && again !== 'locked') opts.onProgress?.(`store: ${again.stale}`, 0, 1);
        const tmp = `${storePath}.building-${process.pid}`;
        for (const f of [tmp, tmp + '.wal']) fs.rmSync(f, { force: true });
        const store = await Store.open(tmp);
        try {
          store.profile = profile;
          await ingestExtracts(store, files, opts);
          profile?.enter('store: checkpoint');
          await store.exec(`CREATE OR REPLACE TABLE meta_inputs AS SELECT ${lit(wanted)} AS inputs`);
          await store.exec('CHECKPOINT');
          store.profile = null;
        } catch (e) {
          store.close();
          for (const f of [tmp, tmp + '.wal']) fs.rmSync(f, { force: true });
          throw e;
        }
        store.close();
        fs.rmSync(storePath + '.wal', { force: true });
        fs.renameSync(tmp, storePath);
        built = true;
        opts.onProfile?.(profile?.close() ?? []);
      } finally {
        fs.rmSync(lockPath, { force: true });
      }
      if (built) {
        const opened = await openCurrent(storePath, wanted);
        if (isOpened(opened)) return { ...opened, reused: false };
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`study store ${storePath} is being built by another process (lock ${lockPath}) and did not become ready within ${Math.round(BUILD_WAIT_MS / 1000)} s; remove the lock file if no other process is running`);
    }
    await sleep(250);
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
