/**
 * Per-file accounting: physical data lines (counted from the bytes) = rows read = rows analysed +
 * rows excluded + duplicates merged, where analysed is counted from the built table, not derived.
 * A broken identity is a DataError, never a quiet number.
 */
import { DataError } from '../errors';
import { Store, lit } from './db';
import type { DataFlowRow } from '../types';

export interface IngestedFile { source: string; file: string; physicalDataLines: number; rowsRead: number }

/** table holding the analysed rows of a source, and how its merged duplicates are counted */
const ANALYSED: Record<string, { table: string; fileCol: string; merged: string }> = {
  cin: { table: 'cin', fileCol: '_file', merged: `SELECT count(*) FROM cin_v WHERE rk > 1 AND file = $F` },
  cla: { table: 'cla', fileCol: '_file', merged: `SELECT count(*) FROM cla_v WHERE rk > 1 AND file = $F` },
  ks2: { table: 'ks2', fileCol: '_file', merged: `SELECT count(*) FROM ks2_v WHERE rk > 1 AND file = $F` },
  ks4: { table: 'ks4', fileCol: '_file', merged: `SELECT count(*) FROM ks4_v WHERE rk > 1 AND file = $F` },
  pupils: { table: 'pupils', fileCol: '_file', merged: `SELECT count(*) FROM pupils_v WHERE rk > 1 AND file = $F` },
};

export async function dataFlow(store: Store, files: IngestedFile[]): Promise<DataFlowRow[]> {
  const out: DataFlowRow[] = [];
  for (const f of files) {
    const F = lit(f.file);
    const a = ANALYSED[f.source];
    if (f.rowsRead !== f.physicalDataLines) {
      throw new DataError(`accounting identity broken for ${f.source}: ${f.physicalDataLines} physical data lines but ${f.rowsRead} rows read`, { file: f.file });
    }
    const excluded = Number(await store.scalar(`SELECT count(DISTINCT line) FROM findings WHERE source = ${lit(f.source)} AND file = ${F} AND action = 'excluded' AND line > 1`));
    const merged = Number(await store.scalar(a.merged.replace('$F', F)));
    const analysed = Number(await store.scalar(`SELECT count(*) FROM ${a.table} WHERE ${a.fileCol} = ${F}`));
    if (analysed + excluded + merged !== f.rowsRead) {
      throw new DataError(`accounting identity broken for ${f.source}: rows read ${f.rowsRead} != analysed ${analysed} + excluded ${excluded} + duplicates merged ${merged}`, { file: f.file });
    }
    out.push({ source: f.source, file: f.file, rows_read: f.rowsRead, duplicates_merged: merged, rows_excluded: excluded, rows_analysed: analysed });
  }
  return out;
}
