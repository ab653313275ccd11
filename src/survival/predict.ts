// Baseline hazards, residuals and predicted survival curves from a Cox fit (survfit.coxph).
import { qNorm } from '../core/distributions';
import { usableVariance } from '../core/guard';
import { coxInternals, type CoxFit } from './cox';
import { coxResiduals, hazardSweep, type HazardSweep } from './coxResiduals';

export interface BaseHazard {
  readonly stratum: string | null;
  /** All distinct observed times (events and censorings) of the stratum, ascending. */
  readonly time: Float64Array;
  readonly cumhaz: Float64Array;
}

interface StratumCurves {
  stratum: string | null;
  time: Float64Array;
  /** Cumulative hazard at the centring vector, its variance part Σ dVar, and A(t) (times × p). */
  h: Float64Array;
  v: Float64Array;
  a: Float64Array;
}

const sweeps = new WeakMap<CoxFit, { hz: HazardSweep; curves: StratumCurves[] }>();

/** Per-stratum step functions at all distinct times, built once per fit. */
function curvesFor(fit: CoxFit): { hz: HazardSweep; curves: StratumCurves[] } {
  const cached = sweeps.get(fit);
  if (cached) return cached;
  const { data, beta } = coxInternals(fit);
  const hz = hazardSweep(data, beta);
  const { p, stop, strataStart } = data;
  const nStrata = strataStart.length - 1;
  const curves: StratumCurves[] = [];
  for (let s = 0; s < nStrata; s++) {
    const from = strataStart[s];
    const to = strataStart[s + 1];
    // Sweep order is descending time within stratum; walk it backwards for ascending times.
    let nt = 0;
    for (let i = to - 1; i >= from; i--) if (i === to - 1 || stop[i] !== stop[i + 1]) nt++;
    const time = new Float64Array(nt);
    const h = new Float64Array(nt);
    const v = new Float64Array(nt);
    const a = new Float64Array(nt * p);
    let k = hz.stratumTimeStart[s + 1] - 1; // event index of the smallest event time
    const kFirst = hz.stratumTimeStart[s];
    let ch = 0;
    let cv = 0;
    const ca = new Float64Array(p);
    let j = -1;
    for (let i = to - 1; i >= from; i--) {
      if (i !== to - 1 && stop[i] === stop[i + 1]) continue;
      const t = stop[i];
      while (k >= kFirst && hz.time[k] <= t) {
        ch += hz.dH[k];
        cv += hz.dVar[k];
        for (let q = 0; q < p; q++) ca[q] += hz.dA[k * p + q];
        k--;
      }
      j++;
      time[j] = t;
      h[j] = ch;
      v[j] = cv;
      a.set(ca, j * p);
    }
    curves.push({ stratum: fit.strataLevels ? fit.strataLevels[s] : null, time, h, v, a });
  }
  const out = { hz, curves };
  sweeps.set(fit, out);
  return out;
}

/**
 * Baseline cumulative hazard (R's basehaz). centered = true: at the centring vector `fit.means`
 * (0 for 0/±1 columns); false: at all covariates 0. Efron fits use the Efron-adjusted increment.
 */
export function baseHazard(fit: CoxFit, centered = true): BaseHazard[] {
  const { curves } = curvesFor(fit);
  let shift = 0;
  fit.means.forEach((m, j) => (shift += m * fit.coef[j]));
  const scale = centered ? 1 : Math.exp(-shift);
  return curves.map((c) => Object.freeze({ stratum: c.stratum, time: c.time, cumhaz: c.h.map((x) => x * scale) }));
}

export interface SurvivalCurve {
  readonly stratum: string | null;
  readonly linearPredictor: number;
  readonly time: Float64Array;
  readonly cumhaz: Float64Array;
  readonly stdErrCumhaz: Float64Array;
  readonly surv: Float64Array;
  readonly stdErrSurv: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Values at the requested times (last distinct time ≤ t; times past the end dropped). */
  readonly at: { time: number[]; surv: number[]; stdErrSurv: number[]; lower: number[]; upper: number[]; cumhaz: number[] } | null;
  /** Why SEs and limits are NaN, when they are (the fit's variance is not defined for some term). */
  readonly warnings: readonly string[];
}

/**
 * Predicted survival S(t|x) = exp(−H₀(t)·exp(x'β)) for one covariate profile, with the SE of
 * the cumulative hazard including the variance of β̂ (survfit.coxph, se.fit = TRUE), and log CIs.
 * Inputs: fit, profile (values in the order of fit.names, or a name → value record), optional
 * requested times, stratum (required for stratified fits). Output: SurvivalCurve.
 */
