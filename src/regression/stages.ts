/**
 * `stages`: a sequence of nested specifications fitted on one table and laid side by side, as
 * modelsummary / stargazer do, with the key coefficients' change across stages and the nested
 * tests between consecutive stages (F for OLS as anova(lm, lm), LR otherwise as lmtest::lrtest).
 */
import { formatEstimate, formatWhole } from '../core/numberStyle';
import { buildDesign, columnValues, splitAbsorb, toModelSpec, type SpecInput, type TableLike } from '../formula/index';
import type { FitBase, TidyRow } from './fitBase';
import type { LmmFit } from './lmm';
import { lrTest, type LogitVcovType } from './logit';
import { anovaNested, type OlsFit } from './ols';
import { lmm, logit, ols, splitRandomIntercepts, type LmmTableOptions, type TableFit, type TableFitOptions } from './table';

/** Fit options passed to every stage (vcov, cluster, weights for ols/logit; groups, reml for lmm). */
export interface StagesOptions extends Pick<TableFitOptions, 'vcov' | 'cluster' | 'clusterType' | 'weights' | 'level'>, Pick<LmmTableOptions, 'groups' | 'reml'> {
  /** Key variable(s) whose coefficients are tracked across stages (e.g. 'csc_group'). */
  readonly key?: string | readonly string[];
  readonly model?: 'ols' | 'logit' | 'lmm';
  /** Cell content under each estimate: standard error (default) or confidence interval. */
  readonly show?: 'se' | 'ci';
  readonly digits?: number;
  /** Stage labels (default: spec.label or 'Model k'). */
  readonly labels?: readonly string[];
  /** Fit every stage on the rows complete for all stages (default true), so stages are nested. */
  readonly commonSample?: boolean;
}

export interface StagesResult {
  readonly fits: readonly TableFit[];
  readonly labels: readonly string[];
  /** Display table: one row per term, one column per stage ("est (se)" or "est [lo, hi]"), then N, R²/AIC rows. */
  readonly wide: readonly TidyRow[];
  /** Long form: stage, term, estimate, std.error, statistic, p.value, conf.low, conf.high. */
  readonly long: readonly TidyRow[];
  /** Key coefficients per stage with the change from the previous and from the first stage. */
  readonly keyChanges: readonly TidyRow[];
  /** Nested tests between consecutive stages (F for OLS, LR otherwise). */
  readonly tests: readonly TidyRow[];
}

