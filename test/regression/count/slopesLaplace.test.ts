// Pieces of the random-slope Laplace deviance (src/regression/count/slopesLaplace): lme4's θ
// layout (Lambda filled column by column, lower triangle; R: getME(fit, "Lind")) and the
// Poisson constant. R 4.2: lgamma(c(1, 4, 11))  # 0 1.791759469228055 15.10441257307552
import { describe, expect, it } from 'vitest';
import { lambdaOf, lgammaSum, nTheta } from '../../../src/regression/count/slopesLaplace';

describe('slopesLaplace helpers', () => {
  it('nTheta counts the lower triangle; lambdaOf fills it column by column', () => {
    expect([1, 2, 3].map(nTheta)).toEqual([1, 3, 6]);
    // theta = (t11, t21, t31, t22, t32, t33)
    expect(Array.from(lambdaOf([1, 2, 3, 4, 5, 6], 3))).toEqual([1, 0, 0, 2, 4, 0, 3, 5, 6]);
  });
  it('Sigma = Lambda Lambda\' gives the SDs and correlation of the random effects', () => {
    const L = lambdaOf([0.5, 0.3, 0.4], 2);
    const s11 = L[0] ** 2; const s21 = L[2] * L[0]; const s22 = L[2] ** 2 + L[3] ** 2;
    expect(Math.sqrt(s11)).toBeCloseTo(0.5, 15);
    expect(s21 / Math.sqrt(s11 * s22)).toBeCloseTo(0.3 / Math.sqrt(0.3 ** 2 + 0.4 ** 2), 15); // corr = t21 / sqrt(t21^2 + t22^2)
  });
  it('lgammaSum is sum(lgamma(y + 1))', () => {
    expect(lgammaSum(Float64Array.from([0, 3, 10]))).toBeCloseTo(0 + 1.791759469228055 + 15.10441257307552, 12);
  });
});
