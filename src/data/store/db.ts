/**
 * Thin wrapper over one DuckDB database (@duckdb/node-api): run SQL, read columns. The store is a
 * file (ingest once, reopen in seconds) or ':memory:'. Values leave DuckDB as columns, never as
 * per-row objects.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import type { IngestProfile } from './profile';

const TIMING = process.env.CSC_SQL_TIMING === '1';
/** one CSC_SQL_TIMING line on stderr: wall and process CPU milliseconds, then the statement */
function timing(t0: number, c0: NodeJS.CpuUsage | undefined, sql: string): void {
  const c = process.cpuUsage(c0);
  process.stderr.write(`${(performance.now() - t0).toFixed(0).padStart(6)} ms ${((c.user + c.system) / 1000).toFixed(0).padStart(6)} cpu-ms  ${sql.replace(/\s+/g, ' ').slice(0, 110)}\n`);
}
/**
 * DuckDB worker threads: one core is left to Node (which converts the columns DuckDB hands over). On a
 * 2-core machine that means one thread: measured on the small synthetic ingest, 2 threads took 1.7x the
 * CPU and 1.8x the wall time of 1 (threads waiting on each other); CSC_DUCKDB_THREADS overrides. A large
 * ingest takes every core (ingest.ts, INGEST_PARALLEL_BYTES): Node has nothing to convert while it runs.
 */
const DEFAULT_THREADS = Math.max(1, Math.min(4, os.cpus().length - 1));

export class Store {
  /** set while an ingest is profiled: each statement is counted in its current phase */
  profile: IngestProfile | null = null;
  /** the ingest's input files as an ENUM type (declareFileEnum), or null: see fileValue */
  fileEnum: { type: string; files: ReadonlySet<string> } | null = null;

  private constructor(readonly path: string, private readonly instance: DuckDBInstance, readonly conn: DuckDBConnection, readonly readOnly: boolean, readonly spillDirectory: string) {}

  /**
   * Opens (or creates) a store. `readOnly` stores can be open in several processes at once (notebooks
   * running side by side); a writable one holds DuckDB's exclusive file lock.
   */
  static async open(file: string, options: { readOnly?: boolean } = {}): Promise<Store> {
    // Bounded memory: DuckDB spills to disk beyond the limit (national extracts on a 16 GB desktop). Each
    // store spills into a folder of its own: DuckDB names its spill files the same in every process, so
    // notebooks running side by side on one shared folder read each other's spill (an IO error or a crash).
    // The folder is only named here: DuckDB creates it on the first spill and removes it on close, so a
    // store that never spills, or a kernel that exits without closing its store, leaves nothing in /tmp.
    // CSC_DUCKDB_TEMP puts the spill on another disk where /tmp is small.
    const spillDirectory = path.join(process.env.CSC_DUCKDB_TEMP ?? os.tmpdir(), `csc-duckdb-spill-${process.pid}-${randomBytes(6).toString('hex')}`);
    openSpillDirectories.add(spillDirectory);
    try {
      const instance = await DuckDBInstance.create(file, {
        threads: process.env.CSC_DUCKDB_THREADS ?? String(DEFAULT_THREADS), preserve_insertion_order: 'true', memory_limit: process.env.CSC_DUCKDB_MEMORY ?? '2GB',
        temp_directory: spillDirectory,
        ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
      });
      const conn = await instance.connect();
      return new Store(file, instance, conn, options.readOnly === true, spillDirectory);
    } catch (e) {
      removeSpillDirectory(spillDirectory);
      throw e;
    }
  }

  /**
   * Runs `fn` with `threads` DuckDB worker threads, then restores the store's own setting. For work
   * where Node only waits on DuckDB (a large ingest): there the core left to Node idles.
   */
  async withThreads<T>(threads: number, fn: () => Promise<T>): Promise<T> {
    const before = Number(await this.scalar(`SELECT current_setting('threads')`));
    if (threads === before) return fn();
    await this.conn.run(`SET threads = ${threads}`);
    try {
      return await fn();
    } finally {
      await this.conn.run(`SET threads = ${before}`);
    }
  }

