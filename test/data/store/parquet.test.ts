/**
 * Parquet extracts load the same as the CSV they were written from: same episodes, same exclusions
 * (by row position), and the rows read equal the row count in the Parquet metadata. A typed DATE
 * column arrives as ISO text.
 */
import { loadTables } from '../helpers';
import type { LoadedData } from '../helpers';
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadStudyData } from '../../../src/data';
import { Store } from '../../../src/data/store/db';

const src = path.resolve(__dirname, '../bad-extracts-extra/census_year_before_window');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-parquet-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function toParquet(csv: string, out: string, dateColumns: string[] = []): Promise<void> {
  const s = await Store.open(':memory:');
  const replace = dateColumns.length ? ` REPLACE (${dateColumns.map((c) => `TRY_CAST(${c} AS DATE) AS ${c}`).join(', ')})` : '';
  await s.exec(`COPY (SELECT *${replace} FROM read_csv('${csv}', all_varchar = true, header = true, auto_detect = true)) TO '${out}' (FORMAT parquet)`);
  s.close();
}

describe('Parquet sources', () => {
  it('a Parquet copy of a CSV extract gives the same episodes and exclusions', async () => {
    const pq = path.join(tmp, 'cin.parquet');
    await toParquet(path.join(src, 'cin.csv'), pq);
    const a = await loadTables({ kind: 'extracts', files: { cin: path.join(src, 'cin.csv') }, censusYears: [2016, 2021] }, { store: ':memory:' });
    const b = await loadTables({ kind: 'extracts', files: { cin: pq }, censusYears: [2016, 2021] }, { store: ':memory:' });
    expect(b.cin.array('episode_id')).toEqual(a.cin.array('episode_id'));
    expect(b.cin.array('closure_date')).toEqual(a.cin.array('closure_date'));
    // CSV line n is Parquet row n - 1 (no header line)
    expect((b.exclusions.array('row') as number[]).map((r) => r + 1)).toEqual(a.exclusions.array('row'));
    expect(b.dataFlow[0]).toMatchObject({ rows_read: a.dataFlow[0].rows_read, rows_excluded: a.dataFlow[0].rows_excluded, rows_analysed: a.dataFlow[0].rows_analysed });
  });
  it('typed DATE columns arrive as ISO dates', async () => {
    const pq = path.join(tmp, 'cin-dates.parquet');
    await toParquet(path.join(src, 'cin.csv'), pq, ['CIN_CINreferralDate', 'CIN_CINclosureDate']);
    const b = await loadTables({ kind: 'extracts', files: { cin: pq }, censusYears: [2016, 2021] }, { store: ':memory:' });
    expect(b.cin.numRows()).toBeGreaterThan(0);
    expect((b.cin.array('referral_date') as string[]).every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
  });
  it('a fault on the first Parquet row (row 1: no header line to skip) is excluded and counted, and a date with a time of day is refused by name', async () => {
    // the same kind as date_with_time and census_year_future, at the one position a Parquet file has that a CSV has not
    const pq = path.join(tmp, 'cin-first-row.parquet');
    const s = await Store.open(':memory:');
    await s.exec(`COPY (SELECT * EXCLUDE (rn) REPLACE (CASE WHEN rn = 1 THEN CIN_CINreferralDate || 'T01:30:00' ELSE CIN_CINreferralDate END AS CIN_CINreferralDate)
      FROM (SELECT *, row_number() OVER () AS rn FROM read_csv('${path.join(src, 'cin.csv')}', all_varchar = true, header = true))) TO '${pq}' (FORMAT parquet)`);
    s.close();
    const b = await loadTables({ kind: 'extracts', files: { cin: pq }, censusYears: [2016, 2021] }, { store: ':memory:' });
    const first = (b.exclusions.objects() as Array<Record<string, unknown>>).filter((r) => r.row === 1);
    expect(first.map((r) => [r.field, r.rule])).toContainEqual(['referral_date', 'date_format']);
    expect(String(first.find((r) => r.field === 'referral_date')?.message)).toMatch(/01:30:00.*time of day/);
    const f = b.dataFlow[0];
    expect(f.rows_read).toBe(f.rows_analysed + f.rows_excluded + f.duplicates_merged);
    expect(f.rows_excluded).toBe(new Set(b.exclusions.filter((r: { action: string }) => r.action === 'excluded').array('row') as number[]).size);
  });
  it('whole numbers stored as floating point or DECIMAL (pandas float64 with NaN) read as integers; a fraction and NaN are refused by the rules, not read (kind: census_year_future, flags_layout_odd_values in Parquet)', async () => {
    const pq = path.join(tmp, 'cin-float.parquet');
    const s = await Store.open(':memory:');
    await s.exec(`COPY (SELECT * EXCLUDE (rn) REPLACE (
        CASE WHEN rn = 3 THEN 2017.5 ELSE TRY_CAST(CIN_AcademicYear AS DOUBLE) END AS CIN_AcademicYear,
        CASE WHEN rn = 4 THEN 'NaN'::DOUBLE ELSE TRY_CAST(CIN_IDACI_Decile AS DOUBLE) END AS CIN_IDACI_Decile,
        TRY_CAST(CIN_YearOfBirth AS DECIMAL(6, 1)) AS CIN_YearOfBirth)
      FROM (SELECT *, row_number() OVER () AS rn FROM read_csv('${path.join(src, 'cin.csv')}', all_varchar = true, header = true))) TO '${pq}' (FORMAT parquet)`);
    s.close();
    const a = await loadTables({ kind: 'extracts', files: { cin: path.join(src, 'cin.csv') }, censusYears: [2016, 2021] }, { store: ':memory:' });
    const b = await loadTables({ kind: 'extracts', files: { cin: pq }, censusYears: [2016, 2021] }, { store: ':memory:' });
    const ex = (b.exclusions.objects() as Array<Record<string, unknown>>).map((r) => [r.row, r.field, r.value, r.action]);
    // CSV exclusions (line n = Parquet row n - 1), plus the two planted faults
    expect(ex).toEqual(expect.arrayContaining([[3, 'census_year', '2017.5', 'excluded'], [4, 'idaci_decile', 'nan', 'value_dropped']]));
    expect(ex.length).toBe(a.exclusions.numRows() + 2);
    expect(b.cin.numRows()).toBeGreaterThan(0);
    // the integers came through as years: the census years of the episodes, as from the CSV
    const years = Array.from(b.cin.array('last_census_year') as ArrayLike<number>);
    expect(years.every((y) => Number.isInteger(y) && y >= 2016 && y <= 2021)).toBe(true);
    // at most the one episode whose only copy was on row 3 is gone
    expect(b.cin.numRows()).toBeGreaterThanOrEqual(a.cin.numRows() - 1);
    const f = b.dataFlow[0];
    expect(f.rows_read).toBe(f.rows_analysed + f.rows_excluded + f.duplicates_merged);
  });
});

