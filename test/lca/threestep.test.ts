/**
 * Three-step estimation by simulation: class membership depends on z through a known
 * multinomial logit; BCH and ML corrected slopes must be closer to the truth than modal
 * assignment (which is attenuated by classification error), and the one-step estimate.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { alignClasses, fitLca, lcaBchWeights, lcaClassificationError, lcaThreeStep } from '../../src/lca/index';

const rng = createRng(314);
const n = 4000;
const K = 3;
// true slopes of classes 2 and 3 vs class 1
const trueBeta = [
  [0, -0.2, -0.4],
  [0, 1.0, -1.0],
];
const probs = [
  Array.from({ length: 6 }, (_, j) => (j < 3 ? 0.8 : 0.8)),
  Array.from({ length: 6 }, (_, j) => (j < 3 ? 0.2 : 0.75)),
  Array.from({ length: 6 }, (_, j) => (j < 3 ? 0.25 : 0.2)),
];
const z: number[] = [];
const rows: number[][] = [];
const truth: number[] = [];
for (let i = 0; i < n; i++) {
  const zi = rng.nextNormal();
  z.push(zi);
  const eta = [0, 1, 2].map((k) => trueBeta[0][k] + trueBeta[1][k] * zi);
  const m = Math.max(...eta);
  const e = eta.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  let u = rng.nextFloat() * s;
  let k = 0;
  while (k < K - 1 && u >= e[k]) {
    u -= e[k];
    k++;
  }
  truth.push(k);
  rows.push(probs[k].map((p) => (rng.nextFloat() < p ? 1 : 0)));
}

describe('three-step with BCH and ML corrections', () => {
  const fit = fitLca(rows, { classes: 3, starts: 5, seed: 1 });
  const trueItemProbs = probs.map((c) => c.map((p) => [1 - p, p]));
  const perm = alignClasses(fit, trueItemProbs); // fit class perm[k] ↔ true class k
  const ref = perm[0];

  it('classification error matrix and BCH weights are consistent', () => {
    const { D } = lcaClassificationError(fit);
    for (const row of D) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(fit.entropy as number).toBeLessThan(0.8); // classes overlap: modal assignment is biased
    const bw = lcaBchWeights(fit);
    for (let i = 0; i < 10; i++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += bw.data[i * 3 + k];
      expect(s).toBeCloseTo(1, 10);
    }
  });

  it('BCH and ML slopes are less biased than modal assignment', () => {
    const err = (method: 'modal' | 'bch' | 'ml'): number => {
      const r = lcaThreeStep(fit, { covariates: z.map((v) => [v]), covariateNames: ['z'], method, reference: ref });
      expect(r.converged).toBe(true);
      let e = 0;
      for (const k of [1, 2]) e += Math.abs(r.beta[1][perm[k]] - trueBeta[1][k]);
      const se = r.tidy().filter((t) => t.term === 'z').map((t) => t['std.error'] as number);
      for (const s of se) expect(s).toBeGreaterThan(0);
      return e;
    };
    const modal = err('modal');
    const bch = err('bch');
    const ml = err('ml');
    console.log(`three-step summed abs slope error: modal ${modal.toFixed(3)}, BCH ${bch.toFixed(3)}, ML ${ml.toFixed(3)}`);
    expect(bch).toBeLessThan(modal);
    expect(ml).toBeLessThan(modal);
    // corrected slopes are close to the truth in absolute terms too
    expect(ml).toBeLessThan(0.35);
    expect(bch).toBeLessThan(0.35);
  });

  it('step 3 on distinct (assigned class, covariates) pairs equals the row-by-row fit (modal, BCH, ML)', () => {
    // coarse integer covariates, as at national scale (sex, age in years, decile): many rows share a pair
    const cov = z.map((v, i) => [Math.round(2 * v), i % 2]);
    for (const method of ['modal', 'bch', 'ml'] as const) {
      const a = lcaThreeStep(fit, { covariates: cov, covariateNames: ['zc', 'odd'], method, reference: ref });
      const b = lcaThreeStep(fit, { covariates: cov, covariateNames: ['zc', 'odd'], method, reference: ref, compress: false });
      expect(a.converged).toBe(true);
      const ta = a.tidy();
      const tb = b.tidy();
      expect(ta.length).toBe(tb.length);
      for (let r = 0; r < ta.length; r++) {
        for (const col of ['estimate', 'std.error'] as const) {
          const va = ta[r][col] as number;
          const vb = tb[r][col] as number;
          expect(Math.abs(va - vb)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(vb)));
        }
      }
      if (method === 'ml') expect(Math.abs(a.logLik - b.logLik)).toBeLessThanOrEqual(1e-8 * Math.abs(b.logLik));
      expect(a.glance().nobs).toBe(n);
    }
  });
});
