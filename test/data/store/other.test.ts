/**
 * Key stage results, pupils and SSDA903 episodes in the store: identical copies merged, conflicting
 * copies listed naming both lines, the first line used, and excluded lines never counted as a copy.
 */
import { describe, it, expect } from 'vitest';
import { Store, lit } from '../../../src/data/store/db';
import { createFindings } from '../../../src/data/store/findings';
import { createMacros } from '../../../src/data/store/sql';
import { buildKs, buildPupils, buildCla, OTHER_FIELDS } from '../../../src/data/store/other';

async function staged(source: keyof typeof OTHER_FIELDS, rows: Array<{ line: number } & Record<string, string | number>>): Promise<Store> {
  const s = await Store.open(':memory:');
  await createFindings(s);
  await createMacros(s, 'YYYY-MM-DD');
  const fields = OTHER_FIELDS[source];
  const values = rows.map((r) => `('${source}.csv', ${r.line}, ${fields.map((f) => lit(String(r[f] ?? ''))).join(', ')})`);
  await s.exec(`CREATE TEMP TABLE raw_${source} AS SELECT * FROM (VALUES ${values.join(', ')}) v(file, line, ${fields.join(', ')})`);
  return s;
}

describe('buildKs', () => {
  it('merges an identical repeat, lists a conflicting one (first line used), and an excluded line is no copy', async () => {
    const s = await staged('ks2', [
      { line: 2, pmr: 'P1', academic_year: '2019', read_score: '100', maths_score: '101' },
      { line: 3, pmr: 'P1', academic_year: '2019', read_score: '100', maths_score: '101' },
      { line: 4, pmr: 'P2', academic_year: '2019', read_score: '150', maths_score: '99' },
      { line: 5, pmr: 'P2', academic_year: '2019', read_score: '105', maths_score: '99' },
      { line: 6, pmr: 'P2', academic_year: '2019', read_score: '110', maths_score: '99' },
    ]);
    try {
      await buildKs(s, 'ks2');
      // line 4 is out of range (excluded): line 5 is then the first copy of P2 and line 6 conflicts with it
      expect(await s.rows(`SELECT pmr, read_score, source_row FROM ks2 ORDER BY source_row`)).toEqual([
        { pmr: 'P1', read_score: 100, source_row: 2 }, { pmr: 'P2', read_score: 105, source_row: 5 }]);
      expect(await s.rows(`SELECT line, rk::INTEGER AS rk FROM ks2_v ORDER BY line`)).toEqual([{ line: 2, rk: 1 }, { line: 3, rk: 2 }, { line: 5, rk: 1 }, { line: 6, rk: 2 }]);
      const f = await s.rows(`SELECT line, rule, action, message FROM findings ORDER BY line`);
      expect(f.map((x) => [x.line, x.rule, x.action])).toEqual([[4, 'count_range', 'excluded'], [6, 'repeated_result', 'warning']]);
      expect(String(f[1].message)).toMatch(/read_score '110' vs '105'.*line 5 is used, line 6 merged/);
    } finally { s.close(); }
  });
});

describe('buildKs: one pupil, two academic years', () => {
  it('results in two years are both kept and said (repeated_result naming the years); with each pupil once, every rk is 1 and nothing is said', async () => {
    const s = await staged('ks4', [
      { line: 2, pmr: 'P1', academic_year: '2019', att8: '50', p8: '0.1' },
      { line: 3, pmr: 'P2', academic_year: '2019', att8: '40', p8: '0.2' },
      { line: 4, pmr: 'P1', academic_year: '2020', att8: '55', p8: '0.3' },
    ]);
    try {
      await buildKs(s, 'ks4');
      expect(await s.rows(`SELECT pmr, academic_year, source_row FROM ks4 ORDER BY source_row`)).toEqual([
        { pmr: 'P1', academic_year: 2019, source_row: 2 }, { pmr: 'P2', academic_year: 2019, source_row: 3 }, { pmr: 'P1', academic_year: 2020, source_row: 4 }]);
      const f = await s.rows(`SELECT line, rule, message FROM findings ORDER BY line`);
      expect(f.map((x) => [x.line, x.rule])).toEqual([[2, 'repeated_result'], [4, 'repeated_result']]);
      expect(String(f[0].message)).toMatch(/pupil P1 has results in academic years (2019, 2020|2020, 2019)/);
    } finally { s.close(); }
    const once = await staged('ks4', [{ line: 2, pmr: 'P1', academic_year: '2019', att8: '50' }, { line: 3, pmr: 'P2', academic_year: '2019', att8: '40' }]);
    try {
      await buildKs(once, 'ks4');
      expect(await once.rows(`SELECT line, rk::INTEGER AS rk FROM ks4_v ORDER BY line`)).toEqual([{ line: 2, rk: 1 }, { line: 3, rk: 1 }]);
      expect(await once.rows(`SELECT rule FROM findings`)).toEqual([]);
    } finally { once.close(); }
  });
});

