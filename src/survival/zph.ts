// Test of proportional hazards (R's cox.zph, survival ≥ 3.0 algorithm) and scaled Schoenfeld residuals.
import { pChisqUpper } from '../core/distributions';
import { degenerateMessage } from '../core/guard';
import type { TidyRow } from '../core/result';
import { coxInternals, type CoxFit } from './cox';
import { addEventTimeInformation, computeRisk, sweepEventTimes, type CoxData, type RiskSetSums } from './coxcore';
import { hazardSweep } from './coxResiduals';
import { quadFormInverse, subMatrix, symInverse } from '../core/linalg';
import { toRows } from '../core/matrix';

export type ZphTransform = 'km' | 'identity' | 'rank' | 'log' | ((t: number) => number);

export interface ZphRow {
  term: string;
  chisq: number;
  df: number;
  p: number;
}

export interface ZphResult {
  readonly table: readonly ZphRow[];
  /** Transformed event times g(t) before centring, one per event, sorted by stratum then time. */
  readonly x: Float64Array;
  readonly time: Float64Array;
  /** Scaled Schoenfeld residuals, events × columns (terms or coefficients), row-major. */
  readonly y: Float64Array;
  readonly columns: readonly string[];
  /** Inverse of the average per-event information (R's zph$var), columns × columns. */
  readonly var: readonly (readonly number[])[];
  readonly transform: string;
  /** Why a test is NaN (singular information), if one is. */
  readonly warnings: readonly string[];
  readonly spec: Readonly<{ transform: string; terms: boolean; global: boolean }>;
  /** The score tests use the model-based information (as cox.zph). */
  readonly varianceType: 'model';
  /** One row per term (and GLOBAL): term, statistic, df, p.value (R's cox.zph table). */
  tidy(): TidyRow[];
  /** The GLOBAL test (or the single term's) with nobs (events) and df.residual (null). */
  glance(): TidyRow;
  summary(): readonly ZphRow[];
}

/**
 * Score test at (β̂, 0) of adding x·g(t), with the full 2p × 2p information, per term and GLOBAL.
 * Inputs: a fit from fitCox; transform (default 'km' = 1 − pooled KM(t−)); terms (test multi-column
 * terms jointly, default true); global (default true). Output: frozen ZphResult.
 */
