/**
 * The small-area panel from real data: ONS mid-year small-area population estimates (one CSV per
 * year: each sheet of the ONS workbook exported as CSV) with an LSOA → IDACI decile lookup, read
 * by loadPopulation, and the numerators as counts by LSOA and census year (children referred,
 * first referrals, CPP starts, care starts) in a CSV read through the store's CSV ingest and a
 * column mapping. Every line of every file is analysed, excluded with a named finding (file,
 * line, field, value), or merged as an identical copy; the same assemblePanel as the synthetic
 * path builds the table, so both paths give the same panel from the same numbers.
 *
 * Why a counts file rather than the study store's CIN/CLA records: the store's record tables carry
 * no small-area code (the NPD CIN and SSDA903 mappings have no LSOA field), so counts by LSOA are
 * made where the child's LSOA is held, then read here.
 */
import * as path from 'path';
import * as aq from 'arquero';
import { DataError } from '../data/errors';
import { Store, lit, ident } from '../data/store/db';
import { createFindings } from '../data/store/findings';
import { ingestCsv, type CsvDialect } from '../data/store/csv';
import type { Finding } from '../data/staging';
import { assemblePanel, loadAreaPanel, type AreaPanel, type PanelSource } from './panel';
import { loadPopulation, type PopulationMapping } from './population';

export interface CountsMapping { lsoa?: string; year?: string; cin?: string; cin_first?: string; cpp?: string; cla?: string }

export interface OnsPanelSource {
  readonly kind: 'ons';
  /** One ONS estimates CSV per census year; `year` is the census year (ending 31 March) it is the denominator for. */
  readonly population: readonly { readonly file: string; readonly year: number }[];
  readonly idaciLookup: string;
  readonly populationMapping?: PopulationMapping;
  /** Counts by LSOA and census year; default columns lsoa, year, cin, cin_first, cpp, cla. */
  readonly counts: string;
  readonly countsMapping?: CountsMapping;
  readonly dialect?: CsvDialect;
}

export interface RealAreaPanel extends AreaPanel {
  /** Every rule that fired in any file (population, lookup, counts), with file, line, field, value. */
  readonly findings: readonly Finding[];
  readonly exclusions: readonly Finding[];
}

const COUNT_FIELDS = ['cin', 'cin_first', 'cpp', 'cla'] as const;

/** Either source: synthetic (loadAreaPanel) or ONS-style real files (loadAreaPanelOns). */
export async function openAreaPanel(source: PanelSource | OnsPanelSource): Promise<AreaPanel> {
  return source.kind === 'ons' ? loadAreaPanelOns(source) : loadAreaPanel(source);
}

/**
 * Loads the real-data panel. Rules on the counts file (each a finding): missing_code, year_not_numeric,
 * count_not_numeric / count_negative (row excluded), duplicate_area_year (identical copies merged,
 * conflicting copies all excluded), not_in_population (the LSOA-year has no usable population row:
 * excluded, never silently dropped). Throws DataError on a missing file or column, a year given
 * twice, or a broken accounting identity. classCounts is empty (demand classes come from notebook 01).
 */
