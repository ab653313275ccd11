// coxph.fit's Newton–Raphson with step-halving and coxph's grouped-dfbeta sandwich, over plain
// evaluators whose maximum and derivatives are known in closed form.
import { describe, expect, it } from 'vitest';
import { coxNewton, coxRobustVariance } from '../../src/survival/coxNewton';

/**
 * ℓ(β) = −10 − Σ_a log cosh(β_a − c_a) − ½ κ (β₀ − c₀)(β₁ − c₁): maximum −10 at c (away from 0, as
 * coxph's relative convergence test needs); Newton from 0 overshoots when c is far.
 */
function logCosh(c: number[], kappa: number) {
  const u = new Float64Array(2);
  const imat = new Float64Array(4);
  const calls: number[][] = [];
  const evaluate = (b: Float64Array): number => {
    calls.push(Array.from(b));
    const d = [b[0] - c[0], b[1] - c[1]];
    for (let a = 0; a < 2; a++) {
      u[a] = -Math.tanh(d[a]) - 0.5 * kappa * d[1 - a];
      imat[a * 2 + a] = 1 / Math.cosh(d[a]) ** 2;
    }
    imat[1] = imat[2] = 0.5 * kappa;
    return -10 - Math.log(Math.cosh(d[0])) - Math.log(Math.cosh(d[1])) - 0.5 * kappa * d[0] * d[1];
  };
  return { evaluate, u, imat, calls };
}

describe('coxNewton', () => {
  it('reaches the maximum of a smooth concave function, with R\'s outputs at 0 and at the estimate', () => {
    const c = [0.8, -0.5];
    const f = logCosh(c, 0.2);
    const r = coxNewton(f.evaluate, f.u, f.imat, ['a', 'b'], 1e-12, 30, undefined, 'test');
    expect(r.converged).toBe(true);
    expect(r.beta[0]).toBeCloseTo(c[0], 6);
    expect(r.beta[1]).toBeCloseTo(c[1], 6);
    expect(r.logLik).toBeCloseTo(-10, 10);
    // Null log-likelihood and score test u₀ᵀ I₀⁻¹ u₀ at β = 0, written out.
    const e0 = f.evaluate(new Float64Array(2));
    expect(r.logLikNull).toBe(e0);
    const [u0, u1] = [f.u[0], f.u[1]];
    const [i00, i01, i11] = [f.imat[0], f.imat[1], f.imat[3]];
    const det = i00 * i11 - i01 * i01;
    expect(r.scoreStat).toBeCloseTo((u0 * u0 * i11 - 2 * u0 * u1 * i01 + u1 * u1 * i00) / det, 10);
    // Model variance: the inverse information at the estimate, [[1, κ/2], [κ/2, 1]]⁻¹.
    const dd = 1 - 0.01;
    expect(r.varNaive[0]).toBeCloseTo(1 / dd, 6);
    expect(r.varNaive[1]).toBeCloseTo(-0.1 / dd, 6);
    expect(r.warnings).toEqual([]);
  });

  it('halves the step when the log-likelihood falls, and still converges', () => {
    // From 0, the first Newton step on log cosh(β − 3) is tanh(3)·cosh²(3) ≈ 100: far past 3.
    const f = logCosh([3, 3], 0);
    const r = coxNewton(f.evaluate, f.u, f.imat, ['a', 'b'], 1e-12, 60, undefined, 'test');
    expect(r.converged).toBe(true);
    expect(r.beta[0]).toBeCloseTo(3, 6);
    // Some trial point must be a halving: the midpoint of the previous accepted point and a rejected one.
    const firstTrial = f.calls[1][0];
    expect(firstTrial).toBeGreaterThan(50);
    expect(f.calls.some((b) => b[0] > 0 && b[0] < firstTrial / 1.5 && b[0] > firstTrial / 2.5)).toBe(true);
  });

  it('warns when out of iterations and reports the best accepted point', () => {
    const f = logCosh([3, 3], 0);
    const r = coxNewton(f.evaluate, f.u, f.imat, ['a', 'b'], 1e-12, 2, undefined, 'test');
    expect(r.converged).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/Ran out of iterations \(2\)/);
  });

  it('throws on a singular information at 0 naming the caller', () => {
    const u = new Float64Array(2);
    const imat = new Float64Array(4);
    const evaluate = (b: Float64Array): number => {
      u[0] = u[1] = -(b[0] + b[1]);
      imat.fill(1);
      return -0.5 * (b[0] + b[1]) ** 2;
    };
    expect(() => coxNewton(evaluate, u, imat, ['a', 'b'], 1e-9, 20, undefined, 'fitSomething')).toThrow(/fitSomething: information matrix is singular at beta = 0/);
  });
});

