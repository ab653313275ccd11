/**
 * Table-level wrappers for notebooks: formula/spec + arquero table → fitted model that carries
 * its spec, row bookkeeping and (for margins) its design. Also `stages` (side-by-side nested
 * specifications) and the nested-test helpers on table fits.
 */
import { buildDesign, columnValues, splitAbsorb, normaliseFactors, toModelSpec, type FactorsInput, type Design, type DesignDropped, type ModelSpec, type SpecInput, type TableLike } from '../formula/index';
import { tidyRows, type FitBase, type TidyRow, type VcovType } from './fitBase';
import { fitLmm, type LmmFit } from './lmm';
import { splitRandomSlopes, type LmmSlopesFit } from './lmmSlopes';
import { fitLogit, lrTest, type LogitFit, type LogitVcovType } from './logit';
import { anovaNested, fitOls, type OlsFit } from './ols';

export interface TableFitOptions {
  readonly vcov?: VcovType;
  /** Column holding cluster ids (required for vcov 'cluster'). */
  readonly cluster?: string;
  readonly clusterType?: 'HC0' | 'HC1';
  /** Column holding weights. */
  readonly weights?: string;
  readonly level?: number;
  /** Merged into the spec (level orders / references / numeric factors). */
  readonly levels?: Readonly<Record<string, readonly string[]>>;
  readonly reference?: Readonly<Record<string, string>>;
  /** Factor columns, as a list or as column → reference level (the form cox takes). */
  readonly factors?: FactorsInput;
}

export interface LmmTableOptions {
  /** Grouping columns outer → inner, e.g. ['la'] or ['la', 'school']; or write `(1 | la/school)` in the formula. */
  readonly groups?: readonly string[];
  readonly reml?: boolean;
  readonly level?: number;
  readonly levels?: Readonly<Record<string, readonly string[]>>;
  readonly reference?: Readonly<Record<string, string>>;
  /** Factor columns, as a list or as column → reference level (the form cox takes). */
  readonly factors?: FactorsInput;
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

// ---------------------------------------------------------------- stages

export interface StagesOptions {
  /** Key variable(s) whose coefficients are tracked across stages (e.g. 'csc_group'). */
  readonly key?: string | readonly string[];
  readonly model?: 'ols' | 'logit' | 'lmm';
  readonly vcov?: VcovType;
  readonly cluster?: string;
  readonly clusterType?: 'HC0' | 'HC1';
  readonly weights?: string;
  readonly groups?: readonly string[];
  readonly reml?: boolean;
  readonly level?: number;
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
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'NA');
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
    fits.forEach((f, k) => { const v = get(f); row[labels[k]] = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : v; });
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
