/** Rates read off the protected KM curve (src/display/km.ts protectedKmAtTimes). */
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { createRng } from '../../src/core/random';
import { km } from '../../src/survival/index';
import { protectKmCurve, protectedKmAtTimes, kmRateRows } from '../../src/display/index';

/** 400 episodes, 12 events at each of 30 monthly times, 2 censored at each: large risk sets early, a small one late. */
function curve() {
  const time: number[] = []; const nRisk: number[] = []; const nEvent: number[] = []; const nCensor: number[] = []; const surv: number[] = [];
  const lower: number[] = []; const upper: number[] = [];
  let n = 400; let s = 1;
  for (let k = 1; k <= 30 && n > 0; k++) {
    const d = Math.min(12, n);
    time.push(k / 12 - 0.01); nRisk.push(n); nEvent.push(d); nCensor.push(Math.min(2, n - d));
    s *= (n - d) / n; surv.push(s); lower.push(s * 0.97); upper.push(Math.min(1, s * 1.03));
    n -= d + Math.min(2, n - d);
  }
  return { time, nRisk, nEvent, nCensor, surv, lower, upper };
}

describe('protectedKmAtTimes', () => {
  it('gives the drawn curve’s value at each time (never a finer one) and nulls once the curve stops', () => {
    const c = curve();
    const safe = protectKmCurve(c, { minCount: 10 });
    const rates = protectedKmAtTimes(c, [0.5, 1, 10], { minCount: 10 });
    const drawnAt = (t: number) => { let j = 0; for (let i = 0; i < safe.time.length && safe.time[i] <= t + 1e-12; i++) j = i; return safe.surv[j]; };
    expect(rates[0].pct).toBeCloseTo(100 * (1 - drawnAt(0.5)), 10);
    expect(rates[1].pct).toBeCloseTo(100 * (1 - drawnAt(1)), 10);
    // exact KM at 1 year differs from the drawn (rounded) one in the 4th decimal: the table must not show it
    const exact = 100 * (1 - c.surv[11]);
    expect(Math.abs((rates[1].pct as number) - exact)).toBeGreaterThan(1e-6);
    expect(String(rates[1].pct).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(1);
    // CI limits of the cumulative percentage come from the drawn limits, in the right order
    expect(rates[1].low as number).toBeLessThanOrEqual(rates[1].pct as number);
    expect(rates[1].high as number).toBeGreaterThanOrEqual(rates[1].pct as number);
    expect(safe.truncatedAt).not.toBeNull();
    expect(rates[2]).toEqual({ time: 10, pct: null, low: null, high: null });
  });
});

describe('kmRateRows', () => {
  const rng = createRng(4);
  const cols: Record<string, number[]> = { t: [], e: [] };
  for (let i = 0; i < 400; i++) {
    const t = -Math.log(1 - rng.nextFloat()) / 0.3; const c = 4 * rng.nextFloat();
    cols.t.push(Math.min(t, c)); cols.e.push(t <= c ? 1 : 0);
  }
  const fit = km(aq.table(cols), { time: 't', event: 'e' });
  it('one row per group: the count and, per time, the protected percentage and its CI; [c] past the curve', () => {
    const rows = kmRateRows(fit.byGroup, [1, 10], { label: 'group', rules: { minCount: 10 } });
    const [one] = protectedKmAtTimes(fit.curves[0], [1], { minCount: 10 });
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0])).toEqual(['group', 'episodes', '% by 1y', '95% CI 1y', '% by 10y', '95% CI 10y']);
    expect(rows[0]).toMatchObject({ episodes: 400, '% by 1y': one.pct, '95% CI 1y': `${one.low!.toFixed(1)} to ${one.high!.toFixed(1)}`, '% by 10y': null, '95% CI 10y': '[c]' });
    expect(one.pct).toBeGreaterThan(20); // 1 − exp(−0.3) ≈ 26%
    expect(one.pct).toBeLessThan(32);
  });
});
