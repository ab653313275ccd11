// truth.json of a run (src/data/synth/truth): the realised tallies, the achievable ARI from the
// confusion table, and referral months in calendar order.
import { describe, expect, it } from 'vitest';
import { buildTruth } from '../../../src/data/synth/truth';
import { simulateChild } from '../../../src/data/synth/child';
import { adjustedRandIndexFromTable } from '../../../src/data/ari';
import { GENERATOR_VERSION } from '../../../src/data/synth/folder';
import { makeRun } from './runFixture';

describe('buildTruth', () => {
  it('reports the run\'s tallies', () => {
    const f = makeRun(51, 8000);
    const { run } = f;
    for (let i = 0; i < 8000; i++) simulateChild(run, i);
    f.close();
    const t = buildTruth(run, 'tiny', 51, { marker: 1 }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(t.generator).toBe(GENERATOR_VERSION);
    expect(t.counts).toBe(run.counts);
    expect(t.classes.expectedAriTrueParameters).toBe(adjustedRandIndexFromTable(run.tallies.confusion));
    expect(Object.values(t.pathways.counts).reduce((a: number, b) => a + (b as number), 0)).toBe(run.tallies.pathwayCounts.reduce((a, b) => a + b, 0));
    const months = Object.keys(t.referralsByMonth);
    expect(months).toEqual(months.slice().sort());
    expect(t.las).toHaveLength(run.areas.laNames.length);
    expect(t.inequality).toEqual({ marker: 1 });
    // the LA FSM slopes as drawn, and their realised SD and correlation with the LA intercepts (Attainment 8 only)
    const b = run.areas.laFsm.ks4_att8; const a = run.areas.laRe.ks4_att8;
    expect(t.attainment.laFsmSlopes.ks4_att8).toEqual(b);
    expect(Object.keys(t.attainment.laFsmSlopeRealised)).toEqual(['ks4_att8']);
    const m = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    const sd = Math.sqrt(m(b.map((x) => (x - m(b)) ** 2)));
    const cov = m(b.map((x, l) => (x - m(b)) * (a[l] - m(a))));
    expect(t.attainment.laFsmSlopeRealised.ks4_att8.sdSlope).toBeCloseTo(sd, 12);
    expect(t.attainment.laFsmSlopeRealised.ks4_att8.corr).toBeCloseTo(cov / (sd * Math.sqrt(m(a.map((x) => (x - m(a)) ** 2)))), 12);
    expect(Object.keys(t).at(-1)).toBe('inequality'); // truth.json key order is part of its bytes
  });
});
