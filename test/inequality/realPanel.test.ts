// Real-data panel: ONS-style population CSVs (one per year) + IDACI lookup + counts by LSOA and
// year (test/fixtures/inequality-real/, hand-made) give the panel the synthetic path's assemblePanel
// gives from the same numbers, with every line accounted for and every exclusion named.
import * as fs from 'fs';
import * as path from 'path';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { loadAreaPanelOns, openAreaPanel } from '../../src/inequality/realPanel';
import { assemblePanel } from '../../src/inequality/panel';

const dir = path.join(__dirname, '../fixtures/inequality-real');
const f = (n: string) => path.join(dir, n);
const source = {
  kind: 'ons' as const,
  population: [{ file: f('pop_mid2019_for_2020.csv'), year: 2020 }, { file: f('pop_mid2020_for_2021.csv'), year: 2021 }],
  idaciLookup: f('idaci_lookup.csv'), counts: f('lsoa_counts.csv'),
};

/** Independent reading of the fixture: children 0–17 per LSOA from the F/M columns, by a plain split. */
function handPopulation(file: string, year: number, deciles: Map<string, number>) {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const split = (l: string) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
  const head = split(lines[0]);
  return lines.slice(1).map((l) => {
    const c = split(l);
    let pop = 0;
    head.forEach((h, j) => { const m = /^[FM](\d+)$/.exec(h); if (m && Number(m[1]) <= 17) pop += Number(c[j].replace(/,/g, '')); });
    return { area: c[0], la: c[2], idaci_decile: deciles.get(c[0])!, year, population: pop };
  });
}

describe('loadAreaPanelOns', () => {
  it('same panel as assemblePanel on the same numbers; accounting balances per file', async () => {
    const p = await loadAreaPanelOns(source);
    const deciles = new Map(fs.readFileSync(f('idaci_lookup.csv'), 'utf8').trim().split('\n').slice(1).map((l) => [l.split(',')[0], Number(l.split(',')[2])] as const));
    const rows = [...handPopulation(source.population[0].file, 2020, deciles), ...handPopulation(source.population[1].file, 2021, deciles)];
    const pop = aq.table(Object.fromEntries((['area', 'la', 'idaci_decile', 'year', 'population'] as const).map((c) => [c, rows.map((r) => r[c])])));
    // the counts rows that survive the rules, by hand: lines 2–12 (line 13 is a copy of 12)
    const cnt = aq.fromCSV(fs.readFileSync(f('lsoa_counts.csv'), 'utf8').split('\n').slice(0, 12).join('\n').replace(/^lsoa,/, 'area,'));
    const want = assemblePanel(pop, cnt);
    expect(p.table.numRows()).toBe(12);
    expect(p.table.objects()).toEqual(want.table.objects());
    expect(p.decileSd).toBeCloseTo(want.decileSd, 12);
    const objs = p.table.objects() as Record<string, number | string>[];
    const e1 = objs.find((r) => r.area === 'E01000001' && r.year === 2021)!;
    expect(e1.cin).toBe(26); expect(e1.cla).toBe(2);
    // E01000006 in 2021: its only count row had a negative count, so the area-year has 0 events, not a missing row
    expect(objs.find((r) => r.area === 'E01000006' && r.year === 2021)!.cin).toBe(0);
    for (const row of p.dataFlow) {
      expect(row.physical_lines).toBe(row.rows_read);
      expect(Number(row.rows_read)).toBe(Number(row.rows_analysed) + Number(row.rows_excluded) + Number(row.rows_merged));
    }
    expect(p.dataFlow.find((r) => r.source === 'lsoa_counts.csv')).toMatchObject({ physical_lines: 15, rows_analysed: 11, rows_excluded: 3, rows_merged: 1 });
    expect(p.dataFlow.filter((r) => r.source === 'idaci_lookup.csv')).toHaveLength(1);
  });
  it('a numerator area missing from the population is a named exclusion, never silent', async () => {
    const p = await loadAreaPanelOns(source);
    const nip = p.exclusions.filter((x) => x.rule === 'not_in_population');
    expect(nip.map((x) => [x.line, x.value])).toEqual([[14, 'E01009999'], [15, 'E01000006']]);
    expect(nip[0].message).toMatch(/E01009999 year 2021: no usable population row/);
    expect(nip[0].file).toBe(source.counts);
    expect(p.exclusions.find((x) => x.rule === 'count_not_numeric')).toMatchObject({ line: 16, field: 'cin', value: '-1' });
    expect(p.findings.find((x) => x.rule === 'duplicate_area_year')).toMatchObject({ line: 13, action: 'merged' });
  });
  it('openAreaPanel dispatches; a year given twice and a missing counts column are errors naming the file', async () => {
    expect((await openAreaPanel(source)).table.numRows()).toBe(12);
    await expect(loadAreaPanelOns({ ...source, population: [source.population[0], { ...source.population[1], year: 2020 }] })).rejects.toThrow(/2020 has more than one population file/);
    await expect(loadAreaPanelOns({ ...source, countsMapping: { cpp: 'CPP_starts' } })).rejects.toThrow(/CPP_starts|cpp/);
  });
});
