/**
 * Table-level wrappers for notebooks: formula/spec + arquero table → fitted model that carries
 * its spec, row bookkeeping and (for margins) its design. Side-by-side nested specifications
 * (`stages`) are in ./stages.
 */
import { buildDesign, splitAbsorb, normaliseFactors, toModelSpec, type FactorsInput, type Design, type DesignDropped, type ModelSpec, type SpecInput, type TableLike } from '../formula/index';
import { tidyRows, type FitBase, type TidyRow, type VcovType } from './fitBase';
import { fitLmm, type LmmFit } from './lmm';
import { splitRandomSlopes, type LmmSlopesFit } from './lmmSlopes';
import { fitLogit, type LogitFit, type LogitVcovType } from './logit';
import { fitOls, type OlsFit } from './ols';

/** Options every table-level fit takes: the confidence level and the factor settings merged into the spec. */
export interface TableSpecOptions {
  readonly level?: number;
  /** Merged into the spec (level orders / references / numeric factors). */
  readonly levels?: Readonly<Record<string, readonly string[]>>;
  readonly reference?: Readonly<Record<string, string>>;
  /** Factor columns, as a list or as column → reference level (the form cox takes). */
  readonly factors?: FactorsInput;
}

export interface TableFitOptions extends TableSpecOptions {
  readonly vcov?: VcovType;
  /** Column holding cluster ids (required for vcov 'cluster'). */
  readonly cluster?: string;
  readonly clusterType?: 'HC0' | 'HC1';
  /** Column holding weights. */
  readonly weights?: string;
}

export interface LmmTableOptions extends TableSpecOptions {
  /** Grouping columns outer → inner, e.g. ['la'] or ['la', 'school']; or write `(1 | la/school)` in the formula. */
  readonly groups?: readonly string[];
  readonly reml?: boolean;
}

/** What every table-level fit adds to its matrix-level result. */
export interface TableFitInfo {
  readonly spec: ModelSpec;
  readonly response: string | null;
  readonly terms: readonly string[];
  /** Rows of the input table, rows used, and rows dropped by reason. */
  readonly nInput: number;
  readonly dropped: DesignDropped;
  /** Columns dropped as collinear (NA coefficients in R), from the design or the fit. */
  readonly collinear: readonly string[];
  /** All design columns in R's order (collinear included). */
  readonly allNames: readonly string[];
  readonly fitOptions: Readonly<Record<string, unknown>>;
}

export type TableOlsFit = OlsFit & TableFitInfo;
export type TableLogitFit = LogitFit & TableFitInfo;
/** A table-level LMM; a `(1 + z | g)` formula also gives the random-slope fields of LmmSlopesFit. */
export type TableLmmFit = LmmFit & Partial<Pick<LmmSlopesFit, 'randomTerms' | 'randomCovariance' | 'randomSd' | 'randomCorrelation'>> & TableFitInfo;
export type TableFit = TableOlsFit | TableLogitFit | TableLmmFit;

/** Hidden links from a table fit to its design and table (used by `margins`). */
const fitContext = new WeakMap<object, { design: Design; table: TableLike }>();
/** The design and table a table-level fit (ols, logit, lmm) was built from, or undefined for a matrix-level fit. */
export function getFitContext(fit: object): { design: Design; table: TableLike } | undefined {
  return fitContext.get(fit);
}

function mergeSpec(spec: SpecInput, o: { levels?: Record<string, readonly string[]>; reference?: Record<string, string>; factors?: FactorsInput }): ModelSpec {
  const s = toModelSpec(spec);
  const f = normaliseFactors(o.factors, o.reference, 'options');
  return Object.freeze({
    ...s,
    levels: o.levels ? { ...(s.levels ?? {}), ...o.levels } : s.levels,
    reference: o.reference || o.factors ? { ...(s.reference ?? {}), ...f.reference } : s.reference,
    factors: o.factors ? Array.from(new Set([...(s.factors ?? []), ...f.factors])) : s.factors,
  });
}

/** Warnings the design adds to a fit: unused factor levels dropped (rows dropped are in `dropped`). */
function designWarnings(design: Design, what: string): string[] {
  const out: string[] = [];
  for (const [f, lv] of Object.entries(design.unusedLevels)) {
    out.push(`${what}: factor '${f}' has no rows at level${lv.length > 1 ? 's' : ''} ${lv.join(', ')}; dropped as R's model.frame does (reference: '${design.factors[f].reference}')`);
  }
  return out;
}

/**
 * Special formula terms: cluster(g) gives the cluster ids; any other special (strata(), offset(),
 * (1 | g)) is not part of this model and is an error naming the model and the term.
 */
