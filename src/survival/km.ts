// Kaplan–Meier, Nelson–Aalen, medians, values at chosen times, and the log-rank family (survdiff).
import { qNorm } from '../core/distributions';
import type { TidyRow } from '../core/result';
import { labelCodes, type Label } from '../core/groups';
import { integerWeights, robustWeightsNote } from '../core/guard';

export type ConfType = 'log' | 'log-log' | 'plain';

export interface KmInput {
  time: ArrayLike<number>;
  event: ArrayLike<number | boolean>;
  group?: ArrayLike<Label>;
  /** Case weights, > 0. Non-integer weights select the robust (IJ) SE by default, as R's survfit. */
  weights?: ArrayLike<number>;
  /** Infinitesimal-jackknife SE instead of Greenwood; default: true iff the weights are non-integer. */
  robust?: boolean;
  confType?: ConfType;
  confLevel?: number;
}

/** One Kaplan–Meier curve: one entry per distinct time (event or censoring), ascending. */
export interface KmCurve {
  readonly group: string | null;
  readonly n: number;
  readonly nEvents: number;
  readonly time: Float64Array;
  readonly nRisk: Float64Array;
  readonly nEvent: Float64Array;
  readonly nCensor: Float64Array;
  readonly surv: Float64Array;
  /** SE of log S, Greenwood or robust (see varianceType); NaN once S = 0. R's survfit std.err equals this for Greenwood; with the robust SE R sets logse = FALSE and its std.err is stdErrSurv. */
  readonly stdErr: Float64Array;
  /** SE of S itself (= S × stdErr), what summary.survfit prints. */
  readonly stdErrSurv: Float64Array;
  /** CI bounds; NaN where undefined (R's NA). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly cumhaz: Float64Array;
  readonly stdErrCumhaz: Float64Array;
  readonly confType: ConfType;
  readonly confLevel: number;
  /** 'greenwood' (model-based) or 'robust' (infinitesimal jackknife, R's default for non-integer weights). */
  readonly varianceType: 'greenwood' | 'robust';
}

export interface KmResult {
  readonly curves: readonly KmCurve[];
  readonly byGroup: Readonly<Record<string, KmCurve>>;
  readonly warnings: readonly string[];
  readonly varianceType: 'greenwood' | 'robust';
  readonly spec: Readonly<{ confType: ConfType; confLevel: number; robust: boolean; weighted: boolean }>;
  /** broom's tidy.survfit: one row per group and distinct time (time, n.risk, n.event, n.censor, estimate, std.error, conf.low, conf.high, strata). std.error is of log S, as survfit's. */
  tidy(): TidyRow[];
  /** One row: records, events, groups, nobs, df.residual (null), variance type. */
  glance(): TidyRow;
  /** print.survfit: per group n, events, median and its CI. */
  summary(): TidyRow[];
}

/** Validated survival columns as typed arrays (time, event 0/1, optional positive weights). Errors name `who`, the field and the 0-based row. */
export function readSurvival(time: ArrayLike<number>, event: ArrayLike<number | boolean>, weights: ArrayLike<number> | undefined, who: string) {
  const n = time.length;
  if (event.length !== n) throw new Error(`${who}: event has length ${event.length}, expected ${n}`);
  if (weights && weights.length !== n) throw new Error(`${who}: weights has length ${weights.length}, expected ${n}`);
  const t = new Float64Array(n);
  const e = new Uint8Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ti = Number(time[i]);
    if (!Number.isFinite(ti)) throw new Error(`${who}: time is not a finite number at row ${i + 1} (${time[i]})`);
    t[i] = ti;
    const ev = event[i] === true ? 1 : event[i] === false ? 0 : Number(event[i]);
    if (ev !== 0 && ev !== 1) throw new Error(`${who}: event must be 0/1 at row ${i + 1} (got ${event[i]})`);
    e[i] = ev;
    const wi = weights ? Number(weights[i]) : 1;
    if (!(wi > 0) || !Number.isFinite(wi)) throw new Error(`${who}: weights must be positive at row ${i + 1}`);
    w[i] = wi;
  }
  return { t, e, w, n };
}

/** Group codes and sorted level names (core/groups' coding) for a KM or log-rank grouping; all rows code 0 with no level names when `group` is undefined. */
export function groupCodes(group: ArrayLike<Label> | undefined, n: number, who: string): { codes: Int32Array; levels: string[] } {
  if (!group) return { codes: new Int32Array(n), levels: [] };
  return labelCodes(group, n, `${who}: group`);
}