export function coxZph(fit: CoxFit, opts: { transform?: ZphTransform; terms?: boolean; global?: boolean } = {}): ZphResult {
  const { data, beta } = coxInternals(fit);
  const { n, p, stop, status } = data;
  const transform = opts.transform ?? 'km';
  const useTerms = opts.terms ?? true;
  const global = opts.global ?? true;

  // g(t) for every row (only event rows are used).
  const gRow = new Float64Array(n);
  let tname: string;
  if (typeof transform === 'function') {
    tname = 'user';
    for (let i = 0; i < n; i++) gRow[i] = transform(stop[i]);
  } else if (transform === 'identity') {
    tname = transform;
    gRow.set(stop);
  } else if (transform === 'log') {
    tname = transform;
    for (let i = 0; i < n; i++) gRow[i] = Math.log(stop[i]);
  } else if (transform === 'rank') {
    tname = transform;
    rankAverage(stop, gRow);
  } else if (transform === 'km') {
    tname = transform;
    pooledKmLeft(data, gRow);
  } else throw new Error(`coxZph: unknown transform '${String(transform)}'`);
  let gMean = 0;
  let nEv = 0;
  for (let i = 0; i < n; i++) {
    if (status[i] === 1) {
      gMean += gRow[i];
      nEv++;
    }
  }
  gMean /= nEv;

  const { u2, imat2 } = zphInformation(data, beta, gRow, gMean);
  const P2 = 2 * p;

  const termNames = useTerms ? Object.keys(fit.terms) : fit.names.slice();
  const termCols: number[][] = useTerms
    ? termNames.map((t) => fit.terms[t].map((c) => fit.names.indexOf(c)))
    : fit.names.map((_, j) => [j]);
  const table: ZphRow[] = [];
  for (let ti = 0; ti < termNames.length; ti++) {
    const jj = termCols[ti];
    const kk = Array.from({ length: p }, (_, j) => j).concat(jj.map((j) => j + p));
    const sub = subMatrix(imat2, P2, kk);
    const uv = new Float64Array(kk.length);
    jj.forEach((j, m) => (uv[p + m] = u2[p + j]));
    const chisq = quadFormInverse(sub, kk.length, uv);
    table.push({ term: termNames[ti], chisq, df: jj.length, p: pChisqUpper(chisq, jj.length) });
  }
  if (global) {
    const uv = new Float64Array(P2);
    for (let j = 0; j < p; j++) uv[p + j] = u2[p + j];
    const chisq = quadFormInverse(imat2, P2, uv);
    table.push({ term: 'GLOBAL', chisq, df: p, p: pChisqUpper(chisq, p) });
  }

  // Schoenfeld residuals x − x̄(t) for the events, ordered by stratum then time (R's order).
  const hz = hazardSweep(data, beta);
  const evRows: number[] = [];
  const nStrata = data.strataStart.length - 1;
  for (let s = 0; s < nStrata; s++) {
    let i = data.strataStart[s + 1] - 1;
    while (i >= data.strataStart[s]) {
      // Walk groups of equal time from the smallest; inside a group keep original row order.
      let j = i;
      while (j > data.strataStart[s] && stop[j - 1] === stop[i]) j--;
      const group: number[] = [];
      for (let k = j; k <= i; k++) if (status[k] === 1) group.push(k);
      if (data.entry) group.reverse();
      evRows.push(...group);
      i = j - 1;
    }
  }
  const d = evRows.length;
  const sres = new Float64Array(d * p);
  const xOut = new Float64Array(d);
  const tOut = new Float64Array(d);
  evRows.forEach((r, m) => {
    const k = hz.kStop[r];
    for (let a = 0; a < p; a++) sres[m * p + a] = data.x[r * p + a] - hz.mbar[k * p + a];
    xOut[m] = gRow[r];
    tOut[m] = stop[r];
  });
  // Average per-event information (one stratum weight matrix: total deaths), as cox.zph.
  const vmean = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) vmean[a * p + b] = imat2[a * P2 + b] / d;
  let cols = p;
  let colNames = fit.names.slice();
  let resid = sres;
  let vm = vmean;
  const coefPlus = fit.coef.slice();
  if (useTerms && termCols.some((c) => c.length > 1)) {
    const nt = termNames.length;
    const tmat = new Float64Array(p * nt);
    termCols.forEach((jj, i) => jj.forEach((j) => (tmat[j * nt + i] = jj.length === 1 ? 1 : fit.coef[j])));
    resid = new Float64Array(d * nt);
    for (let m = 0; m < d; m++) for (let i = 0; i < nt; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += sres[m * p + j] * tmat[j * nt + i];
      resid[m * nt + i] = s;
    }
    vm = new Float64Array(nt * nt);
    for (let i = 0; i < nt; i++) for (let k = 0; k < nt; k++) {
      let s = 0;
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) s += tmat[a * nt + i] * vmean[a * p + b] * tmat[b * nt + k];
      vm[i * nt + k] = s;
    }
    cols = nt;
    colNames = termNames;
    coefPlus.length = 0;
    termCols.forEach((jj) => coefPlus.push(jj.length === 1 ? fit.coef[jj[0]] : 1));
  } else if (useTerms) {
    colNames = termNames;
  }
  const vinv = symInverse(vm, cols);
  if (!vinv) throw new Error('coxZph: average information matrix is singular');
  const y = new Float64Array(d * cols);
  for (let m = 0; m < d; m++) for (let i = 0; i < cols; i++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += vinv[i * cols + k] * resid[m * cols + k];
    y[m * cols + i] = s + coefPlus[i];
  }
  const varOut = toRows(vinv, cols);
  const singular = table.filter((r) => Number.isNaN(r.chisq)).map((r) => r.term);
  const warnings = singular.length
    ? [degenerateMessage('coxZph', { kind: 'singular-information', where: `for the test of ${singular.join(', ')}; chisq and p are NaN` })]
    : [];
  const last = table[table.length - 1];
  return Object.freeze({
    table: Object.freeze(table), x: xOut, time: tOut, y, columns: colNames, var: varOut, transform: tname, warnings: Object.freeze(warnings),
    spec: Object.freeze({ transform: tname, terms: useTerms, global }), varianceType: 'model' as const,
    tidy: () => table.map((r) => ({ term: r.term, statistic: r.chisq, df: r.df, 'p.value': r.p })),
    glance: () => ({ term: last.term, statistic: last.chisq, df: last.df, 'p.value': last.p, nobs: nEv, 'df.residual': null }),
    summary: () => table,
  });
}