function clusterFromSpecials(d: Design, what: string, allowed: readonly string[] = ['cluster']): string | undefined {
  let cluster: string | undefined;
  for (const sp of d.specials) {
    if (!allowed.includes(sp.kind)) throw new Error(`${what}: the formula term '${sp.label}' is not supported by ${what} (${sp.kind === 'random' ? 'use lmm for random effects' : sp.kind === 'strata' || sp.kind === 'frailty' ? `${sp.kind}() is a Cox model term` : 'offsets are not supported here'})`);
    if (sp.kind === 'cluster') cluster = sp.columns[0];
  }
  return cluster;
}

function wrap<T extends FitBase>(fit: T, design: Design, table: TableLike, fitOptions: Record<string, unknown>, shownSpec?: ModelSpec): T & TableFitInfo {
  const collinear = Array.from(new Set([...design.collinear, ...fit.aliased]));
  // The methods below must not close over `design`: it holds the n × p matrix and the extra
  // columns, which every kept fit would then keep alive (GBs at national size).
  const { allNames, nInput } = design;
  const out = {
    ...fit,
    warnings: Object.freeze([...designWarnings(design, String(fitOptions.model)), ...fit.warnings]),
    spec: shownSpec ?? design.spec,
    response: design.response,
    terms: design.terms,
    nInput: design.nInput,
    dropped: design.dropped,
    collinear: Object.freeze(collinear),
    allNames: design.allNames,
    fitOptions: Object.freeze({ ...fitOptions }),
    summary(): TidyRow[] { return tidyRows(fit, collinear, allNames); },
    tidy(): TidyRow[] { return tidyRows(fit, collinear, allNames); },
    glance(): TidyRow { return { ...fit.glance(), 'n.input': nInput, 'n.dropped': out.dropped.total }; },
  } as T & TableFitInfo;
  Object.freeze(out);
  fitContext.set(out, { design: slimDesign(design), table });
  return out;
}

/**
 * The design kept with a fit for `margins` and the report adapter: everything but the n × p matrix,
 * the response and the extra columns (at national size these were ~1 GB per fit, and a notebook
 * keeps a dozen fits). margins rebuilds what it needs from the table (rebuildDesign).
 */
function slimDesign(d: Design): Design {
  const { x: _x, y: _y, extra: _extra, ...rest } = d;
  void _x; void _y; void _extra;
  const slim = { ...rest, extra: Object.freeze({}) };
  Object.defineProperty(slim, 'x', {
    enumerable: false,
    get(): never {
      throw new Error('the design matrix is not kept with a table fit (memory); rebuild it with rebuildDesign(design, table)');
    },
  });
  return Object.freeze(slim) as Design;
}

function needResponse(d: Design, what: string): Float64Array {
  if (!d.y) throw new Error(`${what}: formula '${d.spec.formula}' has no numeric response`);
  return d.y;
}

/**
 * Design for a single-level GLM-type fit on a table, plus the fit inputs ols and logit share
 * (columns, cluster ids, weights, level). Collinearity is left to the fitter (QR / IRLS), saving
 * a pass over X.
 */
function glmDesign(table: TableLike, spec: SpecInput, options: TableFitOptions | Omit<TableFitOptions, 'vcov'>, what: string) {
  const s0 = mergeSpec(spec, options);
  const sa = splitAbsorb(s0.formula);
  if (sa.absorb.length > 1) throw new Error(`${what}: one absorbed fixed effect is supported ('| ${sa.absorb.join(' + ')}' names ${sa.absorb.length})`);
  if (sa.absorb.length && what !== 'ols') throw new Error(`${what}: absorbed fixed effects ('| ${sa.absorb[0]}') are supported for ols only`);
  const s = sa.absorb.length ? Object.freeze({ ...s0, formula: sa.formula }) : s0;
  const extra = [options.cluster, options.weights, ...sa.absorb].filter((c): c is string => !!c);
  const d0 = buildDesign(table, s, { extraColumns: extra, checkCollinear: false, dropUnusedLevels: true });
  // The absorbed effects contain the intercept, which is then not a coefficient.
  const d: Design = sa.absorb.length ? { ...d0, spec: s0, allNames: d0.allNames.filter((nm) => nm !== '(Intercept)') } : d0;
  const fromFormula = clusterFromSpecials(d, what);
  if (fromFormula && options.cluster && fromFormula !== options.cluster) {
    throw new Error(`${what}: the formula has cluster(${fromFormula}) but options.cluster is '${options.cluster}'; give one`);
  }
  const clusterCol = options.cluster ?? fromFormula;
  const inputs = {
    y: needResponse(d, what), x: d.x, names: d.names,
    cluster: clusterCol ? d.extra[clusterCol] : undefined,
    clusterType: options.clusterType,
    weights: options.weights ? (d.extra[options.weights] as number[]) : undefined,
    level: options.level,
    absorb: sa.absorb.length ? d.extra[sa.absorb[0]] : undefined,
  };
  // cluster(g) in the formula asks for the cluster-robust variance, as coxph's cluster() does.
  const vcovDefault = fromFormula ? ('cluster' as const) : undefined;
  return { d, inputs, vcovDefault };
}

