/**
 * Table-level wrapper for notebooks: the `prepare` step from an arquero table (item columns →
 * category codes, with the level mapping recorded) and `lca(table, { items, classes, … })`.
 */
import type { ColumnTable } from 'arquero';
import { type LcaFit, type LcaOptions, type LcaPrediction, fitLca } from './fit/fit';
import type { LcaCodedInput } from './prepare';

type Level = string | number | boolean;

export interface LcaTableOptions extends Omit<LcaOptions, 'covariates' | 'weights' | 'itemNames' | 'itemLevels'> {
  /** item columns */
  items: string[];
  /** numeric covariate columns (one-step latent class regression) */
  covariates?: string[];
  /** case-weight column */
  weights?: string;
  /** explicit level order per item (code c = levels[c]); default: false < true, numbers ascending, strings sorted */
  levels?: Record<string, Level[]>;
}

import { isMissing } from '../core/missing';

function sortLevels(values: Level[]): Level[] {
  return values.slice().sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  });
}

function column(table: ColumnTable, name: string, what: string): ArrayLike<unknown> {
  if (!table.columnNames().includes(name)) throw new Error(`${what}: column "${name}" is not in the table (columns: ${table.columnNames().join(', ')})`);
  return table.array(name) as ArrayLike<unknown>;
}

/** Code item columns 0..C−1 (−1 missing); returns the codes and the level of each code. */
export function lcaCodeTable(table: ColumnTable, items: string[], levels?: Record<string, Level[]>): { input: LcaCodedInput; itemLevels: Level[][] } {
  if (!items.length) throw new Error('items: no item columns given');
  const n = table.numRows();
  const J = items.length;
  const codes = new Int16Array(n * J);
  const itemLevels: Level[][] = [];
  items.forEach((name, j) => {
    const col = column(table, name, 'items');
    let lev: Level[];
    if (levels && levels[name]) lev = levels[name].slice();
    else {
      const seen = new Set<Level>();
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (isMissing(v)) continue;
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new Error(`items: column "${name}", row ${i + 1}: value ${String(v)} is not a category`);
        seen.add(v);
      }
      lev = sortLevels(Array.from(seen));
    }
    const index = new Map<Level, number>();
    lev.forEach((l, c) => index.set(l, c));
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (isMissing(v)) {
        codes[i * J + j] = -1;
        continue;
      }
      const c = index.get(v as Level);
      if (c === undefined) throw new Error(`items: column "${name}", row ${i + 1}: value ${String(v)} is not one of the levels ${lev.map(String).join(', ')}`);
      codes[i * J + j] = c;
    }
    itemLevels.push(lev);
  });
  return { input: { codes, nRows: n, nItems: J }, itemLevels };
}

function numericColumns(table: ColumnTable, names: string[], what: string): number[][] {
  const cols = names.map((nm) => column(table, nm, what));
  const n = table.numRows();
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r: number[] = [];
    for (let s = 0; s < cols.length; s++) {
      const v = cols[s][i];
      const x = typeof v === 'boolean' ? Number(v) : (v as number);
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${what}: column "${names[s]}", row ${i + 1}: ${String(v)} is not a finite number`);
      r.push(x);
    }
    out.push(r);
  }
  return out;
}

/** Fit a latent class model to item columns of an arquero table. */
export function lca(table: ColumnTable, options: LcaTableOptions): LcaFit {
  const { input, itemLevels } = lcaCodeTable(table, options.items, options.levels);
  const { items, covariates, weights, levels, ...rest } = options;
  void levels;
  const cov = covariates && covariates.length ? numericColumns(table, covariates, 'covariates') : undefined;
  const w = weights ? numericColumns(table, [weights], 'weights').map((r) => r[0]) : undefined;
  return fitLca(input, {
    ...rest,
    nCategories: rest.nCategories ?? itemLevels.map((l) => l.length),
    itemNames: items,
    itemLevels,
    covariates: cov,
    covariateNames: covariates,
    weights: w,
  });
}

/** Posterior and modal class for the rows of another table, with the fit's level mapping. */
export function predictLcaTable(fit: LcaFit, table: ColumnTable, covariates?: string[]): LcaPrediction {
  if (!fit.itemLevels) throw new Error('predictLcaTable: the fit was not made by lca(table, …) (no level mapping)');
  const levels: Record<string, Level[]> = {};
  fit.itemNames.forEach((nm, j) => (levels[nm] = (fit.itemLevels as Level[][])[j]));
  const { input } = lcaCodeTable(table, fit.itemNames, levels);
  const cov = covariates && covariates.length ? numericColumns(table, covariates, 'covariates') : undefined;
  return fit.predict(input, cov);
}
