/**
 * Predictive margins and average marginal effects with delta-method SEs, as Stata's `margins`
 * (default, covariates held at their observed values) and R's marginaleffects
 * `avg_predictions` / `avg_comparisons`:
 *   margin(a) = mean_i g(x_i(a)′β̂) over the estimation sample (or a subgroup),
 *   SE = √(∇′ V ∇) with ∇ = mean_i g′(η_i) x_i(a) and V the fit's vcov (robust if fitted so).
 * Factor contrasts (AME of a factor) are differences of margins; with `by`, gaps are computed
 * within each subgroup and the difference of gaps between subgroups is reported too.
 * LMM predictions use the fixed effects only (random effects at 0).
 */
import { labelCodes } from '../core/groups';
import { qNorm, pNormTwoSided } from '../core/distributions';
import { waldInference } from '../core/guard';
import { columnValues, rebuildDesign } from '../formula/index';
import { toNumber } from '../formula/parse';
import type { TidyRow } from './fitBase';
import { getFitContext, type TableFit } from './table';

export interface MarginsOptions {
  /** Factor (as named in the formula) whose levels are set for every row in turn. */
  readonly over?: string;
  /** Counterfactual values per column (cartesian product), e.g. { fsm: [false, true] }. */
  readonly at?: Readonly<Record<string, readonly unknown[]>>;
  /** Column defining subgroups (observed values, not overridden), e.g. 'fsm'. */
  readonly by?: string;
  /** Numeric columns for average marginal effects dy/dx (central differences). */
  readonly dydx?: readonly string[];
  /** 'response' (probability for logit; default) or 'link'. */
  readonly type?: 'response' | 'link';
  readonly level?: number;
}

interface Avg { est: number; grad: Float64Array; n: number }

/**
 * margins. Inputs: a table-level fit (ols/logit/lmm) and options (over / at / by / dydx).
 * Output: tidy rows with type 'margin' | 'contrast' | 'contrast_diff' | 'dydx', the at-values
 * (`at.<column>`), `by` subgroup, estimate, std.error, statistic (z), p.value, conf.low/high, n.
 * Preconditions: the fit came from this package's table-level functions (its design is reused on
 * the same rows). Failure: clear errors for unknown columns, non-factor `over`, absent levels.
 */
