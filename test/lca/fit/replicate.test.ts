/**
 * Replication batches with the futility bar (replicate.stopHopeless): starts of the further
 * batches that cannot come within the replication tolerance of the best log-likelihood stop
 * early. The chosen fit, its log-likelihood and the replication count must be exactly those of
 * running every start to the end, at a lower iteration count.
 */
import { describe, expect, it } from 'vitest';
import { fitLca } from '../../../src/lca/index';
import { simulateLca } from '../../../src/lca/simulate';

// 4 true classes over 12 binary items; fitting 6 (over-fitted) gives many local maxima, so the
// best log-likelihood is rarely reached twice in the first batch and further batches run.
const J = 12;
const profile = (k: number) => Array.from({ length: J }, (_, j) => { const p = ((j + k * 3) % J) < 4 ? 0.8 : 0.15; return [1 - p, p]; });
const sim = simulateLca(3000, [0.4, 0.3, 0.2, 0.1], [0, 1, 2, 3].map(profile), 11);
const X = { codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems };

describe('fitLca replication batches with stopHopeless', () => {
  it('same best fit and replication count as running every start to the end, fewer iterations', () => {
    const base = { classes: 6, starts: 4, seed: 5, maxIter: 400, tol: 1e-9, workers: false as const, preRun: { iterations: 10, keep: 2 } };
    const full = fitLca(X, { ...base, replicate: { minCount: 2, maxStarts: 16, stopHopeless: false } });
    const fast = fitLca(X, { ...base, replicate: { minCount: 2, maxStarts: 16 } });
    // the batches did run, and some starts were stopped
    expect(full.bestLogLikReplicated.total).toBeGreaterThan(2);
    expect(fast.warnings.some((w) => /stopped early/.test(w))).toBe(true);
    expect(fast.totalIterations).toBeLessThan(full.totalIterations);
    expect(fast.logLik).toBe(full.logLik);
    expect(fast.bestStartIndex).toBe(full.bestStartIndex);
    expect(fast.bestLogLikReplicated).toEqual(full.bestLogLikReplicated);
    expect(fast.converged).toBe(full.converged);
    expect(fast.shares).toEqual(full.shares);
  });
});