/** Average ranks (R's rank with ties.method = 'average'). */
function rankAverage(v: Float64Array, out: Float64Array): void {
  const n = v.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => v[a] - v[b]);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && v[idx[j + 1]] === v[idx[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k]] = r;
    i = j + 1;
  }
}

/**
 * 1 − S(t−) of the unweighted pooled Kaplan–Meier (all rows, strata ignored), per row at its stop
 * time. Counting-process rows are at risk on (entry, stop].
 */
function pooledKmLeft(data: CoxData, out: Float64Array): void {
  const { n, stop, entry, status } = data;
  const byStop = new Uint32Array(n);
  for (let i = 0; i < n; i++) byStop[i] = i;
  byStop.sort((a, b) => stop[a] - stop[b]);
  const entries = entry ? Float64Array.from(entry).sort() : null;
  let s = 1;
  let i = 0;
  while (i < n) {
    const t = stop[byStop[i]];
    let j = i;
    let dCount = 0;
    while (j < n && stop[byStop[j]] === t) {
      dCount += status[byStop[j]];
      j++;
    }
    for (let k = i; k < j; k++) out[byStop[k]] = 1 - s;
    // At risk at t: stop ≥ t minus those with entry ≥ t.
    let atRisk = n - i;
    if (entries) atRisk -= n - lowerBound(entries, t);
    if (dCount > 0) s *= 1 - dCount / atRisk;
    i = j;
  }
}

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Score and information of the augmented model (x, x·g(t)) at (β̂, 0).
 * Inputs: data, beta, g per row, mean of g over events. Outputs: u2 (2p), imat2 (2p × 2p).
 * Per event time, U_t and I_t are the ordinary Cox contributions; the time-varying block scales
 * them by g(t) and g(t)², since g is common to the whole risk set at t.
 */
function zphInformation(d: CoxData, beta: ArrayLike<number>, gRow: Float64Array, gMean: number): { u2: Float64Array; imat2: Float64Array } {
  const { n, p, x, status, weight } = d;
  const efron = d.method === 'efron';
  const eta = new Float64Array(n);
  const risk = new Float64Array(n);
  computeRisk(d, beta, eta, risk);
  const P2 = 2 * p;
  const u2 = new Float64Array(P2);
  const imat2 = new Float64Array(P2 * P2);
  const sums: RiskSetSums = { s1: new Float64Array(p), s2: new Float64Array(p * p), d1: new Float64Array(p), d2: new Float64Array(p * p) };
  const ut = new Float64Array(p);
  const it = new Float64Array(p * p);
  sweepEventTimes(d, risk, sums, true, null, null, (_k, _s, first, end, nd, dw, s0, d0) => {
    ut.fill(0);
    it.fill(0);
    let g = 0;
    for (let j = first; j < end; j++) {
      if (status[j] !== 1) continue;
      g = gRow[j] - gMean;
      const o = j * p;
      for (let a = 0; a < p; a++) ut[a] += weight[j] * x[o + a];
    }
    addEventTimeInformation(sums, p, efron, nd, dw, s0, d0, ut, it);
    for (let a = 0; a < p; a++) {
      u2[a] += ut[a];
      u2[p + a] += g * ut[a];
      for (let b = a; b < p; b++) {
        const v = it[a * p + b];
        imat2[a * P2 + b] += v;
        imat2[a * P2 + p + b] += g * v;
        imat2[(p + a) * P2 + p + b] += g * g * v;
        if (b !== a) imat2[b * P2 + p + a] += g * v;
      }
    }
  });
  for (let a = 0; a < P2; a++) for (let b = a + 1; b < P2; b++) {
    // Upper triangle is complete except the β×γ block, which was filled on both sides of a≤b.
    if (a < p && b >= p) continue;
    imat2[b * P2 + a] = imat2[a * P2 + b];
  }
  for (let a = 0; a < p; a++) for (let b = p; b < P2; b++) imat2[b * P2 + a] = imat2[a * P2 + b];
  return { u2, imat2 };
}
