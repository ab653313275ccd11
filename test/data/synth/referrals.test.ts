// A child's chain of episodes (src/data/synth/referrals): every re-referral starts after the
// previous closure, the chain stops at adoption (RC1), at an open episode and before 18, and
// the exposure log records each level reached.
import { describe, expect, it } from 'vitest';
import { dayFromCivil, birthdayDay } from '../../../src/data/dates';
import { simulateReferrals } from '../../../src/data/synth/referrals';

import { CIN_HEADER } from '../../../src/data/synth/headers';
import { makeRun } from './runFixture';

describe('simulateReferrals', () => {
  it('chains episodes in time order and keeps the counts consistent', () => {
    const f = makeRun(31);
    const { run } = f;
    const c = run.child;
    const starts: number[][] = [];
    for (let k = 0; k < 400; k++) {
      Object.assign(c, { birth: dayFromCivil(2003 + (k % 8), 1 + (k % 12), 1), birthYear: 2003 + (k % 8), birthMonth: 1 + (k % 12), male: k % 2 === 0,
        eth: 'WBRI', egroup: 'White', la: k % 20, decile: 1 + (k % 10), pmrRecorded: true, pmr: `P${k}`, childId: `C${k}`, disabledChild: false });
      c.day18 = birthdayDay(c.birth, 18);
      c.expDay.length = 0; c.expLevel.length = 0; c.expClass.length = 0;
      simulateReferrals(run, dayFromCivil(2014, 9, 1) + k);
      const ref = c.expDay.filter((_, e) => c.expLevel[e] === 1);
      for (let e = 1; e < ref.length; e++) expect(ref[e]).toBeGreaterThan(ref[e - 1]);
      expect(ref.every((d) => d < c.day18)).toBe(true);
      starts.push(ref);
    }
    const rows = f.read('cin.csv').map((l) => Object.fromEntries(l.split(',').map((v, j) => [CIN_HEADER[j], v])));
    const nRef = starts.reduce((s, r) => s + r.length, 0);
    expect(run.counts.referrals).toBe(nRef);
    expect(run.counts.rereferrals).toBe(nRef - 400);
    expect(run.counts.cin_children).toBe(400);
    expect(run.counts.rereferrals).toBeGreaterThan(20);
    // a chain ends at an open episode, an adoption, or a next referral past the data/18th birthday
    expect(run.counts.closed_episodes + run.counts.open_at_end).toBe(nRef);
    // referral dates in the rows are the chain's
    expect(new Set(rows.map((r) => r.CIN_LAchildID_Anon)).size).toBeLessThanOrEqual(400);
  });
});