/** Confidence limits for S given the SE of log S, as R's survfit_confint (ulimit = TRUE). */
export function survivalCi(s: number, seLog: number, type: ConfType, z: number): [number, number] {
  if (type === 'plain') {
    const se2 = seLog * s * z;
    if (!Number.isFinite(se2)) return [NaN, NaN];
    return [Math.max(s - se2, 0), Math.min(s + se2, 1)];
  }
  if (type === 'log') {
    if (s === 0 || !Number.isFinite(seLog)) return [NaN, NaN];
    return [Math.exp(Math.log(s) - z * seLog), Math.min(Math.exp(Math.log(s) + z * seLog), 1)];
  }
  if (s === 0 || s === 1 || !Number.isFinite(seLog)) return [NaN, NaN];
  const se2 = (z * seLog) / Math.log(s);
  const ll = Math.log(-Math.log(s));
  return [Math.exp(-Math.exp(ll - se2)), Math.exp(-Math.exp(ll + se2))];
}

/**
 * Product-limit curve for the rows listed in `rows` (indices into t/e/w).
 * Inputs: times, events, weights, row subset. Output: KmCurve. O(m log m) for m rows.
 */
function kmCurve(t: Float64Array, e: Uint8Array, w: Float64Array, rows: Uint32Array, group: string | null, confType: ConfType, confLevel: number, robust: boolean): KmCurve {
  const m = rows.length;
  const idx = Uint32Array.from(rows).sort((a, b) => t[a] - t[b]);
  let nd = 0;
  for (let i = 0; i < m; i++) if (i === 0 || t[idx[i]] !== t[idx[i - 1]]) nd++;
  const time = new Float64Array(nd);
  const nRisk = new Float64Array(nd);
  const nEvent = new Float64Array(nd);
  const nCensor = new Float64Array(nd);
  let totalW = 0;
  let events = 0;
  for (let i = 0; i < m; i++) {
    totalW += w[idx[i]];
    events += e[idx[i]];
  }
  let k = -1;
  for (let i = 0; i < m; i++) {
    const r = idx[i];
    if (i === 0 || t[r] !== t[idx[i - 1]]) {
      k++;
      time[k] = t[r];
    }
    if (e[r]) nEvent[k] += w[r];
    else nCensor[k] += w[r];
  }
  // Risk sets as sums from the end (as survfit does), never by subtraction: weighted subtraction
  // drifts (n.risk 0.9999999999999998 where one row of weight 1 is left, then S = −1e−16).
  let atRisk = 0;
  for (let j = nd - 1; j >= 0; j--) {
    atRisk += nEvent[j] + nCensor[j];
    nRisk[j] = atRisk;
  }
  void totalW;
  const ijVar = robust ? kmJackknifeVariance(t, e, w, idx, nRisk, nEvent) : null;
  const surv = new Float64Array(nd);
  const stdErr = new Float64Array(nd);
  const stdErrSurv = new Float64Array(nd);
  const lower = new Float64Array(nd);
  const upper = new Float64Array(nd);
  const cumhaz = new Float64Array(nd);
  const stdErrCumhaz = new Float64Array(nd);
  const z = qNorm(1 - (1 - confLevel) / 2);
  let s = 1;
  let green = 0;
  let h = 0;
  let vh = 0;
  for (let j = 0; j < nd; j++) {
    const d = nEvent[j];
    const n = nRisk[j];
    if (d > 0) {
      s = d >= n ? 0 : s * (1 - d / n);
      green += n > d ? d / (n * (n - d)) : Infinity;
      h += d / n;
      vh += d / (n * n);
    }
    surv[j] = s;
    stdErr[j] = s === 0 ? NaN : Math.sqrt(ijVar ? ijVar[j] : green);
    stdErrSurv[j] = s * stdErr[j];
    const [lo, up] = survivalCi(s, stdErr[j], confType, z);
    lower[j] = lo;
    upper[j] = up;
    cumhaz[j] = h;
    stdErrCumhaz[j] = Math.sqrt(vh);
  }
  return { group, n: m, nEvents: events, time, nRisk, nEvent, nCensor, surv, stdErr, stdErrSurv, lower, upper, cumhaz, stdErrCumhaz, confType, confLevel, varianceType: robust ? 'robust' : 'greenwood' };
}