export function margins(fit: TableFit, options: MarginsOptions = {}): TidyRow[] {
  const ctx = getFitContext(fit);
  if (!ctx) throw new Error('margins: needs a fit from ols(), logit() or lmm() (a table-level fit)');
  const { design, table } = ctx;
  const p = fit.names.length;
  const cols = fit.names.map((nm) => design.names.indexOf(nm));
  if (cols.some((c) => c < 0)) throw new Error('margins: fit and design columns disagree');
  const beta = fit.coef;
  const V = fit.vcov;
  const level = options.level ?? 0.95;
  const crit = qNorm(1 - (1 - level) / 2);
  const isLogit = fit.model === 'logit' && options.type !== 'link';
  const n = design.n;

  // Subgroups from observed values.
  let groupOf: Int32Array | null = null;
  let groupLabels: string[] = ['all'];
  if (options.by) {
    if (!table.columnNames().includes(options.by)) throw new Error(`margins: unknown column '${options.by}' in 'by'; the table has columns: ${table.columnNames().join(', ')}`);
    const src = columnValues(table, options.by);
    // Subgroups coded by core/groups (sorted as R's factor()); logicals labelled as R prints them.
    const byValues = new Array<unknown>(n);
    for (let k = 0; k < n; k++) {
      const v = src[design.rowIndex[k]];
      byValues[k] = typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : v;
    }
    const coded = labelCodes(byValues, n, `margins: by '${options.by}' (rows of the model)`);
    groupOf = coded.codes;
    groupLabels = coded.levels;
  }
  const G = groupLabels.length;

  // Average prediction and gradient per subgroup for one counterfactual design.
  const average = (overrides: Record<string, unknown>): Avg[] => {
    const X = rebuildDesign(design, table, overrides);
    const pa = X.ncol;
    const out: Avg[] = Array.from({ length: G }, () => ({ est: 0, grad: new Float64Array(p), n: 0 }));
    for (let k = 0; k < n; k++) {
      const off = k * pa;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += X.data[off + cols[j]] * beta[j];
      let pred = eta; let d = 1;
      if (isLogit) { pred = 1 / (1 + Math.exp(-eta)); d = pred * (1 - pred); }
      const a = out[groupOf ? groupOf[k] : 0];
      a.est += pred; a.n++;
      for (let j = 0; j < p; j++) a.grad[j] += d * X.data[off + cols[j]];
    }
    for (const a of out) { if (a.n > 0) { a.est /= a.n; for (let j = 0; j < p; j++) a.grad[j] /= a.n; } }
    return out;
  };
  const varianceOf = (g: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < p; i++) { let t = 0; for (let j = 0; j < p; j++) t += V[i][j] * g[j]; s += g[i] * t; }
    return s;
  };
  // Delta-method variance gᵀVg; one that is zero or not finite gives NaN, not SE 0 and p = 0 (core/guard).
  const row = (base: TidyRow, est: number, grad: Float64Array, nObs: number): TidyRow => {
    const w = waldInference(est, varianceOf(grad), crit);
    return { ...base, estimate: est, 'std.error': w.se, statistic: w.statistic, 'p.value': pNormTwoSided(w.statistic), 'conf.low': w.low, 'conf.high': w.high, n: nObs };
  };

  // Counterfactual grid.
  const grid: { label: Record<string, string>; overrides: Record<string, unknown> }[] = [];
  let overLevels: string[] | null = null;
  let overColumn: string | null = null;
  const atEntries: [string, readonly unknown[]][] = [];
  if (options.over) {
    const info = design.factors[options.over] ?? Object.values(design.factors).find((f) => f.column === options.over);
    if (!info) throw new Error(`margins: '${options.over}' is not a factor in the model (factors: ${Object.keys(design.factors).join(', ') || 'none'})`);
    overLevels = info.levels.slice();
    overColumn = info.column;
    atEntries.push([info.column, overLevels]);
  }
  for (const [k, vals] of Object.entries(options.at ?? {})) {
    if (!table.columnNames().includes(k)) throw new Error(`margins: unknown column '${k}' in 'at'`);
    const info = Object.values(design.factors).find((f) => f.column === k);
    if (info) for (const v of vals) {
      const key = typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);
      if (!info.levels.includes(key)) throw new Error(`margins: level '${key}' of '${k}' does not exist (levels: ${info.levels.join(', ')})`);
    }
    atEntries.push([k, vals]);
  }
  const build = (i: number, label: Record<string, string>, ov: Record<string, unknown>): void => {
    if (i === atEntries.length) { grid.push({ label, overrides: ov }); return; }
    const [k, vals] = atEntries[i];
    for (const v of vals) build(i + 1, { ...label, [k]: typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v) }, { ...ov, [k]: v });
  };
  build(0, {}, {});
  const rows: TidyRow[] = [];
  const byLabel = (g: number): string | null => (options.by ? groupLabels[g] : null);

  const results = atEntries.length ? grid.map((c) => ({ c, avg: average(c.overrides) })) : [];
  for (const { c, avg } of results) {
    for (let g = 0; g < G; g++) {
      rows.push(row({ type: 'margin', term: Object.entries(c.label).map(([k, v]) => `${k}=${v}`).join(', '), by: byLabel(g), ...prefixed(c.label) }, avg[g].est, avg[g].grad, avg[g].n));
    }
  }
  // Factor contrasts vs the reference level (other `at` values held equal), within subgroups.
  if (overLevels && overColumn) {
    const col = overColumn;
    const ref = overLevels[0];
    const keyOf = (label: Record<string, string>) => Object.entries(label).filter(([k]) => k !== col).map(([k, v]) => `${k}=${v}`).join(', ');
    const contrastGrads = new Map<string, { est: number; grad: Float64Array; n: number }[]>();
    for (const { c, avg } of results) {
      if (c.label[col] === ref) continue;
      const base = results.find((r) => r.c.label[col] === ref && keyOf(r.c.label) === keyOf(c.label))!;
      const name = `${c.label[col]} - ${ref}${keyOf(c.label) ? ` | ${keyOf(c.label)}` : ''}`;
      const per: { est: number; grad: Float64Array; n: number }[] = [];
      for (let g = 0; g < G; g++) {
        const grad = new Float64Array(p);
        for (let j = 0; j < p; j++) grad[j] = avg[g].grad[j] - base.avg[g].grad[j];
        const est = avg[g].est - base.avg[g].est;
        per.push({ est, grad, n: avg[g].n });
        rows.push(row({ type: 'contrast', term: `${options.over}: ${name}`, contrast: name, by: byLabel(g), ...prefixed(c.label) }, est, grad, avg[g].n));
      }
      contrastGrads.set(name, per);
    }
    // Difference of gaps between subgroups (vs the first subgroup).
    if (options.by && G > 1) {
      for (const [name, per] of contrastGrads) {
        for (let g = 1; g < G; g++) {
          const grad = new Float64Array(p);
          for (let j = 0; j < p; j++) grad[j] = per[g].grad[j] - per[0].grad[j];
          rows.push(row({ type: 'contrast_diff', term: `${options.over}: ${name}`, contrast: name, by: `${groupLabels[g]} - ${groupLabels[0]}` }, per[g].est - per[0].est, grad, per[g].n + per[0].n));
        }
      }
    }
  }
  // Average marginal effects of numeric variables (central difference, step scaled to the data).
  for (const v of options.dydx ?? []) {
    if (!table.columnNames().includes(v)) throw new Error(`margins: unknown column '${v}' in 'dydx'`);
    if (Object.values(design.factors).some((f) => f.column === v)) throw new Error(`margins: '${v}' is a factor; use over: '${v}' for its contrasts`);
    const src = columnValues(table, v);
    let s = 0; let s2 = 0;
    for (let k = 0; k < n; k++) { const x = toNumber(src[design.rowIndex[k]]); s += x; s2 += x * x; }
    const sd = Math.sqrt(Math.max(s2 / n - (s / n) ** 2, 0));
    const h = 1e-4 * (sd > 0 ? sd : 1);
    const up = average({ [v]: (x: unknown) => toNumber(x) + h });
    const dn = average({ [v]: (x: unknown) => toNumber(x) - h });
    for (let g = 0; g < G; g++) {
      const grad = new Float64Array(p);
      for (let j = 0; j < p; j++) grad[j] = (up[g].grad[j] - dn[g].grad[j]) / (2 * h);
      rows.push(row({ type: 'dydx', term: v, by: byLabel(g) }, (up[g].est - dn[g].est) / (2 * h), grad, up[g].n));
    }
  }
  if (!options.over && !options.at && !options.dydx) {
    const avg = average({});
    for (let g = 0; g < G; g++) rows.push(row({ type: 'margin', term: '(observed)', by: byLabel(g) }, avg[g].est, avg[g].grad, avg[g].n));
  }
  return rows;
}

function prefixed(label: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(label)) out[`at.${k}`] = v;
  return out;
}
