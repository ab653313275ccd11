// Stable softmax of log-weights, shared by every posterior and multinomial-logit probability.

/**
 * Turns v[0..K) (logs: linear predictors or log joint densities) into probabilities
 * exp(v[k]) / Σ exp(v) in place, shifting by the maximum first so nothing overflows, and returns
 * log Σ exp(v). No allocation: hot loops call it once per row.
 */
export function softmaxInPlace(v: Float64Array, K: number): number {
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (v[k] > max) max = v[k];
  let sum = 0;
  for (let k = 0; k < K; k++) {
    v[k] = Math.exp(v[k] - max);
    sum += v[k];
  }
  for (let k = 0; k < K; k++) v[k] /= sum;
  return max + Math.log(sum);
}
