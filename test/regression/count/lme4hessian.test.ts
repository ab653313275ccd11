// lme4's Laplace devfun and deriv12, as reproduced for fitGlmm's default Hessian SEs. This file checks
// deriv12 on a cubic and the devfun on simulated data: at the estimate it equals the exact Laplace
// deviance, and away from it it is off by c·h², the bias that separates lme4's Hessian from the
// exact one. The R agreement itself is in glmm.test.ts (the glmer_poisson_random_intercept case).
import gammaln from '@stdlib/math-base-special-gammaln';
import { describe, expect, it } from 'vitest';
import { fitGlmm } from '../../../src/regression/count/index';
import { deriv12Hessian, laplaceDevfun } from '../../../src/regression/count/lme4hessian';
import { createRng } from '../../../src/core/random';

describe('deriv12Hessian', () => {
  it('is exact (to rounding) for a cubic, diagonal and cross terms', () => {
    const f = (x: Float64Array) => x[0] ** 3 + 2 * x[0] * x[1] + 3 * x[1] * x[1] * x[2] - x[2] ** 2;
    const x = [0.7, -1.3, 2.1];
    const exact = [6 * x[0], 2, 0, 2, 6 * x[2], 6 * x[1], 0, 6 * x[1], -2];
    const H = deriv12Hessian(f, x);
    exact.forEach((v, k) => expect(Math.abs(H[k] - v)).toBeLessThan(1e-6));
  });
});

describe('laplaceDevfun (lme4 nAGQ = 1)', () => {
  const rng = createRng(20261130);
  const n = 600; const G = 30; const p = 2;
  const x = new Float64Array(n * p); const y = new Float64Array(n); const off = new Float64Array(n); const g = new Int32Array(n);
  const b = Array.from({ length: G }, () => 0.4 * rng.nextNormal());
  for (let i = 0; i < n; i++) {
    const z = rng.nextNormal(); g[i] = i % G; off[i] = Math.log(50 + rng.nextInt(200));
    x[i * p] = 1; x[i * p + 1] = z;
    const mu = Math.exp(off[i] - 3 + 0.3 * z + b[g[i]]);
    let k = 0; let pr = Math.exp(-mu); let s = pr; const r = rng.nextFloat();
    while (r > s) { k++; pr *= mu / k; s += pr; }
    y[i] = k;
  }
  const fit = fitGlmm({ y, x: { nrow: n, ncol: p, data: x }, groups: Array.from(g), offset: off });
  const beta = Float64Array.from(fit.coef); const th = fit.sdRandom;
  const etaHat = new Float64Array(n); const Yg = new Float64Array(G); const Xty = new Float64Array(p);
  let C = 0; let yEtaHat = 0; let lgam = 0;
  for (let i = 0; i < n; i++) {
    etaHat[i] = off[i] + x[i * p] * beta[0] + x[i * p + 1] * beta[1];
    Yg[g[i]] += y[i]; Xty[0] += y[i] * x[i * p]; Xty[1] += y[i] * x[i * p + 1];
    C += (y[i] > 0 ? y[i] * Math.log(y[i]) : 0) - y[i]; yEtaHat += y[i] * etaHat[i]; lgam += gammaln(y[i] + 1);
  }
  // groupIndex sorts numeric ids numerically, so level k is group k.
  const u = Float64Array.from(fit.conditionalModes, (m) => m / th);
  const model = { n, p, G, x, code: g, etaHat, beta, theta: th, u, Yg, Xty, yLogYMinusY: C, yEtaHat };
  const devfun = laplaceDevfun(model);
  const devfunTab = laplaceDevfun({ ...model, step: 1e-4 });
  /** Exact Laplace deviance without Σ log y!: modes by Newton to convergence. */
  const exact = (par: Float64Array): number => {
    const E = new Float64Array(G); let yEta = 0;
    for (let i = 0; i < n; i++) { const e = off[i] + x[i * p] * par[1] + x[i * p + 1] * par[2]; E[g[i]] += Math.exp(e); yEta += y[i] * e; }
    let d = -2 * yEta;
    for (let k = 0; k < G; k++) {
      let v = 0;
      for (let it = 0; it < 100; it++) { const S = E[k] * Math.exp(par[0] * v); v -= (v - par[0] * (Yg[k] - S)) / (1 + par[0] * par[0] * S); }
      const S = E[k] * Math.exp(par[0] * v);
      d += 2 * (S - par[0] * v * Yg[k]) + v * v + Math.log(1 + par[0] * par[0] * S);
    }
    return d;
  };
  const at = (j: number, h: number) => { const par = Float64Array.from([th, beta[0], beta[1]]); par[j] += h; return par; };

  it('equals the exact Laplace deviance at the estimate (−2 logLik)', () => {
    expect(fit.converged).toBe(true);
    const dHat = devfun(at(0, 0)) - 2 * yEtaHat;
    expect(Math.abs(dHat / exact(at(0, 0)) - 1)).toBeLessThan(1e-10);
    expect(Math.abs((dHat + 2 * lgam) / (-2 * fit.logLik) - 1)).toBeLessThan(1e-9);
  });

  it('is off the exact deviance by c·h² away from the estimate (log|L| at the pre-update weights)', () => {
    const dev0 = devfun(at(0, 0)); const ex0 = exact(at(0, 0));
    for (const j of [0, 2]) {
      const bias = (h: number) => (devfun(at(j, h)) - dev0) - (exact(at(j, h)) - ex0);
      const b1 = bias(2e-3); const b2 = bias(4e-3);
      expect(Math.abs(b1)).toBeGreaterThan(1e-9);
      expect(b2 / b1).toBeGreaterThan(3.5);
      expect(b2 / b1).toBeLessThan(4.5);
    }
  });

  it('with exp(±δx) tabulated, gives the same values at deriv12 points (to rounding)', () => {
    for (const par of [at(0, 0), at(0, 1e-4), at(1, -1e-4), at(2, 1e-4)]) expect(Math.abs(devfunTab(par) / devfun(par) - 1)).toBeLessThan(1e-14);
    const both = at(1, 1e-4); both[2] -= 1e-4;
    expect(Math.abs(devfunTab(both) / devfun(both) - 1)).toBeLessThan(1e-14);
  });

  it("gives fitGlmm's default SEs: the β block of 2 H⁻¹ of its deriv12 Hessian", () => {
    const H = deriv12Hessian(devfunTab, at(0, 0));
    // 3 × 3 inverse by cofactors; vcov(β) = 2 (H⁻¹)[1:2, 1:2].
    const m = (r: number, c: number) => H[r * 3 + c];
    const det = m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) - m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) + m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0));
    const v11 = 2 * (m(0, 0) * m(2, 2) - m(0, 2) * m(2, 0)) / det; const v22 = 2 * (m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0)) / det;
    expect(Math.abs(Math.sqrt(v11) / fit.se[0] - 1)).toBeLessThan(1e-8);
    expect(Math.abs(Math.sqrt(v22) / fit.se[1] - 1)).toBeLessThan(1e-8);
  });
});
