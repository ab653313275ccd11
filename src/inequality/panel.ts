/**
 * Small-area panel for rates and count models: children 0–17 per area and census year (the
 * denominators) joined to the numerators (CIN referrals, first referrals, CPP and care starts),
 * with every input row accounted for against the files' physical lines.
 * Source: the synthetic generator's population.csv, area_counts.csv and class_counts.csv.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { ensureSynthetic } from '../data/synth/generate';
import type { SyntheticScale } from '../data/types';
import { formatWhole } from '../core/numberStyle';

export type PanelSource = { readonly kind: 'synthetic'; readonly scale: SyntheticScale; readonly seed: number; readonly dir?: string };

export const OUTCOMES = ['cin', 'cin_first', 'cpp', 'cla'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface AreaPanel {
  /** One row per area × census year: area, la, idaci_decile, year, population, cin, cin_first, cpp, cla, deprivation, pandemic. */
  readonly table: ColumnTable;
  /** Referrals by idaci_decile × year × true_class, with the decile-year population. */
  readonly classCounts: ColumnTable;
  /** Per file: physical lines, rows read, excluded (with reason), analysed. */
  readonly dataFlow: readonly Record<string, number | string>[];
  /** Population-weighted mean and SD of the decile; deprivation = (mean − decile) / SD (higher = more deprived). */
  readonly decileMean: number;
  readonly decileSd: number;
  /** truth.json's `inequality` block on synthetic data. */
  readonly truth?: Readonly<Record<string, unknown>>;
}

function readCsv(file: string): { table: ColumnTable; physicalLines: number } {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((l, i, a) => !(i === a.length - 1 && l === '')).length;
  return { table: aq.fromCSV(text), physicalLines: lines };
}

/** What assemblePanel reports: the panel plus the counts the data-flow rows need. */
export interface AssembledPanel {
  readonly table: ColumnTable; readonly decileMean: number; readonly decileSd: number;
  /** area-years before dropping those with no children, and how many had none; count rows with no population row. */
  readonly areaYears: number; readonly emptyAreaYears: number; readonly orphanCountRows: number;
}

/**
 * The panel from long tables: `pop` (area, la, idaci_decile, year, population; any further
 * breakdown such as age band and sex is summed) and `counts` (area, year, cin, cin_first, cpp,
 * cla; summed over any breakdown). Area-years with no children are dropped (no rate); count rows
 * whose area-year has no population row are counted in orphanCountRows (the caller names them).
 */
export function assemblePanel(pop: ColumnTable, counts: ColumnTable): AssembledPanel {
  const popAY = pop.groupby('area', 'la', 'idaci_decile', 'year').rollup({ population: aq.op.sum('population') });
  const cntAY = counts.groupby('area', 'year').rollup({ cin: aq.op.sum('cin'), cin_first: aq.op.sum('cin_first'), cpp: aq.op.sum('cpp'), cla: aq.op.sum('cla') });
  const orphan = counts.antijoin(popAY, [['area', 'year'], ['area', 'year']]).numRows();
  let table = popAY.join_left(cntAY, [['area', 'year'], ['area', 'year']], [aq.all(), aq.not('area', 'year')])
    .derive({ cin: (d: { cin: number | null }) => d.cin ?? 0, cin_first: (d: { cin_first: number | null }) => d.cin_first ?? 0, cpp: (d: { cpp: number | null }) => d.cpp ?? 0, cla: (d: { cla: number | null }) => d.cla ?? 0 });
  const emptyAreaYears = table.filter((d: { population: number }) => d.population === 0).numRows();
  table = table.filter((d: { population: number }) => d.population > 0);
  const dec = table.array('idaci_decile') as ArrayLike<number>; const pp = table.array('population') as ArrayLike<number>;
  let sw = 0; let s1 = 0; let s2 = 0;
  for (let i = 0; i < dec.length; i++) { sw += pp[i]; s1 += pp[i] * dec[i]; }
  const mean = s1 / sw;
  for (let i = 0; i < dec.length; i++) s2 += pp[i] * (dec[i] - mean) ** 2;
  const sd = Math.sqrt(s2 / sw);
  const years = Array.from(new Set(Array.from(table.array('year') as ArrayLike<number>))).sort((a, b) => a - b);
  const last = years[years.length - 1];
  table = table.params({ m: mean, s: sd, last }).derive({
    deprivation: (d: { idaci_decile: number }, $: { m: number; s: number }) => ($.m - d.idaci_decile) / $.s,
    pandemic: (d: { year: number }, $: { last: number }) => (d.year === $.last ? 1 : 0),
  }).orderby('area', 'year');
  return { table, decileMean: mean, decileSd: sd, areaYears: popAY.numRows(), emptyAreaYears, orphanCountRows: orphan };
}

/** Loads the panel. Errors name the file; rows whose area has no population row are excluded and counted. */
export function loadAreaPanel(source: PanelSource): AreaPanel {
  if (source.kind !== 'synthetic') throw new Error(`loadAreaPanel: source kind '${(source as { kind: string }).kind}' is not supported here (synthetic; real data: openAreaPanel)`);
  const dir = ensureSynthetic({ scale: source.scale, seed: source.seed, dir: source.dir });
  const pop = readCsv(path.join(dir, 'population.csv'));
  const cnt = readCsv(path.join(dir, 'area_counts.csv'));
  const cls = readCsv(path.join(dir, 'class_counts.csv'));
  const a = assemblePanel(pop.table, cnt.table);
  const { table } = a; const orphan = a.orphanCountRows; const emptyAreaYears = a.emptyAreaYears;
  const decPop = table.groupby('idaci_decile', 'year').rollup({ population: aq.op.sum('population') });
  const classCounts = cls.table.join_left(decPop, [['idaci_decile', 'year'], ['idaci_decile', 'year']], [aq.all(), aq.not('idaci_decile', 'year')]);
  const truthFile = path.join(dir, 'truth.json');
  const truth = fs.existsSync(truthFile) ? (JSON.parse(fs.readFileSync(truthFile, 'utf8')) as { inequality?: Record<string, unknown> }).inequality : undefined;
  const flow = [
    { source: 'population.csv', physical_lines: pop.physicalLines - 1, rows_read: pop.table.numRows(), rows_excluded: 0, exclusion_reason: '', rows_analysed: pop.table.numRows() },
    { source: 'area_counts.csv', physical_lines: cnt.physicalLines - 1, rows_read: cnt.table.numRows(), rows_excluded: orphan, exclusion_reason: orphan ? 'area/year not in population.csv' : '', rows_analysed: cnt.table.numRows() - orphan },
    { source: 'class_counts.csv', physical_lines: cls.physicalLines - 1, rows_read: cls.table.numRows(), rows_excluded: 0, exclusion_reason: '', rows_analysed: cls.table.numRows() },
    { source: 'area-years (panel)', physical_lines: a.areaYears, rows_read: a.areaYears, rows_excluded: emptyAreaYears, exclusion_reason: emptyAreaYears ? 'no children aged 0–17 (no rate)' : '', rows_analysed: table.numRows() },
  ];
  for (const f of flow) if (f.rows_read !== f.physical_lines) throw new Error(`loadAreaPanel: ${f.source} has ${formatWhole(f.physical_lines)} data lines but ${formatWhole(f.rows_read)} rows were read`);
  return { table, classCounts, dataFlow: flow, decileMean: a.decileMean, decileSd: a.decileSd, truth };
}
