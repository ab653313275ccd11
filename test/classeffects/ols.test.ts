/**
 * Three-step class effects in a linear model, by simulation: indicators from a 3-class model
 * with moderate separation (relative entropy ≈ 0.75), y = γ_class + 0.5 z + N(0, 1), step 1 a
 * fitted LCA per replicate. Modal assignment is biased towards 0 and under-covers; BCH on the
 * class-expanded data with the cluster sandwich recovers γ with near-nominal coverage.
 */
import { describe, expect, it } from 'vitest';
import { fitLca } from '../../src/lca/index';
import { fitOls } from '../../src/regression/index';
import { fitOlsClassEffects, simulateClassOutcome } from '../../src/classeffects/index';

const shares = [0.5, 0.3, 0.2];
const pat = [[1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1, 1, 1]];
const itemProbs = pat.map((r) => r.map((v) => (v ? [0.2, 0.8] : [0.8, 0.2])));
const gamma = [0, 1, -0.8];

function step1(s: ReturnType<typeof simulateClassOutcome>) {
  return fitLca({ codes: s.codes, nRows: s.nRows, nItems: s.nItems }, { classes: 3, startValues: { itemProbs, shares }, sortClasses: false, tol: 1e-8, workers: false });
}

describe('fitOlsClassEffects', () => {
  it('modal equals fitOls on modal dummies with cluster-robust HC1 variance (sandwich::vcovCL)', () => {
    const s = simulateClassOutcome(800, { shares, itemProbs, classEffects: gamma, zEffect: 0.5, outcome: 'normal', seed: 3 });
    const fit = step1(s);
    const cl = Array.from({ length: 800 }, (_, i) => Math.floor(i / 4));
    const a = fitOlsClassEffects({ y: s.y, x: Array.from(s.z, (v) => [v]), names: ['z'], posterior: fit.posterior, method: 'modal', cluster: cl });
    const x = Array.from({ length: 800 }, (_, i) => [1, fit.modal[i] === 1 ? 1 : 0, fit.modal[i] === 2 ? 1 : 0, s.z[i]]);
    const b = fitOls({ y: s.y, x, names: ['(Intercept)', 'class2', 'class3', 'z'], vcov: 'cluster', cluster: cl });
    a.tidy().forEach((r, j) => {
      expect(r.estimate as number).toBeCloseTo(b.coef[j], 10);
      expect(r['std.error'] as number).toBeCloseTo(b.se[j], 10);
      expect(r['conf.low'] as number).toBeCloseTo(b.ciLow[j], 10);
    });
    expect(a.glance().nobs).toBe(800);
  });

  it('simulation: BCH is unbiased with near-nominal 95% coverage; modal is attenuated', () => {
    const reps = 80;
    const n = 1500;
    const est: Record<'modal' | 'bch', number[][]> = { modal: [[], []], bch: [[], []] };
    const inside: Record<'modal' | 'bch', number> = { modal: 0, bch: 0 };
    for (let r = 0; r < reps; r++) {
      const s = simulateClassOutcome(n, { shares, itemProbs, classEffects: gamma, zEffect: 0.5, outcome: 'normal', seed: 500 + r });
      const fit = step1(s);
      for (const method of ['modal', 'bch'] as const) {
        const rows = fitOlsClassEffects({ y: s.y, x: Array.from(s.z, (v) => [v]), names: ['z'], posterior: fit.posterior, method }).tidy();
        [2, 3].forEach((k, j) => {
          const t = rows.find((x) => x.term === `class${k}`)!;
          est[method][j].push(t.estimate as number);
          if ((t['conf.low'] as number) <= gamma[k - 1] && gamma[k - 1] <= (t['conf.high'] as number)) inside[method]++;
        });
      }
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const cover = (m: 'modal' | 'bch') => inside[m] / (2 * reps);
    for (let j = 0; j < 2; j++) {
      const truth = gamma[j + 1];
      // modal: pulled towards 0 by at least 10% of the effect
      expect(Math.abs(mean(est.modal[j]))).toBeLessThan(0.9 * Math.abs(truth));
      // BCH: bias within 3 Monte Carlo SEs and below 3% of the effect
      const sd = Math.sqrt(mean(est.bch[j].map((v) => (v - mean(est.bch[j])) ** 2)));
      expect(Math.abs(mean(est.bch[j]) - truth)).toBeLessThan(Math.max(3 * sd / Math.sqrt(reps), 0.03 * Math.abs(truth)));
    }
    // 160 intervals: nominal 0.95 has Monte Carlo SE ≈ 0.017
    expect(cover('bch')).toBeGreaterThanOrEqual(0.9);
    expect(cover('bch')).toBeLessThanOrEqual(0.99);
    expect(cover('modal')).toBeLessThan(0.7);
  }, 60_000);
});
