/**
 * Table level: class effects in Cox and linear models for units (episodes, pupils) that carry the
 * row of the LCA matrix their class comes from. The formula holds the other covariates (plus
 * strata()/cluster() for Cox); the class enters as dummies against `referenceClass`, by modal
 * assignment or with BCH weights (see cox.ts and ols.ts for the methods and sources).
 */
import type { ProgressCallback } from '../core/progress';
import * as aq from 'arquero';
import { buildDesign, normaliseFactors, parseFormula, type Design, type FactorsInput, type TableLike } from '../formula/index';
import type { LcaFit } from '../lca/index';
import type { CoxTies } from '../survival/index';
import type { DenseMatrix } from '../core/matrix';
import { fitCoxClassEffects, type CoxClassEffectsFit } from './cox';
import { fitOlsClassEffects, type OlsClassEffectsFit } from './ols';
import type { ClassEffectMethod } from './expand';

/** A table mapping each LCA row's assessment_id to its row number (as `class`), for the unit builders' `classes` option. */
export function lcaRowClasses(lcaTable: TableLike): aq.ColumnTable {
  const ids = lcaTable.array('assessment_id') as ArrayLike<unknown>;
  return aq.table({ assessment_id: Array.from(ids), class: Int32Array.from({ length: ids.length }, (_, i) => i) });
}

/**
 * A unit table linked with `lcaRowClasses` (its `column` holds each unit's LCA row, or null) made
 * ready for both uses of the class: `rowColumn` gets the LCA row (for the posterior, BCH) and
 * `column` the modal class label of that row, numbered as modalClassTable numbers them ('01. …').
 * One linkage then serves the descriptive tables and the class-effect models. Failure: throws,
 * naming the table row, when a row number is not a row of the LCA fit.
 */
export function withModalClass(table: aq.ColumnTable, fit: { modal: ArrayLike<number> }, classNames: readonly string[],
  column = 'demand_class', rowColumn = 'lca_row'): aq.ColumnTable {
  const rows = table.array(column) as ArrayLike<unknown>;
  const n = rows.length;
  const lcaRow = new Array<number | null>(n);
  const label = new Array<string | null>(n);
  const names = classNames.map((l, k) => `${String(k + 1).padStart(2, '0')}. ${l}`);
  for (let i = 0; i < n; i++) {
    const v = rows[i];
    if (v === null || v === undefined) { lcaRow[i] = null; label[i] = null; continue; }
    const r = Number(v);
    if (!Number.isInteger(r) || r < 0 || r >= fit.modal.length) throw new Error(`withModalClass: '${column}' at table row ${i + 1} is ${String(v)}, not a row of the LCA fit (0..${fit.modal.length - 1})`);
    lcaRow[i] = r;
    label[i] = names[fit.modal[r]];
  }
  return table.assign(aq.table({ [rowColumn]: lcaRow, [column]: label }));
}

export interface ClassEffectsTableSpec {
  /** Cox: `Surv(time, event) ~ x + … + strata(la) + cluster(child_id)`; OLS: `y ~ x + …`. No class term. */
  formula: string;
  factors?: FactorsInput;
  reference?: Record<string, string>;
  levels?: Record<string, string[]>;
  /** Column holding each unit's row in the LCA matrix (missing: no class; the row is dropped). */
  lcaRow: string;
  /** The LCA model (posterior over its rows) and class labels. */
  fit: LcaFit;
  classLabels: string[];
  method: ClassEffectMethod;
  /** Reference class, 0-based (default 0, the largest). */
  referenceClass?: number;
  /** OLS only: cluster column for the sandwich (default: each unit). */
  cluster?: string;
  ties?: CoxTies;
  /** Cox only: progress of the Newton iterations (fitCox's onProgress). */
  onProgress?: ProgressCallback;
}

type WithDesign<T> = T & { readonly design: Design; readonly rowIndex: Int32Array; readonly nInput: number; readonly nDropped: number };