describe('buildPupils', () => {
  it('a pupil matching reference on two differing records is listed as shared; one pupil row kept per reference', async () => {
    const s = await staged('pupils', [
      { line: 2, pmr: 'P1', sex: 'F', birth_year: '2008', birth_month: '3' },
      { line: 3, pmr: 'P1', sex: 'M', birth_year: '2008', birth_month: '3' },
      { line: 4, pmr: '', sex: 'M', birth_year: '2008', birth_month: '3' },
    ]);
    try {
      await buildPupils(s, 2021);
      expect(await s.rows(`SELECT pmr, sex, birth_year, source_row FROM pupils`)).toEqual([{ pmr: 'P1', sex: 'F', birth_year: 2008, source_row: 2 }]);
      expect((await s.rows(`SELECT line, rule FROM findings ORDER BY line`)).map((x) => [x.line, x.rule])).toEqual([[3, 'pmr_shared'], [4, 'missing_id']]);
    } finally { s.close(); }
  });
});

describe('buildCla', () => {
  it('one episode per child and start date; DEC before DECOM excluded; an unknown code kept as missing', async () => {
    const s = await staged('cla', [
      { line: 2, la: 'LA1', child_id: 'C1', decom: '2019-01-01', dec: '2019-06-01', ls: 'C2', place: 'ZZZ' },
      { line: 3, la: 'LA1', child_id: 'C1', decom: '2019-01-01', dec: '2019-06-01', ls: 'C2', place: 'ZZZ' },
      { line: 4, la: 'LA1', child_id: 'C2', decom: '2019-01-01', dec: '2018-06-01' },
    ]);
    try {
      await buildCla(s);
      expect(await s.rows(`SELECT child_id, decom, ls, place, source_row FROM cla`)).toEqual([{ child_id: 'C1', decom: '2019-01-01', ls: 'C2', place: null, source_row: 2 }]);
      expect(Number(await s.scalar(`SELECT count(*) FROM cla_v WHERE rk > 1`))).toBe(1);
      expect((await s.rows(`SELECT DISTINCT line, rule FROM findings ORDER BY line`)).map((x) => [x.line, x.rule])).toEqual([[2, 'code_list'], [3, 'code_list'], [4, 'date_order']]);
    } finally { s.close(); }
  });

  it('across a child\'s care episodes: an overlap, two sexes and a PMR on two children are warnings naming line and field (kinds: overlapping_episodes, pmr_two_pupils, child_two_sexes in the CLA extract)', async () => {
    const s = await staged('cla', [
      { line: 2, la: 'LA1', child_id: 'C1', pmr: 'P1', sex: '1', dob: '2010-01-01', decom: '2019-01-01', dec: '2019-06-01' },
      // starts before line 2 ends
      { line: 3, la: 'LA1', child_id: 'C1', pmr: 'P1', sex: '2', dob: '2010-01-01', decom: '2019-05-01', dec: '2019-09-01' },
      // starts the day line 3 ends: no overlap
      { line: 4, la: 'LA1', child_id: 'C1', pmr: 'P1', sex: '1', dob: '2010-01-01', decom: '2019-09-01', dec: '' },
      // starts while line 4 is still open
      { line: 5, la: 'LA1', child_id: 'C1', pmr: 'P1', sex: '1', dob: '2010-01-01', decom: '2020-02-01', dec: '2020-03-01' },
      { line: 6, la: 'LA2', child_id: 'C9', pmr: 'P1', sex: '2', dob: '2011-01-01', decom: '2019-01-01', dec: '' },
    ]);
    try {
      await buildCla(s);
      const f = await s.rows(`SELECT line, field, rule, message FROM findings WHERE action = 'warning' ORDER BY rule, line`);
      expect(f.map((r) => [r.rule, r.line, r.field])).toEqual([
        ['child_conflicting_details', 2, 'sex'], ['overlapping_episodes', 3, 'decom'], ['overlapping_episodes', 5, 'decom'], ['pmr_shared', 2, 'pmr'],
      ]);
      expect(String(f[1].message)).toMatch(/starting 2019-05-01 \(line 3\) overlaps the previous episode starting 2019-01-01 \(line 2\), ending 2019-06-01/);
      expect(String(f[2].message)).toMatch(/still open/);
      expect(String(f[3].message)).toMatch(/LA1 C1, LA2 C9/);
      // an overlap the SSDA903 reader already named is not named twice
      await s.exec(`DELETE FROM findings WHERE rule = 'overlapping_episodes' AND line = 5; INSERT INTO findings VALUES ('ssda903', 'cla.csv', 5, 'DECOM', '', 'overlapping_episodes', 'warning', 'reader', 'C1')`);
      await buildCla(s);
      expect(await s.rows(`SELECT source FROM findings WHERE rule = 'overlapping_episodes' AND line = 5`)).toEqual([{ source: 'ssda903' }]);
    } finally { s.close(); }
  });
});

