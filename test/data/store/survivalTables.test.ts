/**
 * The re-referral status coding (REREFERRAL_STATUS) on hand-made extracts where every answer can be
 * worked out by hand: entry to care and adoption after closure compete with re-referral, placement
 * changes inside a period of care are not an entry, ties and the 18th birthday follow the docstring,
 * and the flow accounts for every episode.
 */
import { describe, it, expect } from 'vitest';
import { loadTables, tempCsvWriter, censusYearOf } from '../helpers';
import { buildSurvivalEpisodes } from '../../../src/data';
import { REREFERRAL_STATUS } from '../../../src/data/store/survivalTables';
import { CIN_HEADER } from '../../../src/data/synth/generate';

const csv = tempCsvWriter('csc-survtab-');
const ep = (child: string, ref: string, clo: string, o: Record<string, string> = {}): Record<string, string> => ({
  CIN_AcademicYear: censusYearOf(clo), CIN_LA: 'LA001', CIN_LAchildID_Anon: child, CIN_Gender: '2', CIN_Ethnicity: 'WBRI', CIN_IDACI_Decile: '3', CIN_ReferralNFA: 'false',
  CIN_MonthOfBirth: '1', CIN_YearOfBirth: '2008', CIN_CINreferralDate: ref, CIN_CINclosureDate: clo, CIN_ReasonForClosure: 'RC7', SYN_TrueClass: '0', ...o,
});
const days = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 86400000;

// D: care starts 2016-06-01 after the 2016-01-01 closure, a referral follows on 2016-07-01 -> entered care
// E: care and a new referral on the same day -> re-referral
// F: in care at closure; a placement change on 2016-03-01 continues the period, which ends in adoption (E11) -> adopted
// G: a period open at closure ends 2016-04-01 (E4A, not adoption); a new period from 2017-01-01 -> entered care then
// H: no care; referred again -> re-referral. K: nothing after closure -> censored at the end of data
// J: 18 on 2016-03-01, care starts after it -> aged 18. L: adopted at closure (RC1) -> excluded upstream
const cinFile = csv('cin.csv', CIN_HEADER, [
  ep('D', '2015-06-01', '2016-01-01'), ep('D', '2016-07-01', '2016-09-01'),
  ep('E', '2015-06-01', '2016-01-01'), ep('E', '2016-05-01', '2016-09-01'),
  ep('F', '2015-05-01', '2016-01-01'),
  ep('G', '2015-05-01', '2016-01-01'),
  ep('H', '2015-05-01', '2016-01-01'), ep('H', '2016-02-01', '2016-03-01'),
  ep('K', '2015-05-01', '2016-01-01'),
  ep('J', '2015-05-01', '2015-12-01', { CIN_MonthOfBirth: '3', CIN_YearOfBirth: '1998' }),
  ep('L', '2015-05-01', '2016-01-01', { CIN_ReasonForClosure: 'RC1' }),
]);
const cla = (child: string, decom: string, dec: string, rec: string, dob = '2008-01-01'): Record<string, string> =>
  ({ LA: 'LA001', CHILD: child, SEX: '2', DOB: dob, DECOM: decom, RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1', DEC: dec, REC: rec });
const claFile = csv('cla.csv', ['LA', 'CHILD', 'PMR', 'SEX', 'DOB', 'ETHNIC', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'DEC', 'REC'], [
  cla('D', '2016-06-01', '2016-08-01', 'E4A'),
  cla('E', '2016-05-01', '2016-08-01', 'E4A'),
  cla('F', '2015-06-01', '2016-03-01', 'X1'), cla('F', '2016-03-01', '2016-09-01', 'E11'),
  cla('G', '2015-06-01', '2016-04-01', 'E4A'), cla('G', '2017-01-01', '2017-05-01', 'E4A'),
  cla('J', '2016-04-01', '2016-06-01', 'E4A', '1998-03-01'),
]);
const data = await loadTables({ kind: 'extracts', files: { cin: cinFile, cla: claFile }, endOfData: '2021-03-31' }, { store: ':memory:' });
const s = await buildSurvivalEpisodes(data);
const rows = s.episodes.objects() as Array<Record<string, any>>;
const first = (child: string): Record<string, any> => rows.find((r) => r.child_id === child)!;

describe('re-referral status coding', () => {
  it('entry to care after closure competes (3); a referral the same day is a re-referral (1)', () => {
    expect(first('D')).toMatchObject({ event_type: 3, status: 'entered_care', event: 0, time_days: days('2016-01-01', '2016-06-01') });
    expect(first('E')).toMatchObject({ event_type: 1, status: 'rereferral', event: 1, time_days: days('2016-01-01', '2016-05-01') });
  });
  it('adoption ending a period open at closure competes (4); placement changes are not an entry', () => {
    expect(first('F')).toMatchObject({ event_type: 4, status: 'adopted', event: 0, time_days: days('2016-01-01', '2016-09-01') });
  });
  it('a period open at closure that does not end in adoption leaves the child at risk until the next entry', () => {
    expect(first('G')).toMatchObject({ event_type: 3, time_days: days('2016-01-01', '2017-01-01') });
  });
  it('re-referral, censoring and the 18th birthday as before', () => {
    expect(first('H')).toMatchObject({ event_type: 1, time_days: 31 });
    expect(first('K')).toMatchObject({ event_type: 0, status: 'end_of_data', time_days: days('2016-01-01', '2021-03-31') });
    expect(first('J')).toMatchObject({ event_type: 2, status: 'aged_18', time_days: days('2015-12-01', '2016-03-01') });
  });
  it('every code is documented and every episode is accounted for', () => {
    for (const r of rows) expect(REREFERRAL_STATUS[r.event_type]).toMatchObject({ code: r.event_type, status: r.status });
    const f = s.flow;
    expect(f).toMatchObject({ episodes: 11, adopted_or_died: 1, open_at_end: 0, closed_after_end: 0, closed_on_or_after_18: 0, rows: 10 });
    expect(f.episodes).toBe(f.open_at_end + f.closed_after_end + f.adopted_or_died + f.closed_on_or_after_18 + f.rows);
    expect(REREFERRAL_STATUS.reduce((a, x) => a + f[x.flowKey], 0)).toBe(f.rows);
    expect(f).toMatchObject({ events: 2, entered_care: 2, adopted_after_closure: 1, aged_18: 1 });
  });
});

describe('without an SSDA903 file', () => {
  it('nobody enters care or is adopted after closure; the flow still balances', async () => {
    const only = await loadTables({ kind: 'extracts', files: { cin: cinFile }, endOfData: '2021-03-31' }, { store: ':memory:' });
    const t = await buildSurvivalEpisodes(only);
    const f = t.flow;
    expect(f).toMatchObject({ rows: 10, entered_care: 0, adopted_after_closure: 0, events: 3, aged_18: 1 }); // D, E, H re-referred; J turns 18
    expect(REREFERRAL_STATUS.reduce((a, x) => a + f[x.flowKey], 0)).toBe(f.rows);
  });
});
