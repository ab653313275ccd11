/**
 * Parquet extracts into the store: the same staged layout as CSV (file, line, one VARCHAR column per
 * canonical field), read with DuckDB's read_parquet. `line` is the row's position in the file
 * (file_row_number + 1: Parquet has no lines); the independent count is the row count in the file's
 * own metadata. Typed Parquet dates arrive as ISO text, so the declared date format must be YYYY-MM-DD
 * for them (text columns keep whatever format they were written in, and the date rules apply).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DataError } from '../errors';
import { Store, lit, ident, fileValue } from './db';
import { addFinding } from './findings';
import type { CsvIngestSpec, CsvIngestResult } from './csv';

/** a Parquet extract (told by its extension), not a CSV */
export function isParquet(file: string): boolean {
  return /\.parquet$/i.test(file);
}

export async function ingestParquet(store: Store, spec: CsvIngestSpec): Promise<CsvIngestResult> {
  const { file, what, source } = spec;
  if (!fs.existsSync(file)) throw new DataError(`${what} not found: expected a file at ${file}`, { file });
  const metaRows = Number(await store.scalar(`SELECT sum(num_rows) FROM parquet_file_metadata(${lit(file)})`));
  const schema = await store.columns(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`);
  const header = schema.column_name as string[];
  const types = new Map(header.map((h, i) => [h, String(schema.column_type[i])]));
  const present = new Set<string>();
  const missingReq: string[] = [];
  for (const [field, col] of Object.entries(spec.columns)) {
    if (types.has(col)) { present.add(field); continue; }
    if (spec.required.includes(field)) missingReq.push(`'${col}' (field ${field})`);
    else if (!spec.silent?.includes(field)) {
      await addFinding(store, { source, file, line: null, field: col, value: '', rule: 'missing_optional_column', action: 'warning',
        message: `mapped column '${col}' (${field}) not found in ${path.basename(file)}: ${spec.consequences?.[field] ?? `${field} is missing for every row`}` });
    }
  }
  if (missingReq.length) throw new DataError(`${what}: required column${missingReq.length > 1 ? 's' : ''} ${missingReq.join(', ')} not found; columns present: ${header.join(', ')}`, { file });
  const asText = (col: string): string => {
    const t = types.get(col) ?? '';
    if (t === 'DATE') return `strftime(${ident(col)}, '%Y-%m-%d')`;
    if (t.startsWith('TIMESTAMP')) return `CAST(${ident(col)} AS VARCHAR)`; // a time part: refused by the date rules, not cut silently
    // a whole number stored as floating point (pandas writes an integer column holding NaN as float64): its integer text, 2017 not
    // '2017.0' (which the year, flag and code rules would all refuse); a fractional value keeps its fraction and meets the rules as it is
    if (t === 'DOUBLE' || t === 'FLOAT' || t.startsWith('DECIMAL')) return `CASE WHEN isfinite(${ident(col)}::DOUBLE) AND ${ident(col)} = trunc(${ident(col)}) AND abs(${ident(col)}) < 1e15 THEN CAST(CAST(${ident(col)} AS BIGINT) AS VARCHAR) ELSE CAST(${ident(col)} AS VARCHAR) END`;
    return `trim(CAST(${ident(col)} AS VARCHAR))`;
  };
  const cols = Object.entries(spec.columns).map(([field, col]) => (types.has(col) ? `${asText(col)} AS ${ident(field)}` : `NULL::VARCHAR AS ${ident(field)}`));
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${spec.table} AS SELECT ${fileValue(store, file)} AS file, (file_row_number + 1)::INTEGER AS line, ${cols.join(', ')}
    FROM read_parquet(${lit(file)}, file_row_number = true)`);
  const rowsRead = Number(await store.scalar(`SELECT count(*) FROM ${spec.table}`));
  if (rowsRead !== metaRows) throw new DataError(`${what}: accounting identity broken: the Parquet metadata says ${metaRows} rows but ${rowsRead} were read`, { file });
  // rowsRead + 1 plays the part of the physical lines (there is no header line to subtract)
  return { scan: { lines: metaRows + 1, newline: '\n', bom: false, bytes: fs.statSync(file).size, mixed: false, uniform: true, counted: -1 }, header, rowsRead, present };
}