describe('key stage ages (kinds: census_year_future, age_200 in the KS extracts)', () => {
  it('a KS2 result in academic year 2099, or a KS4 result at age 9, is a warning naming the result line, the year and the pupil; usual ages are not', async () => {
    const s = await staged('ks2', [
      { line: 2, pmr: 'P1', academic_year: '2019', read_score: '100' },
      { line: 3, pmr: 'P2', academic_year: '2099', read_score: '100' },
    ]);
    try {
      const fields = OTHER_FIELDS.pupils;
      const pupil = (line: number, pmr: string, by: string): string => `('pupils.csv', ${line}, ${fields.map((f) => lit(f === 'pmr' ? pmr : f === 'birth_year' ? by : f === 'birth_month' ? '9' : '')).join(', ')})`;
      await s.exec(`CREATE TEMP TABLE raw_pupils AS SELECT * FROM (VALUES ${pupil(2, 'P1', '2008')}, ${pupil(3, 'P2', '2008')}, ${pupil(4, 'P3', '2010')}) v(file, line, ${fields.join(', ')})`);
      await s.exec(`CREATE TEMP TABLE raw_ks4 AS SELECT * FROM (VALUES ('ks4.csv', 2, 'P3', '2019', '', '', '40', '0.1'), ('ks4.csv', 3, 'P1', '2024', '', '', '40', '0.1')) v(file, line, ${OTHER_FIELDS.ks4.join(', ')})`);
      await buildKs(s, 'ks2');
      await buildKs(s, 'ks4');
      await buildPupils(s, 2021);
      const f = await s.rows(`SELECT source, file, line, field, value, action, message FROM findings WHERE rule = 'impossible_age' ORDER BY source, line`);
      expect(f.map((r) => [r.source, r.file, r.line, r.field, r.value, r.action])).toEqual([
        ['ks2', 'ks2.csv', 3, 'academic_year', '2099', 'warning'], ['ks4', 'ks4.csv', 2, 'academic_year', '2019', 'warning'],
      ]);
      expect(String(f[0].message)).toMatch(/KS2 result in academic year 2099 for pupil P2 born 2008 \(pupils line 3\): aged about 91/);
    } finally { s.close(); }
  });
});

