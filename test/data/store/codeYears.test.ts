/**
 * Codes checked against the code list of each row's census year (codeYears.ts): the years a code is
 * valid in come from codes.ts CIN_CODE_LISTS, and an extract with codes of a later or earlier year
 * (test/data/bad-extracts-extra/code_wrong_census_year) gives one finding per code at its line, with the
 * value dropped from the tables, while the same codes in their own years pass.
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import fs from 'node:fs';
import { loadTables } from '../helpers';
import { validCensusYears, inYearList, anyYearCodes } from '../../../src/data/store/codeYears';
import { CIN_CODE_LISTS, cinSchemaYearFor } from '../../../src/data/codes';
import { Store } from '../../../src/data/store/db';
import os from 'node:os';

const CASE = path.resolve(__dirname, '../bad-extracts-extra/code_wrong_census_year');

describe('validCensusYears', () => {
  it('reads the census years a code is valid in from the schema years that list it', () => {
    expect(validCensusYears('referralSource', '5D')).toBe('in census years 2024 on');
    expect(validCensusYears('closureReason', 'RC9')).toBe('in census years 2024 on');
    expect(validCensusYears('factors', '24A')).toBe('in census years 2022 on');
    expect(validCensusYears('factors', '18B')).toBe('in census years 2021 on');
    expect(validCensusYears('factors', '18A')).toBe('in census years to 2020');
    expect(validCensusYears('factors', '16A')).toBe('in every census year');
    expect(validCensusYears('factors', '8A')).toBe('in no census year (no CIN schema held lists it)');
  });
});

describe('inYearList', () => {
  it('agrees with CIN_CODE_LISTS of cinSchemaYearFor(year) for every code and census year 2012-2030', async () => {
    const s = await Store.open(':memory:');
    try {
      for (const key of ['referralSource', 'closureReason', 'factors'] as const) {
        const codes = [...anyYearCodes(key), '8A'];
        const got = await s.rows(`SELECT cy, code, ${inYearList(key, 'cy', 'code')} AS ok
          FROM range(2012, 2031) t(cy), unnest([${codes.map((c) => `'${c}'`).join(', ')}]) u(code) ORDER BY cy, code`);
        for (const r of got) expect(r.ok, `${key} ${r.code} ${r.cy}`).toBe(CIN_CODE_LISTS[cinSchemaYearFor(Number(r.cy)).schemaYear][key].includes(String(r.code)));
      }
    } finally { s.close(); }
  });
});

describe('an extract with codes of another census year', () => {
  it('names file, line, field, value and valid years for each code outside its row\'s year; the same codes in their own years pass', async () => {
    const d = await loadTables({ kind: 'extracts', files: { cin: path.join(CASE, 'cin.csv') }, censusYears: [2019, 2024] } as never, { store: ':memory:' });
    const hits = (d.exclusions.objects() as Array<Record<string, unknown>>).filter((r) => r.rule === 'code_list_schema_year');
    expect(hits.map((r) => [path.basename(String(r.file)), r.row, r.field, r.value, r.action])).toEqual([
      ['cin.csv', 2, 'referral_source', '5D', 'value_dropped'],
      ['cin.csv', 4, 'factors', '24A', 'value_dropped'],
      ['cin.csv', 6, 'closure_reason', 'RC9', 'value_dropped'],
      ['cin.csv', 6, 'factors', '18A', 'value_dropped'],
    ]);
    expect(String(hits[0].message)).toBe("referral source '5D' is not in the code list of census year 2020 (CIN schema 2017); it is valid in census years 2024 on: the value is dropped, the row kept");
    expect(String(hits[3].message)).toMatch(/assessment factor code '18A' is not in the code list of census year 2021 \(CIN schema 2021\); it is valid in census years to 2020/);
    // nothing else fires on the valid rows, and every row is analysed (the values dropped, not the rows)
    expect(d.exclusions.numRows()).toBe(4);
    expect(d.warnings.objects().filter((r) => (r as Record<string, unknown>).rule === 'code_list')).toEqual([]);
    const cin = Object.fromEntries((d.cin.objects() as Array<Record<string, unknown>>).map((r) => [r.child_id, r]));
    expect([cin.C1.referral_source, cin.C2.referral_source, cin.C5.closure_reason, cin.C6.closure_reason]).toEqual([null, '5D', null, 'RC9']);
    const fac = Object.fromEntries((d.assessments.objects() as Array<Record<string, unknown>>).map((r) => [r.child_id, r.factors]));
    expect(fac).toMatchObject({ C3: '16A', C4: '24A;16A', C5: '', C6: '18C', C7: '18A' });
    expect(d.dataFlow).toEqual([expect.objectContaining({ rows_read: 7, rows_analysed: 7, rows_excluded: 0 })]);
    expect(fs.readFileSync(path.join(CASE, 'cin.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(8);
  });

  it('a Parquet copy of the extract gives the same findings, at its row numbers (CSV line n is Parquet row n - 1)', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-codeyears-'));
    try {
      const pq = path.join(tmp, 'cin.parquet');
      const s = await Store.open(':memory:');
      await s.exec(`COPY (SELECT * FROM read_csv('${path.join(CASE, 'cin.csv')}', all_varchar = true, header = true)) TO '${pq}' (FORMAT parquet)`);
      s.close();
      const d = await loadTables({ kind: 'extracts', files: { cin: pq }, censusYears: [2019, 2024] } as never, { store: ':memory:' });
      const hits = (d.exclusions.objects() as Array<Record<string, unknown>>).filter((r) => r.rule === 'code_list_schema_year');
      expect(hits.map((r) => [r.row, r.field, r.value, r.action])).toEqual([[1, 'referral_source', '5D', 'value_dropped'], [3, 'factors', '24A', 'value_dropped'],
        [5, 'closure_reason', 'RC9', 'value_dropped'], [5, 'factors', '18A', 'value_dropped']]);
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  });

  it('a factor code no schema lists stays code_list; a known one of another year, in any case, is code_list_schema_year', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-codeyears-'));
    try {
      const [head, row] = fs.readFileSync(path.join(CASE, 'cin.csv'), 'utf8').split('\n');
      fs.writeFileSync(path.join(tmp, 'cin.csv'), `${head}\n${row.replace(',16A,', ',99Z;24a;16A,').replace(',5D,', ',2A,')}\n`);
      const d = await loadTables({ kind: 'extracts', files: { cin: path.join(tmp, 'cin.csv') }, censusYears: [2019, 2024] } as never, { store: ':memory:' });
      const hits = (d.exclusions.objects() as Array<Record<string, unknown>>).map((r) => [r.row, r.field, r.value, r.rule, r.action]);
      expect(hits).toEqual([[2, 'factors', '99Z', 'code_list', 'value_dropped'], [2, 'factors', '24a', 'code_list_schema_year', 'value_dropped']]);
      expect(d.assessments.array('factors')).toEqual(['16A']);
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  });
});
