// Disclosure control for Kaplan–Meier step curves and their at-risk tables.
import { sdcRules, roundCount } from './sdc';
import type { SdcRules } from './sdc';
import { formatEstimate } from '../core/numberStyle';

/** One group's KM estimate at its distinct event/censoring times (as the survival engine returns). */
export interface KmCurveInput {
  time: ArrayLike<number>;
  nRisk: ArrayLike<number>;
  nEvent: ArrayLike<number>;
  /** Censored at each time; when absent, removals are read off the next risk set. */
  nCensor?: ArrayLike<number>;
  surv: ArrayLike<number>;
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
}

export interface KmProtectOptions {
  /** Reporting unit of time (same unit as `time`): drawn steps sit on multiples of it. */
  timeUnit?: number;
  /** Decimals of drawn survival and CI limits (default 3). */
  survDigits?: number;
}

export interface ProtectedKmCurve {
  /** Step points safe to draw: starts at (0, 1); times are multiples of `timeUnit`. */
  time: number[];
  surv: number[];
  lower: Array<number | null>;
  upper: Array<number | null>;
  /** First reporting time at which the curve is no longer drawn (fewer than minCount would remain
   *  at risk after the next step), or null if drawn to the end. */
  truncatedAt: number | null;
  timeUnit: number;
  survDigits: number;
}

export const DEFAULT_KM_TIME_UNIT = 1 / 12;

/**
 * Coarsens a KM curve so it cannot reveal small numbers of children.
 * Inputs: one group's curve (times ascending), rules, reporting time unit and survival decimals.
 * Output: steps drawn only at the end of a reporting interval (time rounded up to the unit), and only
 * where the step pools at least `minCount` events since the last drawn step and leaves at least
 * `minCount` at risk; the curve stops before the risk set falls below `minCount`. Survival and CI
 * limits are rounded to `survDigits` decimals, so a drawn ratio S(t_j)/S(t_{j-1}) cannot be solved
 * for a small risk set (test/display/km-attack.test.ts rebuilds risk sets from the drawn values).
 * Fails: throws if the arrays differ in length or times decrease.
 */
export function protectKmCurve(curve: KmCurveInput, partial?: Partial<SdcRules>, options: KmProtectOptions = {}): ProtectedKmCurve {
  const rules = sdcRules(partial);
  const unit = options.timeUnit ?? DEFAULT_KM_TIME_UNIT;
  const digits = options.survDigits ?? 3;
  if (!(unit > 0)) throw new Error(`protectKmCurve: timeUnit must be positive, got ${unit}`);
  const n = curve.time.length;
  for (const key of ['nRisk', 'nEvent', 'surv'] as const) {
    if (curve[key].length !== n) throw new Error(`protectKmCurve: ${key} has length ${curve[key].length}, time has ${n}`);
  }
  const r = (x: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const grid = (t: number) => Math.ceil(t / unit - 1e-9) * unit;
  const out: ProtectedKmCurve = { time: [0], surv: [1], lower: [1], upper: [1], truncatedAt: null, timeUnit: unit, survDigits: digits };
  let pooled = 0;
  // Last reporting time up to which the curve may be drawn (flat after its last drawn step): the
  // end of a reporting interval that still leaves at least minCount at risk.
  let lastSafe = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && curve.time[i] < curve.time[i - 1]) throw new Error(`protectKmCurve: time decreases at index ${i}`);
    if (curve.nRisk[i] < rules.minCount) {
      out.truncatedAt = grid(curve.time[i]);
      break;
    }
    pooled += curve.nEvent[i];
    const binEnd = i + 1 >= n || grid(curve.time[i + 1]) > grid(curve.time[i]);
    if (!binEnd) continue;
    const after = i + 1 < n ? curve.nRisk[i + 1] : curve.nCensor ? curve.nRisk[i] - curve.nEvent[i] - curve.nCensor[i] : 0;
    if (after < rules.minCount) {
      out.truncatedAt = grid(curve.time[i]);
      break;
    }
    lastSafe = grid(curve.time[i]);
    if (pooled < rules.minCount) continue;
    const t = grid(curve.time[i]);
    const s = r(curve.surv[i]);
    if (s === out.surv[out.surv.length - 1]) continue; // a step too small to show at this precision stays pooled
    out.time.push(t);
    out.surv.push(s);
    out.lower.push(curve.lower ? finiteOrNull(curve.lower[i], r) : null);
    out.upper.push(curve.upper ? finiteOrNull(curve.upper[i], r) : null);
    pooled = 0;
  }
  // Carry the last drawn value to the end of safe follow-up (fewer than minCount events since).
  const lastT = out.time[out.time.length - 1];
  if (lastSafe > lastT + 1e-12) {
    out.time.push(lastSafe);
    out.surv.push(out.surv[out.surv.length - 1]);
    out.lower.push(out.lower[out.lower.length - 1]);
    out.upper.push(out.upper[out.upper.length - 1]);
  }
  return out;
}

