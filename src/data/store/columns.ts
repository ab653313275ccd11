/**
 * A query result handed to JS as columns, chunk by chunk through DuckDB's vectors, with no per-row
 * objects: integer columns arrive as Int32Array (Float64Array with NaN where a value is missing),
 * floating-point ones as Float64Array (NaN for missing), UTINYINT (0/1 flags) as Uint8Array, and text
 * (and BOOLEAN as true/false) as an array of strings. Arquero tables take these columns as they are.
 */
import { DuckDBTypeId } from '@duckdb/node-api';
import type { Store } from './db';

export type Column = Int32Array | Float64Array | Uint8Array | Array<string | boolean | null>;

type Kind = 'int' | 'float' | 'flag' | 'text';

function kindOf(id: DuckDBTypeId): Kind {
  switch (id) {
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.USMALLINT: return 'int';
    case DuckDBTypeId.UTINYINT: return 'flag';
    case DuckDBTypeId.BIGINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT: case DuckDBTypeId.HUGEINT: case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE: case DuckDBTypeId.DECIMAL: return 'float';
    default: return 'text';
  }
}

/** Growable typed buffer for one column (doubling, trimmed at the end). */
class Grow<T extends Float64Array | Uint8Array> {
  buf: T;
  constructor(private readonly make: (n: number) => T) { this.buf = make(4096); }
  ensure(n: number): void {
    if (n <= this.buf.length) return;
    let size = this.buf.length;
    while (size < n) size *= 2;
    const next = this.make(size);
    next.set(this.buf as never);
    this.buf = next;
  }
}

const SEP = '\u0001', NUL = '\u0002';
const BLOCK = 65536;
/** most distinct values a column may have to cross as a dictionary (the values travel as one string) */
const DICT_MAX = 1 << 20;
let seq = 0;

/**
 * Runs `sql` and returns its columns by name, plus the row count. Integer columns come back as
 * Int32Array when they hold no NULL and fit in 32 bits, else as Float64Array with NaN for NULL.
 * VARCHAR columns cross as one joined string per block of rows, split in JS (one native call per
 * block, not per cell); a column with few distinct values is interned, so equal cells share a string.
 */
export async function readColumns(store: Store, sql: string): Promise<{ n: number; columns: Record<string, Column> }> {
  const tmp = `_rc_${seq++}`;
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${tmp} AS ${sql}`);
  try {
    const info = await store.conn.run(`SELECT * FROM ${tmp} LIMIT 0`);
    const names = info.columnNames();
    // ENUMs too: the node client rebuilds an ENUM's dictionary for every chunk, slow for a date ENUM
    const varchar = names.filter((_, j) => info.columnTypeId(j) === DuckDBTypeId.VARCHAR || info.columnTypeId(j) === DuckDBTypeId.ENUM);
    const others = names.filter((c) => !varchar.includes(c));
    const q = (c: string): string => `"${c.replace(/"/g, '""')}"`;
    const out = others.length ? await readVectors(store, `SELECT ${others.map(q).join(', ')} FROM ${tmp}`) : { n: Number(await store.scalar(`SELECT count(*) FROM ${tmp}`)), columns: {} as Record<string, Column> };
    const n = out.n;
    if (varchar.length) {
      const st = await store.rows(`SELECT ${varchar.map((c, j) => `approx_count_distinct(${q(c)})::BIGINT AS d${j}, count(*) FILTER (contains(${q(c)}::VARCHAR, chr(1)) OR contains(${q(c)}::VARCHAR, chr(2)))::BIGINT AS x${j}`).join(', ')} FROM ${tmp}`);
      const few: string[] = [];
      for (const [j, c] of varchar.entries()) {
        if (Number(st[0][`x${j}`]) > 0) { out.columns[c] = (await readVectors(store, `SELECT ${q(c)}::VARCHAR AS ${q(c)} FROM ${tmp}`)).columns[c]; continue; }
        const distinct = Number(st[0][`d${j}`]);
        if (distinct < n / 5 && distinct <= DICT_MAX) few.push(c);
        else out.columns[c] = await readText(store, tmp, `${q(c)}::VARCHAR`, n, false);
      }
      if (few.length) Object.assign(out.columns, await readDicts(store, tmp, few, n));
    }
    const columns: Record<string, Column> = {};
    for (const c of names) columns[c] = out.columns[c];
    return { n, columns };
  } finally {
    await store.exec(`DROP TABLE IF EXISTS ${tmp}`);
  }
}

/**
 * VARCHAR columns with few distinct values: each column's distinct values cross once (sorted, joined by
 * SEP), and every cell as an integer code into them, all columns' codes in one pass with the row id.
 * The codes are placed by row id in JS, so the pass needs no sort back into row order (a sort of n
 * rows per column was most of the cost at national scale).
 */
