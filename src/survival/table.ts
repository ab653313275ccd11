// Table-level wrappers for notebooks: an arquero table (or anything TableLike) + a plain-data spec.
// The design matrix comes from the shared formula layer (src/formula), built with an intercept that is
// then dropped, so factors get treatment contrasts exactly as coxph's model matrix.
import type { ProgressCallback } from '../core/progress';
import { buildDesign, normaliseFactors, parseFormula, type Design, type FactorsInput, type TableLike } from '../formula/index';
import { extendCoxFit, fitCox, type CoxFit } from './cox';
import type { CoxTies } from './coxcore';
import { isMissing } from '../core/missing';
import { kaplanMeier, type ConfType, type KmResult } from './km';

export interface CoxTableSpec {
  /**
   * R-style formula: `Surv(time, event) ~ age + sex + strata(la) + cluster(child)`, or
   * `Surv(start, stop, event) ~ ...` for counting-process data. Alternatively give
   * time/event/entry and covariates below.
   */
  formula?: string;
  time?: string;
  event?: string;
  entry?: string;
  covariates?: string[];
  /** Factor columns as a list, or column → reference level (null: first level); the same two forms every model takes. */
  factors?: FactorsInput;
  /** Reference level per factor (as for ols/logit). */
  reference?: Record<string, string>;
  /** Level order per factor column. */
  levels?: Record<string, string[]>;
  strata?: string | string[];
  cluster?: string;
  weights?: string;
  ties?: CoxTies;
  eps?: number;
  iterMax?: number;
  /** Progress of the Newton iterations (notebooks: progressDisplay('Cox')). */
  onProgress?: ProgressCallback;
}

/** A Cox fit from a table: the CoxFit itself plus its design and row bookkeeping. */
export type CoxTableFit = CoxFit & {
  readonly design: Design;
  /** Input-table row index of each row used in the fit. */
  readonly rowIndex: Int32Array;
  /** Input rows, and rows dropped for missing or non-finite values (by column in design.dropped). */
  readonly nInput: number;
  readonly nDropped: number;
  /** The table-level spec (formula, factors, ...), beside the fit's numeric options. */
  readonly tableSpec: Readonly<CoxTableSpec>;
};

