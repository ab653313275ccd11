// Extract rows of one episode (src/data/synth/records): one CIN census row per census year the
// episode is open at, each showing only what that 31 March census could know; SSDA903 rows
// for a care period (one, or two when the placement changes).
import { describe, expect, it } from 'vitest';
import { dayFromCivil, isoFromDay } from '../../../src/data/dates';
import { writeCare, writeEpisode } from '../../../src/data/synth/records';
import { CIN_HEADER, CLA_HEADER } from '../../../src/data/synth/headers';
import { NONE } from '../../../src/data/synth/state';
import { makeRun } from './runFixture';

describe('writeEpisode', () => {
  it('writes rows for census years 2018..2020 and hides dates after each census day', () => {
    const f = makeRun(2);
    const { run } = f;
    Object.assign(run.child, { birth: dayFromCivil(2010, 5, 1), birthYear: 2010, birthMonth: 5, childId: 'C9', pmr: 'P9', pmrRecorded: true, eth: 'WBRI', la: 3, decile: 4 });
    Object.assign(run.ep, {
      referral: dayFromCivil(2017, 6, 1), assess: dayFromCivil(2017, 6, 5), auth: dayFromCivil(2017, 7, 1), factors: '2A;3A', trueClass: 2, pathway: 2,
      s47: dayFromCivil(2017, 6, 3), icpc: dayFromCivil(2017, 6, 20), cppStart: dayFromCivil(2017, 6, 20), cppEnd: dayFromCivil(2018, 6, 1),
      cppInitial: 'N', cppLatest: 'E', planStart: dayFromCivil(2018, 6, 1), planEnd: dayFromCivil(2019, 5, 1),
      closure: dayFromCivil(2019, 5, 10), reason: 'RC7', source: '1A', need: 'N1', nfa: false, careStart: NONE, careEnd: NONE,
    });
    writeEpisode(run, '1', 'NONE', 0);
    const rows = f.read('cin.csv').map((l) => Object.fromEntries(l.split(',').map((v, j) => [CIN_HEADER[j], v])));
    expect(rows.map((r) => r.CIN_AcademicYear)).toEqual(['2018', '2019', '2020']);
    const [y18, y19, y20] = rows;
    expect(y18.CIN_CINclosureDate).toBe('');          // still open at 31 March 2018
    expect(y18.CIN_CPPendDate).toBe('');             // CPP ends 1 June 2018
    expect(y18.CIN_CPPstartDate).toBe(isoFromDay(dayFromCivil(2017, 6, 20)));
    expect(y18.CIN_CINPlanStartDate).toBe('');        // plan starts June 2018
    expect(y19.CIN_CPPendDate).toBe(isoFromDay(dayFromCivil(2018, 6, 1)));
    expect(y19.CIN_CINPlanEndDate).toBe('');          // plan ends 1 May 2019
    expect(y19.CIN_CINclosureDate).toBe('');          // closed 10 May 2019, after the 2019 census
    expect(y20.CIN_CINclosureDate).toBe(isoFromDay(dayFromCivil(2019, 5, 10)));
    expect(y20.CIN_ReasonForClosure).toBe('RC7');
    expect(y18.CIN_LA).toBe('LA004');
    expect(run.counts.cin_rows).toBe(3);
    expect(run.counts.cpp).toBe(1);
    expect(run.tallies.pathwayCounts).toEqual([0, 0, 1, 0]);
  });

  it('shows an assessment\'s factors under each row\'s census-year list: 18A/19A of 2019/20 are 18C/19C in the 2020/21 row', () => {
    const f = makeRun(4);
    const { run } = f;
    Object.assign(run.child, { birth: dayFromCivil(2010, 5, 1), birthYear: 2010, birthMonth: 5, childId: 'C8', pmr: 'P8', pmrRecorded: true, eth: 'WBRI', la: 1, decile: 2 });
    Object.assign(run.ep, {
      referral: dayFromCivil(2019, 9, 1), assess: dayFromCivil(2019, 9, 3), auth: dayFromCivil(2019, 10, 1), factors: '18A;2A;19A', trueClass: 2, pathway: 1,
      s47: NONE, icpc: NONE, cppStart: NONE, cppEnd: NONE, cppInitial: '', cppLatest: '', planStart: dayFromCivil(2019, 10, 5), planEnd: NONE,
      closure: NONE, reason: '', source: '2A', need: 'N1', nfa: false, careStart: NONE, careEnd: NONE,
    });
    writeEpisode(run, '2', 'NONE', 0);
    const rows = f.read('cin.csv').map((l) => Object.fromEntries(l.split(',').map((v, j) => [CIN_HEADER[j], v])));
    expect(rows.map((r) => [r.CIN_AcademicYear, r.CIN_FactorsIdentifiedAtAssessment])).toEqual([['2020', '18A;2A;19A'], ['2021', '18C;2A;19C']]);
  });
});

describe('writeCare', () => {
  it('writes one or two episode rows per period, contiguous, ending with the reason given', () => {
    const f = makeRun(3);
    const { run } = f;
    Object.assign(run.child, { birth: dayFromCivil(2008, 1, 1), childId: 'C1', pmr: 'P1', pmrRecorded: false, male: true, eth: 'WBRI', la: 0 });
    let periods = 0;
    for (let t = 0; t < 200; t++) {
      run.ep.careStart = dayFromCivil(2016, 1, 1) + t; run.ep.careEnd = t % 2 ? NONE : run.ep.careStart + 400;
      writeCare(run, t % 2 ? '' : 'E11');
      periods++;
    }
    const rows = f.read('cla.csv').map((l) => Object.fromEntries(l.split(',').map((v, j) => [CLA_HEADER[j], v])));
    expect(run.counts.care_periods).toBe(periods);
    expect(rows.length).toBe(run.counts.cla_episodes);
    expect(rows.length).toBeGreaterThan(periods);  // some placements changed
    expect(rows.every((r) => r.PMR === '' && r.SEX === '1')).toBe(true);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].RNE === 'P') { expect(rows[i - 1].DEC).toBe(rows[i].DECOM); expect(rows[i - 1].REC).toBe('X1'); }
    }
  });
});
