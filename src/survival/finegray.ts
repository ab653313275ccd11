// Fine–Gray subdistribution hazards: the finegray() expansion (survival ≥ 3) and a weighted Cox
// fit through the one Cox core. Source: Fine & Gray (1999), JASA 94:496–509; Geskus (2011),
// Biometrics 67:39–49 (the counting-process weighting R's survival::finegray implements).
import type { Label } from '../core/groups';
import { isMissing } from '../core/missing';
import { toDense, type MatrixInput } from '../core/matrix';
import { labelCodes } from '../core/groups';
import { setLazyCoxInternals, type CoxFit, type CoxInternals } from './cox';
import { prepareCox } from './coxPrepare';
import { concordanceCounts } from './concordance';
import { buildCoxFit, coxTermMap, type CoxConcordance } from './coxResult';
import { coxNewton, coxRobustVariance, type CoxRobust } from './coxNewton';
import { finegrayCuts, finegrayLayout, finegrayLogLik, finegrayScoreSums, finegrayWorkspace, firstAtOrAbove, type FineGrayLayout } from './finegraySweep';
import { cumulativeIncidence, type CumIncResult } from './competing';
import { cumulativeIncidenceSe } from './competingSe';
import type { CoxTies } from './coxcore';
import type { ProgressCallback } from '../core/progress';
import { formatWhole } from '../core/numberStyle';

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
  /** Multi-column terms (factor levels) by term label, for coxZph's per-term tests (as fitCox). */
  terms?: Record<string, string[]>;
  /** Cluster the robust variance by this (e.g. child id); default: each expanded row its own cluster, as coxph. */
  cluster?: ArrayLike<Label>;
  censorValue?: Label;
  ties?: CoxTies;
  eps?: number;
  iterMax?: number;
  /** Called once per Newton iteration (the fit can take minutes on national data). */
  onProgress?: ProgressCallback;
  /**
   * The concordance is computed on finegray()'s rows, which are written for it (without x) only up
   * to this many rows (default 5e6); above it, concordance is NaN with a warning.
   */
  concordanceMaxRows?: number;
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
  const idx = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  let minTime = Infinity;
  for (let i = 0; i < n; i++) if (time[i] < minTime) minTime = time[i];
  const zero = minTime > 0 ? 0 : 2 * minTime - 1;
  const { time: cutTime, prob: cutProb, keep, keptAfter } = finegrayCuts(time, code, idx);
  const ncut = cutTime.length;
  let total = n;
  for (let i = 0; i < n; i++) if (code[i] === 2) total += keptAfter[firstAtOrAbove(cutTime, time[i]) + 1];
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
      const j0 = firstAtOrAbove(cutTime, time[i]);
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
 * the Aalen–Johansen cumulative incidence. coxZph, baseHazard/survivalCurve and the residuals take
 * the fit and work on finegray()'s weighted rows (written on first use), as R's cox.zph, basehaz,
 * survfit and residuals on the coxph fit: the curve for a profile is 1 − its cumulative incidence
 * of `cause`, residuals have one entry per finegray() row. Failure: throws on a missing/unknown
 * status, a cause absent from the data, or any fitCox input error.
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
  if (p === 0) throw new Error('fitFineGray: x has no columns (the null model is not supported)');
  const names = input.names ? input.names.slice() : Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p) throw new Error(`fitFineGray: names has ${names.length} entries, x has ${p} columns`);
  for (let k = 0; k < n * p; k++) if (!Number.isFinite(xm.data[k])) throw new Error(`fitFineGray: x is not finite at row ${Math.floor(k / p) + 1}, column ${names[k % p]}`);
  const ties = input.ties ?? 'efron';
  if (ties !== 'efron' && ties !== 'breslow') throw new Error(`fitFineGray: ties must be 'efron' or 'breslow' (got ${String(input.ties)})`);
  const efron = ties === 'efron';
  const eps = input.eps ?? 1e-9;
  const iterMax = input.iterMax ?? 20;
  // The weighted Cox model on finegray()'s rows, evaluated without writing them (finegraySweep.ts).
  const L = finegrayLayout(time, code, xm.data, p);
  const ws = finegrayWorkspace(L);
  const nw = coxNewton((b) => finegrayLogLik(L, b, efron, ws), ws.u, ws.imat, names, eps, iterMax, input.onProgress, 'fitFineGray');
  const { beta, varNaive, warnings } = nw;
  const clusterCodes = input.cluster ? labelCodes(input.cluster, n, 'fitFineGray: cluster') : null;
  // coxph's default: robust iff the weights are not all integers (no competing event: all 1, model-based).
  const robust = clusterCodes !== null || !finegrayIntegerWeights(L);
  let vcov = varNaive;
  let rob: CoxRobust | null = null;
  if (robust) {
    const G = clusterCodes ? clusterCodes.levels.length : L.nRows;
    const sums = (b: Float64Array) => finegrayScoreSums(L, b, efron, ws, clusterCodes ? clusterCodes.codes : null, G);
    rob = coxRobustVariance(sums, G, beta, varNaive, clusterCodes !== null, names, warnings, 'fitFineGray');
    vcov = rob.vcov;
  }
  // Linear predictors per finegray() row (a subject's rows share its x), centred as coxph.
  const lpSubject = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += L.x[i * p + j] * beta[j];
    lpSubject[i] = s;
  }
  const linearPredictors = new Float64Array(L.nRows);
  for (let i = 0, k = 0; i < n; i++) for (let r = 0; r < L.rows[i]; r++) linearPredictors[k++] = lpSubject[i];
  const maxRows = input.concordanceMaxRows ?? 5e6;
  let cc: CoxConcordance;
  if (L.nRows <= maxRows) cc = expandedConcordance(time, code, lpSubject, clusterCodes, ties);
  else {
    cc = { concordant: NaN, discordant: NaN, tiedRisk: NaN, tiedTime: NaN, tiedBoth: NaN, concordance: NaN, stdErr: NaN };
    warnings.push(`fitFineGray: concordance not computed: finegray() data would have ${formatWhole(L.nRows)} rows, more than concordanceMaxRows = ${formatWhole(maxRows)}`);
  }
  const fit = buildCoxFit({
    names, ties, beta, varNaive, vcov, robustSe: rob ? rob.robustSe : null, robustScoreTest: rob ? rob.robustScoreTest : null,
    varianceType: clusterCodes ? 'robust-cluster' : robust ? 'robust' : 'model',
    logLik: nw.logLik, logLikNull: nw.logLikNull, scoreStat: nw.scoreStat, concordance: cc, n: L.nRows, nEvent: nCause,
    nCluster: clusterCodes ? clusterCodes.levels.length : null, converged: nw.converged, noEstimate: nw.noEstimate, iterations: nw.iterations, warnings,
    means: L.means, linearPredictors, terms: coxTermMap(names, input.terms, 'fitFineGray'), strataLevels: null,
    spec: { ties, eps, iterMax, hasEntry: true, hasStrata: false, hasCluster: clusterCodes !== null, hasWeights: true, robust },
  });
  let sumWeights = 0;
  for (let i = 0; i < n; i++) sumWeights += finegraySubjectWeight(L, i);
  const ci = cumulativeIncidence({ time, cause: input.status, censorValue: input.censorValue ?? 0 });
  const out: FineGrayFit = Object.freeze({
    ...fit,
    model: 'finegray' as const,
    cause,
    expanded: Object.freeze({ nRows: L.nRows, sumWeights, nEventRows: nCause }),
    cumulativeIncidence: ci,
    cumulativeIncidenceStdErr: cumulativeIncidenceSe(ci, time, input.status),
  });
  // coxZph, baseHazard/survivalCurve and residuals work on finegray()'s rows, as R's cox.zph,
  // basehaz and residuals on the weighted coxph: the rows are written on first use only.
  setLazyCoxInternals(out, () => expandedInternals(time, code, xm.data, p, names, ties, beta, varNaive));
  return out;
}

