// NPD records of the generator (src/data/synth/education): the exposure before a test day, and
// cohort membership (KS2 at age 11 in the school year, KS4 at 16) with scores in the reported ranges, the
// pupil truth rows, and recovery of the LA-varying FSM gap by lme4's model.
import { describe, expect, it } from 'vitest';
import { exposureBefore, simulateEducation } from '../../../src/data/synth/education';
import * as aq from 'arquero';
import { KS2_HEADER, KS4_HEADER, PUPIL_TRUTH_FILE } from '../../../src/data/synth/headers';
import { ATTAINMENT, KS2_YEARS, KS4_YEARS, N_LAS } from '../../../src/data/synth/params';
import { realisedSlopes } from '../../../src/data/synth/truth';
import { dayFromCivil } from '../../../src/data/dates';
import { lmm } from '../../../src/regression/index';
import { randomSlopeTruthChecks } from '../../../src/report/truth/index';
import { newChildDraft } from '../../../src/data/synth/state';
import { makeRun } from './runFixture';

describe('exposureBefore', () => {
  it('returns the highest level reached strictly before the day and the class of the latest referral', () => {
    const c = newChildDraft();
    c.expDay.push(100, 120, 300, 400); c.expLevel.push(1, 3, 1, 2); c.expClass.push(4, 4, 7, 7);
    expect(exposureBefore(c, 100)).toEqual(['none', 0]);
    expect(exposureBefore(c, 121)).toEqual(['CLA', 4]);
    expect(exposureBefore(c, 301)).toEqual(['CLA', 7]);
  });
});

describe('simulateEducation', () => {
  it('places pupils in the right cohorts and keeps scores in range', () => {
    const f = makeRun(41);
    const { run } = f;
    const c = run.child;
    let expectKs2 = 0; let expectKs4 = 0;
    for (let k = 0; k < 600; k++) {
      const by = 1997 + (k % 24); const bm = 1 + (k % 12);
      Object.assign(c, { birthYear: by, birthMonth: bm, inNpd: k % 10 !== 0, decile: 1 + (k % 10), la: k % 30, eth: 'WBRI', egroup: 'White', male: true, pmr: `P${k}`, disabledChild: false });
      c.expDay.length = 0; c.expLevel.length = 0; c.expClass.length = 0;
      const ks2 = bm >= 9 ? by + 12 : by + 11; const ks4 = bm >= 9 ? by + 17 : by + 16;
      if (c.inNpd && KS2_YEARS.includes(ks2)) expectKs2++;
      if (c.inNpd && KS4_YEARS.includes(ks4)) expectKs4++;
      simulateEducation(run);
    }
    const k2 = f.read('ks2.csv').map((l) => Object.fromEntries(l.split(',').map((v, j) => [KS2_HEADER[j], v])));
    const k4 = f.read('ks4.csv').map((l) => Object.fromEntries(l.split(',').map((v, j) => [KS4_HEADER[j], v])));
    expect(k2.length).toBe(expectKs2);
    expect(k4.length).toBe(expectKs4);
    expect(run.counts.ks2).toBe(expectKs2);
    expect(k2.every((r) => +r.KS2_READSCORE >= 80 && +r.KS2_READSCORE <= 120 && ['WTS', 'EXS', 'GDS'].includes(r.KS2_WRITTA))).toBe(true);
    expect(k4.every((r) => +r.KS4_ATT8 >= 0 && +r.KS4_ATT8 <= 90 && +r.KS4_P8SCORE >= -5 && +r.KS4_P8SCORE <= 5)).toBe(true);
  });
});