async function readDicts(store: Store, tmp: string, cols: string[], n: number): Promise<Record<string, Array<string | null>>> {
  const q = (c: string): string => `"${c.replace(/"/g, '""')}"`;
  const dicts = cols.map((_, j) => `${tmp}_dict${j}`);
  try {
    const words: string[][] = [];
    for (const [j, c] of cols.entries()) {
      await store.exec(`CREATE OR REPLACE TEMP TABLE ${dicts[j]} AS SELECT v, (row_number() OVER (ORDER BY v) - 1)::INTEGER AS k FROM (SELECT DISTINCT ${q(c)}::VARCHAR AS v FROM ${tmp} WHERE ${q(c)} IS NOT NULL)`);
      const joined = await store.scalar(`SELECT string_agg(v, chr(1) ORDER BY k) FROM ${dicts[j]}`);
      words.push(joined === null || joined === undefined ? [] : String(joined).split(SEP));
    }
    const codes = (await readVectors(store, `SELECT t.rowid::INTEGER AS _r, ${cols.map((c, j) => `coalesce(d${j}.k, -1)::INTEGER AS k${j}`).join(', ')} FROM ${tmp} t
      ${cols.map((c, j) => `LEFT JOIN ${dicts[j]} d${j} ON d${j}.v = t.${q(c)}::VARCHAR`).join(' ')}`)).columns;
    const rowIds = codes._r as Int32Array;
    if (rowIds.length !== n) throw new Error(`readColumns: text columns ${cols.join(', ')} gave ${rowIds.length} codes for ${n} rows`);
    const out: Record<string, Array<string | null>> = {};
    for (const [j, c] of cols.entries()) {
      const k = codes[`k${j}`] as Int32Array, w = words[j];
      const col = new Array<string | null>(n).fill(null);
      for (let i = 0; i < n; i++) { const x = k[i]; if (x >= 0) col[rowIds[i]] = w[x]; }
      out[c] = col;
    }
    return out;
  } finally {
    for (const d of dicts) await store.exec(`DROP TABLE IF EXISTS ${d}`);
  }
}

/** one VARCHAR column, in blocks joined by SEP (NUL marks a missing value) */
async function readText(store: Store, tmp: string, col: string, n: number, intern: boolean): Promise<Array<string | null>> {
  const out = new Array<string | null>(n);
  const pool = new Map<string, string>();
  const r = await store.conn.run(`SELECT string_agg(coalesce(${col}, chr(2)), chr(1) ORDER BY rowid) FROM ${tmp} GROUP BY rowid // ${BLOCK} ORDER BY rowid // ${BLOCK}`);
  let at = 0;
  for (;;) {
    const ch = await r.fetchChunk();
    if (!ch || ch.rowCount === 0) break;
    const v = ch.getColumnVector(0);
    for (let b = 0; b < ch.rowCount; b++) {
      const parts = String(v.getItem(b)).split(SEP);
      for (let i = 0; i < parts.length; i++) {
        const s = parts[i];
        if (s === NUL) out[at++] = null;
        else if (intern) { const p = pool.get(s); if (p !== undefined) out[at++] = p; else { pool.set(s, s); out[at++] = s; } }
        else out[at++] = s;
      }
    }
  }
  if (at !== n) throw new Error(`readColumns: text column ${col} gave ${at} values for ${n} rows`);
  return out;
}

async function readVectors(store: Store, sql: string): Promise<{ n: number; columns: Record<string, Column> }> {
  const r = await store.conn.run(sql);
  const names = r.columnNames();
  const kinds = names.map((_, j) => kindOf(r.columnTypeId(j)));
  const nums = kinds.map((k) => (k === 'int' || k === 'float' ? new Grow((n) => new Float64Array(n)) : null));
  const flags = kinds.map((k) => (k === 'flag' ? new Grow((n) => new Uint8Array(n)) : null));
  const texts = kinds.map((k) => (k === 'text' ? ([] as Array<string | boolean | null>) : null));
  let at = 0;
  for (;;) {
    const ch = await r.fetchChunk();
    if (!ch || ch.rowCount === 0) break;
    const m = ch.rowCount;
    for (let j = 0; j < names.length; j++) {
      const v = ch.getColumnVector(j);
      const num = nums[j], flag = flags[j], text = texts[j];
      if (num) {
        num.ensure(at + m);
        const b = num.buf;
        for (let i = 0; i < m; i++) { const x = v.getItem(i); b[at + i] = x === null ? NaN : Number(x); }
      } else if (flag) {
        flag.ensure(at + m);
        const b = flag.buf;
        for (let i = 0; i < m; i++) b[at + i] = Number(v.getItem(i) ?? 0);
      } else if (text) {
        for (let i = 0; i < m; i++) { const x = v.getItem(i); text.push(x === null ? null : typeof x === 'string' || typeof x === 'boolean' ? x : String(x)); }
      }
    }
    at += m;
  }
  const columns: Record<string, Column> = {};
  names.forEach((name, j) => {
    const num = nums[j], flag = flags[j];
    if (num) {
      const b = num.buf.subarray(0, at);
      if (kinds[j] === 'int' && isInt32(b)) columns[name] = Int32Array.from(b);
      else columns[name] = b.slice();
    } else if (flag) columns[name] = flag.buf.slice(0, at);
    else columns[name] = texts[j] as Array<string | boolean | null>;
  });
  return { n: at, columns };
}

function isInt32(b: Float64Array): boolean {
  for (let i = 0; i < b.length; i++) { const x = b[i]; if (!(x === (x | 0))) return false; }
  return true;
}
