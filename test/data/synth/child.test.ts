// One simulated child (src/data/synth/child) over many children: birth months cover Sep 1997 to
// Mar 2021 evenly, sex and NPD shares as coded, LAs chosen with the LA size shares, and every
// first referral inside the window and before the 18th birthday.
import { describe, expect, it } from 'vitest';
import { simulateChild } from '../../../src/data/synth/child';
import { laShares } from '../../../src/data/synth/areas';
import { N_LAS } from '../../../src/data/synth/params';
import { dayFromCivil } from '../../../src/data/dates';
import { makeRun } from './runFixture';

describe('simulateChild', () => {
  it('draws characteristics with the coded distributions (4-SE / chi-square bands)', () => {
    const n = 20_000;
    const f = makeRun(21, n);
    const { run } = f;
    let male = 0; let npd = 0; let minBirth = Infinity; let maxBirth = -Infinity;
    const la = new Array(N_LAS).fill(0); const dec = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      simulateChild(run, i);
      const c = run.child;
      if (c.male) male++;
      if (c.inNpd) npd++;
      la[c.la]++; dec[c.decile - 1]++;
      minBirth = Math.min(minBirth, c.birth); maxBirth = Math.max(maxBirth, c.birth);
      expect(c.childId).toBe('C' + String(i + 1).padStart(9, '0'));
    }
    f.close();
    expect(Math.abs(male / n - 0.512)).toBeLessThan(4 * Math.sqrt(0.25 / n));
    expect(Math.abs(npd / n - 0.93)).toBeLessThan(4 * Math.sqrt(0.07 * 0.93 / n));
    expect(minBirth).toBe(dayFromCivil(1997, 9, 1));
    expect(maxBirth).toBe(dayFromCivil(2021, 3, 1));
    const shares = laShares(run.areas);
    const chiLa = la.reduce((s, o, l) => s + (o - n * shares[l]) ** 2 / (n * shares[l]), 0);
    expect(chiLa).toBeLessThan(151 + 4.4 * Math.sqrt(2 * 151));
    const chiDec = dec.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0);
    expect(chiDec).toBeLessThan(27.9); // qchisq(0.999, 9)
    expect(run.counts.cin_children).toBeGreaterThan(0);
    expect(run.counts.referrals).toBeGreaterThanOrEqual(run.counts.cin_children);
  });
});
