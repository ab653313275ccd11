// The per-event-time accumulations shared by every Cox sweep: the deaths' own log-likelihood and
// score terms, and the score and information terms built from the risk-set moments (Breslow, or
// Efron's partial removal of the tied deaths through the scalar coefficients of efron.ts). The
// partial likelihood (coxcore), its exact per-time variant, the sparse frailty sweep, the
// class-copy core and cox.zph all call these, so the formulas live once.
// Source: Therneau & Grambsch (2000) §3.3; R's coxfit6 / agfit4.
import { EF_C0, EF_C1, EF_LOG, EF_Q0, EF_Q1, EF_Q2, EF_SLOTS, efronTerms } from './efron';

/** Running risk-set sums of one event time (filled by coxcore's `sweepEventTimes`). */
export interface RiskSetSums {
  /** Σ r x over the risk set (p). */
  s1: Float64Array;
  /** Σ r x xᵀ over the risk set, upper triangle (p × p); only with second moments. */
  s2: Float64Array;
  /** Σ r x over the rows dying at the current time (p); Efron only. */
  d1: Float64Array;
  /** Σ r x xᵀ over the rows dying at the current time, upper triangle; Efron with second moments. */
  d2: Float64Array;
}

/**
 * The deaths' own terms at one event time: adds Σ w x over the dying rows in [first, end) to u
 * (p) and returns Σ w η (the log-likelihood's numerator part).
 * Inputs: x (n × p row-major), status, weight, eta (n), sweep positions [first, end).
 * Cost O(deaths · p); no allocation.
 */
export function addDeathTerms(x: Float64Array, p: number, status: Uint8Array, weight: Float64Array, eta: Float64Array, first: number, end: number, u: Float64Array): number {
  let ll = 0;
  for (let j = first; j < end; j++) {
    if (status[j] !== 1) continue;
    const wj = weight[j];
    ll += wj * eta[j];
    const o = j * p;
    for (let a = 0; a < p; a++) u[a] += wj * x[o + a];
  }
  return ll;
}

/**
 * The first-moment part of one event time's score and information, from the tie coefficients in
 * ef (filled by efronTerms): u −= s1·c0 − d1·c1 and, on the upper triangle of imat (p × p),
 * imat −= s1 s1ᵀ q0 − (s1 d1ᵀ + d1 s1ᵀ) q1 + d1 d1ᵀ q2. tied: Efron with more than one death
 * (d1 is read only then; Breslow's c1, q1, q2 are 0). Cost O(p²/2); no allocation.
 */
export function addFirstMomentTerms(s1: Float64Array, d1: Float64Array, p: number, tied: boolean, ef: Float64Array, u: Float64Array, imat: Float64Array): void {
  const c0 = ef[EF_C0];
  const c1 = ef[EF_C1];
  const q0 = ef[EF_Q0];
  const q1 = ef[EF_Q1];
  const q2 = ef[EF_Q2];
  if (!tied) {
    for (let a = 0; a < p; a++) {
      const sa = s1[a];
      u[a] -= sa * c0;
      const row = a * p;
      for (let b = a; b < p; b++) imat[row + b] -= sa * s1[b] * q0;
    }
    return;
  }
  for (let a = 0; a < p; a++) {
    const sa = s1[a];
    const da = d1[a];
    u[a] -= sa * c0 - da * c1;
    const row = a * p;
    for (let b = a; b < p; b++) {
      const db = d1[b];
      imat[row + b] -= sa * s1[b] * q0 - (sa * db + da * s1[b]) * q1 + da * db * q2;
    }
  }
}

const efScratch = new Float64Array(EF_SLOTS);

/**
 * Adds one event time's score and information terms (Breslow, or Efron's partial removal of
 * the tied deaths) to u (p) and the upper triangle of imat (p × p), from the sums of a
 * second-moment sweep. The deaths' own Σ w x is not included (see addDeathTerms).
 * ef (EF_SLOTS) is left holding the event time's tie coefficients.
 * Output: the log-likelihood decrement Σ w log(risk-set total) to subtract.
 */
export function addEventTimeInformation(sums: RiskSetSums, p: number, efron: boolean, nd: number, dw: number, s0: number, d0: number, u: Float64Array, imat: Float64Array, ef: Float64Array = efScratch): number {
  const { s1, s2, d1, d2 } = sums;
  efronTerms(efron, nd, dw, s0, d0, ef);
  const c0 = ef[EF_C0];
  const c1 = ef[EF_C1];
  const tied = efron && nd > 1;
  for (let a = 0; a < p; a++) {
    const row = a * p;
    if (tied) for (let b = a; b < p; b++) imat[row + b] += s2[row + b] * c0 - d2[row + b] * c1;
    else for (let b = a; b < p; b++) imat[row + b] += s2[row + b] * c0;
  }
  addFirstMomentTerms(s1, d1, p, tied, ef, u, imat);
  return ef[EF_LOG];
}
