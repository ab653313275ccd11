// Aalen–Johansen cumulative incidence drawn under the same disclosure rules as Kaplan–Meier curves.
import type { CumIncResult } from '../survival/competing';
import { protectedKmAtTimes, type KmCurveInput } from './km';
import type { SdcRules } from './sdc';
import { formatEstimate } from '../core/numberStyle';

/**
 * One cause's cumulative incidence CIF_c(t) as a KM-shaped curve (surv = 1 − CIF_c), so that
 * protectKmCurve, protectedAtRisk and kmPlot({ cumulative: true }) apply the KM rules unchanged:
 * a drawn step pools at least minCount events of this cause, at least minCount remain at risk
 * after it, and values sit on the reporting grid rounded to survDigits. Removals other than this
 * cause's events (censorings and competing events) become nCensor.
 * Inputs: a cumulativeIncidence() result and a cause label. Failure: throws on an unknown cause.
 */
export function cumulativeIncidenceCurve(ci: CumIncResult, cause: string | number): KmCurveInput {
  const c = ci.causes.indexOf(String(cause));
  if (c < 0) throw new Error(`cumulativeIncidenceCurve: cause '${cause}' is not among ${ci.causes.join(', ')}`);
  const n = ci.time.length;
  const nEvent = ci.nEvent[c];
  const nCensor = new Float64Array(n);
  for (let j = 0; j < n; j++) nCensor[j] = ci.nRisk[j] - nEvent[j] - (j + 1 < n ? ci.nRisk[j + 1] : 0);
  return { time: ci.time, nRisk: ci.nRisk, nEvent, nCensor, surv: Float64Array.from(ci.cif[c], (v) => 1 - v) };
}

/** Cumulative percentages by 1 − KM and by Aalen–Johansen at each time, and what censoring adds. */
export interface CensoringOverstatement {
  /** Three rows (1 − KM, Aalen–Johansen, overstatement in percentage points), a column "% by ty" per time; null where not shown. */
  readonly rows: Array<Record<string, string | number | null>>;
  /** One sentence per time, read off the same protected values. */
  readonly sentence: string;
}

/**
 * How much treating competing events as censoring overstates the cumulative incidence: 1 − KM
 * (competing events censored) against Aalen–Johansen, both read off their protected curves
 * (protectedKmAtTimes), so the table and sentence show nothing finer than the drawn figure; a time
 * where either curve is not shown gives null and says so. Inputs: the two curves (KM-shaped; see
 * cumulativeIncidenceCurve), times in the curves' unit (years), the disclosure rules.
 */
export function censoringOverstatement(km: KmCurveInput, aj: KmCurveInput, times: readonly number[], rules?: Partial<SdcRules>): CensoringOverstatement {
  const kmPct = protectedKmAtTimes(km, times, rules).map((r) => r.pct);
  const ajPct = protectedKmAtTimes(aj, times, rules).map((r) => r.pct);
  const over = times.map((_, i) => { const a = kmPct[i]; const b = ajPct[i]; return a === null || b === null ? null : Math.round((a - b) * 10) / 10; });
  const byTime = (v: Array<number | null>): Record<string, number | null> => Object.fromEntries(times.map((t, i) => [`% by ${t}y`, v[i]]));
  const years = (t: number): string => `${t} year${t === 1 ? '' : 's'}`;
  const sentence = times.map((t, i) => (over[i] === null
    ? `at ${years(t)}: not shown (too few at risk)`
    : `at ${years(t)}, censoring overstates the cumulative incidence by ${formatEstimate(over[i] as number, 1)} percentage points (${formatEstimate(kmPct[i] as number, 1)}% against ${formatEstimate(ajPct[i] as number, 1)}%)`)).join('; ');
  return {
    rows: [{ estimator: '1 − Kaplan–Meier', ...byTime(kmPct) }, { estimator: 'Aalen–Johansen', ...byTime(ajPct) }, { estimator: 'Overstatement (percentage points)', ...byTime(over) }],
    sentence: sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.',
  };
}
