// The shared IRLS loop (src/core/irls) on models small enough to follow by hand: least squares
// (one Newton step is exact), a deviance that is infinite past a wall (step halving), a singular
// information, and the iteration limit. The GLM fits built on it are checked against R in
// test/regression/logit.test.ts and test/regression/count/*.
import { describe, expect, it } from 'vitest';
import { irlsNewton, type IrlsControl, type IrlsModel } from '../../src/core/irls';

const ctl = (over: Partial<IrlsControl> = {}): IrlsControl => ({ maxIter: 25, halvings: 30, riseTol: 1e-10, converged: (c) => c < 1e-12, ...over });

/** y = a + b·x by least squares as an IRLS model: W = 1, z = y, deviance = RSS. */
function leastSquares(x: number[], y: number[], wall = Infinity): IrlsModel & { calls: number[][] } {
  const calls: number[][] = [];
  return {
    p: 2, calls,
    deviance(beta) {
      calls.push(Array.from(beta));
      if (beta[1] > wall) return Infinity;
      let rss = 0;
      for (let i = 0; i < x.length; i++) { const e = y[i] - beta[0] - beta[1] * x[i]; rss += e * e; }
      return rss;
    },
    normalEquations(A, b) {
      A.fill(0); b.fill(0);
      for (let i = 0; i < x.length; i++) {
        A[0] += 1; A[1] += x[i]; A[3] += x[i] * x[i]; b[0] += y[i]; b[1] += x[i] * y[i];
      }
      A[2] = A[1];
    },
  };
}
const x = [0, 1, 2, 3, 4]; const y = [1.1, 2.9, 5.2, 6.8, 9.1]; // lm(y ~ x): 1.04, 1.99 (R: coef(lm(y ~ x)))

describe('irlsNewton', () => {
  it('least squares: the first Newton step is lm\'s solution and the second confirms convergence', () => {
    const m = leastSquares(x, y);
    const r = irlsNewton(m, new Float64Array(2), 1e9, ctl());
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(2);
    expect(r.beta[0]).toBeCloseTo(1.04, 12);
    expect(r.beta[1]).toBeCloseTo(1.99, 12);
    expect(r.deviance).toBeCloseTo(0.107, 12); // deviance(lm(y ~ x))
  });
  it('halves a step whose deviance is not finite, from the previous estimate towards the Newton step', () => {
    const m = leastSquares(x, y, 1);
    const r = irlsNewton(m, Float64Array.of(0, 0), 1e9, ctl({ maxIter: 1 }));
    // full step (1.04, 1.99) is past the wall b ≤ 1; half of it, (0.52, 0.995), is not
    expect(m.calls[0]).toEqual([expect.closeTo(1.04, 12), expect.closeTo(1.99, 12)]);
    expect(r.beta[1]).toBeCloseTo(0.995, 12);
    expect(r.beta[0]).toBeCloseTo(0.52, 12);
    expect(Number.isFinite(r.deviance)).toBe(true);
  });
  it('a singular information stops the loop with the starting estimate and says so', () => {
    const m = leastSquares([2, 2, 2], [1, 2, 3]); // x constant: XᵀX singular
    const r = irlsNewton(m, Float64Array.of(0.5, 0), 7, ctl());
    expect(r).toMatchObject({ singular: true, converged: false, iterations: 1, deviance: 7 });
    expect(Array.from(r.beta)).toEqual([0.5, 0]);
  });
  it('the iteration limit ends the loop unconverged with iterations = maxIter (as glm.fit\'s iter)', () => {
    const r = irlsNewton(leastSquares(x, y), new Float64Array(2), 1e9, ctl({ maxIter: 1 }));
    expect(r).toMatchObject({ converged: false, iterations: 1, singular: false });
  });
  it('uses the caller\'s normal equations for the first iteration when given', () => {
    const m = leastSquares(x, y);
    let own = 0;
    const counted: IrlsModel = { ...m, normalEquations: (A, b) => { own++; m.normalEquations(A, b); } };
    const A = new Float64Array(4); const b = new Float64Array(2);
    m.normalEquations(A, b);
    const r = irlsNewton(counted, new Float64Array(2), 1e9, ctl(), A, b);
    expect(r.iterations).toBe(2);
    expect(own).toBe(1);
  });
});
