// SII/RII checked against a hand computation on a 3-group table; exact Poisson CI against R's
// poisson.test; rate ratio; degenerate inputs give NaN with a warning.
import { describe, expect, it } from 'vitest';
import { inequalityIndices, poissonCountCi, rateRatio, rateWithCi, ridits } from '../../src/index';

describe('inequalityIndices (PHE SII/RII)', () => {
  // Least → most deprived: populations 100, 200, 100; counts 1, 6, 8 (rates 0.01, 0.03, 0.08).
  // By hand: shares .25/.5/.25, ridits .125/.5/.875, x̄ = .5, Sxx = 2·.25·.375² = .0703125,
  // Sxy = .25·.375·(.08 − .01) = .0065625, SII = Sxy/Sxx = 7/75; overall rate 15/400 = .0375,
  // RII = (7/75)/.0375 = 560/225. SII = Σ a_g n_g with a = ∓.25·.375/Sxx/100 = ∓1/75 (0 for the
  // middle group), so Var(SII) = (1/75)²·(1 + 8) = .0016, SE = .04.
  const groups = [{ count: 1, population: 100 }, { count: 6, population: 200 }, { count: 8, population: 100 }];
  it('matches the hand computation', () => {
    const r = inequalityIndices(groups, 1);
    expect(r.ridits).toEqual([0.125, 0.5, 0.875]);
    expect(r.sii.estimate).toBeCloseTo(7 / 75, 14);
    expect(r.sii['std.error']).toBeCloseTo(0.04, 14);
    expect(r.meanRate).toBeCloseTo(0.0375, 15);
    expect(r.rii.estimate).toBeCloseTo(560 / 225, 12);
    expect(r.sii['conf.low']).toBeCloseTo(7 / 75 - 1.959963984540054 * 0.04, 12);
    expect(r.fittedMost - r.fittedLeast).toBeCloseTo(7 / 75, 14);
    expect(r.warnings).toEqual([]);
  });
  it('RII SE equals the delta method done numerically on the counts', () => {
    const r = inequalityIndices(groups, 1);
    const riiOf = (c: number[]) => inequalityIndices(c.map((n, g) => ({ count: n, population: groups[g].population })), 1).rii.estimate;
    const base = groups.map((g) => g.count);
    let v = 0;
    base.forEach((n, g) => { const h = 1e-6; const up = base.slice(); up[g] += h; const dn = base.slice(); dn[g] -= h; v += ((riiOf(up) - riiOf(dn)) / (2 * h)) ** 2 * n; });
    expect(r.rii['std.error']).toBeCloseTo(Math.sqrt(v), 7);
  });
  it('scale per 10,000 multiplies SII but not RII', () => {
    const a = inequalityIndices(groups, 1); const b = inequalityIndices(groups);
    expect(b.sii.estimate).toBeCloseTo(a.sii.estimate * 1e4, 8);
    expect(b.rii.estimate).toBeCloseTo(a.rii.estimate, 12);
  });
  it('flat rates give SII = 0; degenerate input gives NaN and a warning', () => {
    expect(inequalityIndices([{ count: 5, population: 100 }, { count: 10, population: 200 }]).sii.estimate).toBeCloseTo(0, 10);
    const one = inequalityIndices([{ count: 5, population: 100 }]);
    expect(Number.isNaN(one.sii.estimate)).toBe(true);
    expect(one.warnings[0]).toMatch(/at least 2 groups/);
    const zero = inequalityIndices([{ count: 0, population: 100 }, { count: 0, population: 100 }]);
    expect(Number.isNaN(zero.rii.estimate)).toBe(true);
    expect(zero.warnings[0]).toMatch(/all counts are 0/);
  });
  it('events only in the middle group (ridit weight 0): SII = 0 with no variance gives NaN SE and CI and a warning, not SE 0', () => {
    // Three equal groups: the middle one sits at the mean ridit, so its count has weight a_g = 0;
    // Var(SII) = Σ a_g² n_g = 0. The old code printed SII 0 (SE 0, CI [0, 0]) and RII 0 likewise.
    const r = inequalityIndices([{ count: 0, population: 100 }, { count: 7, population: 100 }, { count: 0, population: 100 }]);
    expect(r.sii.estimate).toBeCloseTo(0, 12);
    expect(r.sii['std.error']).toBeNaN();
    expect(r.sii['conf.low']).toBeNaN();
    expect(r.rii['std.error']).toBeNaN();
    expect(r.rii['conf.high']).toBeNaN();
    expect(r.warnings).toEqual(['inequalityIndices: variance is zero, negative or not finite for SII, RII; standard errors and tests are NaN (the events are all in groups that carry no weight in the slope)']);
    // five equal groups, events only in the middle one: its weight is 0 only up to rounding
    const five = inequalityIndices([0, 0, 9, 0, 0].map((count) => ({ count, population: 50 })));
    expect(five.sii['std.error']).toBeNaN();
    expect(five.warnings).toHaveLength(1);
    // one event in an outer group restores a variance
    const ok = inequalityIndices([{ count: 1, population: 100 }, { count: 7, population: 100 }, { count: 0, population: 100 }]);
    expect(ok.sii['std.error']).toBeGreaterThan(0);
    expect(ok.warnings).toEqual([]);
  });
  it('ridits are cumulative-share midpoints', () => {
    expect(ridits([1, 1, 2])).toEqual([0.125, 0.375, 0.75]);
  });
});

describe('rates and rate ratios', () => {
  it('exact Poisson CI as R: poisson.test(10)$conf.int = 4.795389, 18.390356', () => {
    const [lo, hi] = poissonCountCi(10);
    expect(lo).toBeCloseTo(4.795389, 5);
    expect(hi).toBeCloseTo(18.390356, 5);
    expect(poissonCountCi(0)[0]).toBe(0);
    expect(poissonCountCi(0)[1]).toBeCloseTo(3.688879, 5); // R: poisson.test(0)$conf.int[2]
  });
  it('rate per 10,000 scales the count CI', () => {
    const r = rateWithCi({ count: 10, population: 5000 });
    expect(r.rate).toBe(20);
    expect(r['conf.low']).toBeCloseTo(4.795389 * 2, 4);
    expect(Number.isNaN(rateWithCi({ count: 1, population: 0 }).rate)).toBe(true);
  });
  it('rate ratio with log-normal CI; NaN when a count is 0', () => {
    const rr = rateRatio({ count: 80, population: 1000 }, { count: 20, population: 2000 });
    expect(rr.estimate).toBeCloseTo(8, 12);
    expect(rr['std.error.log']).toBeCloseTo(Math.sqrt(1 / 80 + 1 / 20), 14);
    expect(rr['conf.high']).toBeCloseTo(8 * Math.exp(1.959963984540054 * Math.sqrt(1 / 80 + 1 / 20)), 10);
    expect(Number.isNaN(rateRatio({ count: 0, population: 10 }, { count: 3, population: 10 }).estimate)).toBe(true);
  });
});