function survColumns(spec: CoxTableSpec): { time: string; event: string; entry?: string; rhs: string; strata: string[]; cluster?: string } {
  const strata = spec.strata === undefined ? [] : Array.isArray(spec.strata) ? spec.strata.slice() : [spec.strata];
  let cluster = spec.cluster;
  if (spec.formula) {
    const f = parseFormula(spec.formula);
    const cols = f.responseColumns;
    if (!f.response || !/^Surv\(/.test(f.response) || (cols.length !== 2 && cols.length !== 3)) {
      throw new Error(`cox: the formula's response must be Surv(time, event) or Surv(start, stop, event) (got ${f.response ?? 'none'})`);
    }
    for (const s of f.specials) {
      if (s.kind === 'strata') strata.push(...s.columns);
      else if (s.kind === 'cluster') {
        if (s.columns.length !== 1) throw new Error('cox: cluster() takes one column');
        cluster = s.columns[0];
      } else throw new Error(`cox: ${s.kind}() is not supported`);
    }
    const rhs = spec.formula.slice(spec.formula.indexOf('~') + 1);
    return cols.length === 2
      ? { time: cols[0], event: cols[1], rhs, strata, cluster }
      : { entry: cols[0], time: cols[1], event: cols[2], rhs, strata, cluster };
  }
  if (!spec.time || !spec.event) throw new Error('cox: give a formula, or time and event column names');
  if (!spec.covariates || spec.covariates.length === 0) throw new Error('cox: covariates is empty');
  return { time: spec.time, event: spec.event, entry: spec.entry, rhs: spec.covariates.map((c) => (/^[A-Za-z.][A-Za-z0-9_.]*$/.test(c) ? c : `\`${c}\``)).join(' + '), strata, cluster };
}

/**
 * Cox model from a table. Rows with a missing value in any used column are dropped (counts in
 * design.dropped). Factors use treatment contrasts with the given reference levels.
 */
export function cox(table: TableLike, spec: CoxTableSpec): CoxTableFit {
  const sc = survColumns(spec);
  const { factors: factorCols, reference } = normaliseFactors(spec.factors, spec.reference, 'cox');
  const extraColumns = [sc.time, sc.event, ...(sc.entry ? [sc.entry] : []), ...sc.strata, ...(sc.cluster ? [sc.cluster] : []), ...(spec.weights ? [spec.weights] : [])];
  // Build with an intercept (then drop it) so factors are coded as in R's coxph.
  const design = buildDesign(table, {
    formula: `~ ${sc.rhs}`,
    levels: spec.levels,
    reference,
    factors: factorCols,
  }, { intercept: true, extraColumns, response: false });
  const keep: number[] = [];
  design.names.forEach((nm, j) => { if (nm !== '(Intercept)') keep.push(j); });
  const p = keep.length;
  if (p === 0) throw new Error('cox: no covariate columns left after building the design');
  const pAll = design.x.ncol;
  const data = new Float64Array(design.n * p);
  for (let i = 0; i < design.n; i++) for (let k = 0; k < p; k++) data[i * p + k] = design.x.data[i * pAll + keep[k]];
  const names = keep.map((j) => design.names[j]);
  // Multi-column terms (factors, polynomials) are grouped for coxZph.
  const terms: Record<string, string[]> = {};
  keep.forEach((j) => {
    const a = design.assign[j];
    const label = design.terms[a - 1];
    (terms[label] ??= []).push(design.names[j]);
  });
  const num = (col: string) => Float64Array.from(design.extra[col], (v, i) => {
    const x = typeof v === 'boolean' ? Number(v) : Number(v);
    if (!Number.isFinite(x)) throw new Error(`cox: column '${col}' is not numeric at table row ${design.rowIndex[i]} (${String(v)})`);
    return x;
  });
  let strata: string[] | undefined;
  if (sc.strata.length) {
    strata = Array.from({ length: design.n }, (_, i) => sc.strata.map((s) => String(design.extra[s][i])).join(', '));
  }
  const fit = fitCox({
    time: num(sc.time),
    event: num(sc.event),
    entry: sc.entry ? num(sc.entry) : undefined,
    x: { nrow: design.n, ncol: p, data },
    names,
    terms,
    strata,
    cluster: sc.cluster ? (design.extra[sc.cluster] as Array<string | number>) : undefined,
    weights: spec.weights ? num(spec.weights) : undefined,
    ties: spec.ties,
    eps: spec.eps,
    iterMax: spec.iterMax,
    onProgress: spec.onProgress,
  });
  return extendCoxFit(fit, {
    design, rowIndex: design.rowIndex, nInput: design.nInput, nDropped: design.dropped.total, tableSpec: Object.freeze({ ...spec }),
  });
}

export interface KmTableSpec {
  time: string;
  event: string;
  group?: string;
  weights?: string;
  /** IJ (robust) SE instead of Greenwood; default: true iff the weights are non-integer (R's survfit). */
  robust?: boolean;
  confType?: ConfType;
  confLevel?: number;
}

/** Kaplan–Meier curves from a table; rows with a missing time, event or group are dropped. */
export function km(table: TableLike, spec: KmTableSpec): KmResult & { readonly dropped: number } {
  const n = table.numRows();
  const cols = table.columnNames();
  for (const c of [spec.time, spec.event, spec.group, spec.weights]) {
    if (c !== undefined && !cols.includes(c)) throw new Error(`km: column '${c}' is not in the table (columns: ${cols.join(', ')})`);
  }
  const t = table.array(spec.time);
  const e = table.array(spec.event);
  const g = spec.group ? table.array(spec.group) : null;
  const w = spec.weights ? table.array(spec.weights) : null;
  const time: number[] = [];
  const event: number[] = [];
  const group: string[] = [];
  const weights: number[] = [];
  let dropped = 0;
  const missing = isMissing;
  for (let i = 0; i < n; i++) {
    if (missing(t[i]) || missing(e[i]) || (g && missing(g[i])) || (w && missing(w[i]))) {
      dropped++;
      continue;
    }
    time.push(Number(t[i]));
    event.push(typeof e[i] === 'boolean' ? Number(e[i]) : Number(e[i]));
    if (g) group.push(String(g[i]));
    if (w) weights.push(Number(w[i]));
  }
  const res = kaplanMeier({ time, event, group: g ? group : undefined, weights: w ? weights : undefined, robust: spec.robust, confType: spec.confType, confLevel: spec.confLevel });
  return Object.freeze({ ...res, dropped });
}
