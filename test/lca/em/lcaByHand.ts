// Latent class quantities computed directly from the definitions (no log tables, no sparse
// forms), for checking the EM core: posteriors by Bayes' rule and one EM update in closed form.
import type { LcaData, LcaParams } from '../../../src/lca/types';

/** τ_ik = π_k Π_j p_kj(y_ij) / Σ_k (...) over observed items, and Σ_i w_i log P(y_i). */
export function posteriorByHand(data: LcaData, params: LcaParams): { tau: Float64Array; logLik: number } {
  const { nRows: n, nItems: J, catOffset: off } = data;
  const K = params.nClasses; const T = off[J];
  const tau = new Float64Array(n * K);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let tot = 0;
    for (let k = 0; k < K; k++) {
      let p = params.shares[k];
      for (let j = 0; j < J; j++) { const y = data.codes[i * J + j]; if (y >= 0) p *= params.probs[k * T + off[j] + y]; }
      tau[i * K + k] = p; tot += p;
    }
    for (let k = 0; k < K; k++) tau[i * K + k] /= tot;
    ll += data.weights[i] * Math.log(tot);
  }
  return { tau, logLik: ll };
}

/** One EM update without covariates: shares = Σ w τ / Σ w; p_kj(c) = Σ_{i: y_ij observed} w τ_ik [y_ij = c] / Σ_{same i} w τ_ik. */
export function emUpdateByHand(data: LcaData, params: LcaParams): { shares: Float64Array; probs: Float64Array } {
  const { nRows: n, nItems: J, catOffset: off } = data;
  const K = params.nClasses; const T = off[J];
  const { tau } = posteriorByHand(data, params);
  const shares = new Float64Array(K); const num = new Float64Array(K * T); const den = new Float64Array(K * J);
  let W = 0;
  for (let i = 0; i < n; i++) {
    const w = data.weights[i]; W += w;
    for (let k = 0; k < K; k++) {
      const t = w * tau[i * K + k];
      shares[k] += t;
      for (let j = 0; j < J; j++) { const y = data.codes[i * J + j]; if (y >= 0) { num[k * T + off[j] + y] += t; den[k * J + j] += t; } }
    }
  }
  for (let k = 0; k < K; k++) shares[k] /= W;
  const probs = new Float64Array(K * T);
  for (let k = 0; k < K; k++) for (let j = 0; j < J; j++) for (let c = off[j]; c < off[j + 1]; c++) probs[k * T + c] = num[k * T + c] / den[k * J + j];
  return { shares, probs };
}