function prepared(table: TableLike, spec: ClassEffectsTableSpec, rhs: string, extra: string[], who: string) {
  const { factors, reference } = normaliseFactors(spec.factors, spec.reference, who);
  const design0 = buildDesign(table, { formula: `~ ${rhs}`, levels: spec.levels, reference, factors }, { intercept: true, extraColumns: [spec.lcaRow, ...extra], response: false });
  const K = spec.fit.nClasses;
  const ref = spec.referenceClass ?? 0;
  const n = design0.n;
  const post = spec.fit.posterior.data;
  const sub = new Float64Array(n * K);
  const rows = design0.extra[spec.lcaRow];
  for (let i = 0; i < n; i++) {
    const r = Number(rows[i]);
    if (!Number.isInteger(r) || r < 0 || r >= spec.fit.nRows) throw new Error(`${who}: ${spec.lcaRow} at table row ${design0.rowIndex[i] + 1} is ${String(rows[i])}, not a row of the LCA matrix (0..${spec.fit.nRows - 1})`);
    for (let k = 0; k < K; k++) sub[i * K + k] = post[r * K + k];
  }
  const keep: number[] = [];
  design0.names.forEach((nm, j) => { if (nm !== '(Intercept)') keep.push(j); });
  const p = keep.length;
  const pAll = design0.x.ncol;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) x[i * p + k] = design0.x.data[i * pAll + keep[k]];
  const levels = [spec.classLabels[ref], ...spec.classLabels.filter((_, k) => k !== ref)];
  // The class as a factor in the design, so model tables group its terms under one heading.
  const design: Design = { ...design0, factors: { ...design0.factors, class: { column: 'class', levels, reference: levels[0] } } };
  const posterior: DenseMatrix = { nrow: n, ncol: K, data: sub };
  return { design, posterior, x: p > 0 ? { nrow: n, ncol: p, data: x } : null, names: keep.map((j) => design0.names[j]), ref };
}

function numeric(design: Design, col: string, who: string): Float64Array {
  return Float64Array.from(design.extra[col], (v, i) => {
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`${who}: column '${col}' is not numeric at table row ${design.rowIndex[i] + 1} (${String(v)})`);
    return x;
  });
}

/** Cox model of `formula` plus the demand class (modal or BCH). Rows missing any used column are dropped (design.dropped). */
export function coxClassEffects(table: TableLike, spec: ClassEffectsTableSpec): WithDesign<CoxClassEffectsFit> {
  const f = parseFormula(spec.formula);
  const cols = f.responseColumns;
  if (!f.response || !/^Surv\(/.test(f.response) || cols.length !== 2) throw new Error(`coxClassEffects: the response must be Surv(time, event) (got ${f.response ?? 'none'})`);
  const strata: string[] = [];
  let cluster: string | undefined;
  for (const s of f.specials) {
    if (s.kind === 'strata') strata.push(...s.columns);
    else if (s.kind === 'cluster') cluster = s.columns[0];
    else throw new Error(`coxClassEffects: ${s.kind}() is not supported`);
  }
  const rhs = spec.formula.slice(spec.formula.indexOf('~') + 1);
  const pr = prepared(table, spec, rhs, [cols[0], cols[1], ...strata, ...(cluster ? [cluster] : [])], 'coxClassEffects');
  const d = pr.design;
  const fit = fitCoxClassEffects({
    time: numeric(d, cols[0], 'coxClassEffects'), event: numeric(d, cols[1], 'coxClassEffects'), x: pr.x, names: pr.names,
    strata: strata.length ? Array.from({ length: d.n }, (_, i) => strata.map((s) => String(d.extra[s][i])).join(', ')) : undefined,
    cluster: cluster ? (d.extra[cluster] as Array<string | number>) : undefined,
    posterior: pr.posterior, method: spec.method, reference: pr.ref, classNames: spec.classLabels, ties: spec.ties,
    onProgress: spec.onProgress,
  });
  return Object.freeze({ ...fit, design: d, rowIndex: d.rowIndex, nInput: d.nInput, nDropped: d.dropped.total });
}

/** Linear model of `formula` plus the demand class (modal or BCH), cluster-robust on `cluster` (default: each unit). */
export function olsClassEffects(table: TableLike, spec: ClassEffectsTableSpec): WithDesign<OlsClassEffectsFit> {
  const f = parseFormula(spec.formula);
  if (!f.response || f.responseColumns.length !== 1) throw new Error(`olsClassEffects: the formula needs a response column (got ${f.response ?? 'none'})`);
  if (f.specials.length) throw new Error('olsClassEffects: give the cluster as the cluster option, not in the formula');
  const y = f.responseColumns[0];
  const rhs = spec.formula.slice(spec.formula.indexOf('~') + 1);
  const pr = prepared(table, spec, rhs, [y, ...(spec.cluster ? [spec.cluster] : [])], 'olsClassEffects');
  const d = pr.design;
  const fit = fitOlsClassEffects({
    y: numeric(d, y, 'olsClassEffects'), x: pr.x, names: pr.names,
    cluster: spec.cluster ? (d.extra[spec.cluster] as Array<string | number>) : undefined,
    posterior: pr.posterior, method: spec.method, reference: pr.ref, classNames: spec.classLabels,
  });
  // The fit keeps the design's bookkeeping (factors, dropped rows), not its n × p matrix or columns.
  const { x: _x, extra: _extra, ...kept } = d;
  void _x; void _extra;
  const design = { ...kept, extra: Object.freeze({}) } as Design;
  Object.defineProperty(design, 'x', { enumerable: false, get(): never { throw new Error('olsClassEffects: the design matrix is not kept with the fit (memory)'); } });
  Object.freeze(design);
  return Object.freeze({ ...fit, design, rowIndex: d.rowIndex, nInput: d.nInput, nDropped: d.dropped.total });
}
