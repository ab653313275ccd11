/**
 * Starting strategy on sparse binary items with many classes, some small: the default
 * ('seeded', greedy k-means++ on response patterns) with a modest number of starts and short
 * pre-runs must reach the maximum that EM finds from the true parameters. poLCA's uniform draw
 * starts every class near 50 % endorsement, far from all classes in such data.
 */
import { describe, expect, it } from 'vitest';
import { fitLca, lcaCodesToRows, simulateLca } from '../../../src/lca/index';
import { createRng } from '../../../src/core/random';

function sparseTruth(K: number, J: number, seed: number): number[][][] {
  const rng = createRng(seed);
  // each class endorses a few items often (0.4–0.8) and the rest rarely (0.01–0.06)
  return Array.from({ length: K }, () => Array.from({ length: J }, () => {
    const p = rng.nextFloat() < 0.18 ? 0.4 + 0.4 * rng.nextFloat() : 0.01 + 0.05 * rng.nextFloat();
    return [1 - p, p];
  }));
}

describe('random starts on sparse data with small classes', () => {
  const K = 8;
  const J = 30;
  const shares = [0.26, 0.2, 0.16, 0.13, 0.1, 0.09, 0.04, 0.02];
  const truth = sparseTruth(K, J, 5);
  const sim = simulateLca(8000, shares, truth, 6);
  const rows = lcaCodesToRows(sim.codes, sim.nRows, J);
  const opts = { classes: K, tol: 1e-8, maxIter: 2000, workers: false as const, accelerate: true };
  const fromTruth = fitLca(rows, { ...opts, startValues: { itemProbs: truth, shares } });

  it('default starts reach the log-likelihood of the fit started from the truth', () => {
    const f = fitLca(rows, { ...opts, starts: 10, seed: 1, preRun: { iterations: 20, keep: 2 } });
    expect(Math.abs(f.logLik - fromTruth.logLik)).toBeLessThan(1e-6 * Math.abs(fromTruth.logLik));
    // the small classes are found
    expect(Math.min(...f.shares)).toBeGreaterThan(0.01);
  });

  it('same seed, same result; startMethod is validated', () => {
    const a = fitLca(rows, { ...opts, starts: 2, seed: 3, maxIter: 30 });
    const b = fitLca(rows, { ...opts, starts: 2, seed: 3, maxIter: 30 });
    expect(a.startLogLiks).toEqual(b.startLogLiks);
    expect(() => fitLca(rows, { ...opts, starts: 2, startMethod: 'kmeans' as never })).toThrow(/startMethod/);
  });
});
