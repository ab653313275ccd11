// The area-year panel (src/inequality/panel.assemblePanel) on a hand-made long table: sums over
// breakdowns, zero-filled counts, dropped empty area-years, orphan count rows, and the
// population-weighted standardised deprivation, all checked against sums done by hand.
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { assemblePanel } from '../../src/inequality/panel';

const pop = aq.table({
  area: ['A1', 'A1', 'A1', 'A2', 'A2', 'A3'],
  la: ['L1', 'L1', 'L1', 'L1', 'L1', 'L2'],
  idaci_decile: [1, 1, 1, 10, 10, 5],
  year: [2020, 2020, 2021, 2020, 2021, 2020],
  sex: ['F', 'M', 'F', 'F', 'F', 'F'],
  population: [100, 120, 210, 300, 310, 0],
});
const counts = aq.table({
  area: ['A1', 'A1', 'A2', 'A9'],
  year: [2020, 2020, 2021, 2020],
  cin: [3, 4, 6, 1], cin_first: [2, 3, 5, 1], cpp: [1, 0, 2, 0], cla: [0, 1, 1, 0],
});

describe('assemblePanel', () => {
  const a = assemblePanel(pop, counts);
  const rows = a.table.objects() as Array<Record<string, number | string>>;
  it('sums populations and counts over breakdowns and zero-fills area-years with no events', () => {
    expect(rows.map((r) => [r.area, r.year, r.population, r.cin, r.cla])).toEqual([
      ['A1', 2020, 220, 7, 1], ['A1', 2021, 210, 0, 0], ['A2', 2020, 300, 0, 0], ['A2', 2021, 310, 6, 1],
    ]);
  });
  it('drops area-years with no children and counts count rows with no population row', () => {
    expect(a.areaYears).toBe(5);
    expect(a.emptyAreaYears).toBe(1);
    expect(a.orphanCountRows).toBe(1);
  });
  it('standardises the decile with population weights (higher = more deprived) and flags the last year', () => {
    const w = [220, 210, 300, 310]; const d = [1, 1, 10, 10];
    const sw = w.reduce((s, v) => s + v, 0);
    const mean = w.reduce((s, v, i) => s + v * d[i], 0) / sw;
    const sd = Math.sqrt(w.reduce((s, v, i) => s + v * (d[i] - mean) ** 2, 0) / sw);
    expect(a.decileMean).toBeCloseTo(mean, 14);
    expect(a.decileSd).toBeCloseTo(sd, 14);
    expect(rows[0].deprivation as number).toBeCloseTo((mean - 1) / sd, 14);
    expect(rows.map((r) => r.pandemic)).toEqual([0, 1, 0, 1]);
  });
});
