/**
 * The fast path of the CSV ingest: DuckDB's own CSV reader, with the dialect and one VARCHAR column per
 * header field declared (no sniffing), for a file that holds no quote character at all. Without quotes no
 * field can run on into the next line, so splitting each physical line at the delimiter (the line path in
 * csv.ts) and the native reader give the same fields; the native reader does it in one pass with no
 * per-line list. The path is taken only when it is checked to be exact: every physical data line read as
 * one row with no rejected line (a blank line, a short or long row or bytes that are not UTF-8 all land in
 * the rejects table or break the count). Otherwise it returns null and the caller reads line by line,
 * where those faults are named; the native attempt leaves nothing behind (no table, no finding).
 */
import { Store, lit, ident, fileValue } from './db';
import type { LineScan } from './lines';

let seq = 0;

/** the file's first line as the line path sees it (same reader settings), or null if it cannot be read */
export async function firstLine(store: Store, file: string, readerOpts: string): Promise<string | null> {
  try {
    const v = await store.scalar(`SELECT l FROM read_csv(${lit(file)}, columns = {'l': 'VARCHAR'}, header = false, ${readerOpts}) LIMIT 1`);
    return v === null || v === undefined ? null : String(v);
  } catch {
    return null;
  }
}

/**
 * Reads the data lines of `file` (header of `nFields` fields already read) into TEMP table `table` with
 * columns file, line (physical line, the header is line 1) and `select` (canonical field -> 1-based
 * column position, or null for an absent field: a NULL column). Values are trimmed, '' for blank (as the
 * line path gives them). Returns false, leaving no table, when the read is not exact.
 */
export async function readNative(store: Store, file: string, scan: LineScan, delim: string, nl: string, nFields: number,
  select: Array<[string, number | null]>, table: string): Promise<boolean> {
  const k = seq++;
  const rej = `nrej_${k}`, rejScan = `nrejscan_${k}`;
  const cols = Array.from({ length: nFields }, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ');
  const fields = select.map(([f, p]) => (p === null ? `NULL::VARCHAR AS ${ident(f)}` : `trim(coalesce(c${p}, '')) AS ${ident(f)}`));
  // DuckDB 1.5 with new_line '\r\n' and strict_mode reads no rows at all (the count check would decline every
  // CRLF file); left to itself it takes CRLF as the line end, and the file has no other (scan.uniform)
  const newLine = nl === '\\r\\n' ? '' : `new_line = '${nl}', `;
  let ok = false;
  try {
    // The table keeps the file's row order (preserve_insertion_order, set by Store.open, holds for a parallel
    // read too), so line = rowid + 2 (the header is line 1). Set by an UPDATE after the read: row_number() OVER ()
    // in the read gives the same numbers but gathers every row into one single-threaded window (national CIN:
    // 51 s of CPU for the read against 26 s this way; a second copy of the table numbered by rowid took 38 s).
    await store.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${fileValue(store, file)} AS file, NULL::INTEGER AS line, ${fields.join(', ')}
      FROM read_csv(${lit(file)}, columns = {${cols}}, header = false, skip = 1, delim = ${lit(delim)}, quote = '', escape = '', auto_detect = false,
        ${newLine}strict_mode = true, null_padding = false, store_rejects = true, rejects_table = '${rej}', rejects_scan = '${rejScan}', max_line_size = 16777216)`);
    await store.exec(`UPDATE ${table} SET line = (rowid + 2)::INTEGER`);
    const read = Number(await store.scalar(`SELECT count(*) FROM ${table}`));
    const rejected = Number(await store.scalar(`SELECT count(*) FROM ${rej}`));
    ok = rejected === 0 && read === scan.lines - 1;
  } catch {
    ok = false;
  } finally {
    await store.exec(`DROP TABLE IF EXISTS ${rej}; DROP TABLE IF EXISTS ${rejScan}`);
    if (!ok) await store.exec(`DROP TABLE IF EXISTS ${table}`);
  }
  return ok;
}