/**
 * Infinitesimal-jackknife variance of log S(t) at each distinct time: Σᵢ (wᵢ Uᵢ(t))², with
 * Uᵢ(t) = ∂ log S(t)/∂wᵢ = A(min(t, Tᵢ)) − δᵢ[Tᵢ ≤ t]/(Y(Tᵢ) − d(Tᵢ)), A(t) = Σ_{s≤t} d/(Y(Y−d)).
 * Rows still at risk after t share U = A(t), so one pass with prefix sums costs O(m).
 * Inputs: rows sorted by time (idx), per-time risk and event weights. Output: variance per time.
 */
function kmJackknifeVariance(t: Float64Array, e: Uint8Array, w: Float64Array, idx: Uint32Array, nRisk: Float64Array, nEvent: Float64Array): Float64Array {
  const nd = nRisk.length;
  const out = new Float64Array(nd);
  let a = 0;
  let done = 0; // Σ (wᵢ Uᵢ)² over rows whose time is ≤ the current time
  let k = 0;
  let w2Later = 0;
  for (let i = 0; i < idx.length; i++) w2Later += w[idx[i]] * w[idx[i]];
  for (let j = 0; j < nd; j++) {
    const y = nRisk[j];
    const d = nEvent[j];
    if (d > 0) a += d / (y * (y - d));
    const tj = t[idx[k]];
    while (k < idx.length && t[idx[k]] === tj) {
      const r = idx[k];
      const u = e[r] ? a - 1 / (y - d) : a;
      done += w[r] * w[r] * u * u;
      w2Later -= w[r] * w[r];
      k++;
    }
    out[j] = done + Math.max(w2Later, 0) * a * a;
  }
  return out;
}

/**
 * Where a curve reaches 0 (n.risk = n.event), Greenwood's d/(n(n − d)) divides by zero and log S
 * is −∞: the SE of log S and the CI are not defined from there on (NaN; R prints NaN/Inf). Names
 * the group, time and counts; null when the curve stays above 0.
 */
function extinctionWarning(c: KmCurve): string | null {
  const j = c.surv.findIndex((s, k) => s === 0 && c.nEvent[k] > 0);
  if (j < 0) return null;
  return `kaplanMeier: ${c.group === null ? '' : `group ${c.group}: `}every row at risk at time ${c.time[j]} had the event (n.risk = n.event = ${c.nEvent[j]}), so survival is 0 and its Greenwood variance is not defined from that time on; std.error and confidence limits are NaN`;
}

/**
 * Kaplan–Meier curves (with Greenwood SEs, CIs and Nelson–Aalen) per group, or pooled.
 * Inputs: KmInput. Output: frozen KmResult. Failure: throws naming the bad field and row.
 */
export function kaplanMeier(input: KmInput): KmResult {
  const { t, e, w, n } = readSurvival(input.time, input.event, input.weights, 'kaplanMeier');
  const confType = input.confType ?? 'log';
  if (confType !== 'log' && confType !== 'log-log' && confType !== 'plain') throw new Error(`kaplanMeier: confType must be log, log-log or plain (got ${String(confType)})`);
  const confLevel = input.confLevel ?? 0.95;
  const { codes, levels } = groupCodes(input.group, n, 'kaplanMeier');
  const robust = input.robust ?? !integerWeights(w);
  const warnings: string[] = [];
  if (robust && input.robust === undefined) warnings.push(robustWeightsNote('kaplanMeier'));
  const curves: KmCurve[] = [];
  const byGroup: Record<string, KmCurve> = {};
  const nGroups = Math.max(levels.length, 1);
  const counts = new Int32Array(nGroups);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  const members = Array.from(counts, (c) => new Uint32Array(c));
  const fill = new Int32Array(nGroups);
  for (let i = 0; i < n; i++) members[codes[i]][fill[codes[i]]++] = i;
  for (let g = 0; g < nGroups; g++) {
    const name = levels.length ? levels[g] : null;
    const c = kmCurve(t, e, w, members[g], name, confType, confLevel, robust);
    curves.push(c);
    byGroup[name ?? 'all'] = c;
    const w0 = extinctionWarning(c);
    if (w0) warnings.push(w0);
  }
  const varianceType = robust ? 'robust' as const : 'greenwood' as const;
  return Object.freeze({
    curves: Object.freeze(curves), byGroup: Object.freeze(byGroup), warnings: Object.freeze(warnings), varianceType,
    spec: Object.freeze({ confType, confLevel, robust, weighted: input.weights !== undefined }),
    tidy: () => curves.flatMap((c) => Array.from(c.time, (t, j) => ({
      strata: c.group, time: t, 'n.risk': c.nRisk[j], 'n.event': c.nEvent[j], 'n.censor': c.nCensor[j], estimate: c.surv[j],
      'std.error': nanToNull(c.stdErr[j]), 'conf.high': nanToNull(c.upper[j]), 'conf.low': nanToNull(c.lower[j]),
    }))),
    glance: () => ({
      records: n, events: curves.reduce((a, c) => a + c.nEvents, 0), groups: curves.length, nobs: n, 'df.residual': null, 'variance.type': varianceType,
    }),
    summary: () => curves.map((c) => {
      const m = kmMedian(c);
      return { strata: c.group, n: c.n, events: c.nEvents, median: m.median, [`${c.confLevel * 100}% LCL`]: m.lower, [`${c.confLevel * 100}% UCL`]: m.upper };
    }),
  });
}

