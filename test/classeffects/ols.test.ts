/**
 * Three-step class effects in a linear model, by simulation: indicators from a 3-class model
 * with moderate separation (relative entropy ≈ 0.75), y = γ_class + 0.5 z + N(0, 1), step 1 a
 * fitted LCA per replicate. Modal assignment is biased towards 0 and under-covers; BCH on the
 * class-expanded data with the cluster sandwich recovers γ with near-nominal coverage.
 */
import { describe, expect, it } from 'vitest';
import { fitOls } from '../../src/regression/index';
import { fitOlsClassEffects, simulateClassOutcome } from '../../src/classeffects/index';
import { SIM_SHARES, SIM_ITEM_PROBS, step1, expectBchRecoversModalAttenuates } from '../helpers/classEffectsSim';

const gamma = [0, 1, -0.8];
const shares = SIM_SHARES;
const itemProbs = SIM_ITEM_PROBS;

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

  it('summed copies equal the fit of the expanded rows to 1e-10 (BCH and modal; clusters, own-unit clusters, reference class, no x)', () => {
    const n = 600;
    const s = simulateClassOutcome(n, { shares, itemProbs, classEffects: gamma, zEffect: 0.5, outcome: 'normal', seed: 11 });
    const fit = step1(s);
    // Two covariates with unequal scales, so the [1 x] block is not trivially conditioned.
    const x = Array.from({ length: n }, (_, i) => [s.z[i], 100 + 10 * Math.sin(i)]);
    const cl = Array.from({ length: n }, (_, i) => `s${i % 37}`);
    const cases = [
      { method: 'bch' as const, cluster: cl, reference: 0, x },
      { method: 'bch' as const, cluster: undefined, reference: 2, x },
      { method: 'bch' as const, cluster: cl, reference: 1, x: null },
      { method: 'modal' as const, cluster: cl, reference: 1, x },
    ];
    for (const c of cases) {
      const args = { y: s.y, x: c.x, names: c.x ? ['z', 'w'] : undefined, posterior: fit.posterior, method: c.method, cluster: c.cluster, reference: c.reference };
      const a = fitOlsClassEffects(args);
      const b = fitOlsClassEffects({ ...args, expand: true });
      expect(a.names).toEqual(b.names);
      expect(a.nExpanded).toBe(b.nExpanded);
      expect(a.nClusters).toBe(b.nClusters);
      for (let j = 0; j < a.coef.length; j++) {
        expect(Math.abs(a.coef[j] - b.coef[j])).toBeLessThan(1e-10 * Math.max(1, Math.abs(b.coef[j])));
        for (let k = 0; k < a.coef.length; k++) expect(Math.abs(a.vcov[j][k] - b.vcov[j][k])).toBeLessThan(1e-10 * Math.max(1e-3, Math.abs(b.vcov[j][k])));
      }
      expect(a.classificationError).toEqual(b.classificationError);
    }
    // BCH weights are signed; the summed path must keep copies with negative weight (the modal fit differs).
    const bch = fitOlsClassEffects({ y: s.y, x, posterior: fit.posterior, method: 'bch' });
    const modal = fitOlsClassEffects({ y: s.y, x, posterior: fit.posterior, method: 'modal' });
    expect(Math.abs(bch.coef[1] - modal.coef[1])).toBeGreaterThan(0.01);
  });

  it('simulation: BCH is unbiased with near-nominal 95% coverage; modal is attenuated', () => {
    expectBchRecoversModalAttenuates({
      reps: 80, n: 1500, seed0: 500, gamma, outcome: 'normal', modalCoverMax: 0.7,
      fit: (sim, posterior, method) => fitOlsClassEffects({ y: sim.y, x: Array.from(sim.z, (v) => [v]), names: ['z'], posterior, method }).tidy(),
    });
  }, 60_000);
});