describe('odd values in 0/1 and code items of pupils and CLA (kind: flags_layout_odd_values)', () => {
  it('FSM "2", EAL "X" are dropped to missing (not read as 0) and a sex outside the list is named, each on its line and field', async () => {
    const s = await staged('pupils', [
      { line: 2, pmr: 'P1', sex: 'F', fsm: '1', eal: 'no', birth_year: '2009', birth_month: '3' },
      { line: 3, pmr: 'P2', sex: 'M', fsm: '2', eal: '0', birth_year: '2009', birth_month: '3' },
      { line: 4, pmr: 'P3', sex: 'Q', fsm: '0', eal: 'X', birth_year: '2009', birth_month: '3' },
    ]);
    try {
      await buildPupils(s, 2021);
      expect((await s.rows(`SELECT line, field, value, rule, action FROM findings ORDER BY line`)).map((r) => [r.line, r.field, r.value, r.rule, r.action])).toEqual([
        [3, 'fsm', '2', 'flag_value', 'value_dropped'], [4, 'eal', 'X', 'flag_value', 'value_dropped'], [4, 'sex', 'Q', 'code_list', 'value_dropped'],
      ]);
      expect(await s.rows(`SELECT pmr, sex, fsm, eal FROM pupils ORDER BY pmr`)).toEqual([
        { pmr: 'P1', sex: 'F', fsm: 1, eal: 0 }, { pmr: 'P2', sex: 'M', fsm: null, eal: 0 }, { pmr: 'P3', sex: 'U', fsm: 0, eal: null },
      ]);
    } finally { s.close(); }
  });
  it('a CLA SEX outside the code list is named, not turned into unknown in silence', async () => {
    const s = await staged('cla', [{ line: 2, la: 'LA1', child_id: 'C1', sex: '7', decom: '2019-01-01' }, { line: 3, la: 'LA1', child_id: 'C2', sex: '2', decom: '2019-01-01' }]);
    try {
      await buildCla(s);
      expect((await s.rows(`SELECT line, field, value, action FROM findings`)).map((r) => [r.line, r.field, r.value, r.action])).toEqual([[2, 'sex', '7', 'value_dropped']]);
      expect(await s.rows(`SELECT child_id, sex FROM cla ORDER BY child_id`)).toEqual([{ child_id: 'C1', sex: 'U' }, { child_id: 'C2', sex: 'F' }]);
    } finally { s.close(); }
  });
});

describe('a care episode starting in the future (kind: census_year_future, CLA extract)', () => {
  it('DECOM 2099 is excluded naming line and field even with no date of birth to age it', async () => {
    const s = await staged('cla', [{ line: 2, la: 'LA1', child_id: 'C1', decom: '2019-01-01' }, { line: 3, la: 'LA1', child_id: 'C2', decom: '2099-06-01', dob: '' }]);
    try {
      await buildCla(s);
      expect((await s.rows(`SELECT line, field, value, rule, action FROM findings`)).map((r) => [r.line, r.field, r.value, r.rule, r.action])).toEqual([[3, 'decom', '2099-06-01', 'census_year_window', 'excluded']]);
      expect(await s.rows(`SELECT child_id FROM cla`)).toEqual([{ child_id: 'C1' }]);
    } finally { s.close(); }
  });
});

describe('key stage results with no pupil characteristics file (kind: header_only_pupils, file absent)', () => {
  it('is a warning on each key stage file; a header-only pupils file keeps its own no_rows warning instead', async () => {
    const s = await staged('ks2', [{ line: 2, pmr: 'P1', academic_year: '2019', read_score: '100' }]);
    try {
      await s.exec(`CREATE TEMP TABLE raw_pupils AS SELECT NULL::VARCHAR AS file, NULL::INTEGER AS line, ${OTHER_FIELDS.pupils.map((f) => `NULL::VARCHAR AS ${f}`).join(', ')} WHERE false`);
      await buildKs(s, 'ks2');
      await buildPupils(s, 2021);
      const f = await s.rows(`SELECT source, file, field, rule, action, message FROM findings`);
      expect(f.map((r) => [r.source, r.file, r.rule, r.action])).toEqual([['ks2', 'ks2.csv', 'missing_file', 'warning']]);
      expect(String(f[0].message)).toMatch(/no pupil characteristics file was given.*pass files\.pupils/);
      await s.exec(`DELETE FROM findings; INSERT INTO findings VALUES ('pupils', 'pupils.csv', NULL, '', '', 'no_rows', 'warning', 'header only', NULL)`);
      await buildPupils(s, 2021);
      expect((await s.rows(`SELECT rule FROM findings`)).map((r) => r.rule)).toEqual(['no_rows']);
    } finally { s.close(); }
  });
});