/** OLS on a table: `ols(table, 'att8 ~ csc_group * fsm + sex', { vcov: 'cluster', cluster: 'la' })`. */
export function ols(table: TableLike, spec: SpecInput, options: TableFitOptions = {}): TableOlsFit {
  const { d, inputs, vcovDefault } = glmDesign(table, spec, options, 'ols');
  return wrap(fitOls({ ...inputs, vcov: options.vcov ?? vcovDefault }), d, table, { ...options, model: 'ols' });
}

/** Logistic regression on a table; the response must be 0/1 or boolean. */
export function logit(table: TableLike, spec: SpecInput, options: Omit<TableFitOptions, 'vcov'> & { vcov?: LogitVcovType } = {}): TableLogitFit {
  const { d, inputs, vcovDefault } = glmDesign(table, spec, options, 'logit');
  return wrap(fitLogit({ ...inputs, vcov: options.vcov ?? vcovDefault }), d, table, { ...options, model: 'logit' });
}

/** Extracts `(1 | g)` / `(1 | outer/inner)` random-intercept terms from a formula string. */
export function splitRandomIntercepts(formula: string): { fixed: string; groups: string[] } {
  const re = /\+?\s*\(\s*1\s*\|\s*([^)]+?)\s*\)/g;
  const groups: string[] = [];
  const fixed = formula.replace(re, (_m, g: string) => {
    groups.push(...g.split('/').map((s) => s.trim()));
    return '';
  }).replace(/~\s*\+/, '~').trim();
  if (/\|/.test(fixed)) throw new Error(`formula '${formula}': only random intercepts (1 | g) or (1 | outer/inner) are supported`);
  return { fixed: /~\s*$/.test(fixed) ? `${fixed} 1` : fixed, groups };
}

/** Random-intercept LMM on a table: `lmm(t, 'ks2 ~ csc_group + fsm + (1 | la/school)', { reml: true })`. */
export function lmm(table: TableLike, spec: SpecInput, options: LmmTableOptions = {}): TableLmmFit {
  const s0 = mergeSpec(spec, options);
  const rs = splitRandomSlopes(s0.formula);
  const { fixed, groups: fromFormula } = splitRandomIntercepts(rs ? rs.formula : s0.formula);
  const groups = options.groups ?? (rs ? [rs.group, ...fromFormula] : fromFormula);
  if (rs && groups.length !== 1) throw new Error('lmm: a random-slope term (1 + z | g) takes one grouping level and no other random terms');
  if (!groups.length) throw new Error("lmm: give grouping columns, e.g. { groups: ['la'] } or '(1 | la)' in the formula");
  if (groups.length > 2) throw new Error('lmm: at most two nested grouping levels are supported');
  const s = Object.freeze({ ...s0, formula: fixed });
  const d = buildDesign(table, s, { extraColumns: [...groups, ...(rs ? rs.slopes : [])], dropUnusedLevels: true });
  clusterFromSpecials(d, 'lmm', []);
  // One typed column per slope (one row-array per pupil would be millions of small objects at national size).
  const slopeColumns = rs ? rs.slopes.map((z) => Float64Array.from(d.extra[z], (raw, i) => {
    const v = Number(raw);
    if (!Number.isFinite(v)) throw new Error(`lmm: random-slope column '${z}' is not numeric at table row ${d.rowIndex[i] + 1}`);
    return v;
  })) : undefined;
  const randomSlopes = slopeColumns ? (slopeColumns.length === 1 ? slopeColumns[0] : Array.from({ length: d.n }, (_, i) => slopeColumns.map((c) => c[i]))) : undefined;
  const fit = fitLmm({
    y: needResponse(d, 'lmm'), x: d.x, names: d.names,
    groups: groups.map((g) => d.extra[g]), groupNames: groups, reml: options.reml, level: options.level,
    ...(rs ? { groups: d.extra[groups[0]], randomSlopes, randomSlopeNames: rs.slopes } : {}),
  });
  return wrap(fit, d, table, { ...options, groups, model: 'lmm' }, s0);
}
