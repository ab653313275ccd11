/**
 * Per-file accounting: physical data lines (counted from the bytes) = rows read = rows analysed +
 * rows excluded + duplicates merged, where analysed is counted from the built table, not derived.
 * A broken identity is a DataError, never a quiet number.
 */
import { DataError } from '../errors';
import { Store, lit } from './db';
import type { DataFlowRow } from '../types';
import { isParquet } from './parquet';

export interface IngestedFile {
  source: string; file: string; physicalDataLines: number; rowsRead: number;
  /** records a reader (XML / SSDA903) excluded or merged before the store saw them */
  readerExcluded?: number; readerMerged?: number;
  /** what a record is: physical lines (CSV) or episodes (XML, where physical lines are not records) */
  unit?: 'lines' | 'episodes';
  /** analysed count given by the reader, for files with no table of their own (the SSDA903 header) */
  analysed?: number;
}

/** table holding the analysed rows of a source, and how its merged duplicates are counted */
const ANALYSED: Record<string, { table: string; fileCol: string; merged: string }> = {
  cin: { table: 'cin', fileCol: '_file', merged: `SELECT count(DISTINCT line) FROM cin_v WHERE rk > 1 AND file = $F` },
  cla: { table: 'cla', fileCol: '_file', merged: `SELECT count(*) FROM cla_v WHERE rk > 1 AND file = $F` },
  'ssda903-header': undefined as unknown as { table: string; fileCol: string; merged: string },
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
    if (!a) {
      const excluded = f.readerExcluded ?? 0, merged = f.readerMerged ?? 0, analysed = f.analysed ?? 0;
      if (analysed + excluded + merged !== f.rowsRead) throw new DataError(`accounting identity broken for ${f.source}: rows read ${f.rowsRead} != analysed ${analysed} + excluded ${excluded} + merged ${merged}`, { file: f.file });
      out.push({ source: f.source, file: f.file, rows_read: f.rowsRead, duplicates_merged: merged, rows_excluded: excluded, rows_analysed: analysed });
      continue;
    }
    // line 1 of a CSV is its header; XML episodes and Parquet rows (parquet.ts: line = row number, from 1) have none
    const firstRecord = f.unit === 'episodes' || isParquet(f.file) ? 1 : 2;
    const excluded = (f.readerExcluded ?? 0) + Number(await store.scalar(`SELECT count(DISTINCT line) FROM findings WHERE source = ${lit(f.source)} AND file = ${F} AND action = 'excluded' AND line >= ${firstRecord}`));
    const merged = (f.readerMerged ?? 0) + Number(await store.scalar(a.merged.replace('$F', F)));
    const analysed = Number(await store.scalar(`SELECT count(*) FROM ${a.table} WHERE ${a.fileCol} = ${F}`));
    if (analysed + excluded + merged !== f.rowsRead) {
      throw new DataError(`accounting identity broken for ${f.source}: rows read ${f.rowsRead} != analysed ${analysed} + excluded ${excluded} + duplicates merged ${merged}`, { file: f.file });
    }
    out.push({ source: f.source, file: f.file, rows_read: f.rowsRead, duplicates_merged: merged, rows_excluded: excluded, rows_analysed: analysed });
  }
  return out;
}
