/**
 * Multi-group comparison by simulation: with invariant measurement the LR test should not
 * reject and BIC should prefer the invariant model, and share differences should be
 * recovered within their SEs; with non-invariant measurement the LR test rejects.
 */
import { describe, expect, it } from 'vitest';
import { fitLca, lcaCodesToRows, lcaMultiGroup, simulateLca } from '../../src/lca/index';

const probsA = [
  Array.from({ length: 6 }, (_, j) => (j < 3 ? [0.15, 0.85] : [0.8, 0.2])),
  Array.from({ length: 6 }, (_, j) => (j < 3 ? [0.85, 0.15] : [0.2, 0.8])),
];
const probsB = [
  Array.from({ length: 6 }, (_, j) => (j < 3 ? [0.15, 0.85] : [0.45, 0.55])),
  Array.from({ length: 6 }, (_, j) => (j < 3 ? [0.85, 0.15] : [0.2, 0.8])),
];

function twoGroups(second: typeof probsA, seed: number) {
  const g1 = simulateLca(1200, [0.6, 0.4], probsA, seed);
  const g2 = simulateLca(800, [0.45, 0.55], second, seed + 1);
  const rows = [...lcaCodesToRows(g1.codes, g1.nRows, 6), ...lcaCodesToRows(g2.codes, g2.nRows, 6)];
  const groups = [...new Array(1200).fill('2015-2020'), ...new Array(800).fill('2020-21')];
  return { rows, groups };
}

describe('lcaMultiGroup', () => {
  it('invariant measurement: LR test does not reject, BIC prefers invariance, share differences recovered', () => {
    const { rows, groups } = twoGroups(probsA, 10);
    const r = lcaMultiGroup(rows, { classes: 2, groups, starts: 4, seed: 3 });
    expect(r.groupLevels).toEqual(['2015-2020', '2020-21']);
    expect(r.groupSizes).toEqual([1200, 800]);
    expect(r.lrt.df).toBe(2 * (2 * 6 + 1) - (2 * 6 + 2 * 1));
    expect(r.lrt.pValue).toBeGreaterThan(0.01);
    expect(r.invariant.bic).toBeLessThan(r.free.bic);
    // the class with items 1–3 endorsed: share 0.6 → 0.45
    const fit = r.invariant.fit;
    const kA = fit.itemProbs[0][0][1] > 0.5 ? 0 : 1;
    const d = r.shareDifferences.find((x) => x.class === kA + 1) as Record<string, number>;
    expect(d['std.error']).toBeGreaterThan(0.005);
    expect(Math.abs(d.estimate - -0.15)).toBeLessThan(3.5 * d['std.error']);
    expect(r.invariant.shares[0][kA]).toBeCloseTo(0.6, 1);
  });

  it('non-invariant measurement: LR test rejects', () => {
    const { rows, groups } = twoGroups(probsB, 20);
    const r = lcaMultiGroup(rows, { classes: 2, groups, starts: 4, seed: 3 });
    expect(r.lrt.pValue).toBeLessThan(0.001);
    expect(r.free.bic).toBeLessThan(r.invariant.bic);
  });

  it('nested models stop by the pooled fit\'s rule unless told otherwise', () => {
    const { rows, groups } = twoGroups(probsA, 30);
    const pooled = fitLca(rows, { classes: 2, starts: 3, seed: 3, tol: 1e-6, relTol: 1e-7 });
    const inherited = lcaMultiGroup(rows, { classes: 2, groups, seed: 3, pooled });
    for (const f of [inherited.invariant.fit, ...inherited.free.fits]) {
      expect(f.options.relTol).toBe(1e-7);
      expect(f.options.tol).toBe(1e-6);
    }
    const explicit = lcaMultiGroup(rows, { classes: 2, groups, seed: 3, pooled, relTol: 0, tol: 1e-10 });
    for (const f of [explicit.invariant.fit, ...explicit.free.fits]) {
      expect(f.options.relTol).toBe(0);
      expect(f.options.tol).toBe(1e-10);
    }
    // the looser rule needs no more iterations; both nest the pooled fit
    expect(inherited.invariant.fit.iterations).toBeLessThanOrEqual(explicit.invariant.fit.iterations);
    expect(inherited.invariant.logLik).toBeGreaterThanOrEqual(pooled.logLik);
  });
});
