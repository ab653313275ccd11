// Parameter helpers of fitLca (src/lca/fit/params): relabelling classes leaves the model's
// class-membership probabilities unchanged (the multinomial logit re-expressed against the new
// reference class), computed here by hand; start values and covariates are checked by shape.
import { describe, expect, it } from 'vitest';
import { buildCovariates, paramsFromStart, permuteParams, shareOrder } from '../../../src/lca/fit/params';
import type { LcaParams } from '../../../src/lca/types';

/** P(class k | x) from beta (S × (K−1), class 0 the reference). */
function classProbs(beta: Float64Array, x: number[], K: number): number[] {
  const eta = [0];
  for (let k = 1; k < K; k++) eta.push(x.reduce((s, v, si) => s + v * beta[si * (K - 1) + k - 1], 0));
  const m = Math.max(...eta); const e = eta.map((v) => Math.exp(v - m)); const t = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / t);
}

describe('permuteParams', () => {
  const K = 3; const S = 2;
  const p: LcaParams = {
    nClasses: K, shares: Float64Array.from([0.2, 0.5, 0.3]), probs: Float64Array.from([0.1, 0.9, 0.6, 0.4, 0.3, 0.7]),
    beta: Float64Array.from([0.4, -1.1, 0.8, 0.25]),
  };
  const perm = [2, 0, 1];
  const q = permuteParams(p, perm, S);
  it('moves shares and item probabilities with the classes', () => {
    expect(Array.from(q.shares)).toEqual([0.3, 0.2, 0.5]);
    expect(Array.from(q.probs)).toEqual([0.3, 0.7, 0.1, 0.9, 0.6, 0.4]);
  });
  it('keeps every row\'s class-membership probabilities (relabelled)', () => {
    for (const x of [[1, 0], [1, 1.5], [1, -2]]) {
      const a = classProbs(p.beta!, x, K); const b = classProbs(q.beta!, x, K);
      for (let k = 0; k < K; k++) expect(b[k]).toBeCloseTo(a[perm[k]], 14);
    }
  });
});

describe('shareOrder, buildCovariates, paramsFromStart', () => {
  it('orders classes by decreasing share, ties by index', () => {
    expect(shareOrder(Float64Array.from([0.2, 0.5, 0.2, 0.1]))).toEqual([1, 0, 2, 3]);
  });
  it('adds an intercept column and names a non-finite covariate', () => {
    expect(Array.from(buildCovariates([[2], [3]], 2).x)).toEqual([1, 2, 1, 3]);
    expect(() => buildCovariates([[2], [NaN]], 2)).toThrow('covariates: row 2, column 1: NaN is not a finite number');
  });
  it('lays start values out by category offset and checks their shape', () => {
    const data = { nItems: 2, nCategories: Int32Array.from([2, 3]), catOffset: Int32Array.from([0, 2, 5]), covariates: null, nCov: 0 } as never;
    const sv = { itemProbs: [[[0.1, 0.9], [0.2, 0.3, 0.5]], [[0.7, 0.3], [0.6, 0.2, 0.2]]] };
    const r = paramsFromStart(sv, data, 2);
    expect(Array.from(r.probs)).toEqual([0.1, 0.9, 0.2, 0.3, 0.5, 0.7, 0.3, 0.6, 0.2, 0.2]);
    expect(Array.from(r.shares)).toEqual([0.5, 0.5]);
    expect(() => paramsFromStart({ itemProbs: [[[0.1, 0.9], [0.5, 0.5]], sv.itemProbs[1]] }, data, 2)).toThrow('startValues.itemProbs[0][1]: 2 categories, expected 3');
    expect(() => paramsFromStart(sv, data, 3)).toThrow('startValues.itemProbs: 2 classes, expected 3');
  });
});
