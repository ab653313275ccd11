// Row scores of src/lca/vcov/scores against central differences of the row log-likelihood
// log Σ_k π_k(x) Π_j p_kj(y_ij) (missing items left out), on the probability scale used by
// lcaVcov: within each class-item block the reference category r absorbs the change
// (p_c + h, p_r − h); without covariates share 0 absorbs the change of share k; with covariates
// the class-k logit coefficients are free (class 0 the baseline). And the direct information
// is Σ_i w_i s_i s_iᵀ.
import { describe, expect, it } from 'vitest';
import { addRowOuter, infoDirect, nonItemScore, scoreFactor, type ScoreCtx } from '../../../src/lca/vcov/scores';
import type { LcaData, LcaParams } from '../../../src/lca/types';

const K = 2;
const nCat = [2, 3, 2];
const J = nCat.length;
const catOffset = Int32Array.from([0, 2, 5, 7]);
const T = 7;
// rows: codes (−1 = missing), including a row with two items missing
const CODES = [[0, 2, 1], [1, 0, -1], [1, 1, 0], [-1, -1, 1], [0, 0, 0]];
const WEIGHTS = [1, 2.5, 1, 3, 0.5];
// probs[k*T + catOffset[j] + c]; each block sums to 1
const PROBS = [0.7, 0.3, 0.2, 0.5, 0.3, 0.6, 0.4, /* class 2 */ 0.25, 0.75, 0.6, 0.1, 0.3, 0.35, 0.65];
const SHARES = [0.6, 0.4];
const X = [[1, -0.5], [1, 1.2], [1, 0.3], [1, -1.1], [1, 2]];
const BETA = [0.4, -0.8]; // S × (K − 1): intercept, slope of class 2 vs class 1

function data(withCov: boolean): LcaData {
  return {
    nRows: CODES.length, nItems: J, nCategories: Int32Array.from(nCat), catOffset,
    codes: Int16Array.from(CODES.flat()), weights: Float64Array.from(WEIGHTS), sparse: null, blocks: null,
    covariates: withCov ? Float64Array.from(X.flat()) : null, nCov: withCov ? 2 : 0,
  };
}

function prior(i: number, shares: number[], beta: number[] | null): number[] {
  if (!beta) return shares;
  const eta = [0, beta[0] * X[i][0] + beta[1] * X[i][1]];
  const z = eta.reduce((s, v) => s + Math.exp(v), 0);
  return eta.map((v) => Math.exp(v) / z);
}

function rowLogLik(i: number, shares: number[], probs: number[], beta: number[] | null): number {
  const pr = prior(i, shares, beta);
  let tot = 0;
  for (let k = 0; k < K; k++) {
    let f = pr[k];
    for (let j = 0; j < J; j++) if (CODES[i][j] >= 0) f *= probs[k * T + catOffset[j] + CODES[i][j]];
    tot += f;
  }
  return Math.log(tot);
}

