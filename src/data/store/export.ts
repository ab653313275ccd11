/**
 * Store tables to JS columns, chunk by chunk through DuckDB's vectors (no per-row objects). Text
 * columns with few distinct values (dates, codes, LAs) travel as ENUMs, so each distinct string is
 * decoded once and shared by every cell that holds it: most of the cells of a CIN table.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { Store, lit, ident } from './db';

const ENUM_MAX = 20000;
let typeSeq = 0;

/** columns of `table` (helper columns starting with '_' left out) as arrays; where/order appended to the SELECT */
export async function exportColumns(store: Store, table: string, tail = ''): Promise<Record<string, unknown[]>> {
  const info = await store.columns(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${lit(table)} ORDER BY ordinal_position`);
  const names = (info.column_name as string[]).filter((c) => !c.startsWith('_'));
  const types = new Map((info.column_name as string[]).map((c, i) => [c, info.data_type[i] as string]));
  const text = names.filter((c) => types.get(c) === 'VARCHAR');
  const enums = new Map<string, string>();
  // A read-only store cannot create types; its tables were made ENUMs at ingest (enumifyTables).
  if (text.length && !store.readOnly) {
    const counts = await store.rows(`SELECT ${text.map((c) => `approx_count_distinct(${ident(c)})::INTEGER AS ${ident(c)}`).join(', ')} FROM ${table}`);
    for (const c of text) {
      if (Number(counts[0][c]) > ENUM_MAX) continue;
      const t = `enum_x${typeSeq++}`;
      await store.exec(`CREATE TYPE ${t} AS ENUM (SELECT DISTINCT ${ident(c)} FROM ${table} WHERE ${ident(c)} IS NOT NULL ORDER BY 1)`);
      enums.set(c, t);
    }
  }
  try {
    const select = names.map((c) => (enums.has(c) ? `${ident(c)}::${enums.get(c)} AS ${ident(c)}` : ident(c))).join(', ');
    const n = Number(await store.scalar(`SELECT count(*) FROM (SELECT 1 FROM ${table} ${tail})`));
    const out: Record<string, unknown[]> = {};
    const cols = names.map((c) => (out[c] = new Array<unknown>(n)));
    const r = await store.conn.run(`SELECT ${select} FROM ${table} ${tail}`);
    let at = 0;
    for (;;) {
      const ch = await r.fetchChunk();
      if (!ch || ch.rowCount === 0) break;
      const m = ch.rowCount;
      for (let j = 0; j < cols.length; j++) {
        const v = ch.getColumnVector(j);
        const col = cols[j];
        for (let i = 0; i < m; i++) col[at + i] = v.getItem(i);
      }
      at += m;
    }
    if (at !== n) throw new Error(`exportColumns: ${table} returned ${at} rows, expected ${n}`);
    return out;
  } finally {
    for (const t of enums.values()) await store.exec(`DROP TYPE ${t}`);
  }
}

/**
 * At ingest: the built tables (TEMP tables of the same names) are written once into the store, with
 * their low-cardinality text columns as ENUMs, so reopening the store hands them over without creating
 * types (a write) or decoding a string per cell. Built as TEMP and persisted here: each table is
 * compressed and written once, not once when built and again when typed.
 */
export async function enumifyTables(store: Store, tables: string[]): Promise<void> {
  const db = ident(String(await store.scalar('SELECT current_database()')));
  const info = await store.columns(`SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = 'temp' AND table_schema = 'main'
    AND table_name IN (${tables.map(lit).join(', ')}) AND data_type = 'VARCHAR' AND column_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY table_name, ordinal_position`);
  for (const table of tables) {
    const text = (info.column_name as string[]).filter((_, i) => info.table_name[i] === table);
    const counts = text.length ? await store.rows(`SELECT ${text.map((c) => `approx_count_distinct(${ident(c)})::INTEGER AS ${ident(c)}`).join(', ')} FROM ${table}`) : [{}];
    const types: string[] = [];
    const alter: string[] = [];
    for (const c of text) {
      if (Number(counts[0][c]) > ENUM_MAX) continue;
      const t = `enum_${table}_${c}`;
      types.push(`DROP TYPE IF EXISTS ${t}; CREATE TYPE ${t} AS ENUM (SELECT DISTINCT ${ident(c)} FROM ${table} WHERE ${ident(c)} IS NOT NULL ORDER BY 1);`);
      alter.push(`${ident(c)}::${t} AS ${ident(c)}`);
    }
    // one transaction a table: each statement on its own would commit (and sync the write-ahead log) once per type;
    // the TEMP table is dropped after the commit, so a table's memory is freed before the next is written
    await store.exec(`BEGIN TRANSACTION; ${types.join(' ')}
      CREATE OR REPLACE TABLE ${db}.main.${table} AS SELECT ${alter.length ? `* REPLACE (${alter.join(', ')})` : '*'} FROM temp.main.${table}; COMMIT; DROP TABLE temp.main.${table}`);
  }
}

export async function exportTable(store: Store, table: string, tail = ''): Promise<ColumnTable> {
  return aq.table(await exportColumns(store, table, tail));
}
