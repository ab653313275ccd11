// Fine–Gray subdistribution hazards: the finegray() expansion (survival ≥ 3) and a weighted Cox
// fit through the one Cox core. Source: Fine & Gray (1999), JASA 94:496–509; Geskus (2011),
// Biometrics 67:39–49 (the counting-process weighting R's survival::finegray implements).
import type { Label } from '../core/groups';
import { isMissing } from '../core/missing';
import { toDense, type MatrixInput } from '../core/matrix';
import { integerWeights } from '../core/guard';
import { extendCoxFit, fitCox, type CoxFit } from './cox';
import { cumulativeIncidence, type CumIncResult } from './competing';
import { cumulativeIncidenceSe } from './competingSe';
import type { CoxTies } from './coxcore';

export interface FineGrayInput {
  /** Time to the first event or censoring (> entry 0), one row per subject. */
  time: ArrayLike<number>;
  /** 0 = censored (or `censorValue`); any other value is the event type that ended follow-up. */
  status: ArrayLike<Label>;
  /** The event type of interest (R's finegray etype); every other non-censoring status competes. */
  cause: Label;
  /** Covariates, rows × p, no intercept. */
  x: MatrixInput;
  names?: string[];
  /** Cluster the robust variance by this (e.g. child id); default: each expanded row its own cluster, as coxph. */
  cluster?: ArrayLike<Label>;
  censorValue?: Label;
  ties?: CoxTies;
  eps?: number;
  iterMax?: number;
}

/** finegray()'s expanded counting-process data; `row` maps each expanded row to its input row. */
export interface FineGrayData {
  readonly row: Int32Array;
  readonly start: Float64Array;
  readonly stop: Float64Array;
  /** 1 = event of interest. */
  readonly status: Uint8Array;
  /** G(t)/G(s) for rows after a competing event at s; 1 otherwise. */
  readonly weight: Float64Array;
}

export interface FineGrayFit extends CoxFit {
  readonly model: 'finegray';
  readonly cause: string;
  readonly expanded: { readonly nRows: number; readonly sumWeights: number; readonly nEventRows: number };
  /** Aalen–Johansen cumulative incidence of every cause (no covariates). */
  readonly cumulativeIncidence: CumIncResult;
  /** Infinitesimal-jackknife SEs of cumulativeIncidence.cif[c][j] (R's survfit default), and of the event-free probability. */
  readonly cumulativeIncidenceStdErr: { readonly stdErr: readonly Float64Array[]; readonly stdErrSurv: Float64Array };
}

/**
 * The finegray() expansion for right-censored data (survival 3.5's rules):
 * G is the Kaplan–Meier curve of the censoring times, with events leaving the risk set before
 * censorings at a tied time. Cut points are the censoring times plus the largest time; the piece
 * ending at cut c_j carries G just after c_{j−1}. A subject with the event of interest or censored
 * keeps (0, t] with weight 1. A subject with a competing event at s keeps (0, c] (c the first cut
 * ≥ s, weight 1, status 0) and then one row per later piece that contains an event-of-interest
 * time, with weight G(piece)/G(piece holding s). Inputs: times, event codes (0 censored,
 * 1 event of interest, 2 competing). Output: FineGrayData. Cost O(n log n + rows written).
 * Difference from R: no aeqSurv() time fix (times are compared exactly).
 */
