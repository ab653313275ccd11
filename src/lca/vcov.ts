/**
 * Standard errors of a latent class fit from the empirical information (sum over rows of the
 * outer product of score vectors), as poLCA reports them. The information is invariant to
 * reparametrisation, so we work directly on the probability scale:
 *   free parameters = shares of classes 2..K (or the logit coefficients with covariates),
 *   then p_kjc for categories c ≥ 1 of every class k and item j.
 * Scores of row i: ∂/∂π_k = τ_ik/π_k − τ_i1/π_1; ∂/∂p_kjc = τ_ik([y_ij = c]/p_kjc − [y_ij = r]/p_kjr)
 * (observed items only); ∂/∂b_k = x_i(τ_ik − π_ik).
 * In each class-item block the most likely category is the dependent one; categories at the
 * boundary (p < 1e-8) are held fixed and get null SEs (poLCA's pseudo-inverse drops them too).
 * Cost O(rows × P²) with P free parameters: intended for moderate P (a few hundred).
 */
import { Matrix, inverse } from 'ml-matrix';
import type { LcaFit } from './fit';
import { posteriorAt } from './em';

export interface LcaVcov {
  /** names of the free parameters, in order */
  names: string[];
  vcov: number[][];
  /** sharesSe[k], itemProbsSe[k][j][c] (null where held fixed), betaSe[s][k−1] */
  sharesSe: Array<number | null>;
  itemProbsSe: Array<Array<Array<number | null>>>;
  betaSe: number[][] | null;
}

const EDGE = 1e-8;

export function lcaVcov(fit: LcaFit): LcaVcov {
  const { params, prepared } = fit.internal;
  const data = prepared.data;
  const K = fit.nClasses;
  const J = data.nItems;
  const T = data.catOffset[J];
  const hasCov = !!(data.covariates && params.beta);
  const S = data.nCov;
  // index of each free parameter, −1 = fixed/not free
  const names: string[] = [];
  const shareIdx = new Int32Array(K).fill(-1);
  const betaIdx = hasCov ? new Int32Array(S * (K - 1)).fill(-1) : null;
  if (hasCov) {
    for (let k = 1; k < K; k++)
      for (let s = 0; s < S; s++) {
        (betaIdx as Int32Array)[s * (K - 1) + k - 1] = names.length;
        names.push(`beta[${fit.betaNames?.[s] ?? s}, class ${k + 1}]`);
      }
  } else {
    const shareOk = params.shares.every((p) => p > EDGE);
    if (shareOk)
      for (let k = 1; k < K; k++) {
        shareIdx[k] = names.length;
        names.push(`share[class ${k + 1}]`);
      }
  }
  // per class-item block: reference category = the most likely one; categories at the boundary are fixed
  const probIdx = new Int32Array(K * T).fill(-1);
  const refCat = new Int32Array(K * J);
  for (let k = 0; k < K; k++)
    for (let j = 0; j < J; j++) {
      const base = k * T + data.catOffset[j];
      let r = 0;
      for (let c = 1; c < data.nCategories[j]; c++) if (params.probs[base + c] > params.probs[base + r]) r = c;
      refCat[k * J + j] = r;
      for (let c = 0; c < data.nCategories[j]; c++) {
        if (c === r || !(params.probs[base + c] > EDGE)) continue;
        probIdx[base + c] = names.length;
        names.push(`p[class ${k + 1}, ${fit.itemNames[j]}, ${c}]`);
      }
    }
  const P = names.length;
  const info = new Float64Array(P * P);
  const tau = new Float64Array(data.nRows * K);
  posteriorAt(data, params, prepared.useSparse, tau);
  const score = new Float64Array(P);
  const prior = new Float64Array(K);
  for (let i = 0; i < data.nRows; i++) {
    score.fill(0);
    const ti = i * K;
    if (hasCov) {
      const x = data.covariates as Float64Array;
      const b = params.beta as Float64Array;
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
        for (let s = 0; s < S; s++) score[(betaIdx as Int32Array)[s * (K - 1) + k - 1]] += x[i * S + s] * (tau[ti + k] - prior[k]);
    } else {
      for (let k = 1; k < K; k++) if (shareIdx[k] >= 0) score[shareIdx[k]] += tau[ti + k] / params.shares[k] - tau[ti] / params.shares[0];
    }
    for (let j = 0; j < J; j++) {
      const y = data.codes[i * J + j];
      if (y < 0) continue;
      for (let k = 0; k < K; k++) {
        const base = k * T + data.catOffset[j];
        const r = refCat[k * J + j];
        if (y === r) {
          const v = tau[ti + k] / params.probs[base + r];
          for (let c = 0; c < data.nCategories[j]; c++) if (probIdx[base + c] >= 0) score[probIdx[base + c]] -= v;
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
  for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) info[a * P + b] = info[b * P + a];
  const rows: number[][] = [];
  for (let a = 0; a < P; a++) rows.push(Array.from(info.subarray(a * P, a * P + P)));
  const V = P ? inverse(new Matrix(rows)).to2DArray() : [];
  const sumVar = (idx: number[]): number => {
    let v = 0;
    for (const a of idx) for (const b of idx) v += V[a][b];
    return Math.sqrt(Math.max(v, 0));
  };
  const sharesSe: Array<number | null> = new Array(K).fill(null);
  if (!hasCov && shareIdx[1] >= 0) {
    const all: number[] = [];
    for (let k = 1; k < K; k++) {
      sharesSe[k] = Math.sqrt(V[shareIdx[k]][shareIdx[k]]);
      all.push(shareIdx[k]);
    }
    sharesSe[0] = sumVar(all);
  }
  const itemProbsSe: Array<Array<Array<number | null>>> = [];
  for (let k = 0; k < K; k++) {
    const cls: Array<Array<number | null>> = [];
    for (let j = 0; j < J; j++) {
      const base = k * T + data.catOffset[j];
      const row: Array<number | null> = new Array(data.nCategories[j]).fill(null);
      const idx: number[] = [];
      for (let c = 0; c < data.nCategories[j]; c++) {
        if (probIdx[base + c] < 0) continue;
        row[c] = Math.sqrt(V[probIdx[base + c]][probIdx[base + c]]);
        idx.push(probIdx[base + c]);
      }
      row[refCat[k * J + j]] = sumVar(idx);
      cls.push(row);
    }
    itemProbsSe.push(cls);
  }
  let betaSe: number[][] | null = null;
  if (hasCov) {
    betaSe = [];
    for (let s = 0; s < S; s++) {
      const r: number[] = [];
      for (let k = 1; k < K; k++) {
        const a = (betaIdx as Int32Array)[s * (K - 1) + k - 1];
        r.push(Math.sqrt(V[a][a]));
      }
      betaSe.push(r);
    }
  }
  return { names, vcov: V, sharesSe, itemProbsSe, betaSe };
}