describe('pupil_truth.csv and the LA-varying FSM gap', () => {
  it('writes one truth row per KS result with the exposure and class exposureBefore gives', () => {
    const f = makeRun(43);
    const c = f.run.child;
    for (let k = 0; k < 400; k++) {
      Object.assign(c, { birthYear: 2003, birthMonth: 1 + (k % 12), inNpd: true, decile: 1 + (k % 10), la: k % 30, eth: 'WBRI', egroup: 'White', male: false, pmr: `P${k + 1}`, disabledChild: false });
      c.expDay.length = 0; c.expLevel.length = 0; c.expClass.length = 0;
      if (k % 3 === 0) { c.expDay.push(dayFromCivil(2015, 1, 1)); c.expLevel.push(1 + (k % 2) * 2); c.expClass.push(k % 13); }
      simulateEducation(f.run);
    }
    const truth = f.read(PUPIL_TRUTH_FILE).map((l) => l.split(','));
    const k4 = f.read('ks4.csv');
    expect(truth.filter((t) => t[1] === '4').map((t) => `${t[0]},${t[2]}`)).toEqual(k4.map((l) => l.split(',').slice(0, 2).join(',')));
    for (const t of truth) {
      const k = Number(t[0].slice(1)) - 1;
      const exposed = k % 3 === 0;
      expect(t[3]).toBe(exposed ? (k % 2 ? 'CLA' : 'CIN') : 'none');
      expect(Number(t[4])).toBe(exposed && k % 2 === 0 ? k % 13 : exposed ? 0 : 0);
    }
  });

  it('recovers the generating FSM slope SD, correlation and LA gaps from Attainment 8 (lme4 (1 + fsm | la))', () => {
    // 152 LAs x ~400 KS4 pupils with no CSC contact: the design notebook 03 fits, at about small scale
    const f = makeRun(47);
    const c = f.run.child;
    const la: string[] = []; const fsm: number[] = []; const sen: string[] = []; const eal: number[] = []; const dec: number[] = [];
    let pupils: string[] = [];
    for (let k = 0; k < 60_800; k++) {
      Object.assign(c, { birthYear: 2000 + (k % 3), birthMonth: 1 + (k % 8), inNpd: true, decile: 1 + (k % 10), la: k % N_LAS, eth: 'WBRI', egroup: 'White', male: k % 2 === 0, pmr: `P${k + 1}`, disabledChild: false });
      c.expDay.length = 0; c.expLevel.length = 0; c.expClass.length = 0;
      simulateEducation(f.run);
    }
    pupils = f.read('pupils.csv');
    for (const l of pupils) { const v = l.split(','); fsm.push(+v[5]); sen.push(v[6]); eal.push(+v[7]); dec.push(+v[8]); la.push(v[9]); }
    const att8 = f.read('ks4.csv').map((l) => +l.split(',')[4]);
    expect(att8.length).toBe(pupils.length);
    const fit = lmm(aq.table({ att8, fsm, sen, eal, idaci_decile: dec, la }), 'att8 ~ fsm + sen + eal + idaci_decile + (1 + fsm | la)',
      { reml: true, factors: ['fsm', 'eal'], reference: { sen: 'N' } });
    const r = realisedSlopes(f.run.areas.laRe, f.run.areas.laFsm).ks4_att8;
    const truth = { effect: ATTAINMENT.ks4_att8.fsm, ...r, slopes: Object.fromEntries(f.run.areas.laNames.map((n, l) => [n, f.run.areas.laFsm.ks4_att8[l]])) };
    const checks = randomSlopeTruthChecks(fit, 'fsm1', truth, 'FSM slope');
    expect(checks).toHaveLength(4);
    expect(checks.filter((x) => !x.pass).map((x) => `${x.check}: ${x.value} vs ${x.target}`)).toEqual([]);
    // the same fit judged against a wrong truth fails: slope SD doubled, correlation of the other sign, LA slopes reversed
    const names = Object.keys(truth.slopes);
    const wrong = { ...truth, sdSlope: 2 * truth.sdSlope, corr: -truth.corr, slopes: Object.fromEntries(names.map((n, i) => [n, truth.slopes[names[names.length - 1 - i]]])) };
    expect(randomSlopeTruthChecks(fit, 'fsm1', wrong, 'FSM slope').map((x) => x.pass)).toEqual([true, false, false, false]);
  }, 30_000);
});