describe('coxRobustVariance', () => {
  const V = Float64Array.from([2, 0.5, 0.5, 1]);
  it('is V (D′D) V with D the per-group score sums, and gives the robust score test at 0', () => {
    const g = Float64Array.from([1, 0, -1, 2, 0.5, -1]); // G = 3, p = 2
    const g0 = Float64Array.from([0.3, 0.1, 0.2, -0.4, 0.5, 0.2]);
    const warnings: string[] = [];
    const r = coxRobustVariance((b) => (b.every((v) => v === 0) ? g0 : g), 3, Float64Array.from([0.1, 0.2]), V, true, ['a', 'b'], warnings, 'test');
    // D′D by hand.
    const B = [0, 0, 0, 0];
    for (let c = 0; c < 3; c++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) B[a * 2 + b] += g[c * 2 + a] * g[c * 2 + b];
    const VB = [0, 1].flatMap((a) => [0, 1].map((b) => V[a * 2] * B[b] + V[a * 2 + 1] * B[2 + b]));
    const VBV = [0, 1].flatMap((a) => [0, 1].map((b) => VB[a * 2] * V[b] + VB[a * 2 + 1] * V[2 + b]));
    for (let k = 0; k < 4; k++) expect(r.vcov[k]).toBeCloseTo(VBV[k], 12);
    expect(r.robustSe[0]).toBeCloseTo(Math.sqrt(VBV[0]), 12);
    // Robust score test: U₀ᵀ (D₀′D₀)⁻¹ U₀ with U₀ the column sums of the sums at 0.
    const U = [0.3 + 0.2 + 0.5, 0.1 - 0.4 + 0.2];
    const B0 = [0, 0, 0, 0];
    for (let c = 0; c < 3; c++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) B0[a * 2 + b] += g0[c * 2 + a] * g0[c * 2 + b];
    const det = B0[0] * B0[3] - B0[1] * B0[2];
    const stat = (U[0] * U[0] * B0[3] - 2 * U[0] * U[1] * B0[1] + U[1] * U[1] * B0[0]) / det;
    expect(r.robustScoreTest.statistic).toBeCloseTo(stat, 10);
    expect(r.robustScoreTest.df).toBe(2);
    expect(warnings).toEqual([]);
  });

  it('one cluster gives NaN and a warning naming the cause, not a tiny SE', () => {
    const warnings: string[] = [];
    const r = coxRobustVariance(() => Float64Array.from([1e-15, -1e-15]), 1, Float64Array.from([0.1, 0.2]), V, true, ['a', 'b'], warnings, 'fitCox');
    expect(r.robustSe.every(Number.isNaN)).toBe(true);
    expect(warnings.join(' ')).toMatch(/cluster/);
  });

  it('a non-positive-definite information on the Newton path gives no estimate (NaN), not the last point', () => {
    // ℓ rises along the step from 0, but the information there is −1: no maximum along this path.
    const u = new Float64Array(1);
    const imat = new Float64Array(1);
    const evaluate = (b: Float64Array): number => {
      u[0] = 1;
      imat[0] = b[0] === 0 ? 1 : -1;
      return -10 + b[0];
    };
    const r = coxNewton(evaluate, u, imat, ['a'], 1e-9, 20, undefined, 'fitSomething');
    expect(r.noEstimate).toBe(true);
    expect(r.converged).toBe(false);
    expect(Number.isNaN(r.varNaive[0])).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/fitSomething: the information matrix is not positive definite at Newton iteration 1.*NaN/);
    expect(r.warnings.join(' ')).not.toMatch(/Ran out of iterations/);
  });
});
