// Competing risks: Aalen–Johansen cumulative incidence.
import type { Label } from '../core/groups';
import { isMissing } from '../core/missing';

export interface CumIncInput {
  time: ArrayLike<number>;
  /** 0 = censored, otherwise the cause (number or label). */
  cause: ArrayLike<Label>;
  weights?: ArrayLike<number>;
  /** Value marking censoring (default 0 / '0'). */
  censorValue?: Label;
}

export interface CumIncResult {
  readonly causes: readonly string[];
  /** Distinct times (events or censorings), ascending. */
  readonly time: Float64Array;
  readonly nRisk: Float64Array;
  /** nEvent[c][j]: events of cause c at time j. */
  readonly nEvent: readonly Float64Array[];
  /** cif[c][j]: cumulative incidence of cause c at time j. */
  readonly cif: readonly Float64Array[];
  /** Overall event-free survival (KM for any cause). */
  readonly surv: Float64Array;
}

/**
 * Aalen–Johansen cumulative incidence for right-censored competing risks:
 * CIF_c(t) = Σ_{u ≤ t} S(u−) · d_c(u) / n(u), with S the all-cause Kaplan–Meier.
 * Inputs: times, cause codes, optional weights. Output: frozen CumIncResult. Σ_c CIF_c = 1 − S.
 */
export function cumulativeIncidence(input: CumIncInput): CumIncResult {
  const n = input.time.length;
  if (input.cause.length !== n) throw new Error(`cumulativeIncidence: cause has length ${input.cause.length}, expected ${n}`);
  const censor = String(input.censorValue ?? 0);
  const causeKey = Array.from(input.cause, (c, i) => {
    if (isMissing(c)) throw new Error(`cumulativeIncidence: cause is missing at row ${i + 1}`);
    return String(c);
  });
  const causes = Array.from(new Set(causeKey.filter((c) => c !== censor))).sort();
  const code = new Map<string, number>();
  causes.forEach((c, k) => code.set(c, k));
  const idx = Array.from({ length: n }, (_, i) => i);
  const t = Float64Array.from(input.time, (v, i) => {
    if (!Number.isFinite(Number(v))) throw new Error(`cumulativeIncidence: time is not finite at row ${i + 1}`);
    return Number(v);
  });
  const w = input.weights ? Float64Array.from(input.weights) : new Float64Array(n).fill(1);
  idx.sort((a, b) => t[a] - t[b]);
  const times: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || t[idx[i]] !== t[idx[i - 1]]) times.push(t[idx[i]]);
  const m = times.length;
  const nRisk = new Float64Array(m);
  const nEvent = causes.map(() => new Float64Array(m));
  const cif = causes.map(() => new Float64Array(m));
  const surv = new Float64Array(m);
  // Risk sets as sums from the end, never by subtraction (weighted subtraction drifts below the
  // last row's weight and can make 1 − d/n slightly negative).
  {
    let i = n - 1;
    let total = 0;
    for (let j = m - 1; j >= 0; j--) {
      while (i >= 0 && t[idx[i]] === times[j]) total += w[idx[i--]];
      nRisk[j] = total;
    }
  }
  let s = 1;
  const acc = new Float64Array(causes.length);
  let i = 0;
  for (let j = 0; j < m; j++) {
    let dAll = 0;
    while (i < n && t[idx[i]] === times[j]) {
      const r = idx[i];
      const k = code.get(causeKey[r]);
      if (k !== undefined) {
        nEvent[k][j] += w[r];
        dAll += w[r];
      }
      i++;
    }
    for (let k = 0; k < causes.length; k++) {
      acc[k] += (s * nEvent[k][j]) / nRisk[j];
      cif[k][j] = acc[k];
    }
    s = dAll >= nRisk[j] ? 0 : s * (1 - dAll / nRisk[j]);
    surv[j] = s;
  }
  return Object.freeze({ causes, time: Float64Array.from(times), nRisk, nEvent, cif, surv });
}
