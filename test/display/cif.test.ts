// The Aalen–Johansen curve drawn under the KM disclosure rules: without competing events it is
// exactly 1 − KM; with them it lies below 1 − KM, and every drawn step pools ≥ minCount events of
// the cause with ≥ minCount left at risk.
import { describe, it, expect } from 'vitest';
import { cumulativeIncidence, kaplanMeier } from '../../src/index';
import { cumulativeIncidenceCurve, censoringOverstatement, protectKmCurve, protectedKmAtTimes } from '../../src/display/index';

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

describe('censoringOverstatement', () => {
  const km = kaplanMeier({ time, event: cause.map((c) => (c === 1 ? 1 : 0)) }).curves[0];
  const aj = cumulativeIncidenceCurve(cumulativeIncidence({ time, cause }), 1);
  it('reads both estimators off their protected curves, and the overstatement is their difference', () => {
    const o = censoringOverstatement(km, aj, [12, 24], { minCount: 10 });
    const k = protectedKmAtTimes(km, [12, 24], { minCount: 10 }).map((r) => r.pct);
    const a = protectedKmAtTimes(aj, [12, 24], { minCount: 10 }).map((r) => r.pct);
    expect(o.rows[0]['% by 12y']).toBe(k[0]);
    expect(o.rows[1]['% by 24y']).toBe(a[1]);
    const d = Number(o.rows[2]['% by 12y']);
    expect(d).toBeCloseTo((k[0] as number) - (a[0] as number), 10);
    expect(d).toBeGreaterThan(0); // competing events censored: 1 − KM lies above the cumulative incidence
    expect(o.sentence).toMatch(/^At 12 years, censoring overstates the cumulative incidence by \d+\.\d percentage points \(\d+\.\d% against \d+\.\d%\); at 24 years/);
  });
  it('says a time is not shown where a curve stops (too few at risk), never a number', () => {
    const o = censoringOverstatement(km, aj, [1000], { minCount: 10 });
    expect(o.rows[2]['% by 1000y']).toBeNull();
    expect(o.sentence).toBe('At 1000 years: not shown (too few at risk).');
  });
});
