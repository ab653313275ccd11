/**
 * Loaders on hand-written bad input: every case gives a clear DataError (file, row, field) or an
 * exclusion row, and rows_read = rows_analysed + rows_excluded + duplicates_merged.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError, CIN_HEADER_FOR_TESTS, loadTables } from './helpers';
import type { LoadedData } from './helpers';
import type { StudyData } from '../../src/data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-load-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
function write(content: string | Buffer, name = `f${++fileNo}.csv`): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}
type Row = Partial<Record<string, string>>;
const base: Row = {
  CIN_AcademicYear: '2019', CIN_LA: 'LA001', CIN_LAchildID_Anon: 'C1', CIN_PupilMatchingRefAnonymous: 'P1', CIN_Gender: '1', CIN_Ethnicity: 'WBRI',
  CIN_MonthOfBirth: '5', CIN_YearOfBirth: '2010', CIN_CINreferralDate: '2018-06-01', CIN_ReferralSource: '6', CIN_PrimaryNeedCode: 'N1',
  CIN_CINclosureDate: '2018-12-01', CIN_ReasonForClosure: 'RC7', CIN_ReferralNFA: 'false', CIN_AssessmentActualStartDate: '2018-06-05',
  CIN_AssessmentAuthorisationDate: '2018-07-01', CIN_FactorsIdentifiedAtAssessment: '3B;4B', SYN_TrueClass: '1',
};
function cinCsv(rows: Row[]): string {
  return [CIN_HEADER_FOR_TESTS.join(','), ...rows.map((r) => CIN_HEADER_FOR_TESTS.map((h) => ({ ...base, ...r })[h] ?? '').join(','))].join('\n') + '\n';
}
const load = (cin: string, extra: Record<string, string> = {}): Promise<LoadedData> => loadTables({ kind: 'extracts', files: { cin, ...extra } }, { store: ':memory:' });
function accounted(d: StudyData): void {
  for (const f of d.dataFlow) expect(f.rows_read).toBe(f.rows_analysed + f.rows_excluded + f.duplicates_merged);
}
function reasons(d: StudyData): Array<Record<string, unknown>> {
  return d.exclusions.objects() as Array<Record<string, unknown>>;
}

describe('CIN CSV: row-level validation', () => {
  it('a clean row loads with its assessment and harmonised factors', async () => {
    const d = await load(write(cinCsv([{}])));
    expect(d.cin.numRows()).toBe(1);
    expect(d.assessments.numRows()).toBe(1);
    expect(d.assessments.get('factors', 0)).toBe('3B;4B');
    expect(d.cin.get('pathway', 0)).toBe('NFA');
    expect(d.cin.get('dob', 0)).toBe('2010-05-01');
    expect(d.exclusions.numRows()).toBe(0);
    accounted(d);
  });

  it('wrong codes: an unknown factor or referral source is dropped as a value and listed; an unknown gender excludes the row', async () => {
    const f = write(cinCsv([{ CIN_FactorsIdentifiedAtAssessment: '3B;99Z' }, { CIN_LAchildID_Anon: 'C2', CIN_ReferralSource: 'ZZ' }, { CIN_LAchildID_Anon: 'C3', CIN_Gender: '7' }]));
    const d = await load(f);
    expect(d.cin.numRows()).toBe(2);
    const ex = reasons(d);
    expect(ex).toContainEqual(expect.objectContaining({ file: f, row: 2, field: 'factors', value: '99Z', action: 'value_dropped' }));
    expect(ex).toContainEqual(expect.objectContaining({ row: 3, field: 'referral_source', value: 'ZZ', action: 'value_dropped' }));
    expect(ex).toContainEqual(expect.objectContaining({ row: 4, field: 'sex', value: '7', action: 'excluded' }));
    expect(d.assessments.get('factors', 0)).toBe('3B');
    const flow = d.dataFlow[0];
    expect(flow).toMatchObject({ rows_read: 3, rows_excluded: 1, rows_analysed: 2 });
    accounted(d);
  });

  it('reversed dates: closure before referral, assessment outside the episode, CPP end before start, plan end before start', async () => {
    const d = await load(write(cinCsv([
      { CIN_CINclosureDate: '2018-05-01' },
      { CIN_LAchildID_Anon: 'C2', CIN_AssessmentActualStartDate: '2019-01-15' },
      { CIN_LAchildID_Anon: 'C3', CIN_CPPstartDate: '2018-08-01', CIN_CPPendDate: '2018-07-01', CIN_InitialCategoryOfAbuse: 'NEG', CIN_LatestCategoryOfAbuse: 'NEG' },
      { CIN_LAchildID_Anon: 'C4', CIN_CINPlanStartDate: '2018-08-01', CIN_CINPlanEndDate: '2018-07-01' },
      { CIN_LAchildID_Anon: 'C5', CIN_CINreferralDate: '2018-02-30' },
    ])));
    // the assessment outside its episode is dropped (listed); the episode itself is analysed
    expect(d.cin.array('child_id')).toEqual(['C2']);
    expect(d.assessments.numRows()).toBe(0);
    expect(d.cin.get('n_assessments', 0)).toBe(0);
    const ex = reasons(d).map((e) => [e.row, e.field, e.rule, e.action]);
    expect(ex).toContainEqual([3, 'assessment_date', 'date_outside_episode', 'value_dropped']);
    expect(ex.filter((e) => e[0] === 3)).toHaveLength(1);
    expect(ex.map((e) => e.slice(0, 3))).toEqual(expect.arrayContaining([
      [2, 'closure_date', 'date_order'],
      [4, 'cpp_end', 'date_order'],
      [5, 'cin_plan_end', 'date_order'],
      [6, 'referral_date', 'date_format'],
    ]));
    accounted(d);
  });

  it('missing IDs exclude the row with the field named', async () => {
    const d = await load(write(cinCsv([{ CIN_LAchildID_Anon: '' }, { CIN_LA: '' }, { CIN_CINreferralDate: '' }])));
    expect(reasons(d).map((e) => e.field)).toEqual(['child_id', 'la', 'referral_date']);
    expect(d.dataFlow[0].rows_analysed).toBe(0);
  });

  it('duplicate episodes across census years are merged (latest year wins, closure from the later year) and counted', async () => {
    const d = await load(write(cinCsv([
      { CIN_AcademicYear: '2018/19', CIN_CINclosureDate: '', CIN_ReasonForClosure: '' },
      { CIN_AcademicYear: '2020', CIN_CINclosureDate: '2019-05-01' },
      { CIN_AcademicYear: '2019', CIN_CINclosureDate: '', CIN_ReasonForClosure: '' },
    ])));
    expect(d.cin.numRows()).toBe(1);
    expect(d.cin.get('closure_date', 0)).toBe('2019-05-01');
    expect(d.cin.get('first_census_year', 0)).toBe(2019);
    expect(d.cin.get('last_census_year', 0)).toBe(2020);
    expect(d.assessments.numRows()).toBe(1);
    expect(d.dataFlow[0]).toMatchObject({ rows_read: 3, duplicates_merged: 2, rows_analysed: 1 });
  });
});

describe('clear errors for unusable files', () => {
  it('missing file names the path', async () => {
    await expect(load(path.join(tmp, 'nope.csv'))).rejects.toThrow(/CIN extract not found: expected a file at .*nope\.csv/);
  });
  it('missing column names the column, the field and the file', async () => {
    const f = write(cinCsv([{}]).replace('CIN_LA,', 'LA_CODE,'));
    try { await load(f); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect((e as Error).message).toMatch(/'CIN_LA' \(field la\) not found/);
      expect((e as DataError).file).toBe(f);
    }
  });
  it('empty file', async () => {
    await expect(load(write(''))).rejects.toThrow(/empty \(0 bytes\)/);
  });
  it('non-UTF-8 bytes: the line is excluded, named, and the file still balances', async () => {
    const text = cinCsv([{}, { CIN_LAchildID_Anon: 'C2' }, { CIN_LAchildID_Anon: 'C3' }]);
    const lines = text.split('\n');
    const bad = Buffer.concat([Buffer.from(lines.slice(0, 3).join('\n') + '\n'), Buffer.from([0x43, 0xff, 0xfe]), Buffer.from(lines.slice(3).join('\n'))]);
    const d = await load(write(bad));
    expect(reasons(d)).toContainEqual(expect.objectContaining({ row: 4, rule: 'encoding', action: 'excluded' }));
    expect(d.dataFlow[0]).toMatchObject({ rows_read: 3, rows_excluded: 1 });
    accounted(d);
  });
  it('unterminated quote: the line is excluded, not merged with the next', async () => {
    const d = await load(write(cinCsv([{}]) + '"2019,LA001\n' + cinCsv([{ CIN_LAchildID_Anon: 'C9' }]).split('\n')[1] + '\n'));
    expect(reasons(d)).toContainEqual(expect.objectContaining({ row: 3, rule: 'unbalanced_quotes' }));
    expect(d.cin.numRows()).toBe(2);
    accounted(d);
  });
});

describe('mappings for other extract layouts', () => {
  it('flag columns per factor code and a full date of birth load the same episode', async () => {
    const header = ['YEAR', 'LA', 'ID', 'SEX', 'DOB', 'REF', 'CLOSE', 'ASSESS', 'F_3B', 'F_4B', 'F_16A'];
    const f = write([header.join(','), '2019,LA001,C1,2,2010-05-17,2018-06-01,2018-12-01,2018-06-05,1,0,1'].join('\n'));
    const d = await loadTables({
      kind: 'extracts', files: { cin: f },
      mapping: { cin: { census_year: 'YEAR', la: 'LA', child_id: 'ID', sex: 'SEX', referral_date: 'REF', closure_date: 'CLOSE', assessment_date: 'ASSESS', factors: { style: 'flags', prefix: 'F_' }, birth: { style: 'date', column: 'DOB' } } },
    }, { store: ':memory:' });
    expect(d.cin.numRows()).toBe(1);
    expect(d.cin.get('sex', 0)).toBe('F');
    expect(d.cin.get('dob', 0)).toBe('2010-05-17');
    expect(d.assessments.get('factors', 0)).toBe('3B;16A');
  });
});

describe('other sources', () => {
  it('CLA: DEC before DECOM excluded, bad codes dropped as values, duplicates merged; KS2 score out of range excluded; pupils duplicate PMR merged', async () => {
    const cla = write(['LA,CHILD,PMR,SEX,DOB,ETHNIC,DECOM,RNE,LS,CIN,PLACE,DEC,REC',
      'LA001,C1,P1,1,2010-05-01,WBRI,2018-09-01,S,C2,N1,U1,2019-01-01,E4A',
      'LA001,C1,P1,1,2010-05-01,WBRI,2018-09-01,S,C2,N1,U1,2019-01-01,E4A',
      'LA001,C2,P2,1,2010-05-01,WBRI,2018-09-01,S,C2,N1,U1,2018-01-01,E4A',
      'LA001,C3,P3,1,2010-05-01,WBRI,2018-09-01,S,ZZ,N1,U1,,'].join('\n'));
    const ks2 = write(['KS2_PupilMatchingRefAnonymous,KS2_AcademicYear,KS2_LA,KS2_URN,KS2_READSCORE,KS2_MATSCORE,KS2_WRITTA', 'P1,2019,LA001,S1,130,100,EXS', 'P2,2019,LA001,S1,101,100,EXS'].join('\n'));
    const pupils = write(['PupilMatchingRefAnonymous,Gender,EthnicGroupMajor,MonthOfBirth,YearOfBirth,FSMeligible,SENprovision,EAL,IDACI_decile,LA', 'P1,M,WBRI,5,2008,1,N,0,3,LA001', 'P1,M,WBRI,5,2008,1,N,0,3,LA001', 'P2,F,WBRI,5,2008,0,Q,0,11,LA001'].join('\n'));
    const d = await load(write(cinCsv([{}])), { cla, ks2, pupils });
    const flow = Object.fromEntries(d.dataFlow.map((f) => [f.source, f]));
    expect(flow.cla).toMatchObject({ rows_read: 4, duplicates_merged: 1, rows_excluded: 1, rows_analysed: 2 });
    expect(flow.ks2).toMatchObject({ rows_read: 2, rows_excluded: 1, rows_analysed: 1 });
    expect(flow.pupils).toMatchObject({ rows_read: 3, duplicates_merged: 1, rows_excluded: 1 });
    const ex = reasons(d);
    expect(ex).toContainEqual(expect.objectContaining({ source: 'cla', row: 4, field: 'dec', action: 'excluded' }));
    expect(ex).toContainEqual(expect.objectContaining({ source: 'cla', row: 5, field: 'ls', value: 'ZZ', action: 'value_dropped' }));
    expect(ex).toContainEqual(expect.objectContaining({ source: 'ks2', row: 2, field: 'read_score' }));
    expect(ex).toContainEqual(expect.objectContaining({ source: 'pupils', row: 4, field: 'idaci_decile' }));
    accounted(d);
  });
});
