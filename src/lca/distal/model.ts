/**
 * Outcome models of lcaDistal (normal, categorical): the natural parameters, their working
 * (unconstrained) parametrisation θ and the maps between them.
 */
export type OutcomeKind = 'normal' | 'categorical';

export interface Model {
  K: number;
  kind: OutcomeKind;
  /** number of levels (0 for normal) */
  C: number;
  common: boolean;
}

/**
 * Analysis units: rows with an observed outcome (normal) or (assigned class, level) cells
 * (categorical, where every row in a cell has the same likelihood contribution and BCH weights).
 */
export interface Units {
  m: number;
  /** assigned (modal) class */
  s: Int32Array;
  /** normal: the standardised outcome; categorical: the level code */
  y: Float64Array;
  /** case weight of the row, or summed case weight of the cell */
  w: Float64Array;
  /** BCH: m × K per-row class weights (D⁻¹)[s][k]; null otherwise */
  b: Float64Array | null;
  /** Σ w */
  W: number;
}

/** Natural parameters in standardised units, with the logs the E-step needs. */
export interface Natural {
  pi: Float64Array;
  logPi: Float64Array;
  mu: Float64Array;
  s2: Float64Array;
  /** −½ log(2π σ²_k) */
  logNorm: Float64Array;
  /** K × C */
  p: Float64Array;
  logP: Float64Array;
}

export const LOG_2PI = Math.log(2 * Math.PI);
export const BOUNDARY = 1e-8;

/** Free outcome parameters of the model: normal K means + K variances (or 1 common); categorical K × C probabilities. */
export function nOutcomeParams(mod: Model): number {
  return mod.kind === 'normal' ? mod.K + (mod.common ? 1 : mod.K) : mod.K * mod.C;
}

/** Length of θ: K − 1 share logits, then the outcome parameters (categorical: K × (C − 1) logits). */
export function nThetaParams(mod: Model): number {
  return mod.K - 1 + (mod.kind === 'normal' ? mod.K + (mod.common ? 1 : mod.K) : mod.K * (mod.C - 1));
}

/** Zeroed natural-parameter arrays sized for the model. */
export function newNatural(mod: Model): Natural {
  const K = mod.K;
  const KC = K * Math.max(mod.C, 1);
  return { pi: new Float64Array(K), logPi: new Float64Array(K), mu: new Float64Array(K), s2: new Float64Array(K), logNorm: new Float64Array(K), p: new Float64Array(KC), logP: new Float64Array(KC) };
}

/** Fills the logs the E-step uses (log π, normal log-normalisers, log p) from π, σ² and p. */
export function setDerived(nat: Natural, mod: Model): void {
  for (let k = 0; k < mod.K; k++) {
    nat.logPi[k] = Math.log(Math.max(nat.pi[k], 1e-300));
    if (mod.kind === 'normal') nat.logNorm[k] = -0.5 * (LOG_2PI + Math.log(nat.s2[k]));
  }
  if (mod.kind === 'categorical') for (let j = 0; j < nat.p.length; j++) nat.logP[j] = Math.log(Math.max(nat.p[j], 1e-300));
}

/**
 * Unconstrained parameters θ: share logits vs class 1 (K − 1), then normal: means (K) and log
 * variances (K, or 1 if common); categorical: level logits vs the first level (K × (C − 1)).
 */
export function thetaFromNatural(nat: Natural, mod: Model, theta: Float64Array): void {
  const { K, C } = mod;
  for (let k = 1; k < K; k++) theta[k - 1] = nat.logPi[k] - nat.logPi[0];
  const o = K - 1;
  if (mod.kind === 'normal') {
    for (let k = 0; k < K; k++) theta[o + k] = nat.mu[k];
    if (mod.common) theta[o + K] = Math.log(nat.s2[0]);
    else for (let k = 0; k < K; k++) theta[o + K + k] = Math.log(nat.s2[k]);
  } else {
    for (let k = 0; k < K; k++) for (let c = 1; c < C; c++) theta[o + k * (C - 1) + c - 1] = nat.logP[k * C + c] - nat.logP[k * C];
  }
}

/** out[outOff..+n) = softmax of (first, eta[off..off+n−1)): level 0 has logit `first`; stable (max-shifted). */
export function softmaxInto(eta: Float64Array, off: number, n: number, out: Float64Array, outOff: number, first: number): void {
  // eta holds the n − 1 logits of levels 1..n−1 (level 0 fixed at `first` = 0)
  let m = first;
  for (let j = 1; j < n; j++) if (eta[off + j - 1] > m) m = eta[off + j - 1];
  let z = Math.exp(first - m);
  out[outOff] = z;
  for (let j = 1; j < n; j++) {
    const e = Math.exp(eta[off + j - 1] - m);
    out[outOff + j] = e;
    z += e;
  }
  for (let j = 0; j < n; j++) out[outOff + j] /= z;
}

/** Inverse of thetaFromNatural: shares and level probabilities by softmax, variances by exp; then setDerived. */
export function naturalFromTheta(theta: Float64Array, mod: Model, nat: Natural): void {
  const { K, C } = mod;
  softmaxInto(theta, 0, K, nat.pi, 0, 0);
  const o = K - 1;
  if (mod.kind === 'normal') {
    for (let k = 0; k < K; k++) {
      nat.mu[k] = theta[o + k];
      nat.s2[k] = Math.exp(theta[o + K + (mod.common ? 0 : k)]);
    }
  } else {
    for (let k = 0; k < K; k++) softmaxInto(theta, o + k * (C - 1), C, nat.p, k * C, 0);
  }
  setDerived(nat, mod);
}
