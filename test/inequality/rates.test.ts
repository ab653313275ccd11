// Rates with exact Poisson intervals, rate ratios and ridits (src/inequality/rates) against R.
// R 4.2:
//   poisson.test(7)$conf.int                       # 2.81436305151987 14.42267536170238
//   poisson.test(0)$conf.int                       # 0 3.68887945411394
//   poisson.test(25, conf.level = 0.9)$conf.int    # 17.3821258417509 34.9160801699241
import { describe, expect, it } from 'vitest';
import { poissonCountCi, rateRatio, rateWithCi, ridits } from '../../src/inequality/rates';

describe('exact Poisson intervals (poisson.test)', () => {
  it('match R for 7, 0 and 25 (90%)', () => {
    const [a, b] = poissonCountCi(7);
    expect(a).toBeCloseTo(2.81436305151987, 11);
    expect(b).toBeCloseTo(14.42267536170238, 11);
    const [z0, z1] = poissonCountCi(0);
    expect(z0).toBe(0);
    expect(z1).toBeCloseTo(3.68887945411394, 11);
    const [c, d] = poissonCountCi(25, 0.9);
    expect(c).toBeCloseTo(17.3821258417509, 10);
    expect(d).toBeCloseTo(34.9160801699241, 10);
    expect(poissonCountCi(-1).every(Number.isNaN)).toBe(true);
  });
  it('rateWithCi scales count and interval per 10,000 and gives NaN for an empty population', () => {
    const r = rateWithCi({ count: 7, population: 2000 });
    expect(r.rate).toBeCloseTo(35, 12);
    expect(r['conf.low']).toBeCloseTo(2.81436305151987 / 2000 * 1e4, 10);
    expect(r['conf.high']).toBeCloseTo(14.42267536170238 / 2000 * 1e4, 10);
    expect(Number.isNaN(rateWithCi({ count: 3, population: 0 }).rate)).toBe(true);
  });
});

describe('rateRatio (log-normal CI, SE = sqrt(1/a + 1/b))', () => {
  it('computes the ratio and its interval by hand', () => {
    const r = rateRatio({ count: 40, population: 1000 }, { count: 10, population: 2000 });
    expect(r.estimate).toBeCloseTo(8, 14);
    const se = Math.sqrt(1 / 40 + 1 / 10);
    expect(r['std.error.log']).toBeCloseTo(se, 14);
    expect(r['conf.low']).toBeCloseTo(8 * Math.exp(-1.959963984540054 * se), 12);
    expect(r['conf.high']).toBeCloseTo(8 * Math.exp(1.959963984540054 * se), 12);
  });
  it('is NaN, never Infinity, with a zero count', () => {
    expect(Number.isNaN(rateRatio({ count: 5, population: 10 }, { count: 0, population: 10 }).estimate)).toBe(true);
  });
});

describe('ridits', () => {
  it('are midpoints of cumulative population shares', () => {
    expect(ridits([1, 1, 2])).toEqual([0.125, 0.375, 0.75]);
    const r = ridits([3, 5, 2, 10]);
    expect(r[0]).toBeCloseTo(1.5 / 20, 15);
    expect(r[3]).toBeCloseTo((10 + 5) / 20, 15);
  });
});
