// Efron's tie coefficients at one event time, shared by every Cox sweep (partial likelihood,
// hazard and residual sweep, sparse frailty sweep, the class-copy core). Therneau & Grambsch
// (2000) §3.3; R's coxfit6/agfit4: the m-th of the nd tied deaths (m = 0..nd−1) sees the risk
// set with a fraction f = m/nd of the tied deaths' risk d0 removed, den_m = s0 − f·d0, each
// carrying weight wm = dw/nd. Breslow (or a single death) is the case f ≡ 0.

/** Slots of the `out` buffer filled by `efronTerms` (length EFRON_SLOTS). */
export const EF_LOG = 0; // Σ wm log den
export const EF_C0 = 1; // Σ wm/den            (hazard increment seen by survivors)
export const EF_C1 = 2; // Σ wm f/den          (part of it removed for the tied deaths)
export const EF_Q0 = 3; // Σ wm/den²           (variance of the hazard increment)
export const EF_Q1 = 4; // Σ wm f/den²
export const EF_Q2 = 5; // Σ wm f²/den²
export const EF_MB0 = 6; // Σ 1/(nd·den)       (risk-set mean seen by a death: s1·MB0 − d1·MB1)
export const EF_MB1 = 7; // Σ f/(nd·den)
export const EF_SLOTS = 8;

/**
 * Fills `out` (length ≥ EF_SLOTS) with the event time's tie coefficients.
 * Inputs: efron (false: Breslow), nd deaths (count of tied rows) of total weight dw, risk-set
 * total s0 and the deaths' risk total d0. Cost O(nd) for Efron ties, O(1) otherwise; no allocation.
 */
export function efronTerms(efron: boolean, nd: number, dw: number, s0: number, d0: number, out: Float64Array): void {
  if (!efron || nd === 1) {
    const c0 = dw / s0;
    out[EF_LOG] = dw * Math.log(s0);
    out[EF_C0] = c0;
    out[EF_C1] = 0;
    out[EF_Q0] = c0 / s0;
    out[EF_Q1] = 0;
    out[EF_Q2] = 0;
    out[EF_MB0] = 1 / s0;
    out[EF_MB1] = 0;
    return;
  }
  const wm = dw / nd;
  let logSum = 0;
  let c0 = 0;
  let c1 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let mb0 = 0;
  let mb1 = 0;
  for (let m = 0; m < nd; m++) {
    const f = m / nd;
    const den = s0 - f * d0;
    logSum += wm * Math.log(den);
    const iw = wm / den;
    c0 += iw;
    c1 += iw * f;
    const iw2 = iw / den;
    q0 += iw2;
    q1 += iw2 * f;
    q2 += iw2 * f * f;
    mb0 += 1 / den / nd;
    mb1 += f / den / nd;
  }
  out[EF_LOG] = logSum;
  out[EF_C0] = c0;
  out[EF_C1] = c1;
  out[EF_Q0] = q0;
  out[EF_Q1] = q1;
  out[EF_Q2] = q2;
  out[EF_MB0] = mb0;
  out[EF_MB1] = mb1;
}

/** The per-event-time arrays written by `hazardTermsAt` (lengths nTimes, or nTimes × p). */
export interface HazardTermArrays {
  /** Hazard increment seen by at-risk rows that do not die at the time (nTimes). */
  dH: Float64Array;
  /** Hazard increment seen by the rows dying at the time (Efron gives them partial weight). */
  dH2: Float64Array;
  /** Variance increment of the cumulative hazard (Σ wm/den²). */
  dVar: Float64Array;
  /** nTimes × p: mean of x × hazard increment, for non-dying and dying rows. */
  dA: Float64Array;
  dA2: Float64Array;
  /** nTimes × p: mean of x over the risk set as seen by a death (average over Efron steps). */
  mbar: Float64Array;
}

/** Arrays for `hazardTermsAt` with room for nTimes event times and p columns. */
export function makeHazardTermArrays(nTimes: number, p: number): HazardTermArrays {
  return {
    dH: new Float64Array(nTimes), dH2: new Float64Array(nTimes), dVar: new Float64Array(nTimes),
    dA: new Float64Array(nTimes * p), dA2: new Float64Array(nTimes * p), mbar: new Float64Array(nTimes * p),
  };
}

/**
 * Writes event time k's hazard increments and risk-set means from the sweep's sums: s0 and
 * s1 (p) over the risk set, d0 and d1 (p) over the nd tied deaths of weight dw (d1 read only
 * for Efron ties). ef: scratch of EF_SLOTS. Shared by hazardSweep and the class-copy core.
 */
export function hazardTermsAt(h: HazardTermArrays, k: number, p: number, efron: boolean, nd: number, dw: number, s0: number, d0: number,
  s1: Float64Array, d1: Float64Array, ef: Float64Array): void {
  const o = k * p;
  efronTerms(efron, nd, dw, s0, d0, ef);
  const q0 = ef[EF_Q0];
  const q1 = ef[EF_Q1];
  const q2 = ef[EF_Q2];
  const mb0 = ef[EF_MB0];
  const mb1 = ef[EF_MB1];
  h.dH[k] = ef[EF_C0];
  h.dH2[k] = ef[EF_C0] - ef[EF_C1];
  h.dVar[k] = q0;
  // A dying row's own share uses (1 − f) of each Efron step.
  const tied = efron && nd > 1;
  const { mbar, dA, dA2 } = h;
  for (let a = 0; a < p; a++) {
    const da = tied ? d1[a] : 0;
    mbar[o + a] = s1[a] * mb0 - da * mb1;
    dA[o + a] = s1[a] * q0 - da * q1;
    dA2[o + a] = s1[a] * (q0 - q1) - da * (q1 - q2);
  }
}
