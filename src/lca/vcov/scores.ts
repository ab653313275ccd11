/**
 * Score vectors of one row of a latent class fit (probability scale; see ./vcov) and the
 * 'direct' information: a dense P × P outer product per row.
 */
import type { LcaData, LcaParams } from '../types';

/** What the score of a row needs; D = number of non-item (share / coefficient) parameters. */
export interface ScoreCtx {
  data: LcaData;
  params: LcaParams;
  K: number;
  J: number;
  T: number;
  S: number;
  hasCov: boolean;
  D: number;
  P: number;
  shareIdx: Int32Array;
  betaIdx: Int32Array | null;
  probIdx: Int32Array;
  /** K × J: the class's most likely category (the dependent one of its block) */
  modelRef: Int32Array;
  /** nRows × K posterior at the estimates */
  tau: Float64Array;
  /** K scratch for the covariate prior */
  prior: Float64Array;
}

/**
 * Adds the share / covariate-logit scores of row i to out[0..D) (out must be zeroed by the
 * caller; it may be the full score vector since those parameters come first).
 */
export function nonItemScore(c: ScoreCtx, i: number, out: Float64Array): void {
  const { K, S, tau, prior, params } = c;
  const ti = i * K;
  if (c.hasCov) {
    const x = c.data.covariates as Float64Array;
    const b = params.beta as Float64Array;
    const betaIdx = c.betaIdx as Int32Array;
    // softmax with the largest logit subtracted, as in the E-step
    let m = 0;
    prior[0] = 0;
    for (let k = 1; k < K; k++) {
      let eta = 0;
      for (let s = 0; s < S; s++) eta += x[i * S + s] * b[s * (K - 1) + k - 1];
      prior[k] = eta;
      if (eta > m) m = eta;
    }
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(prior[k] - m);
    for (let k = 0; k < K; k++) prior[k] = Math.exp(prior[k] - m) / z;
    for (let k = 1; k < K; k++)
      for (let s = 0; s < S; s++) out[betaIdx[s * (K - 1) + k - 1]] += x[i * S + s] * (tau[ti + k] - prior[k]);
  } else {
    const shareIdx = c.shareIdx;
    for (let k = 1; k < K; k++) if (shareIdx[k] >= 0) out[shareIdx[k]] += tau[ti + k] / params.shares[k] - tau[ti] / params.shares[0];
  }
}

/**
 * Direct path for one row: info[a, b] (b ≥ a, upper triangle only) += w_i s_i s_iᵀ.
 * score: scratch of length P (overwritten). Exact for any row, including missing items.
 */
export function addRowOuter(c: ScoreCtx, i: number, score: Float64Array, info: Float64Array): void {
  const { data, K, J, T, P, tau, probIdx, modelRef, params } = c;
  score.fill(0);
  nonItemScore(c, i, score);
  const ti = i * K;
  for (let j = 0; j < J; j++) {
    const y = data.codes[i * J + j];
    if (y < 0) continue;
    for (let k = 0; k < K; k++) {
      const base = k * T + data.catOffset[j];
      const r = modelRef[k * J + j];
      if (y === r) {
        const v = tau[ti + k] / params.probs[base + r];
        for (let cc = 0; cc < data.nCategories[j]; cc++) if (probIdx[base + cc] >= 0) score[probIdx[base + cc]] -= v;
      } else if (probIdx[base + y] >= 0) score[probIdx[base + y]] += tau[ti + k] / params.probs[base + y];
    }
  }
  const w = data.weights[i];
  for (let a = 0; a < P; a++) {
    const sa = w * score[a];
    if (sa === 0) continue;
    for (let b = a; b < P; b++) info[a * P + b] += sa * score[b];
  }
}

/** g_a(y) = [y = c]/p_c − [y = r]/p_r: the item score of parameter a = (k, j, c) per unit τ_ik. */
export function scoreFactor(y: number, c: number, r: number, pc: number, pr: number): number {
  return (y === c ? 1 / pc : 0) - (y === r ? 1 / pr : 0);
}

/** Direct information: upper triangle of info (P × P, zeroed) from every row. O(rows × P²). */
export function infoDirect(c: ScoreCtx, info: Float64Array): void {
  const score = new Float64Array(c.P);
  for (let i = 0; i < c.data.nRows; i++) addRowOuter(c, i, score, info);
}
