// Infinitesimal-jackknife standard errors of the Aalen–Johansen cumulative incidence, as R's
// survfit() reports for multi-state data (one row per subject): sqrt(Σ_i (∂CIF(t)/∂w_i)²).
import type { CumIncResult } from './competing';

/**
 * IJ standard errors for an unweighted `cumulativeIncidence` result.
 * Inputs: the result, and each row's time and cause (the same rows, cause as in the result's
 * `causes`; anything else counts as censored). Output: stdErr[c][j] for cause c at time j, and
 * the SE of the event-free probability (R's initial state). Rows sharing a time and cause have
 * the same influence, so the cost is O(m² · (causes + 1)) for m distinct times, independent of n.
 * Failure: throws when the lengths differ.
 */
export function cumulativeIncidenceSe(ci: CumIncResult, time: ArrayLike<number>, cause: ArrayLike<unknown>): { stdErr: Float64Array[]; stdErrSurv: Float64Array } {
  const n = time.length;
  if (cause.length !== n) throw new Error(`cumulativeIncidenceSe: cause has length ${cause.length}, expected ${n}`);
  const K = ci.causes.length;
  const m = ci.time.length;
  const index = new Map<number, number>();
  ci.time.forEach((t, j) => index.set(t, j));
  const code = new Map<string, number>();
  ci.causes.forEach((c, k) => code.set(c, k + 1));
  // Count rows per (time index, cause code); code 0 = censored.
  const counts = new Float64Array(m * (K + 1));
  for (let i = 0; i < n; i++) {
    const j = index.get(Number(time[i]));
    if (j === undefined) throw new Error(`cumulativeIncidenceSe: time ${time[i]} at row ${i + 1} is not in the result`);
    counts[j * (K + 1) + (code.get(String(cause[i])) ?? 0)]++;
  }
  const Y = ci.nRisk;
  const dL = new Float64Array(m * K);
  const dAll = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < K; k++) {
      dL[j * K + k] = ci.nEvent[k][j] / Y[j];
      dAll[j] += dL[j * K + k];
    }
  }
  const varCif = Array.from({ length: K }, () => new Float64Array(m));
  const varS = new Float64Array(m);
  const dCif = new Float64Array(K);
  for (let J = 0; J < m; J++) {
    for (let c = 0; c <= K; c++) {
      const cnt = counts[J * (K + 1) + c];
      if (cnt === 0) continue;
      // Walk the times: the row is at risk at t_l for l ≤ J and has its event (cause c) at J.
      let sPrev = 1;
      let dSprev = 0; // ∂S(t_{l−1})/∂w_i
      let logTerm = 0; // Σ_{l' ≤ l} ∂dΛ_{l'} / (1 − dΛ_{l'})
      dCif.fill(0);
      for (let l = 0; l < m; l++) {
        const atRisk = l <= J ? 1 : 0;
        const a = ((l === J && c > 0 ? 1 : 0) - atRisk * dAll[l]) / Y[l];
        for (let k = 0; k < K; k++) {
          const ak = ((l === J && c === k + 1 ? 1 : 0) - atRisk * dL[l * K + k]) / Y[l];
          dCif[k] += dSprev * dL[l * K + k] + sPrev * ak;
          varCif[k][l] += cnt * dCif[k] * dCif[k];
        }
        const s = ci.surv[l];
        let dS: number;
        if (dAll[l] < 1) {
          logTerm += a / (1 - dAll[l]);
          dS = -s * logTerm;
        } else dS = -sPrev * a; // S drops to 0 here: ∂S = −S(t−)·∂dΛ
        varS[l] += cnt * dS * dS;
        sPrev = s;
        dSprev = dS;
      }
    }
  }
  return { stdErr: varCif.map((v) => v.map(Math.sqrt)), stdErrSurv: varS.map(Math.sqrt) };
}
