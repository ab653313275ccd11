// Aalen–Johansen cumulative incidence drawn under the same disclosure rules as Kaplan–Meier curves.
import type { CumIncResult } from '../survival/competing';
import type { KmCurveInput } from './km';

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