export function survivalCurve(fit: CoxFit, profile: ArrayLike<number> | Record<string, number>, times?: readonly number[], opts: { stratum?: string; confLevel?: number } = {}): SurvivalCurve {
  const p = fit.names.length;
  const x = new Float64Array(p);
  if (typeof (profile as ArrayLike<number>).length === 'number') {
    const arr = profile as ArrayLike<number>;
    if (arr.length !== p) throw new Error(`survivalCurve: profile has ${arr.length} values, the fit has ${p} coefficients`);
    for (let j = 0; j < p; j++) x[j] = arr[j];
  } else {
    const rec = profile as Record<string, number>;
    fit.names.forEach((nm, j) => {
      if (!(nm in rec)) throw new Error(`survivalCurve: profile is missing '${nm}'`);
      x[j] = rec[nm];
    });
  }
  // The reported variance (robust when clustered) is what R uses for se.fit.
  const vmat = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) vmat[a * p + b] = fit.vcov[a][b];
  // se.fit needs Var(β̂): a term whose variance is not defined (one cluster, zero variance: see
  // fit.warnings) leaves every SE and limit of the curve NaN, and the curve says so.
  const undefinedVar = fit.names.filter((_, j) => !usableVariance(vmat[j * p + j]));
  const warnings = undefinedVar.length
    ? [`survivalCurve: the fit's variance is not defined for ${undefinedVar.join(', ')} (see the fit's warnings), so the standard errors and confidence limits of the predicted curve are NaN`]
    : [];
  const { curves } = curvesFor(fit);
  let c = curves[0];
  if (curves.length > 1) {
    const s = opts.stratum;
    const found = curves.find((cv) => cv.stratum === s);
    if (!found) throw new Error(`survivalCurve: stratified fit; pass opts.stratum as one of ${curves.map((cv) => cv.stratum).join(', ')}`);
    c = found;
  }
  let eta = 0;
  const xc = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    xc[j] = x[j] - fit.means[j];
    eta += xc[j] * fit.coef[j];
  }
  const risk = Math.exp(eta);
  const z = qNorm(1 - (1 - (opts.confLevel ?? 0.95)) / 2);
  const nt = c.time.length;
  const cumhaz = new Float64Array(nt);
  const seH = new Float64Array(nt);
  const surv = new Float64Array(nt);
  const seS = new Float64Array(nt);
  const lower = new Float64Array(nt);
  const upper = new Float64Array(nt);
  const dvec = new Float64Array(p);
  for (let k = 0; k < nt; k++) {
    const h = c.h[k];
    for (let j = 0; j < p; j++) dvec[j] = xc[j] * h - c.a[k * p + j];
    let q = 0;
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += vmat[a * p + b] * dvec[b];
      q += dvec[a] * s;
    }
    const H = h * risk;
    // A variance of 0 is real before the first event (S = 1 exactly, as R); below 0 or NaN is not.
    const vk = (c.v[k] + q) * risk * risk;
    const se = vk >= 0 ? Math.sqrt(vk) : NaN;
    cumhaz[k] = H;
    seH[k] = se;
    surv[k] = Math.exp(-H);
    seS[k] = surv[k] * se;
    lower[k] = Math.exp(-H - z * se);
    upper[k] = Math.min(Math.exp(-H + z * se), 1);
  }
  let at: SurvivalCurve['at'] = null;
  if (times) {
    at = { time: [], surv: [], stdErrSurv: [], lower: [], upper: [], cumhaz: [] };
    const last = nt ? c.time[nt - 1] : -Infinity;
    for (const t of times) {
      if (t > last) continue;
      let j = -1;
      for (let k = 0; k < nt && c.time[k] <= t; k++) j = k;
      at.time.push(t);
      at.surv.push(j < 0 ? 1 : surv[j]);
      at.stdErrSurv.push(j < 0 ? 0 : seS[j]);
      at.lower.push(j < 0 ? 1 : lower[j]);
      at.upper.push(j < 0 ? 1 : upper[j]);
      at.cumhaz.push(j < 0 ? 0 : cumhaz[j]);
    }
  }
  let etaUncentred = 0;
  for (let j = 0; j < p; j++) etaUncentred += x[j] * fit.coef[j];
  return Object.freeze({ stratum: c.stratum, linearPredictor: etaUncentred, time: c.time, cumhaz, stdErrCumhaz: seH, surv, stdErrSurv: seS, lower, upper, at, warnings: Object.freeze(warnings) });
}

/**
 * Martingale residuals (R's residuals(fit, 'martingale')), original row order; Efron fits use
 * the Efron-adjusted hazard for tied deaths, as R does.
 */
export function martingaleResiduals(fit: CoxFit): Float64Array {
  const { data } = coxInternals(fit);
  const { hz } = curvesFor(fit);
  const { martingale } = coxResiduals(data, hz, false);
  const out = new Float64Array(data.n);
  for (let k = 0; k < data.n; k++) out[data.order[k]] = martingale[k];
  return out;
}

/** Score residuals (unweighted, n × p row-major, original row order). */
export function scoreResiduals(fit: CoxFit): Float64Array {
  const { data } = coxInternals(fit);
  const { hz } = curvesFor(fit);
  const { score } = coxResiduals(data, hz, true);
  const p = data.p;
  const out = new Float64Array(data.n * p);
  const sc = score as Float64Array;
  for (let k = 0; k < data.n; k++) out.set(sc.subarray(k * p, k * p + p), data.order[k] * p);
  return out;
}