function stars(p: number): string {
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

/**
 * Fits a sequence of (nested) specifications on one table and lays them side by side, as
 * modelsummary / stargazer do. With commonSample (default) every stage uses the rows complete
 * for all stages' variables, so N is constant and the key coefficient's change is attributable
 * to the added covariates, not to a changing sample.
 */
export function stages(specs: readonly SpecInput[], table: TableLike, options: StagesOptions = {}): StagesResult {
  if (!specs.length) throw new Error('stages: no specifications');
  const model = options.model ?? 'ols';
  const ms = specs.map(toModelSpec);
  const labels = options.labels ? options.labels.slice() : ms.map((s, k) => s.label ?? `Model ${k + 1}`);
  if (labels.length !== ms.length) throw new Error(`stages: ${labels.length} labels for ${ms.length} specifications`);
  let data: TableLike = table;
  if (options.commonSample !== false && ms.length > 1) {
    // Rows complete for every stage: intersect the kept rows of each stage's design.
    const extra = [options.cluster, options.weights, ...(options.groups ?? [])].filter((c): c is string => !!c);
    const keep = new Uint8Array(table.numRows()).fill(0);
    const counts = new Int32Array(table.numRows());
    for (const s of ms) {
      const sa = model === 'lmm' ? { formula: s.formula, absorb: [] as string[] } : splitAbsorb(s.formula);
      const f = model === 'lmm' ? { ...s, formula: splitRandomIntercepts(s.formula).fixed } : { ...s, formula: sa.formula };
      const d = buildDesign(table, f, { extraColumns: [...extra, ...sa.absorb], checkCollinear: false, response: true });
      for (let k = 0; k < d.rowIndex.length; k++) counts[d.rowIndex[k]]++;
    }
    let m = 0;
    for (let i = 0; i < counts.length; i++) if (counts[i] === ms.length) { keep[i] = 1; m++; }
    if (m < table.numRows()) data = subsetTable(table, keep);
  }
  const fits: TableFit[] = ms.map((s) => {
    if (model === 'ols') return ols(data, s, { vcov: options.vcov, cluster: options.cluster, clusterType: options.clusterType, weights: options.weights, level: options.level });
    if (model === 'logit') return logit(data, s, { vcov: options.vcov as LogitVcovType, cluster: options.cluster, clusterType: options.clusterType, weights: options.weights, level: options.level });
    return lmm(data, s, { groups: options.groups, reml: options.reml, level: options.level });
  });
  const digits = options.digits ?? 3;
  // The one number style (core/numberStyle): separators, U+2212 minus; N and other counts as whole numbers.
  const fmt = (v: number) => (Number.isFinite(v) ? formatEstimate(v, digits) : 'NA');
  const termOrder: string[] = [];
  for (const f of fits) for (const nm of f.allNames) if (!termOrder.includes(nm)) termOrder.push(nm);
  const long: TidyRow[] = [];
  const wide: TidyRow[] = termOrder.map((term) => {
    const row: TidyRow = { term };
    fits.forEach((f, k) => {
      const j = f.names.indexOf(term);
      if (j < 0) { row[labels[k]] = f.allNames.includes(term) ? 'NA (collinear)' : ''; return; }
      const cell = options.show === 'ci'
        ? `${fmt(f.coef[j])}${stars(f.p[j])} [${fmt(f.ciLow[j])}, ${fmt(f.ciHigh[j])}]`
        : `${fmt(f.coef[j])}${stars(f.p[j])} (${fmt(f.se[j])})`;
      row[labels[k]] = cell;
      long.push({ stage: labels[k], term, estimate: f.coef[j], 'std.error': f.se[j], statistic: f.statistic[j], 'p.value': f.p[j], 'conf.low': f.ciLow[j], 'conf.high': f.ciHigh[j] });
    });
    return row;
  });
  const stat = (name: string, get: (f: TableFit) => number | string | null): TidyRow => {
    const row: TidyRow = { term: name };
    fits.forEach((f, k) => { const v = get(f); row[labels[k]] = typeof v === 'number' ? (Number.isInteger(v) ? formatWhole(v) : fmt(v)) : v; });
    return row;
  };
  wide.push(stat('N', (f) => f.n));
  if (model === 'ols') {
    wide.push(stat('R²', (f) => (f as OlsFit).r2));
    wide.push(stat('Adj. R²', (f) => (f as OlsFit).adjR2));
  }
  wide.push(stat('AIC', (f) => f.aic));
  wide.push(stat('Log-likelihood', (f) => f.logLik));
  if (model === 'lmm') wide.push(stat('ICC', (f) => Object.values((f as LmmFit).icc)[0]));
  wide.push(stat('SE type', (f) => f.vcovType));

  // Key coefficients: columns of the terms equal to a key variable (main effects).
  const keys = options.key === undefined ? [] : typeof options.key === 'string' ? [options.key] : options.key.slice();
  const keyChanges: TidyRow[] = [];
  for (const term of termOrder) {
    const isKey = keys.some((kv) => term === kv || (term.startsWith(kv) && !term.includes(':') && fits.some((f) => f.terms.includes(kv))));
    if (!isKey) continue;
    let first: number | null = null; let prev: number | null = null;
    fits.forEach((f, k) => {
      const j = f.names.indexOf(term);
      const est = j >= 0 ? f.coef[j] : null;
      keyChanges.push({
        term, stage: labels[k], estimate: est, 'std.error': j >= 0 ? f.se[j] : null,
        'conf.low': j >= 0 ? f.ciLow[j] : null, 'conf.high': j >= 0 ? f.ciHigh[j] : null,
        'change.prev': est !== null && prev !== null ? est - prev : null,
        'pct.change.prev': est !== null && prev !== null && prev !== 0 ? (100 * (est - prev)) / Math.abs(prev) : null,
        'change.first': est !== null && first !== null ? est - first : null,
        'pct.change.first': est !== null && first !== null && first !== 0 ? (100 * (est - first)) / Math.abs(first) : null,
      });
      if (est !== null) { if (first === null) first = est; prev = est; }
    });
  }
  const tests: TidyRow[] = [];
  for (let k = 1; k < fits.length; k++) {
    const a = fits[k - 1]; const b = fits[k];
    if (a.n !== b.n) { tests.push({ from: labels[k - 1], to: labels[k], test: 'n differs', statistic: null, df: null, 'p.value': null }); continue; }
    if (model === 'ols') {
      const fa = a as OlsFit; const fb = b as OlsFit;
      const r = anovaPair(fa, fb);
      tests.push({ from: labels[k - 1], to: labels[k], test: 'F', statistic: r.F, df: r.df, 'p.value': r.p });
    } else {
      const r = lrPair(a, b);
      tests.push({ from: labels[k - 1], to: labels[k], test: model === 'lmm' && (a as LmmFit).reml ? 'LR (REML: valid only for equal fixed effects)' : 'LR', statistic: r.stat, df: r.df, 'p.value': r.p });
    }
  }
  return Object.freeze({ fits: Object.freeze(fits), labels: Object.freeze(labels), wide: Object.freeze(wide), long: Object.freeze(long), keyChanges: Object.freeze(keyChanges), tests: Object.freeze(tests) });
}

function anovaPair(a: OlsFit, b: OlsFit): { F: number | null; df: number | null; p: number | null } {
  const r = anovaNested([a, b])[1];
  return { F: r.statistic, df: r.df, p: r['p.value'] };
}
function lrPair(a: FitBase, b: FitBase): { stat: number | null; df: number | null; p: number | null } {
  const r = lrTest([a, b])[1];
  return { stat: r.statistic, df: r['df.diff'], p: r['p.value'] };
}

/** Minimal row subset of a TableLike (no arquero dependency in this layer). */
function subsetTable(table: TableLike, keep: Uint8Array): TableLike {
  const idx: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) idx.push(i);
  const cache = new Map<string, unknown[]>();
  return {
    numRows: () => idx.length,
    columnNames: () => table.columnNames(),
    array: (name: string) => {
      let c = cache.get(name);
      if (!c) { const src = columnValues(table, name); c = idx.map((i) => src[i]); cache.set(name, c); }
      return c;
    },
  };
}
