/**
 * The M-step of the latent class EM: closed-form class-item probabilities and shares, and a
 * Newton step for the covariate (multinomial logit) coefficients from the E-step statistics.
 */
import { cholSolve, cholesky } from '../../core/linalg';
import type { Work } from './work';
import type { LcaData, LcaParams } from '../types';

/**
 * M-step from the statistics of the last E-step. Returns the largest absolute change of
 * any parameter, or −1 if the Newton step for beta failed (beta then stays put).
 */
export function mStep(data: LcaData, params: LcaParams, w: Work, useSparse: boolean, totalWeight: number): number {
  const { K, T } = w;
  const J = data.nItems;
  const off = data.catOffset;
  const counts = w.counts;
  let maxChange = 0;
  for (let j = 0; j < J; j++) {
    const C = data.nCategories[j];
    const base = off[j];
    for (let k = 0; k < K; k++) {
      if (useSparse && data.sparse) {
        // the reference category's count is what is left of the class's observed mass
        const r = data.sparse.refCat[j];
        let rest = 0;
        for (let c = 0; c < C; c++) if (c !== r) rest += counts[(base + c) * K + k];
        const n0 = w.classTotal[k] - w.missW[j * K + k] - rest;
        counts[(base + r) * K + k] = n0 > 0 ? n0 : 0;
      }
      let denom = 0;
      for (let c = 0; c < C; c++) denom += counts[(base + c) * K + k];
      // an empty class (no posterior mass on this item) keeps its previous probabilities
      if (!(denom > 0)) continue;
      for (let c = 0; c < C; c++) {
        const p = counts[(base + c) * K + k] / denom;
        const idx = k * T + base + c;
        const d = Math.abs(p - params.probs[idx]);
        if (d > maxChange) maxChange = d;
        params.probs[idx] = p;
      }
    }
  }
  for (let k = 0; k < K; k++) {
    const s = w.classTotal[k] / totalWeight;
    const d = Math.abs(s - params.shares[k]);
    if (d > maxChange) maxChange = d;
    params.shares[k] = s;
  }
  if (data.covariates && params.beta) {
    const D = data.nCov * (K - 1);
    // information is symmetric positive definite unless the logit is separated or collinear
    const L = cholesky(w.info, D);
    if (!L) return -1;
    w.step.set(cholSolve(L, D, w.grad));
    for (let d = 0; d < D; d++) {
      params.beta[d] += w.step[d];
      const a = Math.abs(w.step[d]);
      if (a > maxChange) maxChange = a;
    }
  }
  return maxChange;
}
