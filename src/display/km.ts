// Disclosure control for Kaplan–Meier step curves and their at-risk tables.
import { SdcRules, sdcRules, roundCount } from './sdc';

/** One group's KM estimate at its distinct event/censoring times (as the survival engine returns). */
export interface KmCurveInput {
  time: ArrayLike<number>;
  nRisk: ArrayLike<number>;
  nEvent: ArrayLike<number>;
  surv: ArrayLike<number>;
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
}

export interface ProtectedKmCurve {
  /** Step points safe to draw: starts at (0, 1). */
  time: number[];
  surv: number[];
  lower: Array<number | null>;
  upper: Array<number | null>;
  /** Time after which the curve is not drawn because fewer than minCount remain at risk. */
  truncatedAt: number | null;
}

/**
 * Coarsens a KM curve so it cannot reveal small numbers of children.
 * Inputs: one group's curve (times ascending), rules.
 * Output: step points where each drawn drop pools at least `minCount` events (a smaller drop,
 * combined with the at-risk numbers, would reveal a small count), and the curve stops once
 * fewer than `minCount` are at risk. The final pooled remainder (< minCount events) is not drawn.
 * Fails: throws if the arrays differ in length or times decrease.
 */
export function protectKmCurve(curve: KmCurveInput, partial?: Partial<SdcRules>): ProtectedKmCurve {
  const rules = sdcRules(partial);
  const n = curve.time.length;
  for (const key of ['nRisk', 'nEvent', 'surv'] as const) {
    if (curve[key].length !== n) throw new Error(`protectKmCurve: ${key} has length ${curve[key].length}, time has ${n}`);
  }
  const out: ProtectedKmCurve = { time: [0], surv: [1], lower: [1], upper: [1], truncatedAt: null };
  let pooled = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && curve.time[i] < curve.time[i - 1]) throw new Error(`protectKmCurve: time decreases at index ${i}`);
    if (curve.nRisk[i] < rules.minCount) {
      out.truncatedAt = curve.time[i];
      break;
    }
    pooled += curve.nEvent[i];
    if (pooled >= rules.minCount) {
      out.time.push(curve.time[i]);
      out.surv.push(curve.surv[i]);
      out.lower.push(curve.lower ? finiteOrNull(curve.lower[i]) : null);
      out.upper.push(curve.upper ? finiteOrNull(curve.upper[i]) : null);
      pooled = 0;
    }
  }
  return out;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Number at risk at each requested time (the count just after `t`, as R's summary.survfit
 *  reports at times), protected: rounded, and null when below the threshold. */
export function protectedAtRisk(curve: KmCurveInput, times: number[], partial?: Partial<SdcRules>): Array<number | null> {
  const rules = sdcRules(partial);
  return times.map((t) => {
    const n = atRiskAt(curve, t);
    if (n === null) return null;
    if (n > 0 && n < rules.minCount) return null;
    return roundCount(n, rules);
  });
}

/** Raw number at risk at time t: nRisk at the first recorded time ≥ t; if t is beyond the last
 *  recorded time, the number left after the last time (nRisk − events − censored is not known
 *  here, so report null rather than guess). */
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
    if (curve.time[i] <= t) s = curve.surv[i];
    else break;
  }
  return s;
}
