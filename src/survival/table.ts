// Table-level wrappers for notebooks: an arquero table (or anything TableLike) + a plain-data spec.
// The design matrix comes from the shared formula layer (src/formula), built with an intercept that is
// then dropped, so factors get treatment contrasts exactly as coxph's model matrix.
import type { ProgressCallback } from '../core/progress';
import { buildDesign, normaliseFactors, parseFormula, type Design, type Expr, type FactorsInput, type SpecialKind, type TableLike } from '../formula/index';
import { extendCoxFit, fitCox, type CoxFit } from './cox';
import { fitCoxFrailty, type CoxFrailtyFit } from './frailty';
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

/** Design and row bookkeeping every table-level survival fit (cox, finegray) carries beside its numbers. */
export interface TableFitInfo<S> {
  readonly design: Design;
  /** Input-table row index of each row used in the fit. */
  readonly rowIndex: Int32Array;
  /** Input rows, and rows dropped for missing or non-finite values (by column in design.dropped). */
  readonly nInput: number;
  readonly nDropped: number;
  /** The table-level spec (formula, factors, ...), beside the fit's numeric options (a frozen copy). */
  readonly tableSpec: Readonly<S>;
}

/** The TableFitInfo of a fit built from `design` with table-level spec `spec`. */
export function tableFitInfo<S extends object>(design: Design, spec: S): TableFitInfo<S> {
  return { design, rowIndex: design.rowIndex, nInput: design.nInput, nDropped: design.dropped.total, tableSpec: Object.freeze({ ...spec }) };
}

/** A Cox fit from a table: the CoxFit itself plus its design and row bookkeeping. */
export type CoxTableFit = CoxFit & TableFitInfo<CoxTableSpec>;

/** A frailty(g, distribution = 'gamma', theta = θ) term, read from the formula. */
export interface FrailtyTerm { readonly column: string; readonly theta?: number }

interface SurvColumns { time: string; event: string; entry?: string; rhs: string; strata: string[]; cluster?: string; frailty?: FrailtyTerm }

function frailtyTerm(s: { label: string; expr: Expr; columns: readonly string[] }, who: string): FrailtyTerm {
  if (s.columns.length !== 1 || s.expr.k !== 'call' || s.expr.args.length !== 1) throw new Error(`${who}: ${s.label} takes one grouping column, e.g. frailty(la)`);
  let theta: number | undefined;
  for (const [k, v] of s.expr.named) {
    if (k === 'distribution') {
      if (v.k !== 'str' || v.v !== 'gamma') throw new Error(`${who}: ${s.label}: only distribution = 'gamma' is supported`);
    } else if (k === 'theta') {
      if (v.k !== 'num') throw new Error(`${who}: ${s.label}: theta must be a number`);
      theta = v.v;
    } else throw new Error(`${who}: ${s.label}: unknown argument '${k}' (supported: distribution = 'gamma', theta)`);
  }
  return { column: s.columns[0], theta };
}

/** Splits a survival formula into the response columns, right-hand side and the specials `allowed` for model `who`. */
function survColumns(spec: CoxTableSpec, who: string, allowed: readonly SpecialKind[]): SurvColumns {
  const strata = spec.strata === undefined ? [] : Array.isArray(spec.strata) ? spec.strata.slice() : [spec.strata];
  let cluster = spec.cluster;
  let frailty: FrailtyTerm | undefined;
  if (spec.formula) {
    const f = parseFormula(spec.formula);
    const cols = f.responseColumns;
    if (!f.response || !/^Surv\(/.test(f.response) || (cols.length !== 2 && cols.length !== 3)) {
      throw new Error(`${who}: the formula's response must be Surv(time, event) or Surv(start, stop, event) (got ${f.response ?? 'none'})`);
    }
    for (const s of f.specials) {
      if (!allowed.includes(s.kind)) throw new Error(`${who}: the formula term '${s.label}' is not supported by ${who}`);
      if (s.kind === 'strata') strata.push(...s.columns);
      else if (s.kind === 'cluster') {
        if (s.columns.length !== 1) throw new Error(`${who}: cluster() takes one column`);
        cluster = s.columns[0];
      } else if (s.kind === 'frailty') {
        if (frailty) throw new Error(`${who}: only one frailty() term is supported`);
        frailty = frailtyTerm(s, who);
      }
    }
    const rhs = spec.formula.slice(spec.formula.indexOf('~') + 1);
    return cols.length === 2
      ? { time: cols[0], event: cols[1], rhs, strata, cluster, frailty }
      : { entry: cols[0], time: cols[1], event: cols[2], rhs, strata, cluster, frailty };
  }
  if (!spec.time || !spec.event) throw new Error(`${who}: give a formula, or time and event column names`);
  if (!spec.covariates || spec.covariates.length === 0) throw new Error(`${who}: covariates is empty`);
  return { time: spec.time, event: spec.event, entry: spec.entry, rhs: spec.covariates.map((c) => (/^[A-Za-z.][A-Za-z0-9_.]*$/.test(c) ? c : `\`${c}\``)).join(' + '), strata, cluster };
}

/** The design and typed columns of a survival model on a table (shared by cox and finegray). */
export interface SurvTableInputs {
  readonly sc: SurvColumns;
  readonly design: Design;
  readonly x: { nrow: number; ncol: number; data: Float64Array };
  readonly names: string[];
  readonly terms: Record<string, string[]>;
  num(col: string): Float64Array;
  strata(): string[] | undefined;
}

/**
 * The design and typed columns of a survival model on a table (shared by cox and finegray):
 * response columns and specials from the formula (only `allowed` specials; any other is an error
 * naming `who` and the term), x without the intercept (n × p, coxph's contrasts), term groups
 * for coxZph, and readers for numeric and strata columns. Errors: bad response, empty design.
 */
export function survTableInputs(table: TableLike, spec: CoxTableSpec, who: string, allowed: readonly SpecialKind[]): SurvTableInputs {
  const sc = survColumns(spec, who, allowed);
  const { factors: factorCols, reference } = normaliseFactors(spec.factors, spec.reference, who);
  const extraColumns = [sc.time, sc.event, ...(sc.entry ? [sc.entry] : []), ...sc.strata, ...(sc.cluster ? [sc.cluster] : []), ...(sc.frailty ? [sc.frailty.column] : []), ...(spec.weights ? [spec.weights] : [])];
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
  if (p === 0) throw new Error(`${who}: no covariate columns left after building the design`);
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
    if (!Number.isFinite(x)) throw new Error(`${who}: column '${col}' is not numeric at table row ${design.rowIndex[i] + 1} (${String(v)})`);
    return x;
  });
  const strata = () => (sc.strata.length
    ? Array.from({ length: design.n }, (_, i) => sc.strata.map((s) => String(design.extra[s][i])).join(', '))
    : undefined);
  return { sc, design, x: { nrow: design.n, ncol: p, data }, names, terms, num, strata };
}

