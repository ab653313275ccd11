// The Aalen–Johansen curve drawn under the KM disclosure rules: without competing events it is
// exactly 1 − KM; with them it lies below 1 − KM, and every drawn step pools ≥ minCount events of
// the cause with ≥ minCount left at risk.
import { describe, it, expect } from 'vitest';
import { cumulativeIncidence, kaplanMeier } from '../../src/index';
import { cumulativeIncidenceCurve, protectKmCurve } from '../../src/display/index';

function lcg(seed: number) { let s = seed >>> 0; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32); }
const rnd = lcg(3);
const n = 400;
const time = Array.from({ length: n }, () => 1 + Math.floor(rnd() * 60));
const cause = Array.from({ length: n }, () => { const u = rnd(); return u < 0.45 ? 1 : u < 0.7 ? 2 : 0; });

describe('cumulativeIncidenceCurve', () => {
  it('without competing events the curve is the Kaplan–Meier curve (surv = 1 − CIF)', () => {
    const c1 = cause.map((c) => (c === 2 ? 0 : c));
    const ci = cumulativeIncidence({ time, cause: c1 });
    const curve = cumulativeIncidenceCurve(ci, 1);
    const km = kaplanMeier({ time, event: c1 }).curves[0];
    expect(Array.from(curve.time)).toEqual(Array.from(km.time));
    expect(Array.from(curve.nRisk)).toEqual(Array.from(km.nRisk));
    Array.from(km.surv).forEach((s, j) => expect(curve.surv[j]).toBeCloseTo(s, 12));
    const a = protectKmCurve(curve, { minCount: 10 }, { timeUnit: 1 });
    const b = protectKmCurve(km, { minCount: 10 }, { timeUnit: 1 });
    expect(a.time).toEqual(b.time);
    expect(a.surv).toEqual(b.surv);
    expect(a.truncatedAt).toEqual(b.truncatedAt);
  });
  it('with a competing event: below 1 − KM, and every drawn step pools ≥ minCount events of the cause', () => {
    const ci = cumulativeIncidence({ time, cause });
    const curve = cumulativeIncidenceCurve(ci, 1);
    const km = kaplanMeier({ time, event: cause.map((c) => (c === 1 ? 1 : 0)) }).curves[0];
    const last = curve.time.length - 1;
    expect(1 - curve.surv[last]).toBeLessThan(1 - km.surv[km.surv.length - 1]);
    // Removals balance: events of the cause + other removals = change in the risk set.
    for (let j = 0; j + 1 < curve.time.length; j++) expect(curve.nEvent[j] + curve.nCensor![j]).toBe(curve.nRisk[j] - curve.nRisk[j + 1]);
    const safe = protectKmCurve(curve, { minCount: 10 }, { timeUnit: 5 });
    for (let k = 1; k < safe.time.length; k++) {
      if (safe.surv[k] === safe.surv[k - 1]) continue;
      let pooled = 0;
      for (let j = 0; j < curve.time.length; j++) if (curve.time[j] > safe.time[k - 1] && curve.time[j] <= safe.time[k]) pooled += curve.nEvent[j];
      expect(pooled).toBeGreaterThanOrEqual(10);
    }
    expect(() => cumulativeIncidenceCurve(ci, 7)).toThrow(/cause '7'/);
  });
});
