// Numeric core of the Cox model: typed arrays in, typed arrays out. No arquero, no I/O.
//
// Layout: rows are physically re-ordered once by (stratum ascending, stop time descending),
// so every Newton step is one cache-friendly backward sweep that grows running sums
// S0 = Σ r, S1 = Σ r x, S2 = Σ r x x' over the risk set (r = w·exp(η)). Counting-process
// rows (entry, stop] leave the risk set through a second ordering by entry time (two
// pointers), so no event ever scans all rows.

import { addCrossprodUpper } from '../core/linalg';
import { EF_C0, EF_C1, EF_LOG, EF_SLOTS, efronTerms, hazardTermsAt, type HazardTermArrays } from './efron';
import { addDeathTerms, addEventTimeInformation, addFirstMomentTerms, type RiskSetSums } from './eventTerms';

export { addEventTimeInformation, type RiskSetSums } from './eventTerms';

export type CoxTies = 'efron' | 'breslow';

/** Prepared Cox data, rows in sweep order. */
export interface CoxData {
  readonly n: number;
  readonly p: number;
  /** n × p row-major, centred (see `means`), sweep order. */
  readonly x: Float64Array;
  readonly stop: Float64Array;
  /** Interval starts in sweep order, or null for right-censored data. */
  readonly entry: Float64Array | null;
  readonly status: Uint8Array;
  readonly weight: Float64Array;
  /** Stratum s occupies sweep positions [strataStart[s], strataStart[s+1]). */
  readonly strataStart: Int32Array;
  /** Sweep position → original row index. */
  readonly order: Uint32Array;
  /** Sweep positions ordered by (stratum, entry descending); null for right-censored data. */
  readonly entryOrder: Uint32Array | null;
  readonly means: Float64Array;
  readonly method: CoxTies;
}

/** Reusable buffers so a Newton step allocates nothing. */
export interface CoxWorkspace {
  eta: Float64Array;
  risk: Float64Array;
  u: Float64Array;
  imat: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
  d1: Float64Array;
  d2: Float64Array;
  m1: Float64Array;
  /** Per row: event indices at which it is at risk, [kStop, kEnd) (n each). */
  kStop: Int32Array;
  kEnd: Int32Array;
  /** Per event time: Efron coefficients Σ wm/den and Σ wm·f/den (length ≥ the number of times). */
  c0: Float64Array;
  c1: Float64Array;
  /** Prefix sums of c0 over event times (times + 1), and each row's weight in the information. */
  cum: Float64Array;
  rowW: Float64Array;
  /** Tie coefficients of the current event time (see efron.ts). */
  ef: Float64Array;
  /**
   * When set (sized by countEventTimes), coxLogLik also records the hazard terms at its beta, so
   * the residuals and robust variance at that beta need no second sweep; hzValid says whether
   * the last call recorded them.
   */
  hz: HazardTermArrays | null;
  hzValid: boolean;
}

/**
 * Buffers for n rows and p columns; nTimes (default n) bounds the number of distinct event
 * times, so a caller that has counted them (countEventTimes) avoids three n-long arrays: at
 * national size every fresh megabyte costs page faults.
 */
export function makeWorkspace(n: number, p: number, nTimes = n): CoxWorkspace {
  return {
    eta: new Float64Array(n),
    risk: new Float64Array(n),
    u: new Float64Array(p),
    imat: new Float64Array(p * p),
    s1: new Float64Array(p),
    s2: new Float64Array(p * p),
    d1: new Float64Array(p),
    d2: new Float64Array(p * p),
    m1: new Float64Array(p),
    kStop: new Int32Array(n),
    kEnd: new Int32Array(n),
    c0: new Float64Array(nTimes),
    c1: new Float64Array(nTimes),
    cum: new Float64Array(nTimes + 1),
    rowW: new Float64Array(n),
    ef: new Float64Array(EF_SLOTS),
    hz: null,
    hzValid: false,
  };
}