/** A shared-frailty Cox fit from a table: the CoxFrailtyFit plus its design and row bookkeeping. */
export type CoxFrailtyTableFit = CoxFrailtyFit & TableFitInfo<CoxTableSpec> & {
  /** The frailty() term as read from the formula. */
  readonly frailtyTerm: FrailtyTerm;
};

/**
 * The fit type of `cox(table, formula)`: a formula written with `frailty(` gives a CoxFrailtyTableFit.
 * A formula held in a plain `string` variable is typed as CoxTableFit; narrow with `fit.kind`.
 */
export type CoxTableResult<F extends string> = F extends `${string}frailty(${string}` ? CoxFrailtyTableFit : CoxTableFit;

/**
 * Cox model from a table: `cox(t, 'Surv(time, event) ~ x + strata(la) + cluster(child)')` or a
 * CoxTableSpec. Rows with a missing value in any used column are dropped (counts in
 * design.dropped). Factors use treatment contrasts with the given reference levels.
 * `frailty(la)` (optionally `frailty(la, distribution = 'gamma', theta = 0.5)`) fits a shared gamma
 * frailty as R's `coxph(Surv(t, d) ~ x + frailty(la, distribution = "gamma"))`: the fit is then a
 * CoxFrailtyTableFit (kind 'coxph-frailty'). Any other special (offset(), (1 | g)) is an error
 * naming the model and the term.
 */
export function cox<const F extends string>(table: TableLike, spec: F | (CoxTableSpec & { formula: F })): CoxTableResult<F>;
export function cox(table: TableLike, spec: CoxTableSpec): CoxTableFit;
export function cox(table: TableLike, specIn: string | CoxTableSpec): CoxTableFit | CoxFrailtyTableFit {
  const spec: CoxTableSpec = typeof specIn === 'string' ? { formula: specIn } : specIn;
  const t = survTableInputs(table, spec, 'cox', ['strata', 'cluster', 'frailty']);
  const { sc, design, num } = t;
  const input = {
    time: num(sc.time),
    event: num(sc.event),
    entry: sc.entry ? num(sc.entry) : undefined,
    x: t.x,
    names: t.names,
    terms: t.terms,
    strata: t.strata(),
    cluster: sc.cluster ? (design.extra[sc.cluster] as Array<string | number>) : undefined,
    weights: spec.weights ? num(spec.weights) : undefined,
    ties: spec.ties,
    eps: spec.eps,
    iterMax: spec.iterMax,
    onProgress: spec.onProgress,
  };
  const info = tableFitInfo(design, spec);
  if (sc.frailty) {
    if (sc.cluster) throw new Error(`cox: frailty(${sc.frailty.column}) cannot be combined with cluster(${sc.cluster}) (coxph does not allow both)`);
    const fit = fitCoxFrailty({ ...input, frailty: design.extra[sc.frailty.column] as Array<string | number>, frailtyTheta: sc.frailty.theta });
    return Object.freeze({ ...fit, ...info, frailtyTerm: sc.frailty });
  }
  return extendCoxFit(fitCox(input), info);
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
