// The real-data path on the synthetic generator's own numbers: its population.csv rewritten as
// ONS-style CSVs (one per census year, single-year-of-age columns F0..F18 / M0..M18, each age band's
// children put at the band's first age), an IDACI lookup and LSOA × year counts from
// area_counts.csv, read by loadAreaPanelOns, give exactly loadAreaPanel's panel.
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvRows } from '../data/helpers';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSynthetic } from '../../src/data';
import { loadAreaPanel } from '../../src/inequality/panel';
import { loadAreaPanelOns } from '../../src/inequality/realPanel';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-realpanel-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FIRST_AGE: Record<string, number> = { '0-4': 0, '5-9': 5, '10-15': 10, '16-17': 16 };

describe('real-data path = synthetic path on the same numbers (tiny scale)', () => {
  it('same panel rows, decile mean and SD; every line accounted for', async () => {
    const dir = generateSynthetic({ scale: 'tiny', seed: 3, dir: path.join(tmp, 'tiny') }).dir;
    const pop = readCsvRows(path.join(dir, 'population.csv'));
    const years = Array.from(new Set(pop.map((r) => Number(r.year)))).sort();
    const ages = Array.from({ length: 19 }, (_, a) => a);
    const head = ['LSOA 2021 Code', 'LAD 2023 Code', ...ages.map((a) => `F${a}`), ...ages.map((a) => `M${a}`)].join(',');
    const files = years.map((y) => {
      const byArea = new Map<string, { la: string; cells: number[] }>();
      for (const r of pop.filter((x) => Number(x.year) === y)) {
        let e = byArea.get(r.area);
        if (!e) byArea.set(r.area, (e = { la: r.la, cells: new Array(38).fill(0) }));
        e.cells[(r.sex === 'M' ? 19 : 0) + FIRST_AGE[r.age_band]] += Number(r.population);
        e.cells[18] = 7; e.cells[37] = 9; // age 18: read, never summed
      }
      const file = path.join(tmp, `pop_${y}.csv`);
      fs.writeFileSync(file, [head, ...Array.from(byArea, ([a, e]) => [a, e.la, ...e.cells].join(','))].join('\n') + '\n');
      return { file, year: y };
    });
    const deciles = new Map(pop.map((r) => [r.area, r.idaci_decile]));
    const idaciLookup = path.join(tmp, 'idaci.csv');
    fs.writeFileSync(idaciLookup, ['LSOA code (2021),IDACI decile', ...Array.from(deciles, ([a, d]) => `${a},${d}`)].join('\n') + '\n');
    const sums = new Map<string, number[]>();
    for (const r of readCsvRows(path.join(dir, 'area_counts.csv'))) {
      const k = `${r.area},${r.year}`; const s = sums.get(k) ?? [0, 0, 0, 0];
      ['cin', 'cin_first', 'cpp', 'cla'].forEach((c, j) => { s[j] += Number(r[c]); });
      sums.set(k, s);
    }
    const counts = path.join(tmp, 'counts.csv');
    fs.writeFileSync(counts, ['lsoa,year,cin,cin_first,cpp,cla', ...Array.from(sums, ([k, s]) => `${k},${s.join(',')}`)].join('\n') + '\n');

    const real = await loadAreaPanelOns({ kind: 'ons', population: files, idaciLookup, counts });
    const synth = loadAreaPanel({ kind: 'synthetic', scale: 'tiny', seed: 3, dir });
    expect(real.table.numRows()).toBeGreaterThan(100);
    expect(real.table.objects()).toEqual(synth.table.objects());
    expect(real.decileMean).toBeCloseTo(synth.decileMean, 12);
    expect(real.decileSd).toBeCloseTo(synth.decileSd, 12);
    expect(real.findings).toEqual([]);
    for (const row of real.dataFlow) expect(Number(row.rows_read)).toBe(Number(row.rows_analysed) + Number(row.rows_excluded) + Number(row.rows_merged));
  }, 120_000);
});