/** Free parameters in lcaVcov's order, each as a function that moves the parameter by h. */
function build(withCov: boolean) {
  const moves: ((h: number) => { shares: number[]; probs: number[]; beta: number[] | null })[] = [];
  const base = () => ({ shares: SHARES.slice(), probs: PROBS.slice(), beta: withCov ? BETA.slice() : null });
  const shareIdx = new Int32Array(K).fill(-1);
  const betaIdx = withCov ? new Int32Array(2 * (K - 1)).fill(-1) : null;
  if (withCov) {
    for (let s = 0; s < 2; s++) { betaIdx![s] = moves.length; moves.push((h) => { const b = base(); b.beta![s] += h; return b; }); }
  } else {
    shareIdx[1] = moves.length;
    moves.push((h) => { const b = base(); b.shares[1] += h; b.shares[0] -= h; return b; });
  }
  const D = moves.length;
  const probIdx = new Int32Array(K * T).fill(-1);
  const modelRef = new Int32Array(K * J);
  for (let k = 0; k < K; k++) for (let j = 0; j < J; j++) {
    const o = k * T + catOffset[j];
    let r = 0;
    for (let c = 1; c < nCat[j]; c++) if (PROBS[o + c] > PROBS[o + r]) r = c;
    modelRef[k * J + j] = r;
    for (let c = 0; c < nCat[j]; c++) {
      if (c === r) continue;
      probIdx[o + c] = moves.length;
      moves.push((h) => { const b = base(); b.probs[o + c] += h; b.probs[o + r] -= h; return b; });
    }
  }
  const P = moves.length;
  // posterior at the parameters, by Bayes' rule
  const tau = new Float64Array(CODES.length * K);
  CODES.forEach((row, i) => {
    const pr = prior(i, SHARES, withCov ? BETA : null);
    const f = pr.map((p, k) => row.reduce((acc, y, j) => (y >= 0 ? acc * PROBS[k * T + catOffset[j] + y] : acc), p));
    const z = f[0] + f[1];
    f.forEach((v, k) => { tau[i * K + k] = v / z; });
  });
  const params: LcaParams = { nClasses: K, shares: Float64Array.from(SHARES), probs: Float64Array.from(PROBS), beta: withCov ? Float64Array.from(BETA) : null };
  const ctx: ScoreCtx = {
    data: data(withCov), params, K, J, T, S: withCov ? 2 : 0, hasCov: withCov, D, P, shareIdx, betaIdx, probIdx, modelRef, tau, prior: new Float64Array(K),
  };
  const numericScore = (i: number) => moves.map((mv) => {
    const h = 1e-6;
    const a = mv(h); const b = mv(-h);
    return (rowLogLik(i, a.shares, a.probs, a.beta) - rowLogLik(i, b.shares, b.probs, b.beta)) / (2 * h);
  });
  return { ctx, P, D, numericScore };
}

describe('row scores', () => {
  for (const withCov of [false, true]) {
    it(`equal the numerical derivative of the row log-likelihood (${withCov ? 'covariate logits' : 'shares'}, missing items)`, () => {
      const { ctx, P, D, numericScore } = build(withCov);
      const score = new Float64Array(P);
      const info = new Float64Array(P * P);
      for (let i = 0; i < CODES.length; i++) {
        addRowOuter(ctx, i, score, info);
        const num = numericScore(i);
        expect(Math.max(...num.map(Math.abs))).toBeGreaterThan(0.1); // informative: not all zero
        num.forEach((v, a) => expect(score[a]).toBeCloseTo(v, 7));
        // nonItemScore alone gives the first D entries
        const head = new Float64Array(P);
        nonItemScore(ctx, i, head);
        for (let a = 0; a < D; a++) expect(head[a]).toBeCloseTo(score[a], 14);
        for (let a = D; a < P; a++) expect(head[a]).toBe(0);
      }
    });
  }
  it('direct information is Σ w_i s_i s_iᵀ (upper triangle), from the numerical scores', () => {
    const { ctx, P, numericScore } = build(false);
    const info = new Float64Array(P * P);
    infoDirect(ctx, info);
    const expected = new Float64Array(P * P);
    CODES.forEach((_, i) => {
      const s = numericScore(i);
      for (let a = 0; a < P; a++) for (let b = a; b < P; b++) expected[a * P + b] += WEIGHTS[i] * s[a] * s[b];
    });
    for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) {
      if (b >= a) expect(info[a * P + b]).toBeCloseTo(expected[a * P + b], 5);
      else expect(info[a * P + b]).toBe(0);
    }
  });
  it('scoreFactor is [y = c]/p_c − [y = r]/p_r', () => {
    expect(scoreFactor(2, 2, 0, 0.25, 0.5)).toBe(4);
    expect(scoreFactor(0, 2, 0, 0.25, 0.5)).toBe(-2);
    expect(scoreFactor(1, 2, 0, 0.25, 0.5)).toBe(0);
  });
});
