import { describe, it, expect } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPopulation } from '../../src/inequality/population';

// Small ONS-like fixtures: F0..F20 / M0..M20 single-year columns (ages over 17 are read but not summed).
const AGES = Array.from({ length: 21 }, (_, a) => a);
const HEAD = ['LSOA 2021 Code', 'LSOA 2021 Name', 'LAD 2023 Code', 'Total', ...AGES.map((a) => `F${a}`), ...AGES.map((a) => `M${a}`)].map((h) => `"${h}"`).join(',');
/** row whose count at age a for sex s is base + a (+1 for M) */
function row(code: string, la: string, base: number, over: Record<string, string> = {}): string {
  const cells = [code, `${code} name`, la, '999', ...AGES.map((a) => `${base + a}`), ...AGES.map((a) => `${base + a + 1}`)];
  const head = HEAD.split(',').map((h) => h.replace(/"/g, ''));
  for (const [k, v] of Object.entries(over)) cells[head.indexOf(k)] = v;
  return cells.join(',');
}
const LOOKUP_HEAD = 'LSOA code (2021),LSOA name (2021),IDACI decile';

let n = 0;
function write(lines: string[], eol = '\n'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pop-test-'));
  const f = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(f, lines.join(eol) + eol);
  return f;
}
function fixture(pop: string[], lookup: string[], eol = '\n'): { population: string; idaciLookup: string } {
  return { population: write([HEAD, ...pop], eol), idaciLookup: write([LOOKUP_HEAD, ...lookup], eol) };
}
/** expected 0–17 total for one sex: sum of base + a (+ shift) over a = 0..17 */
const sum017 = (base: number, shift: number): number => AGES.filter((a) => a <= 17).reduce((s, a) => s + base + a + shift, 0);

describe('loadPopulation (ONS mid-year small-area estimates + IDACI lookup)', () => {
  it('clean file: ages 0–17 summed into bands by sex, deciles joined, accounting balances', async () => {
    const f = fixture([row('E01000001', 'E09000001', 10), row('E01000002', 'E09000001', 0)], ['E01000001,a,3', 'E01000002,b,10']);
    const r = await loadPopulation({ ...f, year: 2021 });
    expect(r.findings).toEqual([]);
    const t = r.table.objects() as { area: string; la: string; idaci_decile: number; age_band: string; sex: string; year: number; population: number }[];
    expect(t.length).toBe(2 * 2 * 4);
    const f1 = t.filter((x) => x.area === 'E01000001' && x.sex === 'F');
    expect(f1.reduce((s, x) => s + x.population, 0)).toBe(sum017(10, 0));
    const m2 = t.filter((x) => x.area === 'E01000002' && x.sex === 'M');
    expect(m2.reduce((s, x) => s + x.population, 0)).toBe(sum017(0, 1));
    // band 16-17 of E01000002 females: ages 16 and 17
    expect(t.find((x) => x.area === 'E01000002' && x.sex === 'F' && x.age_band === '16-17')?.population).toBe(16 + 17);
    expect(new Set(t.filter((x) => x.area === 'E01000002').map((x) => x.idaci_decile))).toEqual(new Set([10]));
    expect(t.every((x) => x.year === 2021 && x.la === 'E09000001')).toBe(true);
    expect(r.dataFlow.map((d) => [d.physical_lines, d.rows_read, d.rows_analysed, d.rows_excluded, d.rows_merged])).toEqual([[2, 2, 2, 0, 0], [2, 2, 2, 0, 0]]);
  });

  it('persons-only 0..90+ columns give sex "all"', async () => {
    const head = ['LSOA 2021 Code', 'LAD 2023 Code', ...Array.from({ length: 91 }, (_, a) => (a === 90 ? '90+' : `${a}`))].join(',');
    const population = write([head, ['E01000009', 'E06000001', ...Array.from({ length: 91 }, () => '2')].join(',')]);
    const idaciLookup = write([LOOKUP_HEAD, 'E01000009,x,5']);
    const r = await loadPopulation({ population, idaciLookup, year: 2019 });
    expect(r.table.numRows()).toBe(4);
    expect(r.table.array('sex')).toEqual(['all', 'all', 'all', 'all']);
    expect((r.table.array('population') as number[]).reduce((s, v) => s + v, 0)).toBe(36);
  });

  it('each rule names file, line, field and value; excluded + merged + analysed = physical lines', async () => {
    const f = fixture([
      row('E01000001', 'E09000001', 10), // line 2 clean
      row('E01000002', 'E09000001', 10, { F3: 'x' }), // 3 non-numeric
      row('E01000003', 'E09000001', 10, { M17: '-4' }), // 4 negative
      row('E01000004', 'E09000001', 10), // 5 twice, identical -> second merged
      row('E01000004', 'E09000001', 10), // 6
      row('E01000005', 'E09000001', 10), // 7 twice, different -> both excluded
      row('E01000005', 'E09000001', 11), // 8
      row('E01000006', 'E09000001', 10), // 9 not in lookup
      row('E01000007', 'E09000001', 10), // 10 lookup decile 11
      row('E01000008', 'E09000001', 10), // 11 lookup conflicting deciles
      row('E01000010', 'E09000001', 10, { F40: 'x' }), // 12 bad count at age 40: not summed, not checked
    ], ['E01000001,a,1', 'E01000002,a,2', 'E01000003,a,2', 'E01000004,a,4', 'E01000005,a,5', 'E01000007,a,11', 'E01000008,a,3', 'E01000008,a,4', 'E01000010,a,6', 'E01000010,a,6']);
    const r = await loadPopulation({ ...f, year: 2020 });
    const key = (file: string) => r.findings.filter((x) => x.file === file).map((x) => `${x.line}:${x.field}:${x.value}:${x.rule}:${x.action}`);
    expect(key(f.population)).toEqual([
      '3:F3:x:count_not_numeric:excluded',
      '4:M17:-4:count_negative:excluded',
      '6:LSOA 2021 Code:E01000004:duplicate_area:merged',
      '7:LSOA 2021 Code:E01000005:duplicate_area:excluded',
      '8:LSOA 2021 Code:E01000005:duplicate_area:excluded',
      '9:LSOA 2021 Code:E01000006:not_in_lookup:excluded',
      '10:LSOA 2021 Code:E01000007:not_in_lookup:excluded',
      '11:LSOA 2021 Code:E01000008:not_in_lookup:excluded',
    ]);
    expect(key(f.idaciLookup)).toEqual([
      '7:IDACI decile:11:decile_range:excluded',
      '8:LSOA code (2021):E01000008:duplicate_lookup:excluded',
      '9:LSOA code (2021):E01000008:duplicate_lookup:excluded',
      '11:LSOA code (2021):E01000010:duplicate_lookup:merged',
    ]);
    expect(r.findings.every((x) => x.message.length > 10)).toBe(true);
    const msg = (line: number) => r.findings.find((x) => x.file === f.population && x.line === line)?.message ?? '';
    expect(msg(9)).toMatch(/E01000006 is not in f\d+\.csv/);
    expect(msg(11)).toMatch(/E01000008 has no usable IDACI decile/);
    expect(new Set(r.table.array('area') as string[])).toEqual(new Set(['E01000001', 'E01000004', 'E01000010']));
    const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length - 1;
    const [p, l] = r.dataFlow;
    expect(p).toMatchObject({ physical_lines: lines(f.population), rows_read: 11, rows_analysed: 3, rows_excluded: 7, rows_merged: 1 });
    expect(l).toMatchObject({ physical_lines: lines(f.idaciLookup), rows_read: 10, rows_analysed: 6, rows_excluded: 3, rows_merged: 1 });
    expect(r.exclusions.length).toBe(r.findings.filter((x) => x.action === 'excluded').length);
  });

  it('CRLF files: same table and physical-line accounting as LF; a short row is excluded by the ingest', async () => {
    const pop = [row('E01000001', 'E09000001', 10), 'E01000002,short', row('E01000003', 'E09000002', 1)];
    const lk = ['E01000001,a,3', 'E01000003,b,7'];
    const lf = await loadPopulation({ ...fixture(pop, lk), year: 2021 });
    const crlfFiles = fixture(pop, lk, '\r\n');
    const crlf = await loadPopulation({ ...crlfFiles, year: 2021 });
    expect(crlf.table.objects()).toEqual(lf.table.objects());
    expect(crlf.table.numRows()).toBe(16);
    expect(crlf.dataFlow[0]).toMatchObject({ physical_lines: 3, rows_read: 3, rows_analysed: 2, rows_excluded: 1, rows_merged: 0 });
    expect(crlf.findings.map((x) => [x.line, x.rule])).toEqual([[3, 'field_count']]);
    expect(crlf.table.array('area')).toContain('E01000003');
    expect(String(crlf.table.array('la')[15])).toBe('E09000002');
  });

  it('same columns as the synthetic population.csv that loadAreaPanel reads', async () => {
    const f = fixture([row('E01000001', 'E09000001', 1)], ['E01000001,a,1']);
    const r = await loadPopulation({ ...f, year: 2021 });
    const synth = fs.readFileSync(path.join(__dirname, '../../src/data/synth/population.ts'), 'utf8').match(/popLines = \['([^']+)'\]/);
    expect(synth).not.toBeNull();
    expect(r.table.columnNames()).toEqual((synth as RegExpMatchArray)[1].split(','));
  });

  it('BOM, a quoted header name holding the delimiter, "1,234" counts; persons columns ignored beside by-sex ones', async () => {
    const head = ['LSOA 2021 Code', 'LSOA name, 2021', 'LAD 2023 Code', ...AGES.map((a) => `${a}`), ...AGES.map((a) => `F${a}`), ...AGES.map((a) => `M${a}`)].map((h) => `"${h}"`).join(',');
    const cells = ['E01000001', '"Name, with comma"', 'E09000001', ...AGES.map(() => '99'), '"1,234"', ...AGES.slice(1).map(() => '1'), ...AGES.map(() => '2')];
    const population = write(['\uFEFF' + head, cells.join(',')]);
    const idaciLookup = write([LOOKUP_HEAD, 'E01000001,a,4']);
    const r = await loadPopulation({ population, idaciLookup, year: 2022 });
    expect(r.findings).toEqual([]);
    const t = r.table.objects() as { sex: string; age_band: string; population: number }[];
    expect(new Set(t.map((x) => x.sex))).toEqual(new Set(['F', 'M']));
    expect(t.find((x) => x.sex === 'F' && x.age_band === '0-4')?.population).toBe(1234 + 4);
    expect(t.filter((x) => x.sex === 'M').reduce((s, x) => s + x.population, 0)).toBe(36);
  });

  it('lookup deciles 0, 3.5, blank and text are decile_range; 3.0 is decile 3', async () => {
    const f = fixture([row('E01000001', 'E09000001', 1)], ['E01000002,a,0', 'E01000003,a,3.5', 'E01000004,a,', 'E01000005,a,ten', 'E01000001,a,3.0']);
    const r = await loadPopulation({ ...f, year: 2021 });
    expect(r.findings.map((x) => `${x.line}:${x.value}:${x.rule}`)).toEqual(['2:0:decile_range', '3:3.5:decile_range', '4::decile_range', '5:ten:decile_range']);
    expect(r.table.array('idaci_decile')[0]).toBe(3);
    expect(r.dataFlow[1]).toMatchObject({ physical_lines: 5, rows_read: 5, rows_excluded: 4, rows_analysed: 1 });
  });

  it('mapping: other column names and a year column', async () => {
    const population = write(['code,lad,yr,Males 0,Males 1,Males 2,Males 3,Males 4,Males 5,Males 6,Males 7,Males 8,Males 9,Males 10,Males 11,Males 12,Males 13,Males 14,Males 15,Males 16,Males 17',
      ['A1', 'L1', '2018', ...Array.from({ length: 18 }, () => '1')].join(',')]);
    const idaciLookup = write(['lsoa11cd,IDACIDec', 'A1,2']);
    const r = await loadPopulation({ population, idaciLookup, mapping: { lsoa: 'code', la: 'lad', year: 'yr', ageColumn: /^(?<sex>M)ales (?<age>\d+)$/, lookupLsoa: 'lsoa11cd', lookupDecile: 'IDACIDec' } });
    expect(r.table.objects().map((o) => (o as { population: number }).population)).toEqual([5, 5, 6, 2]);
    expect(r.table.array('year')).toEqual([2018, 2018, 2018, 2018]);
  });

  it('errors name the file: missing ages, missing mapped column, no year', async () => {
    const population = write(['LSOA 2021 Code,LAD 2023 Code,F0,F1', 'A,B,1,1']);
    const idaciLookup = write([LOOKUP_HEAD, 'A,a,1']);
    await expect(loadPopulation({ population, idaciLookup, year: 2020 })).rejects.toThrow(/ages 2, 3.*17.*\(sex F\).*file/);
    const f = fixture([row('E01000001', 'E09000001', 1)], ['E01000001,a,1']);
    await expect(loadPopulation({ ...f, year: 2020, mapping: { la: 'LAD 2024 Code' } })).rejects.toThrow(/'LAD 2024 Code'/);
    await expect(loadPopulation(f)).rejects.toThrow(/options\.year/);
  });
});
