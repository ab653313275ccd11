// NPD records of the generator (src/data/synth/education): the exposure before a test day, and
// cohort membership (KS2 at age 11 in the school year, KS4 at 16) with scores in the reported ranges.
import { describe, expect, it } from 'vitest';
import { exposureBefore, simulateEducation } from '../../../src/data/synth/education';
import { KS2_HEADER, KS4_HEADER } from '../../../src/data/synth/headers';
import { KS2_YEARS, KS4_YEARS } from '../../../src/data/synth/params';
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
