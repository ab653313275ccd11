// IRLS of src/regression/count/irls against R's glm.fit. R 4.2, MASS 7.3 (data in ./data.ts):
//   ctl <- glm.control(epsilon = 1e-14, maxit = 100)   # R's default 1e-8 stops ~4e-6 short for the NB fit
//   glm(y ~ x + offset(log(pop)), family = poisson, control = ctl)                # -1.68244228663225 1.27168263501973, deviance 24.3211632465975
//   glm(y ~ x + offset(log(pop)), family = negative.binomial(2.5), control = ctl) # -1.87170632308310 1.53861350060907, deviance 11.1857994708306
import { describe, expect, it } from 'vitest';
import { irls, type IrlsProblem } from '../../../src/regression/count/irls';
import { Y, X1, POP } from './data';

const n = Y.length;
const pr: IrlsProblem = {
  x: Float64Array.from(X1.flatMap((x) => [1, x])), n, p: 2, y: Y, offset: Float64Array.from(POP, Math.log), weights: null,
};
const start = Float64Array.from(Y, (y) => y + 0.1); // glm.fit's mustart for poisson

describe('irls (glm.fit)', () => {
  it('Poisson: R\'s coefficients and deviance', () => {
    const st = irls(pr, Infinity, start);
    expect(st.converged).toBe(true);
    expect(st.beta[0]).toBeCloseTo(-1.68244228663225, 9);
    expect(st.beta[1]).toBeCloseTo(1.27168263501973, 9);
    expect(st.deviance).toBeCloseTo(24.3211632465975, 9);
  });
  it('negative binomial at fixed theta = 2.5: R\'s coefficients and deviance', () => {
    const st = irls(pr, 2.5, start);
    expect(st.converged).toBe(true);
    // R stops on the relative deviance change, which pins beta only to ~1e-8 on this flat surface
    expect(st.beta[0]).toBeCloseTo(-1.87170632308310, 7);
    expect(st.beta[1]).toBeCloseTo(1.53861350060907, 7);
    expect(st.deviance).toBeCloseTo(11.1857994708306, 9);
    // the NB2 score equations sum (y - mu) / (1 + mu / theta) x = 0 hold at the returned beta
    for (const j of [0, 1]) {
      let u = 0;
      for (let i = 0; i < n; i++) u += (Y[i] - st.mu[i]) / (1 + st.mu[i] / 2.5) * pr.x[i * 2 + j];
      expect(Math.abs(u)).toBeLessThan(1e-9);
    }
  });
  it('flags a singular design instead of returning numbers', () => {
    const bad: IrlsProblem = { ...pr, x: Float64Array.from(X1.flatMap((x) => [x, 2 * x])) };
    expect(irls(bad, Infinity, start).singular).toBe(true);
  });
});
