// Partial likelihood, score and the sparse information of a Cox model with one indicator column
// per frailty group, without forming the (p + G)² matrix. Source: Therneau & Grambsch (2000), §9.6
// and R's coxfit6/agfit5 'sparse' frailty terms: the frailty–frailty block of the information is
// kept only on its diagonal; the coefficient block and the coefficient–frailty block are exact.
//
// The frailty columns are 0/1 indicators, so their risk-set sums are the per-group totals
// S0_j = Σ_{R, g=j} r and SX_j = Σ_{R, g=j} r x. Each event time adds to group j
//   score_j −= S0_j c0,  I_jj += S0_j c0 − S0_j² q0,  I_aj += SX_ja c0 − S0_j (s1_a q0 − d1_a q1)
// (c0 = Σ wm/den, q0 = Σ wm/den², q1 = Σ wm f/den², Efron fractions f), plus closed-form extras for
// the groups with tied deaths at that time. These are linear in cumulative sums of c0, q0 and
// s1 q0 − d1 q1 over event times while S0_j and SX_j stay fixed, so a group is brought up to date
// only when one of its rows enters or leaves the risk set: O(n·p + times·p²) per evaluation,
// independent of G beyond O(G·p) memory.
import { EF_C0, EF_C1, EF_LOG, EF_Q0, EF_Q1, EF_Q2, efronTerms } from './efron';
import { addRegroupedInformation, countEventTimes, makeWorkspace, sweepEventTimes, type CoxData, type CoxWorkspace } from './coxcore';
import { addDeathTerms, addEventTimeInformation, addFirstMomentTerms } from './eventTerms';

export interface FrailtySweepWorkspace extends CoxWorkspace {
  readonly G: number;
  /** Score of the log-frailties (G); u holds the coefficients' score (p). */
  readonly uw: Float64Array;
  /** Coefficient–frailty block of the information, p × G row-major. */
  readonly hbw: Float64Array;
  /** Diagonal of the frailty–frailty block of the information (G). */
  readonly hww: Float64Array;
  /** hbw accumulated group-major (G × p), so a group's update touches one contiguous row. */
  readonly hbwG: Float64Array;
  readonly s0g: Float64Array;
  readonly sxg: Float64Array;
  readonly nAtRisk: Int32Array;
  readonly lastA: Float64Array;
  readonly lastQ: Float64Array;
  readonly lastB: Float64Array;
  readonly accB: Float64Array;
  readonly d0g: Float64Array;
  readonly dxg: Float64Array;
  readonly deadGroups: Int32Array;
  /** Running Σ_k (s1 q0 − d1 q1) after each event time ((times + 1) × p), or null when too large (ROW_HBW_LIMIT). */
  readonly cumB: Float64Array | null;
}

/** The coefficient–frailty block is summed by row when (event times + 1)·p is at most this (32 MB). */
export const ROW_HBW_LIMIT = 4e6;

/** Buffers for frailtyLogLik; d (optional) sizes the per-event-time arrays by its event-time count. */
export function makeFrailtyWorkspace(n: number, p: number, G: number, d?: CoxData): FrailtySweepWorkspace {
  const nTimes = d ? countEventTimes(d) : n;
  return {
    ...makeWorkspace(n, p, nTimes),
    cumB: (nTimes + 1) * p <= ROW_HBW_LIMIT ? new Float64Array((nTimes + 1) * p) : null,
    G, uw: new Float64Array(G), hbw: new Float64Array(p * G), hww: new Float64Array(G), hbwG: new Float64Array(G * p),
    s0g: new Float64Array(G), sxg: new Float64Array(G * p), nAtRisk: new Int32Array(G),
    lastA: new Float64Array(G), lastQ: new Float64Array(G), lastB: new Float64Array(G * p), accB: new Float64Array(p),
    d0g: new Float64Array(G), dxg: new Float64Array(G * p), deadGroups: new Int32Array(G),
  };
}

