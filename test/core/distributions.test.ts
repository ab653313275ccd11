// R: pchisq(x, df, lower.tail = FALSE), pf(x, df1, df2, lower.tail = FALSE), 2 * pnorm(-abs(z)).
import { describe, expect, it } from 'vitest';
import { pChisqUpper, pFUpper, pNorm, pNormTwoSided, pTTwoSided, qNorm, qT } from '../../src/core/distributions';

describe('p-values of a statistic that does not exist', () => {
  it('NaN statistic → NaN p (R: pchisq(NaN, 2, lower.tail = FALSE) is NaN), never p = 1', () => {
    expect(pChisqUpper(NaN, 2)).toBeNaN();
    expect(pFUpper(NaN, 1, 10)).toBeNaN();
    expect(pNormTwoSided(NaN)).toBeNaN();
    expect(pTTwoSided(NaN, 5)).toBeNaN();
  });
  it('agrees with R in the body and far tail', () => {
    // pchisq(3.84, 1, lower.tail = FALSE) = 0.05004352124870519; pchisq(100, 3, lower.tail = FALSE) = 1.554159e-21
    expect(Math.abs(pChisqUpper(3.84, 1) - 0.05004352124870519)).toBeLessThan(1e-15);
    expect(Math.abs(pChisqUpper(100, 3) / 1.554159e-21 - 1)).toBeLessThan(1e-6);
    expect(pChisqUpper(0, 3)).toBe(1);
  });
});

describe('quantiles and distribution functions against R', () => {
  it('normal: qnorm(0.975) = 1.959963984540054, pnorm(1.96) = 0.9750021048517795, qnorm(0.5) = 0', () => {
    expect(Math.abs(qNorm(0.975) - 1.959963984540054)).toBeLessThan(1e-12);
    expect(Math.abs(pNorm(1.96) - 0.9750021048517795)).toBeLessThan(1e-14);
    expect(qNorm(0.5)).toBe(0);
  });
  it('t: qt(0.975, 10) = 2.228138851986274; 2 * pt(-2, 10) = 0.07338803', () => {
    expect(Math.abs(qT(0.975, 10) - 2.228138851986274)).toBeLessThan(1e-9);
    expect(Math.abs(pTTwoSided(2, 10) - 0.07338803)).toBeLessThan(1e-8);
  });
  it('closed forms: pchisq(x, 2, lower.tail = FALSE) = exp(−x/2); pf(x, 2, d, lower.tail = FALSE) = (1 + 2x/d)^(−d/2)', () => {
    for (const x of [0.1, 1, 5, 20]) expect(pChisqUpper(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 12);
    expect(pFUpper(4, 2, 10) / Math.pow(1.8, -5)).toBeCloseTo(1, 12);
  });
});
