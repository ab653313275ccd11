// The M-step (src/lca/em/mstep) with covariates: at EM's fixed point the multinomial-logit
// score equations Σ_i w_i x_i (τ_ik − π_ik(x_i)) = 0 hold for every class k ≥ 2 and covariate,
// computed here by hand from the returned parameters; and the true effect is recovered.
import { describe, expect, it } from 'vitest';
import { runEm, posteriorAt } from '../../../src/lca/em/em';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { createRng } from '../../../src/core/random';
import type { LcaParams } from '../../../src/lca/types';

describe('mStep with covariates', () => {
  it('beta solves the logit score equations at convergence and recovers the truth', () => {
    const r = createRng(19); const n = 4000; const J = 6;
    const probs = [[0.85, 0.8, 0.85, 0.8, 0.2, 0.15], [0.15, 0.2, 0.2, 0.85, 0.85, 0.8]];
    const x = new Float64Array(n * 2); const rows: number[][] = [];
    for (let i = 0; i < n; i++) {
      const z = r.nextNormal(); x[i * 2] = 1; x[i * 2 + 1] = z;
      const p2 = 1 / (1 + Math.exp(-(-0.3 + 0.9 * z))); // true beta: intercept -0.3, slope 0.9
      const k = r.nextFloat() < p2 ? 1 : 0;
      rows.push(probs[k].map((p) => (r.nextFloat() < p ? 1 : 0)));
    }
    const p = prepareLcaData(codeRows(rows), { covariates: x, nCov: 2 });
    const T = 2 * J;
    const params: LcaParams = { nClasses: 2, shares: Float64Array.from([0.5, 0.5]), probs: new Float64Array(2 * T), beta: new Float64Array(2) };
    for (let j = 0; j < J; j++) { params.probs[2 * j] = 0.3; params.probs[2 * j + 1] = 0.7; params.probs[T + 2 * j] = 0.6; params.probs[T + 2 * j + 1] = 0.4; }
    const out = runEm(p.data, params, { maxIter: 5000, tol: 1e-12, paramTol: null, relTol: 0, accelerate: false, useSparse: p.useSparse, trace: false });
    expect(out.converged).toBe(true);
    expect(out.newtonFailed).toBe(false);
    const b = params.beta!;
    const tau = new Float64Array(p.data.nRows * 2);
    posteriorAt(p.data, params, p.useSparse, tau);
    const d = p.data;
    const g = [0, 0];
    for (let i = 0; i < d.nRows; i++) {
      const xi = [d.covariates![i * 2], d.covariates![i * 2 + 1]];
      const pi2 = 1 / (1 + Math.exp(-(b[0] * xi[0] + b[1] * xi[1])));
      for (let s = 0; s < 2; s++) g[s] += d.weights[i] * xi[s] * (tau[i * 2 + 1] - pi2);
    }
    expect(Math.abs(g[0])).toBeLessThan(1e-5);
    expect(Math.abs(g[1])).toBeLessThan(1e-5);
    // label switching: the fitted class 2 is the true class 2 when its item-6 probability is high
    const sign = params.probs[T + 2 * 5 + 1] > 0.5 ? 1 : -1;
    expect(sign * b[1]).toBeGreaterThan(0.9 - 4 * 0.06);
    expect(sign * b[1]).toBeLessThan(0.9 + 4 * 0.06);
  });
});
