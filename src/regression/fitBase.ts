/**
 * Shared result shape, tidy summaries and input checks for the regression estimators.
 */
import { pNormTwoSided, pTTwoSided, qNorm, qT } from '../core/distributions';
import { toDense, toRows, type DenseMatrix, type MatrixInput } from '../core/matrix';
import { householderQr } from '../core/qr';
import { degenerateMessage, usableVariance, waldInference } from '../core/guard';
import { selectColumns } from '../core/linalg';

import type { FitProtocol, TidyRow } from '../core/result';

export type { TidyRow } from '../core/result';

export type VcovType = 'classical' | 'HC0' | 'HC1' | 'HC2' | 'HC3' | 'cluster';

/** Inputs every matrix-level regression fitter (fitOls, fitLogit, fitLmm) takes. */
export interface RegressionInputBase {
  readonly y: ArrayLike<number>;
  /** Full design matrix (no implicit intercept), n × p. */
  readonly x: MatrixInput;
  readonly names?: readonly string[];
  /** Confidence level (default 0.95). */
  readonly level?: number;
}

/** Cluster-robust variance inputs of the single-level fitters (fitOls, fitLogit, fitGlm). */
export interface ClusterInput {
  /** Cluster ids per row (any values), required for vcov 'cluster'. */
  readonly cluster?: ArrayLike<unknown>;
  /**
   * sandwich::vcovCL type: 'HC0' (× G/(G−1) only) or 'HC1' (also × (n−1)/(n−k)). The default is
   * vcovCL's for the model: 'HC1' for fitOls (= Stata), 'HC0' for fitLogit and fitGlm.
   */
  readonly clusterType?: 'HC0' | 'HC1';
}

export interface CoefTable {
  /** Names of estimated coefficients (aliased ones excluded). */
  readonly names: readonly string[];
  readonly coef: readonly number[];
  readonly se: readonly number[];
  /** t (OLS, LMM) or z (logit). */
  readonly statistic: readonly number[];
  readonly p: readonly number[];
  readonly ciLow: readonly number[];
  readonly ciHigh: readonly number[];
  /** Row-major p × p covariance of the coefficients, of type `vcovType`. */
  readonly vcov: readonly (readonly number[])[];
  readonly vcovType: string;
  /** Reference distribution of `statistic`: 't' with `dfStatistic` df, or 'z'. */
  readonly statisticDist: 't' | 'z';
  readonly dfStatistic: number;
  readonly level: number;
}

export interface FitBase extends CoefTable, FitProtocol {
  readonly model: 'ols' | 'logit' | 'lmm';
  /** Columns dropped as linearly dependent on earlier ones (R reports NA coefficients). */
  readonly aliased: readonly string[];
  readonly n: number;
  readonly logLik: number;
  readonly aic: number;
  readonly bic: number;
  readonly converged: boolean;
  readonly warnings: readonly string[];
  /** Options the fit was run with (vcov type, weighted, clustered, REML, ...). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly nClusters?: number;
  /** Tidy rows: term, estimate, std.error, statistic, p.value, conf.low, conf.high. */
  summary(): TidyRow[];
  /** Same as vcovType (the protocol's name). */
  readonly varianceType: string;
  /** Matrix-level fits: the options; table fits: the model spec (formula, levels, ...). */
  readonly spec: unknown;
}

/**
 * The coefficient table of a fit from β̂ (p) and its covariance V (p × p, row-major): SE = √diag V,
 * t or z statistics, two-sided p-values (t with `df`, as summary.lm; z as summary.glm) and
 * Wald intervals at `level`. A variance that is zero, negative or not finite gives NaN SE,
 * statistic, p and interval (core/guard waldInference), never SE 0 with p = 0; when `warnings` is
 * given, a warning from `who` names the terms whose variance was zero or infinite (a NaN variance
 * comes from a guard that has already said why).
 */
export function coefTable(names: readonly string[], coef: Float64Array, V: Float64Array, vcovType: string,
  dist: 't' | 'z', df: number, level: number, warnings?: string[], who = 'fit'): CoefTable {
  const p = names.length;
  const se: number[] = []; const stat: number[] = []; const pv: number[] = []; const lo: number[] = []; const hi: number[] = [];
  const crit = dist === 't' ? qT(1 - (1 - level) / 2, df) : qNorm(1 - (1 - level) / 2);
  const bad: string[] = [];
  for (let j = 0; j < p; j++) {
    const v = V[j * p + j];
    if (!usableVariance(v) && !Number.isNaN(v)) bad.push(names[j]);
    const w = waldInference(coef[j], v, crit);
    se.push(w.se);
    stat.push(w.statistic);
    pv.push(dist === 't' ? pTTwoSided(w.statistic, df) : pNormTwoSided(w.statistic));
    lo.push(w.low);
    hi.push(w.high);
  }
  if (bad.length && warnings) warnings.push(degenerateMessage(who, { kind: 'zero-variance', terms: bad }));
  const vcov = toRows(V, p).map((r) => Object.freeze(r) as number[]);
  return {
    names: Object.freeze(names.slice()), coef: Object.freeze(Array.from(coef)), se: Object.freeze(se), statistic: Object.freeze(stat),
    p: Object.freeze(pv), ciLow: Object.freeze(lo), ciHigh: Object.freeze(hi), vcov: Object.freeze(vcov), vcovType,
    statisticDist: dist, dfStatistic: df, level,
  };
}

