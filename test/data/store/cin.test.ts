/**
 * The CIN rules (checkCin) and the episode build (buildCin) on a hand-made staged table: values a rule
 * drops are NULL in the typed copies (cin_v), dates are read in the declared format, excluded rows never
 * reach the tables, and the latest census copy of an episode wins.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { loadStudyData } from '../../../src/data';
import { tempFileWriter, cleanExtract, expectBalanced, extractSource, loadTables } from '../helpers';
import { Store, lit } from '../../../src/data/store/db';
import { createFindings } from '../../../src/data/store/findings';
import { createMacros } from '../../../src/data/store/sql';
import { checkCin, buildCin, CIN_FIELDS } from '../../../src/data/store/cin';

type Row = { line: number } & Record<string, string | number>;

async function staged(rows: Row[]): Promise<Store> {
  const s = await Store.open(':memory:');
  await createFindings(s);
  await createMacros(s, 'YYYY-MM-DD');
  const values = rows.map((r) => `('cin.csv', ${r.line}, 1, ${CIN_FIELDS.map((f) => lit(String(r[f] ?? ''))).join(', ')})`);
  await s.exec(`CREATE TEMP TABLE raw_cin AS SELECT * FROM (VALUES ${values.join(', ')}) v(file, line, part, ${CIN_FIELDS.join(', ')})`);
  // buildCin looks for care starts in cla
  await s.exec(`CREATE TEMP TABLE cla (la VARCHAR, child_id VARCHAR, _decom DATE)`);
  return s;
}

const base = { census_year: '2020', la: 'LA1', child_id: 'C1', sex: '1', referral_date: '2019-06-01', closure_date: '2019-12-01' };

describe('checkCin', () => {
  it('a closure-date column present but blank on every row of a file is a warning naming the field (kind: missing_optional_column, column there but empty); one closed episode silences it', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ line: i + 2, ...base, child_id: `C${i}`, closure_date: '', pmr: `P${i}`, assessment_date: '2019-06-05' }));
    const s = await staged(rows);
    try {
      await checkCin(s, { censusYears: [2018, 2021] });
      const f = await s.rows(`SELECT file, line, field, rule, action, message FROM findings`);
      expect(f.map((r) => [r.file, r.line, r.field, r.rule, r.action])).toEqual([['cin.csv', null, 'closure_date', 'blank_column', 'warning']]);
      expect(String(f[0].message)).toMatch(/blank on every row of cin\.csv: every episode would look open/);
    } finally { s.close(); }
    const s2 = await staged(rows.map((r, i) => (i === 9 ? { ...r, closure_date: '2019-12-01' } : r)));
    try {
      await checkCin(s2, { censusYears: [2018, 2021] });
      expect(await s2.rows(`SELECT rule FROM findings`)).toEqual([]);
    } finally { s2.close(); }
  });

  it('a census year not yet reached is excluded even when the row\'s dates are typed as wrongly, so it cannot move the end of follow-up (kind: census_year_future)', async () => {
    const write = tempFileWriter('csc-cin-future-');
    const [head, ...rows] = cleanExtract().cin.trimEnd().split('\n');
    // line 8 (the only census 2021 row): census year and every date typed 2098/2099
    rows[6] = rows[6].replace(/^2021,/, '2099,').replace(/2021-03-/g, '2098-06-');
    expect(rows[6]).toMatch(/^2099,.*2098-06-18/);
    const d = await loadTables(extractSource(write, 'future', { cin: [head, ...rows].join('\n') + '\n' }), { store: ':memory:' });
    const e = (d.exclusions.objects() as Array<Record<string, unknown>>).filter((r) => r.rule === 'census_year_window');
    expect(e.map((r) => [path.basename(String(r.file)), r.row, r.field, r.value])).toEqual([['cin.csv', 8, 'census_year', '2099']]);
    expect(String(e[0].message)).toMatch(/census year 2099 has not happened yet/);
    // the end of follow-up comes from the census years that passed: 2019, not 2099; so no pupil is aged 90 at the end of data
    expect(d.endOfData).toBe('2019-03-31');
    expect((d.exclusions.objects() as Array<Record<string, unknown>>).filter((r) => r.source === 'pupils')).toEqual([]);
    expectBalanced(d);
  });

  it('an end (or later step) after the episode closed is a date-order warning naming the field; a CPP end with no start is dropped, said (kind: cpp_end_before_start)', async () => {
    const s = await staged([
      { line: 2, ...base, cpp_start: '2019-07-01', cpp_end: '2020-01-10', cin_plan_start: '2019-06-10', cin_plan_end: '2019-12-02' },
      { line: 3, ...base, child_id: 'C2', assessment_date: '2019-06-02', authorisation_date: '2019-12-20', s47_date: '2019-06-03', icpc_date: '2019-12-05' },
      { line: 4, ...base, child_id: 'C3', cpp_end: '2019-10-01', cin_plan_end: '2019-10-01' },
      // closure on the last day: no finding
      { line: 5, ...base, child_id: 'C4', cpp_start: '2019-07-01', cpp_end: '2019-12-01', authorisation_date: '2019-12-01', assessment_date: '2019-06-02' },
    ]);
    try {
      await checkCin(s, { censusYears: [2018, 2021] });
      const f = await s.rows(`SELECT line, field, rule, action, message FROM findings ORDER BY line, field`);
      expect(f.map((r) => [r.line, r.field, r.rule, r.action])).toEqual([
        [2, 'cin_plan_end', 'date_order', 'warning'], [2, 'cpp_end', 'date_order', 'warning'],
        [3, 'authorisation_date', 'date_order', 'warning'], [3, 'icpc_date', 'date_order', 'warning'],
        [4, 'cin_plan_end', 'missing_date', 'warning'], [4, 'cpp_end', 'missing_date', 'value_dropped'],
      ]);
      expect(String(f[1].message)).toMatch(/CPP end date 2020-01-10 is after the episode closed \(2019-12-01\)/);
      await buildCin(s, '2021-03-31');
      expect(await s.rows(`SELECT child_id, cpp_end FROM cpp ORDER BY child_id`)).toEqual([{ child_id: 'C1', cpp_end: '2020-01-10' }, { child_id: 'C4', cpp_end: '2019-12-01' }]);
    } finally { s.close(); }
  });

  it('a 2024/25 XML return with <Sex>X</Sex> or an old-list <Sex>1</Sex>: the reader names the code, the exclusion names the child and why sex is blank (kind: xml_2025_sex_element)', async () => {
    const write = tempFileWriter('csc-cin-sex-');
    const x = fs.readFileSync(path.resolve(__dirname, '../../../../shared/bad-extracts/xml_2025_sex_element/r2025.xml'), 'utf8');
    for (const code of ['X', '1']) {
      const d = await loadStudyData({ kind: 'cin-xml', files: [write(`${code}/r2025.xml`, x.replace('<Sex>M</Sex>', `<Sex>${code}</Sex>`))], endOfData: '2025-03-31' }, { store: ':memory:' });
      // the reader drops the code (value_dropped, with the exclusions), then the store excludes the episode for want of a sex
      const w = (d.exclusions.objects() as Array<Record<string, unknown>>).filter((r) => r.field === 'ChildIdentifiers/Sex');
      expect(w.map((r) => [r.value, r.child_id, r.row, r.action])).toEqual([[code, 'T25A002', 51, 'value_dropped']]);
      const e = (d.exclusions.objects() as Array<Record<string, unknown>>).filter((r) => r.action === 'excluded');
      expect(e.map((r) => [r.field, r.rule, r.child_id])).toEqual([['sex', 'missing_required', 'T25A002']]);
      expect(String(e[0].message)).toMatch(/T25A002 has no usable sex .*outside the return's code list/);
      expect(String(e[0].message)).not.toMatch(/code ''/);
      expect(d.dataFlow[0]).toMatchObject({ rows_read: 2, rows_analysed: 1, rows_excluded: 1 });
    }
  });

  it('a year of birth with no month, after the referral, is an impossible age naming the year (kind: age_200); a blank sex is named missing, not a bad code \'\'', async () => {
    const s = await staged([
      { line: 2, ...base, birth_year: '2022', birth_month: '' },
      { line: 3, ...base, child_id: 'C2', birth_year: '2009', birth_month: '' },
      { line: 4, ...base, child_id: 'C3', sex: '' },
    ]);
    try {
      await checkCin(s, { censusYears: [2018, 2021] });
      const f = await s.rows(`SELECT line, field, value, rule, action, message FROM findings ORDER BY line`);
      expect(f.map((r) => [r.line, r.field, r.value, r.rule, r.action])).toEqual([[2, 'dob', '2022', 'impossible_age', 'excluded'], [4, 'sex', '', 'missing_required', 'excluded']]);
      expect(String(f[0].message)).toMatch(/born 2022, after the referral 2019-06-01/);
      expect(String(f[1].message)).toMatch(/sex \(gender\) is blank; it is required/);
    } finally { s.close(); }
  });

  it('typed copies: dates as DATE, codes checked (NULL when not in the list), a sub-record outside its episode NULL', async () => {
    const s = await staged([
      { line: 2, ...base, ethnicity: 'wbri', assessment_date: '2018-01-01', authorisation_date: '2018-01-10', cpp_start: '2019-07-01', cpp_initial_category: 'XXX',
        cpp_latest_category: 'neg', idaci_decile: '3', n_previous_cpp: '2', referral_nfa: 'FALSE', factors: '2b; 2B;zz' },
      { line: 3, ...base, child_id: 'C2', referral_date: '01/06/2019' },
    ]);
    try {
      await checkCin(s, { censusYears: [2018, 2021] });
      await buildCin(s, '2021-03-31');
      const r = await s.rows(`SELECT line, cy::INTEGER AS cy, CAST(d_referral_date AS VARCHAR) AS ref, d_assessment_date, d_authorisation_date, CAST(d_cpp_start AS VARCHAR) AS cpp,
        eth_ok, ic_ok, lc_ok, idaci_ok, prev_ok, nfa_ok, fac_ok FROM cin_v ORDER BY line`);
      // the excluded row (referral date in another format) is not a copy of any episode
      expect(r).toHaveLength(1);
      expect(r[0]).toEqual({ line: 2, cy: 2020, ref: '2019-06-01', d_assessment_date: null, d_authorisation_date: null, cpp: '2019-07-01',
        eth_ok: 'WBRI', ic_ok: null, lc_ok: 'NEG', idaci_ok: 3, prev_ok: 2, nfa_ok: false, fac_ok: '2B' });
      expect(Number(await s.scalar(`SELECT count(*) FROM cin WHERE child_id = 'C2'`))).toBe(0);
      const f = await s.rows(`SELECT line, field, rule, action FROM findings ORDER BY line, rule, field`);
      expect(f).toContainEqual({ line: 2, field: 'assessment_date', rule: 'date_outside_episode', action: 'value_dropped' });
      expect(f).toContainEqual({ line: 2, field: 'cpp_initial_category', rule: 'code_list', action: 'value_dropped' });
      expect(f).toContainEqual({ line: 3, field: 'referral_date', rule: 'date_format', action: 'excluded' });
    } finally { s.close(); }
  });
});

describe('buildCin', () => {
  it('one episode from its census copies (the latest census year wins, the older copy is merged), excluded rows left out', async () => {
    const s = await staged([
      // referred in census year 2019 (to March 2019), open then; closed in the 2020 return
      { line: 2, ...base, referral_date: '2019-02-01', census_year: '2019', closure_date: '' },
      { line: 3, ...base, referral_date: '2019-02-01', census_year: '2020', primary_need: 'N1' },
      { line: 4, ...base, child_id: 'C2', sex: '7' },
    ]);
    try {
      await checkCin(s, {});
      await buildCin(s, '2021-03-31');
      const cin = await s.rows(`SELECT episode_id, closure_date, primary_need, first_census_year, last_census_year, source_row FROM cin`);
      expect(cin).toEqual([{ episode_id: 'LA1|C1|2019-02-01', closure_date: '2019-12-01', primary_need: 'N1', first_census_year: 2019, last_census_year: 2020, source_row: 3 }]);
      expect(await s.rows(`SELECT line, rk FROM cin_v ORDER BY line`)).toEqual([{ line: 2, rk: 2 }, { line: 3, rk: 1 }]);
    } finally { s.close(); }
  });
});

describe('buildCin: checks that run only when something can fire', () => {
  it('an excluded later census copy leaves the episode on the older copy, said; two S47 enquiries of one episode are named; with neither, neither finding', async () => {
    const rows: Row[] = [
      // census 2019 copy kept; the census 2020 copy excluded (a bad sex code), so the episode rests on the 2019 copy
      { line: 2, ...base, referral_date: '2019-02-01', census_year: '2019', closure_date: '' },
      { line: 3, ...base, referral_date: '2019-02-01', census_year: '2020', sex: '7' },
      // one episode with two S47 enquiries (two copies in one census year)
      { line: 4, ...base, child_id: 'C2', s47_date: '2019-06-03' },
      { line: 5, ...base, child_id: 'C2', s47_date: '2019-07-03' },
    ];
    const s = await staged(rows);
    try {
      await checkCin(s, {});
      await buildCin(s, '2021-03-31');
      const f = await s.rows(`SELECT line, rule FROM findings WHERE rule IN ('episode_rests_on_older_copy', 'multiple_s47') ORDER BY line`);
      expect(f).toEqual([{ line: 3, rule: 'episode_rests_on_older_copy' }, { line: 5, rule: 'multiple_s47' }]);
    } finally { s.close(); }
    const clean = await staged([rows[0], { ...rows[1], sex: '1' }, rows[2]]);
    try {
      await checkCin(clean, {});
      await buildCin(clean, '2021-03-31');
      expect(await clean.rows(`SELECT line, rule FROM findings WHERE rule IN ('episode_rests_on_older_copy', 'multiple_s47')`)).toEqual([]);
    } finally { clean.close(); }
  });
});

describe('buildCin: copies of one episode in two files (kind: duplicate_conflicting across files)', () => {
  const write = tempFileWriter('csc-cin-twofiles-');
  it('CSV: the same episode in two files of one census year with another primary need names both files and lines, and which copy is used', async () => {
    const [head, ...rows] = cleanExtract().cin.trimEnd().split('\n');
    const line8 = rows[6];
    expect(line8).toMatch(/^2021,LA103,C000000020,.*,N1,/);
    const cin = write('csv/cin_2021.csv', [head, ...rows].join('\n') + '\n');
    const resub = write('csv/cin_2021_resubmitted.csv', head + '\n' + line8.replace(',N1,', ',N4,') + '\n');
    const d = await loadStudyData({ kind: 'extracts', files: { cin: [cin, resub] }, endOfData: '2021-03-31' }, { store: ':memory:' });
    const w = (d.warnings.objects() as Array<Record<string, unknown>>).filter((r) => r.rule === 'conflicting_copies');
    expect(w.map((r) => [path.basename(String(r.file)), r.row, r.field, r.value])).toEqual([['cin_2021.csv', 8, 'primary_need', 'N1 vs N4']]);
    expect(String(w[0].message)).toMatch(/\(cin_2021\.csv line 8: 'N1', cin_2021_resubmitted\.csv line 2: 'N4'\).*copy in the later file by name \(cin_2021_resubmitted\.csv line 2\) is used/);
    expectBalanced(d);
  });
  it('XML: two returns of one census year, both with the episode on line 56, are told apart by file', async () => {
    const x = fs.readFileSync(path.resolve(__dirname, '../../../../shared/bad-extracts/xml_2025_sex_element/r2025.xml'), 'utf8');
    const a = write('xml/a.xml', x), b = write('xml/b.xml', x.replace('<PrimaryNeedCode>N2</PrimaryNeedCode>', '<PrimaryNeedCode>N5</PrimaryNeedCode>'));
    const d = await loadStudyData({ kind: 'cin-xml', files: [a, b], endOfData: '2025-03-31' }, { store: ':memory:' });
    const w = (d.warnings.objects() as Array<Record<string, unknown>>).filter((r) => r.rule === 'conflicting_copies');
    expect(w.map((r) => [path.basename(String(r.file)), r.row, r.field, r.child_id])).toEqual([['a.xml', 56, 'primary_need', 'T25A002']]);
    expect(String(w[0].message)).toMatch(/a\.xml line 56: 'N2', b\.xml line 56: 'N5'.*\(b\.xml line 56\) is used/);
    expect(d.dataFlow.map((f) => [path.basename(f.file), f.rows_analysed, f.duplicates_merged])).toEqual([['a.xml', 0, 2], ['b.xml', 2, 0]]);
  });
});