/** The weighted counting-process data of finegray() (x copied per row), prepared as fitCox prepares it. */
function expandedInternals(time: Float64Array, code: Uint8Array, x: Float64Array, p: number, names: string[],
  ties: 'efron' | 'breslow', beta: Float64Array, varNaive: Float64Array): CoxInternals {
  const fg = finegrayData(time, code);
  const m = fg.row.length;
  const xe = new Float64Array(m * p);
  for (let k = 0; k < m; k++) xe.set(x.subarray(fg.row[k] * p, fg.row[k] * p + p), k * p);
  const { data } = prepareCox({ time: fg.stop, entry: fg.start, event: fg.status, weights: fg.weight, x: { nrow: m, ncol: p, data: xe }, names, ties });
  return { data, beta: Float64Array.from(beta), varNaive };
}

/** Σ of a subject's finegray() row weights: 1, plus G(piece)/G(c₀) for each later kept piece. */
function finegraySubjectWeight(L: FineGrayLayout, i: number): number {
  const j0 = L.j0[i];
  if (j0 < 0) return 1;
  const { prob, keep } = L.cuts;
  let s = 1;
  for (let j = j0 + 1; j < keep.length; j++) if (keep[j]) s += prob[j] / prob[j0];
  return s;
}

/** Whether every finegray() row weight is an integer (coxph then reports the model-based variance). */
function finegrayIntegerWeights(L: FineGrayLayout): boolean {
  const { prob, keep } = L.cuts;
  for (let i = 0; i < L.n; i++) {
    const j0 = L.j0[i];
    if (j0 < 0) continue;
    for (let j = j0 + 1; j < keep.length; j++) {
      if (!keep[j]) continue;
      const w = prob[j] / prob[j0];
      if (w !== Math.floor(w)) return false;
    }
  }
  return true;
}

/**
 * coxph's concordance on finegray()'s weighted counting-process rows: the rows are written
 * without covariates (times, status, weight, cluster) and scored by their subject's linear predictor.
 */
function expandedConcordance(time: Float64Array, code: Uint8Array, lpSubject: Float64Array,
  cluster: { codes: Int32Array; levels: string[] } | null, ties: 'efron' | 'breslow'): CoxConcordance {
  const fg = finegrayData(time, code);
  const m = fg.row.length;
  const { data, clusterCodes, nCluster } = prepareCox({
    time: fg.stop, entry: fg.start, event: fg.status, weights: fg.weight, x: { nrow: m, ncol: 0, data: new Float64Array(0) },
    cluster: cluster ? Int32Array.from(fg.row, (r) => cluster.codes[r]) : undefined, ties,
  }, { allowNoColumns: true });
  const score = new Float64Array(m);
  for (let k = 0; k < m; k++) score[k] = lpSubject[fg.row[data.order[k]]];
  return concordanceCounts(data, score, clusterCodes, nCluster);
}
