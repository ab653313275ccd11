// Cox quantities at a fixed beta, after the fit: per-event-time hazard sums (baseline hazard, zph,
// predictions) and per-row martingale and score residuals. Typed arrays in and out, no I/O.
import { computeRisk, countEventTimes, sweepEventTimes, type CoxData, type RiskSetSums } from './coxcore';
import { EF_SLOTS, hazardTermsAt, type HazardTermArrays } from './efron';
export { hazardTermsAt, type HazardTermArrays } from './efron';

/** Per-event-time hazard quantities at a fixed beta (see `hazardSweep`). */
export interface HazardSweep {
  /** Number of distinct event times over all strata (index k, descending time within stratum). */
  readonly nTimes: number;
  readonly time: Float64Array;
  readonly stratum: Int32Array;
  /** Stratum s owns event indices [stratumTimeStart[s], stratumTimeStart[s+1]). */
  readonly stratumTimeStart: Int32Array;
  readonly nDeath: Float64Array;
  readonly wDeath: Float64Array;
  /** Number (unweighted) and weight of rows at risk at the event time. */
  readonly nRisk: Float64Array;
  /** Hazard increment seen by at-risk rows that do not die at this time (Efron-adjusted). */
  readonly dH: Float64Array;
  /** Hazard increment seen by the rows dying at this time (Efron gives them partial weight). */
  readonly dH2: Float64Array;
  /** Variance increment of the cumulative hazard (Σ wm/den²). */
  readonly dVar: Float64Array;
  /** nTimes × p: Σ (weighted mean of x) × hazard increment, for non-dying and dying rows. */
  readonly dA: Float64Array;
  readonly dA2: Float64Array;
  /** nTimes × p: mean of x over the risk set as seen by a death (average over Efron steps). */
  readonly mbar: Float64Array;
  /** Per sweep position: event indices at which the row is at risk are [kStop, kEnd). */
  readonly kStop: Int32Array;
  readonly kEnd: Int32Array;
  readonly eta: Float64Array;
}

/**
 * Hazard increments and risk-set means at each distinct event time, at fixed beta.
 * Inputs: prepared data and beta. Output: HazardSweep (sizes O(n + times·p)).
 * Used by residuals (score, martingale, Schoenfeld), the robust variance and baseline hazards.
 * Cost: one first-moment sweep, O(n·p).
 */
export function hazardSweep(d: CoxData, beta: ArrayLike<number>): HazardSweep {
  const { n, p, stop, strataStart } = d;
  const efron = d.method === 'efron';
  const eta = new Float64Array(n);
  const risk = new Float64Array(n);
  computeRisk(d, beta, eta, risk);
  // Count distinct event times first so arrays are allocated once.
  const nStrata = strataStart.length - 1;
  const nTimes = countEventTimes(d);
  const time = new Float64Array(nTimes);
  const stratum = new Int32Array(nTimes);
  const stratumTimeStart = new Int32Array(nStrata + 1);
  const nDeath = new Float64Array(nTimes);
  const wDeath = new Float64Array(nTimes);
  const nRisk = new Float64Array(nTimes);
  const dH = new Float64Array(nTimes);
  const dH2 = new Float64Array(nTimes);
  const dVar = new Float64Array(nTimes);
  const dA = new Float64Array(nTimes * p);
  const dA2 = new Float64Array(nTimes * p);
  const mbar = new Float64Array(nTimes * p);
  const kStop = new Int32Array(n);
  const kEnd = new Int32Array(n);
  const sums: RiskSetSums = { s1: new Float64Array(p), s2: new Float64Array(0), d1: new Float64Array(p), d2: new Float64Array(0) };
  const { s1, d1 } = sums;
  const ef = new Float64Array(EF_SLOTS);
  const arrays: HazardTermArrays = { dH, dH2, dVar, dA, dA2, mbar };
  // Event times are numbered in stratum order, so a stratum's first index is the count so far.
  let prevStratum = -1;
  sweepEventTimes(d, risk, sums, false, kStop, kEnd, (k, s, first, _end, nd, dw, s0, d0, cnt) => {
    for (; prevStratum < s; prevStratum++) stratumTimeStart[prevStratum + 1] = k;
    time[k] = stop[first];
    stratum[k] = s;
    nDeath[k] = nd;
    wDeath[k] = dw;
    nRisk[k] = cnt;
    hazardTermsAt(arrays, k, p, efron, nd, dw, s0, d0, s1, d1, ef);
  });
  for (; prevStratum < nStrata; prevStratum++) stratumTimeStart[prevStratum + 1] = nTimes;
  return { nTimes, time, stratum, stratumTimeStart, nDeath, wDeath, nRisk, dH, dH2, dVar, dA, dA2, mbar, kStop, kEnd, eta };
}

