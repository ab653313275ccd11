/** Analysis-table builders on small hand-made extracts where every answer can be worked out by hand. */
import { loadTables, tempCsvWriter, censusYearOf } from './helpers';
import type { LoadedData } from './helpers';
import { describe, it, expect } from 'vitest';
import * as aq from 'arquero';
import { loadStudyData, buildLcaMatrix, buildSurvivalEpisodes, buildPupilLinked, DataError } from '../../src/data';
import { CIN_HEADER } from '../../src/data/synth/generate';

const csv = tempCsvWriter('csc-tables-');
const ep = (o: Record<string, string>): Record<string, string> => ({
  CIN_AcademicYear: censusYearOf(o.CIN_CINclosureDate), CIN_LA: 'LA001', CIN_Gender: '2', CIN_Ethnicity: 'WBRI', CIN_IDACI_Decile: '3', CIN_ReferralNFA: 'false', ...o,
});

// child A: born Jan 2003, closure 2020-06-01 -> 18 on 2021-01-01 before end of data: aged out after 214 days
// child B: two episodes; the second starts before the first closes (overlap), the third is the re-referral
// child C: adopted at closure (RC1): not at risk
const cinFile = csv('cin.csv', CIN_HEADER, [
  ep({ CIN_LAchildID_Anon: 'A', CIN_PupilMatchingRefAnonymous: 'PA', CIN_MonthOfBirth: '1', CIN_YearOfBirth: '2003', CIN_CINreferralDate: '2020-01-10', CIN_CINclosureDate: '2020-06-01', CIN_ReasonForClosure: 'RC7', CIN_AssessmentActualStartDate: '2020-01-12', CIN_FactorsIdentifiedAtAssessment: '3B;21', SYN_TrueClass: '1' }),
  ep({ CIN_LAchildID_Anon: 'B', CIN_PupilMatchingRefAnonymous: 'PB', CIN_MonthOfBirth: '10', CIN_YearOfBirth: '2003', CIN_CINreferralDate: '2014-09-01', CIN_CINclosureDate: '2015-03-01', CIN_ReasonForClosure: 'RC7', CIN_AssessmentActualStartDate: '2014-09-03', CIN_FactorsIdentifiedAtAssessment: '10A;11A', CIN_CPPstartDate: '2015-01-01', CIN_CPPendDate: '2015-02-01', CIN_InitialCategoryOfAbuse: 'NEG', CIN_LatestCategoryOfAbuse: 'NEG', SYN_TrueClass: '5' }),
  ep({ CIN_LAchildID_Anon: 'B', CIN_PupilMatchingRefAnonymous: 'PB', CIN_MonthOfBirth: '10', CIN_YearOfBirth: '2003', CIN_CINreferralDate: '2015-02-01', CIN_CINclosureDate: '2015-02-20', CIN_ReasonForClosure: 'RC8', SYN_TrueClass: '0' }),
  ep({ CIN_LAchildID_Anon: 'B', CIN_PupilMatchingRefAnonymous: 'PB', CIN_MonthOfBirth: '10', CIN_YearOfBirth: '2003', CIN_CINreferralDate: '2016-03-01', CIN_CINclosureDate: '2016-04-01', CIN_ReasonForClosure: 'RC8', CIN_CPPstartDate: '2016-03-10', CIN_CPPendDate: '2016-03-20', CIN_InitialCategoryOfAbuse: 'EMO', CIN_LatestCategoryOfAbuse: 'EMO', SYN_TrueClass: '0' }),
  ep({ CIN_LAchildID_Anon: 'C', CIN_MonthOfBirth: '1', CIN_YearOfBirth: '2015', CIN_CINreferralDate: '2016-01-10', CIN_CINclosureDate: '2018-06-01', CIN_ReasonForClosure: 'RC1', SYN_TrueClass: '0' }),
]);
const claFile = csv('cla.csv', ['LA', 'CHILD', 'PMR', 'SEX', 'DOB', 'ETHNIC', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'DEC', 'REC'], [
  { LA: 'LA001', CHILD: 'C', SEX: '2', DOB: '2015-01-01', DECOM: '2016-03-01', RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1', DEC: '2016-09-01', REC: 'X1' },
  { LA: 'LA001', CHILD: 'C', SEX: '2', DOB: '2015-01-01', DECOM: '2016-09-01', RNE: 'P', LS: 'C2', CIN: 'N1', PLACE: 'U3', DEC: '2017-01-01', REC: 'E4A' },
  { LA: 'LA001', CHILD: 'C', SEX: '2', DOB: '2015-01-01', DECOM: '2017-06-01', RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U3', DEC: '2018-06-01', REC: 'E11' },
]);
const ks4File = csv('ks4.csv', ['KS4_PupilMatchingRefAnonymous', 'KS4_AcademicYear', 'KS4_LA', 'KS4_URN', 'KS4_ATT8', 'KS4_P8SCORE'], [
  { KS4_PupilMatchingRefAnonymous: 'PB', KS4_AcademicYear: '2020', KS4_ATT8: '20.5', KS4_P8SCORE: '-1.2' },
  { KS4_PupilMatchingRefAnonymous: 'PZ', KS4_AcademicYear: '2020', KS4_ATT8: '50', KS4_P8SCORE: '0.1' },
]);
const data = await loadTables({ kind: 'extracts', files: { cin: cinFile, cla: claFile, ks4: ks4File }, endOfData: '2021-03-31' }, { store: ':memory:' });

const s = await buildSurvivalEpisodes(data);
describe('buildSurvivalEpisodes', () => {
  const rows = s.episodes.objects() as Array<Record<string, any>>;
  it('censors at the 18th birthday (competing end), skips overlapping referrals and drops adoptions', async () => {
    const a = rows.find((r) => r.child_id === 'A')!;
    expect(a).toMatchObject({ event: 0, event_type: 2, status: 'aged_18', time_days: 214, pathway: 'NFA', true_class: 1, sex: 'F', idaci_decile: 3 });
    expect(a.age_at_closure).toBeCloseTo((Date.UTC(2020, 5, 1) - Date.UTC(2003, 0, 1)) / 86400000 / 365.25, 12);
    const b = rows.filter((r) => r.child_id === 'B');
    expect(b.map((r) => [r.episode_number, r.prior_referrals, r.event, r.time_days])).toEqual([
      [1, 0, 1, (Date.UTC(2016, 2, 1) - Date.UTC(2015, 2, 1)) / 86400000], // closure 2015-03-01 -> the 2015-02-01 referral is not "after closure"; next is 2016-03-01
      [2, 1, 1, 375],
      [3, 2, 0, (Date.UTC(2021, 2, 31) - Date.UTC(2016, 3, 1)) / 86400000],
    ]);
    expect(b[0].pathway).toBe('CPP');
    expect(s.flow).toMatchObject({ episodes: 5, adopted_or_died: 1, rows: 4, events: 2 });
    for (const r of rows) expect(r.time_months).toBeCloseTo(r.time_days / (365.25 / 12), 12);
  });
  it('repeat CPP and re-entry to care', async () => {
    const cpp = s.repeatCpp.objects() as Array<Record<string, any>>;
    expect(cpp[0]).toMatchObject({ child_id: 'B', event: 1, time_days: (Date.UTC(2016, 2, 10) - Date.UTC(2015, 1, 1)) / 86400000, previous_cpps: 0 });
    expect(cpp[1]).toMatchObject({ child_id: 'B', event: 0, previous_cpps: 1 });
    const care = s.careReentry.objects() as Array<Record<string, any>>;
    // the two contiguous episodes form one period ending 2017-01-01; the child re-enters on 2017-06-01; the adoption ends the second period
    expect(care).toHaveLength(1);
    expect(care[0]).toMatchObject({ period_start: '2016-03-01', care_end: '2017-01-01', event: 1, time_days: 151, reason_ceased: 'E4A' });
    // the CLA period inside C's episode makes its pathway 'care'
    expect((data.cin.objects() as Array<Record<string, any>>).find((r) => r.child_id === 'C')!.pathway).toBe('care');
  });
  it('joins LCA classes by assessment id', async () => {
    const a = data.assessments.objects() as Array<Record<string, any>>;
    const classes = aq.table({ assessment_id: a.map((r) => r.assessment_id), class: a.map((_, i) => 100 + i) });
    const rows2 = (await buildSurvivalEpisodes(data, { classes })).episodes.objects() as Array<Record<string, any>>;
    expect(rows2.filter((r) => r.class !== null).length).toBe(a.length);
  });
  it('text class labels come back as the same labels (staged as codes), unclassified as null', async () => {
    const a = data.assessments.objects() as Array<Record<string, any>>;
    const label = (i: number) => (i === 0 ? null : `${String(i).padStart(2, '0')}. a long demand class label + another factor`);
    const classes = aq.table({ assessment_id: a.map((r) => r.assessment_id), class: a.map((_, i) => label(i)) });
    const numeric = aq.table({ assessment_id: a.map((r) => r.assessment_id), class: a.map((_, i) => (i === 0 ? null : i)) });
    const byText = (await buildSurvivalEpisodes(data, { classes })).episodes.objects() as Array<Record<string, any>>;
    const byCode = (await buildSurvivalEpisodes(data, { classes: numeric })).episodes.objects() as Array<Record<string, any>>;
    expect(byText.length).toBe(byCode.length);
    byText.forEach((r, i) => expect(r.class).toBe(byCode[i].class === null ? null : label(byCode[i].class)));
    expect(byText.some((r) => typeof r.class === 'string')).toBe(true);
  });
});

describe('buildLcaMatrix', () => {
  it('one 0/1 column per item; 21 is not an item; grouped collapses variants', async () => {
    const m = (await buildLcaMatrix(data));
    expect(m.table.numRows()).toBe(2);
    expect(m.items).toContain('f_3B');
    expect(m.labels.f_3B).toBe('Domestic violence (parent)');
    const rowB = (m.table.objects() as Array<Record<string, any>>).find((r) => r.child_id === 'B')!;
    expect(rowB.f_10A + rowB.f_11A).toBe(2);
    let total = 0;
    for (const it of m.items) total += (rowB as Record<string, number>)[it];
    expect(total).toBe(2);
    const g = (await buildLcaMatrix(data, { grouping: 'grouped', years: [2015] }));
    expect(g.table.numRows()).toBe(1);
    expect(g.flow).toMatchObject({ assessments_read: 2, dropped_other_years: 1, kept: 1 });
    await expect(buildLcaMatrix(data, { grouping: 'bad' as any })).rejects.toThrow(DataError);
  });
});

describe('buildPupilLinked', () => {
  it('exposure before the test date is the highest level reached; unmatched pupils are unexposed', async () => {
    const p = (await buildPupilLinked(data, { keyStage: 4 }));
    const rows = p.table.objects() as Array<Record<string, any>>;
    expect(rows[0]).toMatchObject({ pmr: 'PB', csc_exposure: 'CPP', true_class: 0, referrals_before: 3, att8: 20.5 });
    expect(rows[1]).toMatchObject({ pmr: 'PZ', csc_exposure: 'none', true_class: 0, referrals_before: 0 });
    // B (born Oct 2003 -> KS4 in 2020) is the only CIN child in the 2020 cohort; matched
    expect(p.matchReport[0].n).toBe(1);
    expect(p.matchReport[2].rate).toBe(1);
    await expect(buildPupilLinked(data, { keyStage: 2 })).rejects.toThrow(/no KS2 records/);
  });
});