/** Number of distinct event times over all strata (the sweep's event-time count). */
export function countEventTimes(d: CoxData): number {
  const { stop, status, strataStart } = d;
  let nTimes = 0;
  for (let s = 0; s < strataStart.length - 1; s++) {
    let last = NaN;
    for (let i = strataStart[s]; i < strataStart[s + 1]; i++) {
      if (status[i] === 1 && stop[i] !== last) {
        nTimes++;
        last = stop[i];
      }
    }
  }
  return nTimes;
}

/** η = x β (centred x) and risk = w·exp(η), in sweep order. */
export function computeRisk(d: CoxData, beta: ArrayLike<number>, eta: Float64Array, risk: Float64Array): void {
  const { n, p, x, weight } = d;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * p;
    for (let j = 0; j < p; j++) s += x[o + j] * beta[j];
    eta[i] = s;
    risk[i] = weight[i] * Math.exp(s);
  }
}

/**
 * Called once per distinct event time, after the rows with that stop time have entered the risk
 * set and rows whose interval starts at or after it have left. k: event-time index (0-based,
 * across strata); rows [first, end) are the tied group (sweep positions); nd / dw: number and
 * weight of deaths; s0: Σ r over the risk set; d0: Σ r over the deaths; nRisk: rows at risk.
 * The sums are in the `RiskSetSums` passed to the sweep.
 */
export type EventTimeVisitor = (k: number, stratum: number, first: number, end: number, nd: number, dw: number, s0: number, d0: number, nRisk: number) => void;

/**
 * A row's first moments when they are not r·x (the class-copy core, whose rows stand for K
 * weighted copies): adds sign × (the row's Σ r z) to dst (length of the sums' s1).
 */
export type RowMoments = (dst: Float64Array, row: number, sign: number) => void;

/**
 * The backward risk-set sweep shared by the partial likelihood, the hazard sweep and cox.zph.
 * Inputs: prepared data; risk = w·exp(η) in sweep order; sums (buffers, overwritten); whether to
 * keep the p × p second moments; optional kStop/kEnd (length n) to record, per row, the event
 * indices [kStop, kEnd) at which it is at risk; the visitor. Output: number of event times.
 * Efron with second moments: tied deaths go to d2 only, folded into s2 once per event time, so
 * the deaths' p² work is not done twice. rowMoments (first moments only): replaces r·x as a
 * row's contribution to s1 and d1 (s0 and d0 still sum risk). A risk set that empties (counting-process gaps)
 * restarts from exact zeros, so rounding cannot drift across disjoint stretches of follow-up.
 * Cost: O(n·p²) (O(n·p) without second moments); no allocation.
 */