/** What the residuals read from a hazard sweep (a HazardSweep, or terms recorded by coxLogLik). */
export type ResidualHazard = Pick<HazardSweep, 'nTimes' | 'dH' | 'dH2' | 'dA' | 'dA2' | 'mbar' | 'kStop' | 'kEnd' | 'eta'>;

/**
 * Score residuals (unweighted, one row per observation in sweep order) and martingale residuals.
 * Inputs: prepared data, a hazard sweep at the same beta. Outputs: score (n × p), martingale (n).
 * Property: Σ_i w_i score_i equals the score vector U(beta).
 * With `clusterSums`, Σ w·score is accumulated per cluster into out (G × p) instead of storing
 * the n × p matrix (score is then returned as null), which keeps national-scale fits lean.
 * The cumulative sums over event times are prefix sums, so each row costs O(p).
 */
export function coxResiduals(d: CoxData, hz: ResidualHazard, wantScore: boolean, clusterSums?: { cluster: Int32Array; out: Float64Array }): { score: Float64Array | null; martingale: Float64Array } {
  const { n, p, x, status, weight } = d;
  const { nTimes, dH, dH2, dA, dA2, mbar, kStop, kEnd, eta } = hz;
  const ph = new Float64Array(nTimes + 1);
  for (let k = 0; k < nTimes; k++) ph[k + 1] = ph[k] + dH[k];
  const martingale = new Float64Array(n);
  if (!wantScore) {
    for (let i = 0; i < n; i++) {
      const ks = kStop[i];
      const ke = kEnd[i];
      let h = 0;
      if (ks < ke) h = status[i] === 1 ? dH2[ks] + ph[ke] - ph[ks + 1] : ph[ke] - ph[ks];
      martingale[i] = status[i] - Math.exp(eta[i]) * h;
    }
    return { score: null, martingale };
  }
  const pa = new Float64Array((nTimes + 1) * p);
  for (let k = 0; k < nTimes; k++) {
    const o = k * p;
    for (let a = 0; a < p; a++) pa[o + p + a] = pa[o + a] + dA[o + a];
  }
  // Either the n × p matrix, or (national scale) per-cluster sums of w·score written straight
  // into clusterSums.out through one row buffer.
  const cluster = clusterSums === undefined ? null : clusterSums.cluster;
  const out = clusterSums === undefined ? null : clusterSums.out;
  const score = out === null ? new Float64Array(n * p) : null;
  const dest = out === null ? (score as Float64Array) : out;
  const r = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const ks = kStop[i];
    const ke = kEnd[i];
    const er = Math.exp(eta[i]);
    const o = i * p;
    const dead = status[i] === 1 && ks < ke;
    if (ks >= ke) {
      martingale[i] = status[i];
      for (let a = 0; a < p; a++) r[a] = 0;
    } else if (dead) {
      const h = dH2[ks] + ph[ke] - ph[ks + 1];
      martingale[i] = 1 - er * h;
      const oe = ke * p;
      const os = (ks + 1) * p;
      const ok = ks * p;
      for (let a = 0; a < p; a++) {
        const xa = x[o + a];
        r[a] = xa - mbar[ok + a] - er * (xa * h - (dA2[ok + a] + pa[oe + a] - pa[os + a]));
      }
    } else {
      const h = ph[ke] - ph[ks];
      martingale[i] = status[i] - er * h;
      const oe = ke * p;
      const os = ks * p;
      for (let a = 0; a < p; a++) r[a] = -er * (x[o + a] * h - (pa[oe + a] - pa[os + a]));
    }
    if (cluster === null) {
      for (let a = 0; a < p; a++) dest[o + a] = r[a];
    } else {
      const co = cluster[i] * p;
      const wi = weight[i];
      for (let a = 0; a < p; a++) dest[co + a] += wi * r[a];
    }
  }
  return { score, martingale };
}