const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** First time at which the step curve y is ≤ 0.5, with R's midpoint rule for an exact 0.5. */
function quantileTime(time: Float64Array, y: Float64Array, p = 0.5): number | null {
  const tol = 1.5e-8;
  for (let j = 0; j < time.length; j++) {
    const v = Number.isNaN(y[j]) ? 0 : y[j];
    if (v <= p + tol) {
      if (Math.abs(v - p) < tol) {
        for (let k = j + 1; k < time.length; k++) {
          const vk = Number.isNaN(y[k]) ? 0 : y[k];
          if (vk < v - tol) return (time[j] + time[k]) / 2;
        }
        return time[j];
      }
      return time[j];
    }
  }
  return null;
}

/** Median survival with its CI: the same crossing rule applied to the lower and upper CI curves. */
export function kmMedian(curve: KmCurve): { median: number | null; lower: number | null; upper: number | null } {
  return {
    median: quantileTime(curve.time, curve.surv),
    lower: quantileTime(curve.time, curve.lower),
    upper: quantileTime(curve.time, curve.upper),
  };
}

export interface KmAtTimes {
  time: number[];
  nRisk: number[];
  nEventSincePrevious: number[];
  surv: number[];
  stdErrSurv: number[];
  lower: number[];
  upper: number[];
  cumhaz: number[];
}

/**
 * Values at chosen times (summary.survfit(times = ...)): the curve at the last distinct time
 * ≤ t, the number at risk at t, and events in (previous requested time, t]. Times beyond the
 * last observation are dropped; times before the first give S = 1.
 */
export function kmAtTimes(curve: KmCurve, times: readonly number[]): KmAtTimes {
  const out: KmAtTimes = { time: [], nRisk: [], nEventSincePrevious: [], surv: [], stdErrSurv: [], lower: [], upper: [], cumhaz: [] };
  const last = curve.time.length ? curve.time[curve.time.length - 1] : -Infinity;
  const sorted = times.slice().sort((a, b) => a - b);
  let prev = -Infinity;
  for (const t of sorted) {
    if (t > last) continue;
    let j = -1;
    let risk = 0;
    let ev = 0;
    for (let k = 0; k < curve.time.length; k++) {
      if (curve.time[k] <= t) j = k;
      if (curve.time[k] > prev && curve.time[k] <= t) ev += curve.nEvent[k];
    }
    // At risk at t: rows with time ≥ t = risk at the first distinct time ≥ t.
    for (let k = 0; k < curve.time.length; k++) {
      if (curve.time[k] >= t) {
        risk = curve.nRisk[k];
        break;
      }
    }
    out.time.push(t);
    out.nRisk.push(risk);
    out.nEventSincePrevious.push(ev);
    if (j < 0) {
      out.surv.push(1);
      out.stdErrSurv.push(0);
      out.lower.push(1);
      out.upper.push(1);
      out.cumhaz.push(0);
    } else {
      out.surv.push(curve.surv[j]);
      out.stdErrSurv.push(curve.stdErrSurv[j]);
      out.lower.push(curve.lower[j]);
      out.upper.push(curve.upper[j]);
      out.cumhaz.push(curve.cumhaz[j]);
    }
    prev = t;
  }
  return out;
}
