/**
 * The chunked, product-space E-step (src/lca/estep.ts) and its threads:
 *  - E-step threads give bit-identical fits to one thread;
 *  - the product path agrees with a log-space likelihood written out here, also when rows
 *    underflow (so that they must fall back to log space);
 *  - SQUAREM reaches plain EM's maximum, never lowers ℓ between cycles, and needs fewer EM maps.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/stats/random';
import { fitLca, simulateLca } from '../../src/lca/index';
import { chunkCount } from '../../src/lca/estep';

function randomProbs(K: number, J: number, seed: number, lo = 0.05, hi = 0.95): number[][][] {
  const rng = createRng(seed);
  return Array.from({ length: K }, () =>
    Array.from({ length: J }, () => {
      const p = lo + (hi - lo) * rng.nextFloat();
      return [1 - p, p];
    }),
  );
}

/** Σ_i log Σ_k π_k Π_j p_kj(y_ij), summed in log space with log-sum-exp (missing items skipped). */
function logLikDirect(codes: Int16Array, n: number, J: number, shares: number[], probs: number[][][]): number {
  let ll = 0;
  const lk = new Float64Array(shares.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < shares.length; k++) {
      let s = Math.log(shares[k]);
      for (let j = 0; j < J; j++) {
        const y = codes[i * J + j];
        if (y >= 0) s += Math.log(probs[k][j][y]);
      }
      lk[k] = s;
    }
    const m = Math.max(...lk);
    let t = 0;
    for (let k = 0; k < shares.length; k++) t += Math.exp(lk[k] - m);
    ll += m + Math.log(t);
  }
  return ll;
}

describe('chunked E-step', () => {
  // enough distinct patterns for several chunks: 40k rows × 24 items of middling prevalence
  const sim = simulateLca(40_000, [0.4, 0.35, 0.25], randomProbs(3, 24, 5), 6, 0.02);
  const input = { codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems };

  it('uses several chunks on this data', () => {
    const f = fitLca(input, { classes: 3, starts: 1, seed: 1, maxIter: 0, workers: false });
    expect(chunkCount(f.nPatterns)).toBeGreaterThan(2);
  });

  it('E-step threads give bit-identical fits to one thread', () => {
    for (const accelerate of [false, true]) {
      const one = fitLca(input, { classes: 3, starts: 1, seed: 4, workers: false, accelerate, tol: 1e-9 });
      const two = fitLca(input, { classes: 3, starts: 1, seed: 4, workers: 2, accelerate, tol: 1e-9 });
      expect(two.warnings.filter((w) => /thread/.test(w))).toEqual([]);
      expect(two.logLik).toBe(one.logLik);
      expect(two.iterations).toBe(one.iterations);
      expect(two.itemProbs).toEqual(one.itemProbs);
      expect(two.shares).toEqual(one.shares);
    }
  });

  it('dense, sparse and blocked E-steps match a log-space likelihood, also when rows underflow', () => {
    // 120 items with probabilities down to 1e-4: a row's class likelihood product can be far
    // below 1e-250, so those rows must be recomputed in log space
    const K = 3;
    const J = 120;
    const probs = randomProbs(K, J, 11, 1e-4, 0.5);
    const shares = [0.5, 0.3, 0.2];
    const s = simulateLca(3000, shares, probs, 12, 0.03);
    const want = logLikDirect(s.codes, s.nRows, J, shares, probs);
    for (const eStep of ['dense', 'sparse', 'blocked'] as const) {
      const f = fitLca({ codes: s.codes, nRows: s.nRows, nItems: J }, { classes: K, startValues: { shares, itemProbs: probs }, maxIter: 0, eStep, sortClasses: false });
      expect(Math.abs(f.logLik - want) / Math.abs(want)).toBeLessThan(1e-12);
    }
  });

  it('SQUAREM reaches plain EM’s maximum with fewer EM maps, and ℓ never falls between cycles', () => {
    const sv = { itemProbs: fitLca(input, { classes: 3, starts: 1, seed: 9, maxIter: 0, workers: false }).itemProbs };
    const plain = fitLca(input, { classes: 3, startValues: sv, workers: false, tol: 1e-10, maxIter: 20000, accelerate: false });
    const fast = fitLca(input, { classes: 3, startValues: sv, workers: false, tol: 1e-10, maxIter: 20000, accelerate: true, trace: true });
    expect(fast.converged).toBe(true);
    expect(Math.abs(fast.logLik - plain.logLik)).toBeLessThan(1e-6 * Math.abs(plain.logLik) * 1e-3);
    for (let k = 0; k < 3; k++)
      for (let j = 0; j < 24; j++) expect(Math.abs(fast.itemProbs[k][j][1] - plain.itemProbs[k][j][1])).toBeLessThan(1e-4);
    expect(fast.iterations).toBeLessThan(plain.iterations);
    const tr = fast.trace as number[];
    // up to rounding of the sum over rows, as in the plain-EM monotonicity tests
    for (let t = 1; t < tr.length; t++) expect(tr[t] - tr[t - 1]).toBeGreaterThanOrEqual(-1e-12 * Math.abs(tr[t]));
  });
});
