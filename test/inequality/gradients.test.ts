// Rate tables on an area panel: aggregation by decile (and year), disclosure control of rates
// (a rate and its CI are suppressed when the numerator is small; counts are rounded), the
// inequality rows, per-LA gradients recovering a known slope, and coverage rows.
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { coverage, decileRates, inequalityByYear, laGradients, protectRates, rateWithCi } from '../../src/index';
import { laSlopes } from '../../src/inequality/gradients';
import { createRng } from '../../src/core/random';

function panel(seed: number, slope: number) {
  const rng = createRng(seed);
  const rows: Record<string, number | string>[] = [];
  for (let l = 0; l < 6; l++) for (let d = 1; d <= 10; d++) for (let y = 2015; y <= 2017; y++) {
    const population = 2000; const mu = population * 0.01 * Math.exp(slope * (5.5 - d) / 2.87);
    let k = 0; let p = Math.exp(-mu); let s = p; const u = rng.nextFloat();
    while (u > s) { k++; p *= mu / k; s += p; }
    rows.push({ la: `LA${l}`, area: `A${l}-${d}`, idaci_decile: d, year: y, population, cla: k, deprivation: (5.5 - d) / 2.87 });
  }
  return aq.from(rows);
}

describe('decile rates and their protection', () => {
  it('sums counts and populations by decile; rates per 10,000', () => {
    const t = aq.from([
      { idaci_decile: 1, year: 2015, population: 1000, cla: 12 }, { idaci_decile: 1, year: 2016, population: 3000, cla: 8 },
      { idaci_decile: 2, year: 2015, population: 500, cla: 3 },
    ]);
    const r = decileRates(t, 'cla');
    expect(r.map((x) => [x.idaci_decile, x.count, x.population, x.rate])).toEqual([[1, 20, 4000, 50], [2, 3, 500, 60]]);
    expect(decileRates(t, 'cla', { byYear: true }).length).toBe(3);
  });
  it('suppresses a rate and its CI built from a small count; rounds counts', () => {
    const t = aq.from([{ idaci_decile: 1, year: 2015, population: 1000, cla: 12 }, { idaci_decile: 2, year: 2015, population: 500, cla: 3 }]);
    const p = protectRates(decileRates(t, 'cla'));
    expect(p.rows[1].rate).toBe('[c]');
    expect(p.rows[1]['conf.low']).toBe('[c]');
    expect(p.rows[1].count).toBe('[c]');
    expect(p.rows[0].count).toBe(10); // 12 rounded to 5
    // rate and CI from the shown count (10) and population, not from the exact 12
    expect(p.rows[0].rate).toBe(100);
    const shown = rateWithCi({ count: 10, population: 1000 });
    expect(p.rows[0]['conf.low']).toBe(Math.round(shown['conf.low'] * 10) / 10);
    expect(p.rows[0]['conf.high']).toBe(Math.round(shown['conf.high'] * 10) / 10);
  });
});

describe('gradients', () => {
  it('per-LA gradients: the true rate ratio per SD (exp 0.6) is covered in most LAs', () => {
    const t = panel(1, 0.6);
    const g = laGradients(t, 'cla');
    expect(g.rows.length).toBe(6);
    const inside = g.rows.filter((r) => Number(r['conf.low']) <= Math.exp(0.6) && Math.exp(0.6) <= Number(r['conf.high'])).length;
    expect(inside).toBeGreaterThanOrEqual(5);
  });
  it('inequality rows: pooled and per year, RR > 1 for a positive gradient', () => {
    const rows = inequalityByYear(panel(2, 0.6), 'cla');
    expect(rows.length).toBe(3 * 4);
    expect(Number(rows[0].estimate)).toBeGreaterThan(1);
    expect(rows.filter((r) => r.year === '2016').map((r) => r.measure)).toEqual(['rate ratio D1/D10', 'SII (per 10,000)', 'RII']);
  });
  it('coverage flags a truth outside its interval', () => {
    expect(coverage('x', 1, 1.1, 0.9, 1.2).inside).toBe('yes');
    expect(coverage('x', 2, 1.1, 0.9, 1.2).inside).toBe('NO');
  });
});

describe('laSlopes at a boundary slope SD', () => {
  // A random slope whose SD is estimated at 0 (glmmSlopes warns 'singular fit'): every b_g is 0
  // with conditional SD 0, which the old code drew as a zero-width interval at exp(β̂).
  it('gives NaN limits where the conditional SD is 0, finite ones elsewhere', () => {
    const fit = {
      names: ['(Intercept)', 'deprivation'], coef: [0.1, 0.5], randomNames: ['(Intercept)', 'deprivation'], groupLevels: ['E1', 'E2'],
      conditionalModes: [0.2, 0, -0.2, 0.05], conditionalSd: [0.1, 0, 0.1, 0.02], sdRandom: [0.3, 0.04], logLik: -100,
    };
    const rows = laSlopes(fit, 'deprivation');
    expect(rows[0].estimate).toBeCloseTo(Math.exp(0.5), 14);
    expect(rows[0]['conf.low']).toBeNaN();
    expect(rows[0]['conf.high']).toBeNaN();
    expect(rows[1]['conf.low']).toBeCloseTo(Math.exp(0.55 - 1.959963984540054 * 0.02), 12);
  });
});

