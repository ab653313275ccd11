/**
 * Parameter helpers of fitLca: the covariate design, user start values, and class reordering.
 */
import { toDense } from '../../core/matrix';
import type { MatrixInput } from '../../core/matrix';
import type { LcaData, LcaParams } from '../types';
import type { LcaStartValues } from './types';

/**
 * Class-membership design for n rows: an intercept column, then the covariates (row-major, S columns).
 * Fails with the row and column of any non-finite value, since the multinomial logit cannot use it.
 */
export function buildCovariates(cov: MatrixInput, n: number): { x: Float64Array; S: number } {
  const d = toDense(cov, 'covariates', n);
  const S = d.ncol + 1;
  const x = new Float64Array(n * S);
  for (let i = 0; i < n; i++) {
    x[i * S] = 1;
    for (let s = 0; s < d.ncol; s++) {
      const v = d.data[i * d.ncol + s];
      if (!Number.isFinite(v)) throw new Error(`covariates: row ${i + 1}, column ${s + 1}: ${v} is not a finite number`);
      x[i * S + s + 1] = v;
    }
  }
  return { x, S };
}

/** LcaParams from user start values (itemProbs[class][item][category], optional shares and beta). Errors name the class, item or count that does not match the data. */
export function paramsFromStart(sv: LcaStartValues, data: LcaData, K: number): LcaParams {
  const T = data.catOffset[data.nItems];
  if (sv.itemProbs.length !== K) throw new Error(`startValues.itemProbs: ${sv.itemProbs.length} classes, expected ${K}`);
  const probs = new Float64Array(K * T);
  for (let k = 0; k < K; k++) {
    if (sv.itemProbs[k].length !== data.nItems) throw new Error(`startValues.itemProbs[${k}]: ${sv.itemProbs[k].length} items, expected ${data.nItems}`);
    for (let j = 0; j < data.nItems; j++) {
      const row = sv.itemProbs[k][j];
      if (row.length !== data.nCategories[j]) throw new Error(`startValues.itemProbs[${k}][${j}]: ${row.length} categories, expected ${data.nCategories[j]}`);
      for (let c = 0; c < row.length; c++) probs[k * T + data.catOffset[j] + c] = row[c];
    }
  }
  const shares = new Float64Array(K).fill(1 / K);
  if (sv.shares) {
    if (sv.shares.length !== K) throw new Error(`startValues.shares: ${sv.shares.length} values, expected ${K}`);
    for (let k = 0; k < K; k++) shares[k] = sv.shares[k];
  }
  let beta: Float64Array | null = null;
  if (data.covariates) {
    beta = new Float64Array(data.nCov * (K - 1));
    if (sv.beta) for (let s = 0; s < data.nCov; s++) for (let k = 0; k < K - 1; k++) beta[s * (K - 1) + k] = sv.beta[s][k];
  }
  return { nClasses: K, shares, probs, beta };
}

/** Reorder classes: new class k = old class perm[k]; beta re-expressed against the new class 0. */
export function permuteParams(p: LcaParams, perm: ReadonlyArray<number>, nCov: number): LcaParams {
  const K = p.nClasses;
  const T = p.probs.length / K;
  const probs = new Float64Array(p.probs.length);
  const shares = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    shares[k] = p.shares[perm[k]];
    probs.set(p.probs.subarray(perm[k] * T, perm[k] * T + T), k * T);
  }
  let beta: Float64Array | null = null;
  if (p.beta) {
    beta = new Float64Array(p.beta.length);
    const km1 = K - 1;
    const b = (s: number, k: number): number => (k === 0 ? 0 : (p.beta as Float64Array)[s * km1 + k - 1]);
    for (let s = 0; s < nCov; s++) for (let k = 1; k < K; k++) beta[s * km1 + k - 1] = b(s, perm[k]) - b(s, perm[0]);
  }
  return { nClasses: K, shares, probs, beta };
}

/** Class order by decreasing share (ties by index): new class k = old class order[k]. */
export function shareOrder(shares: Float64Array): number[] {
  const idx = Array.from({ length: shares.length }, (_, k) => k);
  return idx.sort((a, b) => shares[b] - shares[a] || a - b);
}
