// Degenerate-estimate guards shared by every estimator: a statistic or variance that does not
// exist becomes NaN with a warning naming its cause, never a confident finite number.

/** Why a variance is not defined; each cause carries what the warning must name. */
export type DegenerateCause =
  | { kind: 'leverage-one'; observations: readonly number[] }
  | { kind: 'one-cluster'; nClusters: number }
  | { kind: 'singular-information'; where: string }
  | { kind: 'negative-df'; df: number }
  | { kind: 'zero-variance'; terms: readonly string[] }
  | { kind: 'perfect-fit' };

/** The warning text for a degenerate variance, naming the cause (observations 1-based, as R). */
export function degenerateMessage(who: string, cause: DegenerateCause): string {
  switch (cause.kind) {
    case 'leverage-one':
      return `${who}: hat values equal to 1 (observation ${cause.observations.join(', ')}); HC2/HC3 divide by 1 − h = 0, so the variance is not defined (NaN), as sandwich::vcovHC`;
    case 'one-cluster':
      return `${who}: cluster-robust variance needs at least 2 clusters (got ${cause.nClusters}); standard errors are NaN`;
    case 'singular-information':
      return `${who}: information matrix is singular ${cause.where}; standard errors are NaN`;
    case 'negative-df':
      return `${who}: negative residual degrees of freedom (${cause.df}); the model is not identified, respecify it; standard errors are NaN`;
    case 'zero-variance':
      return `${who}: variance is zero, negative or not finite for ${termList(cause.terms)}; standard errors and tests are NaN`;
    case 'perfect-fit':
      return `${who}: residual variance is zero to rounding (essentially perfect fit, as summary.lm warns); standard errors and tests are NaN`;
  }
}

/** Names for a warning: all of them up to 10, else the first 10 and how many more. */
function termList(terms: readonly string[]): string {
  return terms.length <= 10 ? terms.join(', ') : `${terms.slice(0, 10).join(', ')} and ${terms.length - 10} more`;
}

/**
 * The standard error of one variance: √v when v is a usable variance (and above
 * ZERO_VARIANCE_RTOL × |reference| when a reference is given), else NaN with `name` appended to
 * `bad` (the caller warns once with degenerateMessage 'zero-variance'). Never clamps a negative
 * variance to 0, which would print SE 0 and p = 0 for an estimate with no precision.
 */
export function guardedSe(variance: number, name: string, bad: string[], reference?: number): number {
  // With a reference scale (e.g. the estimate squared), a variance ≤ ZERO_VARIANCE_RTOL of it is
  // rounding on a zero (a constant outcome within a class), not a precision.
  const floor = reference === undefined ? 0 : ZERO_VARIANCE_RTOL * Math.abs(reference);
  if (usableVariance(variance) && variance > floor) return Math.sqrt(variance);
  bad.push(name);
  return NaN;
}

/** A Wald estimate's inference: SE, statistic (estimate / SE) and the interval estimate ± crit · SE. */
export interface WaldInference { se: number; statistic: number; low: number; high: number }

/**
 * The one rule for a single Wald statistic: a variance that is not a positive finite number
 * (zero, negative, infinite or NaN) has no SE, statistic or interval: all NaN, never SE 0 with
 * z = ∞ and p = 0. The p-value of a NaN statistic is NaN (core/distributions). `crit` is the
 * two-sided critical value (e.g. qnorm(0.975)). Callers name the bad terms in a warning
 * (degenerateMessage 'zero-variance'); see usableVariance.
 */
export function waldInference(estimate: number, variance: number, crit: number): WaldInference {
  if (!usableVariance(variance)) return { se: NaN, statistic: NaN, low: NaN, high: NaN };
  const se = Math.sqrt(variance);
  return { se, statistic: estimate / se, low: estimate - crit * se, high: estimate + crit * se };
}

/** True for a variance (or a standard error) that can carry a test: positive and finite. */
export function usableVariance(v: number): boolean {
  return v > 0 && Number.isFinite(v);
}

/** A p × p matrix (row-major) filled with NaN: the variance of a degenerate fit. */
export function nanMatrix(p: number): Float64Array {
  return new Float64Array(p * p).fill(NaN);
}

/**
 * Relative tolerance below which a diagonal variance counts as zero: a robust variance built
 * from residuals that vanish to rounding (e.g. one cluster, whose score sum is U(β̂) = 0) is
 * ~1e−30 relative to the model-based one, not a real precision.
 */
export const ZERO_VARIANCE_RTOL = 1e-20;

/**
 * Sets rows and columns of V to NaN where the diagonal is not a usable variance (≤ 0, not
 * finite, or ≤ ZERO_VARIANCE_RTOL × the reference variance when `reference` is given).
 * Inputs: V (p × p, modified in place), names (p), optional reference diagonal (e.g. the
 * model-based variance). Output: names of the terms set to NaN (empty when V is fine).
 */
export function guardVariance(V: Float64Array, p: number, names: readonly string[], reference?: ArrayLike<number>): string[] {
  const bad: string[] = [];
  for (let j = 0; j < p; j++) {
    const v = V[j * p + j];
    const floor = reference ? ZERO_VARIANCE_RTOL * Math.abs(reference[j]) : 0;
    if (!(v > floor) || !Number.isFinite(v)) bad.push(names[j]);
  }
  if (bad.length) {
    for (let j = 0; j < p; j++) {
      if (!bad.includes(names[j])) continue;
      for (let k = 0; k < p; k++) { V[j * p + k] = NaN; V[k * p + j] = NaN; }
    }
  }
  return bad;
}

/**
 * True when every weight is a whole number. R's coxph and survfit treat whole-number weights as
 * case (frequency) weights; any other weight selects the robust (infinitesimal-jackknife)
 * variance by default, since a model-based variance would count fractional "cases".
 */
export function integerWeights(w: ArrayLike<number> | null | undefined): boolean {
  if (!w) return true;
  for (let i = 0; i < w.length; i++) if (w[i] !== Math.floor(w[i])) return false;
  return true;
}

/** The note a fit carries when non-integer weights switched its variance to the robust one. */
export function robustWeightsNote(who: string): string {
  return `${who}: case weights are not all integers, so the robust (infinitesimal-jackknife) variance is reported, as R does by default; the model-based variance is kept as the naive one`;
}
