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
