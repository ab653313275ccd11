// R: pchisq(x, df, lower.tail = FALSE), pf(x, df1, df2, lower.tail = FALSE), 2 * pnorm(-abs(z)).
import { describe, expect, it } from 'vitest';
import { pChisqUpper, pFUpper, pNormTwoSided, pTTwoSided } from '../../src/core/distributions';

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