export async function loadAreaPanelOns(source: OnsPanelSource): Promise<RealAreaPanel> {
  if (!source.population.length) throw new DataError('loadAreaPanelOns: no population files; give one { file, year } per census year');
  const years = source.population.map((p) => p.year);
  const twice = years.filter((y, i) => years.indexOf(y) !== i);
  if (twice.length) throw new DataError(`loadAreaPanelOns: census year ${twice[0]} has more than one population file`);
  const pops = [];
  for (const p of source.population) pops.push(await loadPopulation({ population: p.file, idaciLookup: source.idaciLookup, mapping: source.populationMapping, year: p.year, dialect: source.dialect }));
  const popLong = pops.map((p) => p.table).reduce((a, b) => a.concat(b));
  // the lookup is read with every year; its lines and findings are reported once
  const findings: Finding[] = [...pops.flatMap((p) => p.findings.filter((f) => f.file !== source.idaciLookup)), ...pops[0].findings.filter((f) => f.file === source.idaciLookup)];
  const flow: Record<string, number | string>[] = [...pops.map((p, i) => ({ ...p.dataFlow[0], year: source.population[i].year })), { ...pops[0].dataFlow[1], year: 'all' }];

  const m = source.countsMapping ?? {};
  const C = source.counts;
  const cols: Record<string, string> = { lsoa: m.lsoa ?? 'lsoa', year: m.year ?? 'year' };
  for (const f of COUNT_FIELDS) cols[f] = m[f] ?? f;
  const store = await Store.open(':memory:');
  let counts: aq.ColumnTable;
  try {
    await createFindings(store);
    const r = await ingestCsv(store, { source: 'area counts', what: 'area counts file', file: C, columns: cols, required: Object.keys(cols), dialect: source.dialect, table: 'cnt' });
    const done = `line NOT IN (SELECT line FROM findings WHERE file = ${lit(C)} AND action IN ('excluded', 'merged'))`;
    const finding = async (table: string, field: string, value: string, rule: string, action: string, message: string, where: string): Promise<void> => {
      await store.exec(`INSERT INTO findings SELECT 'area counts', ${lit(C)}, line, ${lit(field)}, ${value}, ${lit(rule)}, ${lit(action)}, ${message}, NULL FROM ${table} WHERE ${where} AND ${done}`);
    };
    await finding('cnt', cols.lsoa, `coalesce(lsoa, '')`, 'missing_code', 'excluded', `'line ' || line || ': the LSOA code is blank'`, `coalesce(lsoa, '') = ''`);
    await finding('cnt', cols.year, `coalesce(year, '')`, 'year_not_numeric', 'excluded', `'line ' || line || ': year ''' || coalesce(year, '') || ''' is not a census year'`, `TRY_CAST(year AS INTEGER) IS NULL OR TRY_CAST(year AS DOUBLE) <> TRY_CAST(year AS INTEGER)`);
    for (const f of COUNT_FIELDS) {
      const v = `TRY_CAST(${ident(f)} AS DOUBLE)`;
      await store.exec(`INSERT INTO findings SELECT 'area counts', ${lit(C)}, line, ${lit(cols[f])}, coalesce(${ident(f)}, ''), 'count_not_numeric', 'excluded',
        'line ' || line || ': ${cols[f].replace(/'/g, "''")} = ''' || coalesce(${ident(f)}, '') || ''' is not a count ≥ 0; the row is excluded', NULL
        FROM cnt WHERE (${v} IS NULL OR ${v} < 0 OR ${v} <> floor(${v})) AND ${done}`);
    }
    const kept = `(SELECT * FROM cnt WHERE ${done})`;
    const sig = COUNT_FIELDS.map((f) => `CAST(${ident(f)} AS DOUBLE)`).join(` || '|' || `);
    await store.exec(`CREATE TEMP TABLE cntd AS SELECT line, lsoa, year, count(*) OVER w AS n, count(DISTINCT s) OVER w AS nsig, row_number() OVER (w ORDER BY line) AS k, min(line) OVER w AS first_line
      FROM (SELECT *, ${sig} AS s FROM ${kept}) WINDOW w AS (PARTITION BY lsoa, CAST(year AS INTEGER))`);
    await finding('cntd', cols.lsoa, 'lsoa', 'duplicate_area_year', 'merged', `'LSOA ' || lsoa || ' year ' || year || ' appears again (first at line ' || first_line || ') with the same counts; this copy is merged'`, 'n > 1 AND nsig = 1 AND k > 1');
    await finding('cntd', cols.lsoa, 'lsoa', 'duplicate_area_year', 'excluded', `'LSOA ' || lsoa || ' year ' || year || ' appears ' || n || ' times with different counts; every copy is excluded'`, 'n > 1 AND nsig > 1');
    // numerators whose LSOA-year has no usable population row: named, never silently lost
    const keys = popLong.groupby('area', 'year').count().objects() as { area: string; year: number }[];
    await store.exec('CREATE TEMP TABLE popkeys (area VARCHAR, year INTEGER)');
    if (keys.length) await store.exec(`INSERT INTO popkeys VALUES ${keys.map((k) => `(${lit(k.area)}, ${Number(k.year)})`).join(', ')}`);
    await finding('cnt', cols.lsoa, 'lsoa', 'not_in_population', 'excluded',
      `'LSOA ' || lsoa || ' year ' || year || ': no usable population row for this area and year (not in the estimates, excluded there, or not in the IDACI lookup); its counts have no denominator and are excluded'`,
      `(lsoa, CAST(year AS INTEGER)) NOT IN (SELECT (area, year) FROM popkeys)`);
    const out = await store.columns(`SELECT lsoa AS area, CAST(year AS INTEGER) AS year, ${COUNT_FIELDS.map((f) => `CAST(${ident(f)} AS DOUBLE) AS ${f}`).join(', ')} FROM cnt WHERE ${done} ORDER BY line`);
    counts = aq.table({ area: out.area as string[], year: (out.year as number[]).map(Number), ...Object.fromEntries(COUNT_FIELDS.map((f) => [f, (out[f] as number[]).map(Number)])) });
    const fr = await store.rows(`SELECT source, file, line, field, value, rule, action, message FROM findings ORDER BY line, field`);
    findings.push(...(fr.map((x) => ({ ...x, line: x.line === null ? null : Number(x.line), value: String(x.value ?? '') })) as unknown as Finding[]));
    const c = await store.rows(`SELECT count(DISTINCT line) FILTER (WHERE action = 'excluded') AS ex, count(DISTINCT line) FILTER (WHERE action = 'merged') AS mg FROM findings WHERE file = ${lit(C)}`);
    const ex = Number(c[0].ex); const mg = Number(c[0].mg); const an = counts.numRows();
    const row = { source: path.basename(C), year: 'all', physical_lines: r.scan.lines - 1, rows_read: r.rowsRead, rows_excluded: ex, rows_merged: mg, rows_analysed: an };
    if (row.physical_lines !== row.rows_read || row.rows_read !== ex + mg + an) throw new DataError(`loadAreaPanelOns: accounting identity broken for the counts: ${row.physical_lines} data lines, ${row.rows_read} read, ${an} analysed + ${ex} excluded + ${mg} merged`, { file: C });
    flow.push(row);
  } finally {
    store.close();
  }
  const a = assemblePanel(popLong, counts);
  if (a.orphanCountRows) throw new DataError(`loadAreaPanelOns: ${a.orphanCountRows} count rows lost their population row after the checks (a bug: not_in_population should have named them)`, { file: C });
  flow.push({ source: 'area-years (panel)', year: 'all', physical_lines: a.areaYears, rows_read: a.areaYears, rows_excluded: a.emptyAreaYears, rows_merged: 0, rows_analysed: a.table.numRows() });
  const classCounts = aq.table({ idaci_decile: [] as number[], year: [] as number[], true_class: [] as number[], referrals: [] as number[], population: [] as number[] });
  return { table: a.table, classCounts, dataFlow: flow, decileMean: a.decileMean, decileSd: a.decileSd, findings, exclusions: findings.filter((f) => f.action === 'excluded') };
}
