/** G² and Pearson χ² over the observed fully observed response patterns (poLCA's definitions). */
import { compressPatterns, type PreparedLca } from '../prepare';
import type { LcaParams } from '../types';

/**
 * G² and χ² of the fully observed patterns against the model. `rowLogLik` (log P(y) of each
 * pattern row at `params`, from the posterior pass) saves recomputing the pattern probabilities;
 * it is only valid without covariates, where rows are the patterns and the prior is the shares.
 */
export function goodnessOfFit(prepared: PreparedLca, params: LcaParams, rowLogLik: Float64Array | null): { gsq: number; chisq: number; nFull: number } {
  const data = prepared.data;
  const J = data.nItems;
  const K = params.nClasses;
  const T = data.catOffset[J];
  // work on patterns; with covariates rows are uncompressed, so compress the complete rows here
  let codes = data.codes;
  let weights = data.weights;
  let P = data.nRows;
  if (data.covariates) {
    const c = compressPatterns(data.codes, data.nRows, J, data.weights);
    codes = c.codes;
    weights = c.weights;
    P = c.nPatterns;
  }
  let nFull = 0;
  for (let p = 0; p < P; p++) {
    let full = true;
    for (let j = 0; j < J; j++) if (codes[p * J + j] < 0) full = false;
    if (full) nFull += weights[p];
  }
  let gsq = 0;
  let chisq = 0;
  let sumExpected = 0;
  const logP = new Float64Array(K * T);
  for (let t = 0; t < K * T; t++) logP[t] = Math.log(params.probs[t]);
  const logShare = Array.from(params.shares, (x) => Math.log(x));
  for (let p = 0; p < P; p++) {
    let full = true;
    for (let j = 0; j < J; j++) if (codes[p * J + j] < 0) full = false;
    if (!full) continue;
    let prob = 0;
    if (rowLogLik) prob = Math.exp(rowLogLik[p]);
    else
      for (let k = 0; k < K; k++) {
        let lp = logShare[k];
        for (let j = 0; j < J; j++) lp += logP[k * T + data.catOffset[j] + codes[p * J + j]];
        prob += Math.exp(lp);
      }
    const expected = nFull * prob;
    const obs = weights[p];
    sumExpected += expected;
    if (obs > 0) gsq += 2 * obs * Math.log(obs / expected);
    chisq += ((obs - expected) * (obs - expected)) / expected;
  }
  // cells never observed contribute their expected count to χ² (poLCA adds N − Σ expected)
  chisq += nFull - sumExpected;
  return { gsq, chisq, nFull };
}