/**
 * Penalty-free partial log-likelihood at (β, w) with the score and sparse information.
 * Inputs: prepared data (p centred columns, sweep order); group code of each sweep position
 * (0..G−1); beta (p) and w (G); workspace from makeFrailtyWorkspace. Output: the log-likelihood;
 * ws.u (p), ws.uw (G), ws.imat (p × p, symmetric), ws.hbw (p × G) and ws.hww (G) are filled.
 * Failure: a non-finite value means exp(η) overflowed or a risk set is empty.
 */
export function frailtyLogLik(d: CoxData, group: Int32Array, beta: ArrayLike<number>, w: ArrayLike<number>, ws: FrailtySweepWorkspace): number {
  const ll = frailtySweep(d, group, beta, w, ws, true);
  if (!Number.isNaN(ll)) return ll;
  return frailtySweep(d, group, beta, w, ws, false);
}

/**
 * regrouped: the coefficient block's risk-set second moments enter by row, as in coxLogLik (one
 * first-moment sweep, then one blocked weighted cross-product: no p² work per row in the sweep);
 * returns NaN when that difference of sums cancels (then the caller sweeps with per-event-time
 * second moments, regrouped = false, R's order of summation).
 */
function frailtySweep(d: CoxData, group: Int32Array, beta: ArrayLike<number>, w: ArrayLike<number>, ws: FrailtySweepWorkspace, regrouped: boolean): number {
  const { n, p, x, status, weight, stop, entry, entryOrder, strataStart } = d;
  const { G, eta, risk, u, uw, imat, hbw, hbwG, hww, s0g, sxg, nAtRisk, lastA, lastQ, lastB, accB, d0g, dxg, deadGroups, s1, d1, ef } = ws;
  const { kStop, kEnd, c0: c0k, c1: c1k, cum } = ws;
  // byRow: hbw's first-order part Σ_k (SX_j c0 − S0_j B_k) is linear in the rows, so it is summed
  // once per row from prefix sums after the sweep instead of per group as rows enter (no O(p) work
  // per row inside the sweep).
  const cumB = regrouped ? ws.cumB : null;
  const byRow = cumB !== null;
  const efron = d.method === 'efron';
  for (let i = 0; i < n; i++) {
    let s = w[group[i]];
    const o = i * p;
    for (let a = 0; a < p; a++) s += x[o + a] * beta[a];
    eta[i] = s;
    risk[i] = weight[i] * Math.exp(s);
  }
  u.fill(0); uw.fill(0); imat.fill(0); hbwG.fill(0); hww.fill(0);
  s0g.fill(0); sxg.fill(0); nAtRisk.fill(0); lastA.fill(0); lastQ.fill(0); lastB.fill(0); accB.fill(0);
  let accA = 0;
  let accQ = 0;
  const flush = (j: number): void => {
    const s0 = s0g[j];
    const o = j * p;
    if (s0 !== 0) {
      const dA = accA - lastA[j];
      uw[j] -= s0 * dA;
      hww[j] += s0 * dA - s0 * s0 * (accQ - lastQ[j]);
      if (!byRow) for (let a = 0; a < p; a++) hbwG[o + a] += sxg[o + a] * dA - s0 * (accB[a] - lastB[o + a]);
    }
    lastA[j] = accA;
    lastQ[j] = accQ;
    if (!byRow) for (let a = 0; a < p; a++) lastB[o + a] = accB[a];
  };
  const move = (r: number, sign: 1 | -1): void => {
    const j = group[r];
    flush(j);
    const rr = risk[r] * sign;
    const o = j * p;
    const ox = r * p;
    nAtRisk[j] += sign;
    if (nAtRisk[j] === 0) {
      // Exact zeros when a group leaves the risk set, so rounding does not drift.
      s0g[j] = 0;
      if (!byRow) for (let a = 0; a < p; a++) sxg[o + a] = 0;
      return;
    }
    s0g[j] += rr;
    if (!byRow) for (let a = 0; a < p; a++) sxg[o + a] += rr * x[ox + a];
  };
  const resetStratum = (): void => {
    for (let j = 0; j < G; j++) {
      flush(j);
      s0g[j] = 0;
      nAtRisk[j] = 0;
    }
    sxg.fill(0);
  };
  let loglik = 0;
  let curStratum = -1;
  let added = 0;
  let ep = 0;
  let stratumEnd = 0;
  const nTimes = sweepEventTimes(d, risk, ws, !regrouped, regrouped ? kStop : null, regrouped ? kEnd : null, (k, s, first, end, nd, dw, s0, d0) => {
    if (s !== curStratum) {
      resetStratum();
      curStratum = s;
      added = strataStart[s];
      ep = strataStart[s];
      stratumEnd = strataStart[s + 1];
    }
    for (; added < end; added++) move(added, 1);
    if (entry !== null && entryOrder !== null) {
      const t = stop[first];
      while (ep < stratumEnd && entry[entryOrder[ep]] >= t) move(entryOrder[ep++], -1);
    }
    let nDeadGroups = 0;
    loglik += addDeathTerms(x, p, status, weight, eta, first, end, u);
    for (let j = first; j < end; j++) if (status[j] === 1) uw[group[j]] += weight[j];
    // The shared tie coefficients of this event time, in ws.ef.
    if (regrouped) {
      efronTerms(efron, nd, dw, s0, d0, ef);
      c0k[k] = ef[EF_C0];
      c1k[k] = ef[EF_C1];
      loglik -= ef[EF_LOG];
      addFirstMomentTerms(s1, d1, p, efron && nd > 1, ef, u, imat);
    } else {
      loglik -= addEventTimeInformation(ws, p, efron, nd, dw, s0, d0, u, imat, ef);
    }
    const c0 = ef[EF_C0];
    const c1 = ef[EF_C1];
    const q0 = ef[EF_Q0];
    const q1 = ef[EF_Q1];
    const q2 = ef[EF_Q2];
    accA += c0;
    accQ += q0;
    for (let a = 0; a < p; a++) accB[a] += s1[a] * q0 - d1[a] * q1;
    if (cumB !== null) cumB.set(accB, (k + 1) * p);
    if (efron && nd > 1) {
      // Groups with tied deaths: the Efron fractions remove part of their own deaths' risk.
      for (let j = first; j < end; j++) {
        if (status[j] !== 1) continue;
        const g = group[j];
        if (d0g[g] === 0) deadGroups[nDeadGroups++] = g;
        const rj = risk[j];
        d0g[g] += rj;
        const o = j * p;
        for (let a = 0; a < p; a++) dxg[g * p + a] += rj * x[o + a];
      }
      for (let q = 0; q < nDeadGroups; q++) {
        const g = deadGroups[q];
        const dg = d0g[g];
        const sg = s0g[g];
        uw[g] += dg * c1;
        hww[g] += -dg * c1 + 2 * sg * dg * q1 - dg * dg * q2;
        for (let a = 0; a < p; a++) hbwG[g * p + a] += -dxg[g * p + a] * c1 + s1[a] * dg * q1 - d1[a] * dg * q2;
        d0g[g] = 0;
        for (let a = 0; a < p; a++) dxg[g * p + a] = 0;
      }
    }
  });
  for (let j = 0; j < G; j++) flush(j);
  if (regrouped) {
    if (!addRegroupedInformation(d, ws, nTimes)) return NaN;
    if (cumB !== null) {
      // The coefficient-frailty block by the same regrouping: row i adds r_i x_i Σ c0 over its
      // risk window to its group's row, less r_i times the window's sum of the B terms.
      for (let i = 0; i < n; i++) {
        const ks = kStop[i];
        const ke = kEnd[i];
        if (ks >= ke) continue;
        const ri = risk[i];
        const rh = ri * (cum[ke] - cum[ks]);
        const o = group[i] * p;
        const ox = i * p;
        const oe = ke * p;
        const os = ks * p;
        for (let a = 0; a < p; a++) hbwG[o + a] += rh * x[ox + a] - ri * (cumB[oe + a] - cumB[os + a]);
      }
    }
  }
  for (let j = 0; j < G; j++) for (let a = 0; a < p; a++) hbw[a * G + j] = hbwG[j * p + a];
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) imat[b * p + a] = imat[a * p + b];
  return loglik;
}