  async exec(sql: string): Promise<void> {
    const t0 = TIMING ? performance.now() : 0;
    const c0 = TIMING ? process.cpuUsage() : undefined;
    if (process.env.CSC_SQL_EXPLAIN && sql.includes(process.env.CSC_SQL_EXPLAIN)) {
      const r = await this.conn.runAndReadAll('EXPLAIN (ANALYZE, FORMAT json) ' + sql);
      type Op = { operator_name?: string; operator_timing?: number; operator_cardinality?: number; extra_info?: unknown; children?: Op[] };
      const walk = (o: Op, d: number): void => {
        if (o.operator_name) process.stderr.write(`${' '.repeat(d)}${(o.operator_timing ?? 0).toFixed(3)} s  ${o.operator_name} ${o.operator_cardinality ?? ''} ${JSON.stringify(o.extra_info ?? '').slice(0, 150)}\n`);
        for (const c of o.children ?? []) walk(c, d + 1);
      };
      walk(JSON.parse(String(r.getRowsJS()[0][1])) as Op, 0);
    }
    this.profile?.statement();
    await this.conn.run(sql);
    if (TIMING) timing(t0, c0, sql);
  }

  /** a query whose result is read (CSC_SQL_TIMING times it too, marked 'read': queries were a seventh of the small ingest) */
  private async read(sql: string): Promise<DuckDBResultReader> {
    const t0 = TIMING ? performance.now() : 0;
    const c0 = TIMING ? process.cpuUsage() : undefined;
    this.profile?.statement();
    const r = await this.conn.runAndReadAll(sql);
    if (TIMING) timing(t0, c0, 'read ' + sql);
    return r;
  }

  /** result as columns: name -> JS values (BIGINT arrives as bigint; cast in SQL where a number is wanted) */
  async columns(sql: string): Promise<Record<string, unknown[]>> {
    return (await this.read(sql)).getColumnsObjectJS() as Record<string, unknown[]>;
  }

  async rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.read(sql)).getRowObjectsJS() as Record<string, unknown>[];
  }

  async scalar(sql: string): Promise<unknown> {
    const rows = (await this.read(sql)).getRowsJS();
    return rows.length ? rows[0][0] : null;
  }

  async hasTable(name: string): Promise<boolean> {
    return Number(await this.scalar(`SELECT count(*) FROM information_schema.tables WHERE table_name = ${lit(name)}`)) > 0;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
    removeSpillDirectory(this.spillDirectory);
  }
}

/** spill folders of stores not yet closed: removed at process exit when a kernel or script ends without closing */
const openSpillDirectories = new Set<string>();
process.on('exit', () => { for (const d of openSpillDirectories) removeSpillDirectory(d); });

function removeSpillDirectory(dir: string): void {
  openSpillDirectories.delete(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** SQL string literal */
export function lit(s: string | null | undefined): string {
  return s === null || s === undefined ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`;
}
/** SQL identifier */
export function ident(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

let fileEnumSeq = 0;

/**
 * Declares the ingest's input files as one ENUM type (sorted, so an ENUM sorts as its text does) for
 * the `file` column every staged row carries. As text a path costs about 60 bytes a row in DuckDB's
 * memory (16 for the string and its copy out of line), as an ENUM 1: at national scale the text
 * column was some 1.5 GB across the staged and built tables, under a 2 GB memory limit.
 */
export async function declareFileEnum(store: Store, files: string[]): Promise<void> {
  const type = `csc_file_${fileEnumSeq++}`;
  const unique = [...new Set(files)];
  if (!unique.length) return;
  await store.exec(`CREATE TYPE ${type} AS ENUM (SELECT f FROM (SELECT unnest([${unique.map(lit).join(', ')}]) AS f) ORDER BY f)`);
  store.fileEnum = { type, files: new Set(unique) };
}

/** SQL for the constant `file` column of a staged table: the ingest's file ENUM where it names the file, else the path as text */
export function fileValue(store: Store, file: string): string {
  return store.fileEnum?.files.has(file) ? `${lit(file)}::${store.fileEnum.type}` : lit(file);
}