export function sweepEventTimes(
  d: CoxData, risk: Float64Array, sums: RiskSetSums, secondMoments: boolean,
  kStop: Int32Array | null, kEnd: Int32Array | null, visit: EventTimeVisitor, rowMoments: RowMoments | null = null,
): number {
  const { p, x, stop, entry, status, weight, strataStart, entryOrder } = d;
  const { s1, s2, d1, d2 } = sums;
  const efron = d.method === 'efron';
  const nStrata = strataStart.length - 1;
  let k = 0;
  for (let s = 0; s < nStrata; s++) {
    const end = strataStart[s + 1];
    let s0 = 0;
    let inRisk = 0;
    s1.fill(0);
    if (secondMoments) s2.fill(0);
    let i = strataStart[s];
    let ep = strataStart[s];
    while (i < end) {
      const t = stop[i];
      let nd = 0;
      let dw = 0;
      let d0 = 0;
      let j = i;
      for (; j < end && stop[j] === t; j++) {
        const rj = risk[j];
        const o = j * p;
        s0 += rj;
        inRisk++;
        if (kStop !== null && kEnd !== null) {
          kStop[j] = k;
          kEnd[j] = -1;
        }
        const dead = status[j] === 1;
        if (dead) {
          if (nd === 0 && efron) {
            d1.fill(0);
            if (secondMoments) d2.fill(0);
          }
          nd++;
          dw += weight[j];
          d0 += rj;
        }
        if (rowMoments !== null) {
          rowMoments(s1, j, 1);
          if (dead && efron) rowMoments(d1, j, 1);
        } else if (dead && efron) {
          if (secondMoments) {
            for (let a = 0; a < p; a++) {
              const xa = x[o + a] * rj;
              s1[a] += xa;
              d1[a] += xa;
              const row = a * p;
              for (let b = a; b < p; b++) d2[row + b] += xa * x[o + b];
            }
          } else {
            for (let a = 0; a < p; a++) {
              const xa = x[o + a] * rj;
              s1[a] += xa;
              d1[a] += xa;
            }
          }
        } else if (secondMoments) {
          for (let a = 0; a < p; a++) {
            const xa = x[o + a] * rj;
            s1[a] += xa;
            const row = a * p;
            for (let b = a; b < p; b++) s2[row + b] += xa * x[o + b];
          }
        } else {
          for (let a = 0; a < p; a++) s1[a] += x[o + a] * rj;
        }
      }
      if (nd > 0) {
        if (efron && secondMoments) for (let a = 0; a < p * p; a++) s2[a] += d2[a];
        if (entry !== null && entryOrder !== null) {
          // Rows whose interval starts at or after t are not at risk at t (nor earlier).
          while (ep < end && entry[entryOrder[ep]] >= t) {
            const r = entryOrder[ep++];
            const rr = risk[r];
            const o = r * p;
            s0 -= rr;
            if (kEnd !== null) kEnd[r] = k;
            if (rowMoments !== null) rowMoments(s1, r, -1);
            else if (secondMoments) {
              for (let a = 0; a < p; a++) {
                const xa = x[o + a] * rr;
                s1[a] -= xa;
                const row = a * p;
                for (let b = a; b < p; b++) s2[row + b] -= xa * x[o + b];
              }
            } else {
              for (let a = 0; a < p; a++) s1[a] -= x[o + a] * rr;
            }
            if (--inRisk === 0) {
              s0 = 0;
              s1.fill(0);
              if (secondMoments) s2.fill(0);
            }
          }
        }
        visit(k, s, i, j, nd, dw, s0, d0, inRisk);
        k++;
      }
      i = j;
    }
    if (kEnd !== null) for (let r = strataStart[s]; r < end; r++) if (kEnd[r] < 0) kEnd[r] = k;
  }
  return k;
}

/**
 * Partial log-likelihood, score and observed information at beta.
 * Inputs: prepared data, beta (length p), workspace. Outputs: returns the log-likelihood;
 * ws.u (score) and ws.imat (p × p information, full symmetric) are filled.
 * Failure: a non-finite return value means exp(η) overflowed or a risk set is empty.
 * The information Σ_k [c0_k S2_k − c1_k D2_k − (first-moment terms)] is regrouped by row:
 * row i enters S2_k at every event time k at which it is at risk, so its x xᵀ carries the
 * weight r_i (Σ_{k at risk} c0_k − [i dies at k] c1_k). One first-moment sweep, O(n·p), gives
 * those weights by prefix sums; one blocked weighted cross-product, O(n·p²/2), adds the rest.
 * The p² first-moment terms cost O(p²) per distinct event time (Efron in closed form).
 */