function finiteOrNull(x: number, r: (x: number) => number): number | null {
  return Number.isFinite(x) ? r(x) : null;
}

/** Number at risk at each requested time (the count just after `t`, as R's summary.survfit
 *  reports at times), protected: rounded, null when below the threshold, and null from the time
 *  the protected curve stops (`truncatedAt`), so the table never runs past the drawn curve. */
export function protectedAtRisk(curve: KmCurveInput, times: number[], partial?: Partial<SdcRules>, truncatedAt: number | null = null): Array<number | null> {
  const rules = sdcRules(partial);
  return times.map((t) => {
    if (truncatedAt !== null && t >= truncatedAt) return null;
    const n = atRiskAt(curve, t);
    if (n === null) return null;
    if (n > 0 && n < rules.minCount) return null;
    return roundCount(n, rules);
  });
}

/** Raw number at risk at time t: nRisk at the first recorded time ≥ t; beyond the last recorded
 *  time nobody is known to be at risk (0). */
function atRiskAt(curve: KmCurveInput, t: number): number | null {
  const n = curve.time.length;
  for (let i = 0; i < n; i++) if (curve.time[i] >= t) return curve.nRisk[i];
  return n === 0 ? null : 0;
}

/** Survival probability at time t from a protected curve (step function), or null if the curve
 *  was truncated before t. */
export function survAt(curve: ProtectedKmCurve, t: number): number | null {
  if (curve.truncatedAt !== null && t >= curve.truncatedAt) return null;
  let s = 1;
  for (let i = 0; i < curve.time.length; i++) {
    if (curve.time[i] <= t + 1e-12) s = curve.surv[i];
    else break;
  }
  return s;
}

/** One requested time of `protectedKmAtTimes`: percentages (0–100) or null where not shown. */
export interface ProtectedKmRate { time: number; pct: number | null; low: number | null; high: number | null }

/**
 * Cumulative percentage with the event by each time (100·(1 − S)), read off the protected curve,
 * so a table of rates shows exactly what the drawn curve shows and nothing finer: S is the last
 * drawn step at or before t (rounded to the curve's survival decimals), the CI its drawn limits.
 * A time at or after the curve stops (`truncatedAt`), or past its last drawn point, gives nulls.
 * Inputs: one group's KM curve, times in the curve's unit, rules and the curve's protection options.
 */
export function protectedKmAtTimes(curve: KmCurveInput, times: readonly number[], partial?: Partial<SdcRules>, options: KmProtectOptions = {}): ProtectedKmRate[] {
  const safe = protectKmCurve(curve, partial, options);
  const end = safe.time[safe.time.length - 1];
  const pct = (s: number | null) => (s === null ? null : Math.round((1 - s) * 10 ** (safe.survDigits + 2)) / 10 ** safe.survDigits);
  return times.map((t) => {
    if ((safe.truncatedAt !== null && t >= safe.truncatedAt) || t > end + 1e-12) return { time: t, pct: null, low: null, high: null };
    let j = 0;
    for (let i = 0; i < safe.time.length && safe.time[i] <= t + 1e-12; i++) j = i;
    // 1 − upper is the lower limit of the cumulative percentage
    return { time: t, pct: pct(safe.surv[j]), low: pct(safe.upper[j]), high: pct(safe.lower[j]) };
  });
}

/**
 * One row per group of a KM fit: the group (in column `label`), its count (column `countColumn`, default
 * "episodes", to be protected by protectTable), and for each time t the cumulative percentage "% by ty"
 * and its 95% CI "95% CI ty", read off the protected (drawn) curve so a table shows nothing finer than
 * the figure ("[c]" where the curve is suppressed or stops).
 */
export function kmRateRows(
  byGroup: Readonly<Record<string, KmCurveInput & { n: number }>>, times: readonly number[],
  o: { label?: string; countColumn?: string; rules?: Partial<SdcRules> } = {},
): Array<Record<string, unknown>> {
  return Object.entries(byGroup).map(([g, c]) => {
    const row: Record<string, unknown> = { [o.label ?? 'group']: g, [o.countColumn ?? 'episodes']: c.n };
    protectedKmAtTimes(c, times, o.rules).forEach((r) => {
      row[`% by ${r.time}y`] = r.pct;
      row[`95% CI ${r.time}y`] = r.pct === null ? '[c]' : `${r.low === null ? 'NA' : formatEstimate(r.low, 1)} to ${r.high === null ? 'NA' : formatEstimate(r.high, 1)}`;
    });
    return row;
  });
}