export function finegrayData(time: Float64Array, code: Uint8Array): FineGrayData {
  const n = time.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (let i = 0; i < n; i++) {
    if (time[i] < minTime) minTime = time[i];
    if (time[i] > maxTime) maxTime = time[i];
  }
  const zero = minTime > 0 ? 0 : 2 * minTime - 1;
  // Censoring KM: at censoring time c, at risk = (time > c) + (censored at c).
  const cutTime: number[] = [];
  const cutProb: number[] = [1];
  let g = 1;
  for (let k = 0; k < n;) {
    const t = time[idx[k]];
    let nc = 0;
    let j = k;
    for (; j < n && time[idx[j]] === t; j++) if (code[idx[j]] === 0) nc++;
    if (nc > 0) {
      const atRisk = n - j + nc;
      g *= 1 - nc / atRisk;
      cutTime.push(t);
      cutProb.push(g);
    }
    k = j;
  }
  cutTime.push(maxTime);
  const ncut = cutTime.length;
  // keep[j]: piece (cut[j−1], cut[j]] holds an event-of-interest time.
  const keep = new Uint8Array(ncut);
  for (let i = 0; i < n; i++) {
    if (code[i] !== 1) continue;
    let lo = 0;
    let hi = ncut; // first j with cut[j] >= t
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cutTime[mid] < time[i]) lo = mid + 1; else hi = mid;
    }
    if (lo < ncut) keep[lo] = 1;
  }
  const firstCut = (t: number): number => {
    let lo = 0;
    let hi = ncut;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cutTime[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  let total = n;
  const keptAfter = new Int32Array(ncut + 1);
  for (let j = ncut - 1; j >= 0; j--) keptAfter[j] = keptAfter[j + 1] + keep[j];
  for (let i = 0; i < n; i++) if (code[i] === 2) total += keptAfter[firstCut(time[i]) + 1];
  const row = new Int32Array(total);
  const start = new Float64Array(total);
  const stop = new Float64Array(total);
  const status = new Uint8Array(total);
  const weight = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    row[k] = i;
    start[k] = zero;
    stop[k] = time[i];
    status[k] = code[i] === 1 ? 1 : 0;
    weight[k] = 1;
    if (code[i] === 2) {
      const j0 = firstCut(time[i]);
      stop[k] = cutTime[j0];
      const base = cutProb[j0];
      for (let j = j0 + 1; j < ncut; j++) {
        if (!keep[j]) continue;
        k++;
        row[k] = i;
        start[k] = cutTime[j - 1];
        stop[k] = cutTime[j];
        weight[k] = cutProb[j] / base;
      }
    }
    k++;
  }
  return { row, start, stop, status, weight };
}

/**
 * Fine–Gray subdistribution-hazard regression, as R's
 * `coxph(Surv(fgstart, fgstop, fgstatus) ~ x, weights = fgwt, data = finegray(Surv(time, ev) ~ ., etype = cause))`.
 * Inputs: FineGrayInput (one row per subject). Output: a CoxFit (coefficients are log
 * subdistribution hazard ratios) with the robust variance coxph reports for these weights (each
 * expanded row its own cluster, or `cluster` summed per subject group), the expansion's totals and
 * the Aalen–Johansen cumulative incidence. Failure: throws on a missing/unknown status, a cause
 * absent from the data, or any fitCox input error.
 */
export function fitFineGray(input: FineGrayInput): FineGrayFit {
  const n = input.time.length;
  if (input.status.length !== n) throw new Error(`fitFineGray: status has length ${input.status.length}, expected ${n}`);
  const censor = String(input.censorValue ?? 0);
  const cause = String(input.cause);
  const time = new Float64Array(n);
  const code = new Uint8Array(n);
  let nCause = 0;
  for (let i = 0; i < n; i++) {
    const t = Number(input.time[i]);
    if (!Number.isFinite(t)) throw new Error(`fitFineGray: time is not a finite number at row ${i + 1} (${input.time[i]})`);
    time[i] = t;
    const s = input.status[i];
    if (isMissing(s)) throw new Error(`fitFineGray: status is missing at row ${i + 1}`);
    const key = String(s);
    code[i] = key === censor ? 0 : key === cause ? 1 : 2;
    if (code[i] === 1) nCause++;
  }
  if (nCause === 0) throw new Error(`fitFineGray: no row has the event of interest (cause ${cause})`);
  const xm = toDense(input.x, 'fitFineGray: x', n);
  const p = xm.ncol;
  const fg = finegrayData(time, code);
  const m = fg.row.length;
  const xe = new Float64Array(m * p);
  for (let k = 0; k < m; k++) xe.set(xm.data.subarray(fg.row[k] * p, fg.row[k] * p + p), k * p);
  const cluster = input.cluster ? Array.from(fg.row, (r) => (input.cluster as ArrayLike<Label>)[r]) : undefined;
  const fit = fitCox({
    time: fg.stop, entry: fg.start, event: fg.status, x: { nrow: m, ncol: p, data: xe }, names: input.names,
    weights: fg.weight, cluster,
    // coxph's default: robust iff the weights are not all integers (no competing event: all 1, model-based).
    robust: !integerWeights(fg.weight), ties: input.ties, eps: input.eps, iterMax: input.iterMax,
  });
  let sumWeights = 0;
  let nEventRows = 0;
  for (let k = 0; k < m; k++) {
    sumWeights += fg.weight[k];
    nEventRows += fg.status[k];
  }
  const ci = cumulativeIncidence({ time, cause: input.status, censorValue: input.censorValue ?? 0 });
  return extendCoxFit(fit, {
    model: 'finegray' as const,
    cause,
    expanded: Object.freeze({ nRows: m, sumWeights, nEventRows }),
    cumulativeIncidence: ci,
    cumulativeIncidenceStdErr: cumulativeIncidenceSe(ci, time, input.status),
  });
}