export function coxLogLik(d: CoxData, beta: ArrayLike<number>, ws: CoxWorkspace): number {
  const { n, p, x, status, weight } = d;
  const { eta, risk, u, imat, s1, d1, kStop, kEnd, c0: c0k, c1: c1k, cum, rowW, ef } = ws;
  const hzRec = ws.hz;
  ws.hzValid = false;
  const efron = d.method === 'efron';
  computeRisk(d, beta, eta, risk);
  u.fill(0);
  imat.fill(0);
  let loglik = 0;
  const nTimes = sweepEventTimes(d, risk, ws, false, kStop, kEnd, (k, _s, first, end, nd, dw, s0, d0) => {
    loglik += addDeathTerms(x, p, status, weight, eta, first, end, u);
    efronTerms(efron, nd, dw, s0, d0, ef);
    c0k[k] = ef[EF_C0];
    c1k[k] = ef[EF_C1];
    loglik -= ef[EF_LOG];
    // The risk-set second moments enter below, regrouped by row; here only the first-moment terms.
    addFirstMomentTerms(s1, d1, p, efron && nd > 1, ef, u, imat);
    if (hzRec !== null) hazardTermsAt(hzRec, k, p, efron, nd, dw, s0, d0, s1, d1, ef);
  });
  // When the regrouped sum cancels (risk sets dominated by a few rows as a coefficient diverges),
  // recompute per event time, where no such cancellation occurs.
  if (!addRegroupedInformation(d, ws, nTimes)) return coxLogLikExact(d, beta, ws);
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) imat[b * p + a] = imat[a * p + b];
  ws.hzValid = hzRec !== null;
  return loglik;
}

/**
 * The risk-set second moments of the Cox information, regrouped by row (coxLogLik's summation):
 * row i is at risk at event indices [kStop_i, kEnd_i) and carries r_i (Σ c0 there − [i dies] c1
 * at its death), so one weighted cross-product Σ w_i x_i x_iᵀ, O(n·p²/2), replaces p² work per
 * event time. Reads ws.kStop/kEnd/c0/c1/risk for the first `nTimes` event indices; fills ws.cum
 * (prefix sums of c0, length nTimes + 1) and ws.rowW, and adds to the upper triangle of ws.imat.
 * Returns false when a diagonal keeps fewer than ~7 significant digits of its gross sum (the
 * result is then a cancellation artefact and the caller must recompute or give up).
 * Shared by coxLogLik and the frailty sweep (frailtySweep.ts).
 */
export function addRegroupedInformation(d: CoxData, ws: CoxWorkspace, nTimes: number): boolean {
  const { n, p, x, status } = d;
  const { risk, imat, kStop, kEnd, c0: c0k, c1: c1k, cum, rowW } = ws;
  cum[0] = 0;
  for (let k = 0; k < nTimes; k++) cum[k + 1] = cum[k] + c0k[k];
  for (let i = 0; i < n; i++) {
    const ks = kStop[i];
    const ke = kEnd[i];
    if (ks >= ke) {
      rowW[i] = 0;
      continue;
    }
    let h = cum[ke] - cum[ks];
    if (status[i] === 1) h -= c1k[ks];
    rowW[i] = risk[i] * h;
  }
  const diagBefore = ws.m1;
  for (let a = 0; a < p; a++) diagBefore[a] = imat[a * p + a];
  addCrossprodUpper(x, n, p, rowW, imat);
  for (let a = 0; a < p; a++) {
    const gross = imat[a * p + a] - diagBefore[a];
    if (!(imat[a * p + a] > 1e-7 * gross)) return false;
  }
  return true;
}

/**
 * The same quantities by per-event-time second moments (R's coxph order of summation): exact
 * when the regrouped sum in `coxLogLik` would cancel (a coefficient heading to infinity).
 * Cost O(n·p²) per call with a heavier constant.
 */
function coxLogLikExact(d: CoxData, beta: ArrayLike<number>, ws: CoxWorkspace): number {
  const { p, x, status, weight } = d;
  const { eta, risk, u, imat } = ws;
  const efron = d.method === 'efron';
  computeRisk(d, beta, eta, risk);
  u.fill(0);
  imat.fill(0);
  let loglik = 0;
  sweepEventTimes(d, risk, ws, true, null, null, (_k, _s, first, end, nd, dw, s0, d0) => {
    loglik += addDeathTerms(x, p, status, weight, eta, first, end, u);
    loglik -= addEventTimeInformation(ws, p, efron, nd, dw, s0, d0, u, imat, ws.ef);
  });
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) imat[b * p + a] = imat[a * p + b];
  return loglik;
}