/** broom::tidy rows (term, estimate, std.error, statistic, p.value, conf.low, conf.high) in `allNames` order, aliased terms as NA rows, as R prints NA coefficients. */
export function tidyRows(t: CoefTable, aliased: readonly string[] = [], allNames?: readonly string[]): TidyRow[] {
  const order = allNames ?? t.names.concat(aliased);
  return order.map((term) => {
    const j = t.names.indexOf(term);
    if (j < 0) return { term, estimate: null, 'std.error': null, statistic: null, 'p.value': null, 'conf.low': null, 'conf.high': null };
    return { term, estimate: t.coef[j], 'std.error': t.se[j], statistic: t.statistic[j], 'p.value': t.p[j], 'conf.low': t.ciLow[j], 'conf.high': t.ciHigh[j] };
  });
}

/** A length-n numeric vector as Float64Array. Errors (1-based row, as R): wrong length, non-finite value, non-positive weight (`positive`), outcome not 0/1 (`binary`). */
export function checkVector(v: ArrayLike<number>, n: number, what: string, opts: { positive?: boolean; binary?: boolean } = {}): Float64Array {
  if (!v || typeof v.length !== 'number') throw new Error(`${what}: expected an array of numbers`);
  if (v.length !== n) throw new Error(`${what}: has length ${v.length}, expected ${n} (rows of x)`);
  const out = v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    const a = out[i];
    if (!Number.isFinite(a)) throw new Error(`${what}: row ${i + 1} is not a finite number (${a})`);
    if (opts.positive && !(a > 0)) throw new Error(`${what}: row ${i + 1} is ${a}; weights must be > 0`);
    if (opts.binary && a !== 0 && a !== 1) throw new Error(`${what}: row ${i + 1} is ${a}; a logit outcome must be 0 or 1`);
  }
  return out;
}

/** A design matrix (n × p) as a DenseMatrix. Errors: wrong row count, or the 1-based row and column of the first non-finite value. */
export function checkDesign(x: MatrixInput, n: number | undefined, what = 'x'): DenseMatrix {
  const m = toDense(x, what, n);
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const r = Math.floor(i / m.ncol); const c = i % m.ncol;
      throw new Error(`${what}: row ${r + 1}, column ${c + 1} is not finite (${d[i]})`);
    }
  }
  return m;
}

/** Coefficient names: the given ones (must be p; the error names `who` when given), else x1..xp. */
export function defaultNames(p: number, names?: readonly string[], who?: string): string[] {
  if (names) {
    if (names.length !== p) throw new Error(`${who ? `${who}: ` : ''}names: has ${names.length} entries, x has ${p} columns`);
    return names.slice();
  }
  return Array.from({ length: p }, (_, j) => `x${j + 1}`);
}

/** Column of the intercept: named '(Intercept)', else the first all-ones column; −1 when there is none. */
export function interceptIndex(x: Float64Array, n: number, p: number, names: readonly string[]): number {
  const byName = names.indexOf('(Intercept)');
  if (byName >= 0) return byName;
  for (let j = 0; j < p; j++) {
    let ok = true;
    for (let i = 0; i < n; i++) if (x[i * p + j] !== 1) { ok = false; break; }
    if (ok && n > 0) return j;
  }
  return -1;
}

/** The full-rank part of a design: kept columns (in their original order), their names and values. */
export interface FullRankDesign {
  /** n × p row-major (the input's own array when nothing is aliased). */
  readonly x: Float64Array;
  readonly p: number;
  readonly kept: readonly number[];
  readonly names: readonly string[];
  /** Names of the columns dropped as linearly dependent on earlier ones. */
  readonly aliased: readonly string[];
}

/**
 * Drops the columns of an n × p0 design that are linearly dependent on earlier ones, by pivoted
 * Householder QR with R's rank rule (as glm.fit does through lm.fit), and pushes R's warning
 * naming them onto `warnings` ("k coefficient(s) not defined because of singularities").
 */
export function fullRankDesign(X: DenseMatrix, allNames: readonly string[], warnings: string[]): FullRankDesign {
  const n = X.nrow; const p0 = X.ncol;
  const qr = householderQr(X.data, n, p0);
  const kept = Array.from(qr.pivot.subarray(0, qr.rank)).sort((a, b) => a - b);
  return keepColumns(X, allNames, kept, warnings);
}

/** The design restricted to `kept` (sorted column indices), with the aliased-columns warning. */
export function keepColumns(X: DenseMatrix, allNames: readonly string[], kept: readonly number[], warnings: string[]): FullRankDesign {
  const n = X.nrow; const p0 = X.ncol;
  const aliased = allNames.filter((_, j) => !kept.includes(j));
  if (aliased.length) warnings.push(aliasedWarning(aliased));
  const p = kept.length;
  return { x: p === p0 ? X.data : selectColumns(X.data, n, p0, kept), p, kept, names: kept.map((j) => allNames[j]), aliased };
}

/** R's summary.lm/glm line for aliased coefficients. */
export function aliasedWarning(aliased: readonly string[]): string {
  return `${aliased.length} coefficient(s) not defined because of singularities: ${aliased.join(', ')}`;
}
