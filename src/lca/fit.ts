/**
 * fitLca: the matrix-level API of the latent class engine (poLCA-compatible estimates),
 * plus the result object (fit indices, posteriors, predict, tidy summary).
 */
import type { ProgressCallback } from '../core/progress';
import type { DenseMatrix, MatrixInput } from '../core/matrix';
import { toDense } from '../core/matrix';
import { type EmOptions, type LcaData, type LcaStartMethod, type LcaParams, type StartResult, posteriorAt, runEm } from './em';
import { type LcaRowsInput, codeRows, compressPatterns, prepareLcaData, type PreparedLca } from './prepare';
import { eStepThreads, executeStarts, type WorkerMode } from './parallel';
import { lcaVcov } from './vcov';
import { pNormTwoSided, qNorm } from '../core/distributions';

export interface LcaStartValues {
  /** itemProbs[class][item][category] */
  itemProbs: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>;
  /** default 1/K each */
  shares?: ReadonlyArray<number>;
  /** design columns × (K−1), default 0 */
  beta?: ReadonlyArray<ReadonlyArray<number>>;
}

export interface LcaOptions {
  classes: number;
  /** Called as the starts' phases finish (pre-runs, final runs); never changes the fit. */
  onProgress?: ProgressCallback;
  /** number of random starts (default 10); ignored when startValues is given */
  starts?: number;
  seed?: number;
  /** maximum EM iterations per start (default 5000) */
  maxIter?: number;
  /** stop when the log-likelihood gain of an iteration is ≤ tol (default 1e-10, as poLCA) */
  tol?: number;
  /** optional: stop instead when no parameter moves by more than paramTol in an iteration */
  paramTol?: number;
  /** optional: also stop when the gain is ≤ relTol·|logLik| (e.g. 1e-10 for millions of rows) */
  relTol?: number;
  /**
   * SQUAREM-accelerated EM (default true): the same fixed points as plain EM in far fewer
   * iterations, and on flat likelihoods it does not stall short of the maximum the way plain EM
   * does under a gain rule. With SQUAREM, `tol`/`relTol` apply to the gain of a cycle (three
   * EM maps). false = poLCA's plain EM, iteration for iteration.
   */
  accelerate?: boolean;
  /** case / frequency weights, one per row */
  weights?: ArrayLike<number>;
  /** rows × p concomitant variables; an intercept column is added */
  covariates?: MatrixInput;
  covariateNames?: string[];
  /** start a single EM from these values instead of random starts */
  startValues?: LcaStartValues;
  /**
   * how random starts are drawn: 'seeded' (default: profiles seeded by greedy k-means++ on the
   * response patterns), 'margins' (random distortions of the item margins), 'mixed' (the two
   * alternating), or 'polca' (poLCA's uniform draw)
   */
  startMethod?: LcaStartMethod;
  /** short pre-runs: run every start for `iterations`, continue only the best `keep` */
  preRun?: { iterations: number; keep: number };
  /** worker threads for the starts: 'auto' (default), a number, or false (in-thread) */
  workers?: WorkerMode;
  /**
   * E-step: 'dense'; 'sparse' (per row only the responses that differ from the item's most
   * frequent category); 'blocked' (binary items: one 256-entry table lookup per 8 items);
   * 'auto' (default) picks the cheapest. All give the same numbers up to rounding.
   */
  eStep?: 'auto' | 'dense' | 'sparse' | 'blocked';
  /** categories per item (default: largest observed code + 1) */
  nCategories?: number[];
  itemNames?: string[];
  /** level of each category code per item (recorded by the table-level wrapper `lca`) */
  itemLevels?: Array<Array<string | number | boolean>>;
  /** compress identical response patterns (default true; not used with covariates) */
  compress?: boolean;
  /** keep the log-likelihood at every iteration of the best start (for diagnostics/tests) */
  trace?: boolean;
  /** order classes by share, descending (default true); false keeps the EM's order */
  sortClasses?: boolean;
}

export interface LcaPrediction {
  /** n × K posterior class probabilities (row-major Float64Array) */
  posterior: DenseMatrix;
  /** modal class per row, 0-based */
  modal: Int32Array;
  logLik: number;
}

export interface LcaFit {
  readonly options: Readonly<LcaOptions>;
  readonly nClasses: number;
  readonly nItems: number;
  readonly nCategories: number[];
  readonly itemNames: string[];
  /** itemLevels[j][c] = the value that category code c of item j stands for (table wrapper), or null */
  readonly itemLevels: Array<Array<string | number | boolean>> | null;
  readonly nRows: number;
  /** N used in BIC: the sum of case weights (= number of rows unweighted) */
  readonly N: number;
  readonly nPatterns: number;
  readonly nFullyObserved: number;
  readonly logLik: number;
  readonly nParams: number;
  readonly residDf: number;
  readonly aic: number;
  readonly bic: number;
  readonly sabic: number;
  readonly caic: number;
  /** relative entropy 1 − Σ −τ log τ /(N log K); null for K = 1 */
  readonly entropy: number | null;
  readonly gsq: number;
  readonly chisq: number;
  /** class shares (mean posterior with covariates), classes sorted by share, descending */
  readonly shares: number[];
  /** itemProbs[class][item][category] */
  readonly itemProbs: number[][][];
  /** design columns × (K−1): class k+1 vs class 1 (the largest); null without covariates */
  readonly beta: number[][] | null;
  readonly betaNames: string[] | null;
  /** n × K posterior at the final estimates (row-major Float64Array, built on first access) */
  readonly posterior: DenseMatrix;
  /** modal class per row, 0-based */
  readonly modal: Int32Array;
  /** avgPosterior[a][k]: mean posterior of class k among rows assigned (modally) to class a */
  readonly avgPosterior: number[][];
  /** weighted count of rows modally assigned to each class */
  readonly classCounts: number[];
  readonly converged: boolean;
  readonly iterations: number;
  /** EM iterations over all starts (including pre-runs) */
  readonly totalIterations: number;
  readonly bestLogLikReplicated: { count: number; total: number };
  readonly startLogLiks: number[];
  readonly bestStartIndex: number;
  readonly trace: number[] | null;
  readonly warnings: string[];
  /**
   * 'none' until standard errors are asked for (summary/tidy with se, or lcaVcov), then
   * 'empirical-information' (poLCA's outer-product information).
   */
  readonly varianceType: 'none' | 'empirical-information';
  /** The options the model was fitted with (classes, starts, seed, ...). */
  readonly spec: Readonly<LcaOptions>;
  /** internal numeric state, for the three-step/multi-group modules */
  readonly internal: { params: LcaParams; prepared: PreparedLca; useSparse: boolean };
  predict(newRows: LcaRowsInput, newCovariates?: MatrixInput): LcaPrediction;
  /** Tidy rows (see lcaSummary); `se` as there. */
  summary(options?: LcaSummaryOptions): Array<Record<string, number | string | null>>;
  tidy(options?: LcaSummaryOptions): Array<Record<string, number | string | null>>;
  /** One row of fit indices with nobs (N) and df.residual (resid df). */
  glance(): Record<string, number | string | null>;
}

export interface LcaSummaryOptions {
  level?: number;
  /**
   * Standard errors cost O(N·P²): true computes them, false leaves them out, 'auto' (default)
   * computes them up to `maxParamsForSe` (600) free parameters and otherwise adds a warning
   * saying they were not computed and how to ask for them.
   */
  se?: boolean | 'auto';
  maxParamsForSe?: number;
}

const BOUNDARY = 1e-8;

/**
 * Class-membership design for n rows: an intercept column, then the covariates (row-major, S columns).
 * Fails with the row and column of any non-finite value, since the multinomial logit cannot use it.
 */
export function buildCovariates(cov: MatrixInput, n: number): { x: Float64Array; S: number } {
  const d = toDense(cov, 'covariates', n);
  const S = d.ncol + 1;
  const x = new Float64Array(n * S);
  for (let i = 0; i < n; i++) {
    x[i * S] = 1;
    for (let s = 0; s < d.ncol; s++) {
      const v = d.data[i * d.ncol + s];
      if (!Number.isFinite(v)) throw new Error(`covariates: row ${i}, column ${s}: ${v} is not a finite number`);
      x[i * S + s + 1] = v;
    }
  }
  return { x, S };
}

function paramsFromStart(sv: LcaStartValues, data: LcaData, K: number): LcaParams {
  const T = data.catOffset[data.nItems];
  if (sv.itemProbs.length !== K) throw new Error(`startValues.itemProbs: ${sv.itemProbs.length} classes, expected ${K}`);
  const probs = new Float64Array(K * T);
  for (let k = 0; k < K; k++) {
    if (sv.itemProbs[k].length !== data.nItems) throw new Error(`startValues.itemProbs[${k}]: ${sv.itemProbs[k].length} items, expected ${data.nItems}`);
    for (let j = 0; j < data.nItems; j++) {
      const row = sv.itemProbs[k][j];
      if (row.length !== data.nCategories[j]) throw new Error(`startValues.itemProbs[${k}][${j}]: ${row.length} categories, expected ${data.nCategories[j]}`);
      for (let c = 0; c < row.length; c++) probs[k * T + data.catOffset[j] + c] = row[c];
    }
  }
  const shares = new Float64Array(K).fill(1 / K);
  if (sv.shares) {
    if (sv.shares.length !== K) throw new Error(`startValues.shares: ${sv.shares.length} values, expected ${K}`);
    for (let k = 0; k < K; k++) shares[k] = sv.shares[k];
  }
  let beta: Float64Array | null = null;
  if (data.covariates) {
    beta = new Float64Array(data.nCov * (K - 1));
    if (sv.beta) for (let s = 0; s < data.nCov; s++) for (let k = 0; k < K - 1; k++) beta[s * (K - 1) + k] = sv.beta[s][k];
  }
  return { nClasses: K, shares, probs, beta };
}

/** Reorder classes: new class k = old class perm[k]; beta re-expressed against the new class 0. */
export function permuteParams(p: LcaParams, perm: ReadonlyArray<number>, nCov: number): LcaParams {
  const K = p.nClasses;
  const T = p.probs.length / K;
  const probs = new Float64Array(p.probs.length);
  const shares = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    shares[k] = p.shares[perm[k]];
    probs.set(p.probs.subarray(perm[k] * T, perm[k] * T + T), k * T);
  }
  let beta: Float64Array | null = null;
  if (p.beta) {
    beta = new Float64Array(p.beta.length);
    const km1 = K - 1;
    const b = (s: number, k: number): number => (k === 0 ? 0 : (p.beta as Float64Array)[s * km1 + k - 1]);
    for (let s = 0; s < nCov; s++) for (let k = 1; k < K; k++) beta[s * km1 + k - 1] = b(s, perm[k]) - b(s, perm[0]);
  }
  return { nClasses: K, shares, probs, beta };
}

function shareOrder(shares: Float64Array): number[] {
  const idx = Array.from({ length: shares.length }, (_, k) => k);
  return idx.sort((a, b) => shares[b] - shares[a] || a - b);
}

function emOptions(o: LcaOptions, trace: boolean): EmOptions {
  return {
    maxIter: o.maxIter ?? 5000,
    tol: o.tol ?? 1e-10,
    paramTol: o.paramTol ?? null,
    relTol: o.relTol ?? 0,
    accelerate: o.accelerate ?? true,
    useSparse: true,
    trace,
    startMethod: o.startMethod ?? 'seeded',
  };
}

function validateOptions(o: LcaOptions): void {
  if (!Number.isInteger(o.classes) || o.classes < 1) throw new Error(`classes: ${o.classes} is not a positive integer`);
  if (o.starts !== undefined && (!Number.isInteger(o.starts) || o.starts < 1)) throw new Error(`starts: ${o.starts} is not a positive integer`);
  if (o.maxIter !== undefined && (!Number.isInteger(o.maxIter) || o.maxIter < 0)) throw new Error(`maxIter: ${o.maxIter} is not a non-negative integer`);
  if (o.tol !== undefined && !(o.tol >= 0 || o.tol === -Infinity)) throw new Error(`tol: ${o.tol} is not a number ≥ 0`);
  if (o.preRun && (!(o.preRun.iterations >= 1) || !(o.preRun.keep >= 1))) throw new Error('preRun: iterations and keep must be ≥ 1');
}

/**
 * Fit a latent class model.
 * rows: per-row arrays of category codes 0..C−1 (null = missing), or an LcaCodedInput.
 * Classes of the result are ordered by share, descending.
 */
export function fitLca(rows: LcaRowsInput, options: LcaOptions): LcaFit {
  validateOptions(options);
  const K = options.classes;
  const coded = codeRows(rows, options.nCategories);
  let cov: { x: Float64Array; S: number } | null = null;
  if (options.covariates) cov = buildCovariates(options.covariates, coded.nRows);
  if (cov && K === 1) cov = null;
  const prepared = prepareLcaData(coded, {
    weights: options.weights,
    covariates: cov ? cov.x : null,
    nCov: cov ? cov.S : 0,
    compress: options.compress,
    eStep: options.eStep,
  });
  return fitPrepared(prepared, options);
}

/** Fit from an already prepared data set (used by compare/bootstrap to avoid re-preparing). */
export function fitPrepared(prepared: PreparedLca, options: LcaOptions): LcaFit {
  validateOptions(options);
  const K = options.classes;
  const data = prepared.data;
  const warnings: string[] = [];
  const emFinal = emOptions(options, !!options.trace);
  emFinal.useSparse = prepared.useSparse;
  let results: StartResult[];
  let totalIterations = 0;
  if (options.startValues) {
    const params = paramsFromStart(options.startValues, data, K);
    const r = runEm(data, params, emFinal, eStepThreads(options.workers ?? 'auto', data, warnings));
    results = [{ index: 0, logLik: r.logLik, iterations: r.iterations, converged: r.converged, maxDecrease: r.maxDecrease, newtonFailed: r.newtonFailed, params }];
    totalIterations = r.iterations;
    if (r.trace) (results[0] as StartResult & { trace?: number[] }).trace = r.trace;
  } else {
    const nStarts = options.starts ?? 10;
    const indices = Array.from({ length: nStarts }, (_, i) => i);
    const seed = options.seed ?? 1;
    const ex = executeStarts(data, { K, seed, indices, em: emFinal, preRun: options.preRun ?? null }, options.workers ?? 'auto', options.onProgress);
    results = ex.results;
    totalIterations = ex.totalIterations;
    for (const w of ex.warnings) warnings.push(w);
  }
  let best = results[0];
  for (const r of results) if (r.logLik > best.logLik || (r.logLik === best.logLik && r.index < best.index)) best = r;
  let count = 0;
  for (const r of results) if (Math.abs(r.logLik - best.logLik) <= 1e-6) count++;
  if (results.length > 1 && count < 2)
    warnings.push(`best log-likelihood (${best.logLik.toFixed(6)}) was reached by only 1 of ${results.length} starts: it may be a local maximum; use more starts`);
  if (!best.converged) warnings.push(`EM did not converge within ${emFinal.maxIter} iterations`);
  if (best.maxDecrease > 1e-7 * Math.max(1, Math.abs(best.logLik))) warnings.push(`log-likelihood decreased by ${best.maxDecrease.toExponential(2)} during EM`);
  if (best.newtonFailed) warnings.push('the Newton step for the covariate coefficients failed (singular information) at least once');
  const trace = (best as StartResult & { trace?: number[] }).trace ?? null;
  return buildFit(prepared, options, best, { count, total: results.length }, results.map((r) => r.logLik), warnings, trace, totalIterations);
}

function buildFit(
  prepared: PreparedLca,
  options: LcaOptions,
  best: StartResult,
  replicated: { count: number; total: number },
  startLogLiks: number[],
  warnings: string[],
  trace: number[] | null,
  totalIterations: number,
): LcaFit {
  const data = prepared.data;
  const K = options.classes;
  const J = data.nItems;
  const T = data.catOffset[J];
  const nCov = data.nCov;
  // Posterior at the final estimates; with covariates the shares are its mean (poLCA).
  let params = best.params;
  const patPost = new Float64Array(data.nRows * K);
  const patLogLik = data.covariates ? null : new Float64Array(data.nRows);
  const logLik = posteriorAt(data, params, prepared.useSparse, patPost, patLogLik);
  if (data.covariates) {
    const s = new Float64Array(K);
    for (let i = 0; i < data.nRows; i++) for (let k = 0; k < K; k++) s[k] += data.weights[i] * patPost[i * K + k];
    for (let k = 0; k < K; k++) params.shares[k] = s[k] / prepared.totalWeight;
  }
  const order = shareOrder(params.shares);
  const identity = options.sortClasses === false || order.every((v, i) => v === i);
  if (!identity) {
    params = permuteParams(params, order, nCov);
    // the posterior of the reordered model is the old one with its columns reordered
    const row = new Float64Array(K);
    for (let i = 0; i < data.nRows; i++) {
      for (let k = 0; k < K; k++) row[k] = patPost[i * K + order[k]];
      patPost.set(row, i * K);
    }
  }
  const n = prepared.coded.nRows;
  const rowToPattern = prepared.rowToPattern;
  const rowW = prepared.rowWeights;
  // per-pattern modal class and entropy, then mapped to rows
  let entSum = 0;
  const classCounts = new Array<number>(K).fill(0);
  const avgPost = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const patModal = new Int32Array(data.nRows);
  for (let i = 0; i < data.nRows; i++) {
    let a = 0;
    for (let k = 1; k < K; k++) if (patPost[i * K + k] > patPost[i * K + a]) a = k;
    patModal[i] = a;
    const w = data.weights[i];
    classCounts[a] += w;
    for (let k = 0; k < K; k++) {
      const t = patPost[i * K + k];
      avgPost[a][k] += w * t;
      if (t > 0) entSum -= w * t * Math.log(t);
    }
  }
  for (let a = 0; a < K; a++) for (let k = 0; k < K; k++) avgPost[a][k] = classCounts[a] > 0 ? avgPost[a][k] / classCounts[a] : NaN;
  const N = prepared.totalWeight;
  const entropy = K > 1 ? 1 - entSum / (N * Math.log(K)) : null;
  const modal = new Int32Array(n);
  for (let i = 0; i < n; i++) modal[i] = patModal[rowToPattern[i]];
  let posteriorCache: DenseMatrix | null = null;
  const getPosterior = (): DenseMatrix => {
    if (!posteriorCache) {
      const out = new Float64Array(n * K);
      for (let i = 0; i < n; i++) {
        const p = rowToPattern[i];
        for (let k = 0; k < K; k++) out[i * K + k] = patPost[p * K + k];
      }
      posteriorCache = Object.freeze({ nrow: n, ncol: K, data: out });
    }
    return posteriorCache;
  };
  let sumFree = 0;
  let cells = 1;
  for (let j = 0; j < J; j++) {
    sumFree += data.nCategories[j] - 1;
    cells *= data.nCategories[j];
  }
  const nParams = K * sumFree + (data.covariates ? nCov * (K - 1) : K - 1);
  const residDf = Math.min(N, cells) - nParams - 1;
  if (residDf < 0) {
    warnings.push(`negative residual degrees of freedom (${residDf}): the ${K}-class model has ${nParams} parameters but the items have only ${Math.min(N, cells) - 1} free cells; it is not identified (respecify it). Agreement of starts on the log-likelihood is no evidence of a unique maximum, and standard errors do not exist`);
  }
  const aic = -2 * logLik + 2 * nParams;
  const bic = -2 * logLik + Math.log(N) * nParams;
  const sabic = -2 * logLik + Math.log((N + 2) / 24) * nParams;
  const caic = -2 * logLik + (Math.log(N) + 1) * nParams;
  const gof = goodnessOfFit(prepared, params, patLogLik);
  const itemProbs: number[][][] = [];
  for (let k = 0; k < K; k++) {
    const cls: number[][] = [];
    for (let j = 0; j < J; j++) {
      const row: number[] = [];
      for (let c = 0; c < data.nCategories[j]; c++) row.push(params.probs[k * T + data.catOffset[j] + c]);
      cls.push(row);
    }
    itemProbs.push(cls);
  }
  const boundary: string[] = [];
  for (let k = 0; k < K; k++)
    for (let j = 0; j < J; j++)
      for (let c = 0; c < data.nCategories[j]; c++) {
        const p = itemProbs[k][j][c];
        if (p < BOUNDARY) boundary.push(`class ${k + 1}, item ${options.itemNames?.[j] ?? `item${j + 1}`}, category ${c}: p = ${p.toExponential(2)}`);
      }
  if (boundary.length)
    warnings.push(`${boundary.length} item-response probabilit${boundary.length === 1 ? 'y is' : 'ies are'} at the boundary (< ${BOUNDARY}): ${boundary.slice(0, 8).join('; ')}${boundary.length > 8 ? '; …' : ''}`);
  let beta: number[][] | null = null;
  let betaNames: string[] | null = null;
  if (params.beta) {
    beta = [];
    for (let s = 0; s < nCov; s++) beta.push(Array.from(params.beta.subarray(s * (K - 1), (s + 1) * (K - 1))));
    betaNames = ['(Intercept)'];
    for (let s = 1; s < nCov; s++) betaNames.push(options.covariateNames?.[s - 1] ?? `x${s}`);
  }
  const itemNames = options.itemNames ?? Array.from({ length: J }, (_, j) => `item${j + 1}`);
  const finalParams = params;
  const fit: LcaFit = {
    options: Object.freeze({ ...options }),
    nClasses: K,
    nItems: J,
    nCategories: Array.from(data.nCategories),
    itemNames,
    itemLevels: options.itemLevels ?? null,
    nRows: n,
    N,
    nPatterns: data.nRows,
    nFullyObserved: gof.nFull,
    logLik,
    nParams,
    residDf,
    aic,
    bic,
    sabic,
    caic,
    entropy,
    gsq: gof.gsq,
    chisq: gof.chisq,
    shares: Array.from(params.shares),
    itemProbs,
    beta,
    betaNames,
    get posterior(): DenseMatrix {
      return getPosterior();
    },
    modal,
    avgPosterior: avgPost,
    classCounts,
    converged: best.converged,
    iterations: best.iterations,
    totalIterations,
    bestLogLikReplicated: replicated,
    startLogLiks,
    bestStartIndex: best.index,
    trace,
    warnings,
    get varianceType(): 'none' | 'empirical-information' {
      return seComputed.has(fit) ? 'empirical-information' : 'none';
    },
    spec: Object.freeze({ ...options }),
    internal: { params: finalParams, prepared, useSparse: prepared.useSparse },
    predict(newRows: LcaRowsInput, newCovariates?: MatrixInput): LcaPrediction {
      return predictWith(fit, newRows, newCovariates);
    },
    summary(o?: LcaSummaryOptions): Array<Record<string, number | string | null>> {
      return lcaSummary(fit, o);
    },
    tidy(o?: LcaSummaryOptions): Array<Record<string, number | string | null>> {
      return lcaSummary(fit, o);
    },
    glance(): Record<string, number | string | null> {
      return {
        classes: K, logLik, npar: nParams, 'df.residual': residDf, nobs: N, AIC: aic, BIC: bic, SABIC: sabic, CAIC: caic,
        entropy, Gsq: gof.gsq, Chisq: gof.chisq, converged: best.converged ? 1 : 0,
        'starts.at.best': replicated.count, starts: replicated.total, 'variance.type': fit.varianceType,
      };
    },
  };
  return Object.freeze(fit);
}

/** G² and Pearson χ² over the observed fully observed response patterns (poLCA's definitions). */
/**
 * G² and χ² of the fully observed patterns against the model. `rowLogLik` (log P(y) of each
 * pattern row at `params`, from the posterior pass) saves recomputing the pattern probabilities;
 * it is only valid without covariates, where rows are the patterns and the prior is the shares.
 */
function goodnessOfFit(prepared: PreparedLca, params: LcaParams, rowLogLik: Float64Array | null): { gsq: number; chisq: number; nFull: number } {
  const data = prepared.data;
  const J = data.nItems;
  const K = params.nClasses;
  const T = data.catOffset[J];
  // work on patterns; with covariates rows are uncompressed, so compress the complete rows here
  let codes = data.codes;
  let weights = data.weights;
  let P = data.nRows;
  if (data.covariates) {
    const c = compressPatterns(data.codes, data.nRows, J, data.weights);
    codes = c.codes;
    weights = c.weights;
    P = c.nPatterns;
  }
  let nFull = 0;
  for (let p = 0; p < P; p++) {
    let full = true;
    for (let j = 0; j < J; j++) if (codes[p * J + j] < 0) full = false;
    if (full) nFull += weights[p];
  }
  let gsq = 0;
  let chisq = 0;
  let sumExpected = 0;
  const logP = new Float64Array(K * T);
  for (let t = 0; t < K * T; t++) logP[t] = Math.log(params.probs[t]);
  const logShare = Array.from(params.shares, (x) => Math.log(x));
  for (let p = 0; p < P; p++) {
    let full = true;
    for (let j = 0; j < J; j++) if (codes[p * J + j] < 0) full = false;
    if (!full) continue;
    let prob = 0;
    if (rowLogLik) prob = Math.exp(rowLogLik[p]);
    else
      for (let k = 0; k < K; k++) {
        let lp = logShare[k];
        for (let j = 0; j < J; j++) lp += logP[k * T + data.catOffset[j] + codes[p * J + j]];
        prob += Math.exp(lp);
      }
    const expected = nFull * prob;
    const obs = weights[p];
    sumExpected += expected;
    if (obs > 0) gsq += 2 * obs * Math.log(obs / expected);
    chisq += ((obs - expected) * (obs - expected)) / expected;
  }
  // cells never observed contribute their expected count to χ² (poLCA adds N − Σ expected)
  chisq += nFull - sumExpected;
  return { gsq, chisq, nFull };
}

function predictWith(fit: LcaFit, newRows: LcaRowsInput, newCovariates?: MatrixInput): LcaPrediction {
  const prep = fit.internal.prepared;
  const coded = codeRows(newRows, undefined, 'newRows');
  if (coded.nItems !== fit.nItems) throw new Error(`newRows: ${coded.nItems} items, the model has ${fit.nItems}`);
  for (let j = 0; j < fit.nItems; j++)
    if (coded.nCategories[j] > fit.nCategories[j]) throw new Error(`newRows: item ${fit.itemNames[j]} has code ${coded.nCategories[j] - 1}, the model has ${fit.nCategories[j]} categories`);
  coded.nCategories = Int32Array.from(fit.nCategories);
  let cov: { x: Float64Array; S: number } | null = null;
  if (prep.data.covariates) {
    if (!newCovariates) throw new Error('predict: the model has covariates; pass newCovariates');
    cov = buildCovariates(newCovariates, coded.nRows);
    if (cov.S !== prep.data.nCov) throw new Error(`newCovariates: ${cov.S - 1} columns, the model has ${prep.data.nCov - 1}`);
  }
  const p2 = prepareLcaData(coded, { covariates: cov ? cov.x : null, nCov: cov ? cov.S : 0, compress: false, eStep: 'dense' });
  const K = fit.nClasses;
  const out = new Float64Array(coded.nRows * K);
  const logLik = posteriorAt(p2.data, fit.internal.params, false, out);
  const modal = new Int32Array(coded.nRows);
  for (let i = 0; i < coded.nRows; i++) {
    let a = 0;
    for (let k = 1; k < K; k++) if (out[i * K + k] > out[i * K + a]) a = k;
    modal[i] = a;
  }
  return { posterior: Object.freeze({ nrow: coded.nRows, ncol: K, data: out }), modal, logLik };
}

/** Posterior and modal class for new rows under a fitted model. */
export function predictLca(fit: LcaFit, newRows: LcaRowsInput, newCovariates?: MatrixInput): LcaPrediction {
  return predictWith(fit, newRows, newCovariates);
}

/** Fits whose standard errors have been computed (their varianceType is then 'empirical-information'). */
const seComputed = new WeakSet<LcaFit>();

/**
 * Tidy table: one row per class share, item-response probability and covariate coefficient.
 * Columns: term, class, item, category, estimate, std.error, statistic, p.value, conf.low, conf.high.
 * Standard errors are poLCA's empirical-information SEs (lcaVcov), computed as `options.se` says
 * (default: up to 600 free parameters, else null with a warning on the fit saying so). Probabilities get Wald
 * intervals clipped to [0, 1] and no test; coefficients get z tests.
 */
export function lcaSummary(fit: LcaFit, options: LcaSummaryOptions = {}): Array<Record<string, number | string | null>> {
  const level = options.level ?? 0.95;
  const maxParamsForSe = options.maxParamsForSe ?? 600;
  const want = options.se ?? 'auto';
  const out: Array<Record<string, number | string | null>> = [];
  const compute = want === true || (want === 'auto' && fit.nParams <= maxParamsForSe);
  if (want === 'auto' && !compute) {
    const note = `standard errors not computed: ${fit.nParams} parameters > ${maxParamsForSe} (cost O(N·P²)); ask with summary({ se: true }) or lcaVcov(fit)`;
    if (!fit.warnings.includes(note)) fit.warnings.push(note);
  }
  const v = compute ? lcaVcov(fit) : null;
  if (v) {
    seComputed.add(fit);
    for (const w of v.warnings) if (!fit.warnings.includes(w)) fit.warnings.push(w);
  }
  const z = qNorm(1 - (1 - level) / 2);
  const prob = (est: number, se: number | null | undefined): Record<string, number | null> => ({
    estimate: est,
    'std.error': se ?? null,
    statistic: null,
    'p.value': null,
    'conf.low': se == null ? null : Math.max(0, est - z * se),
    'conf.high': se == null ? null : Math.min(1, est + z * se),
  });
  for (let k = 0; k < fit.nClasses; k++) out.push({ term: 'share', class: k + 1, item: null, category: null, level: null, ...prob(fit.shares[k], v?.sharesSe[k]) });
  for (let k = 0; k < fit.nClasses; k++)
    for (let j = 0; j < fit.nItems; j++)
      for (let c = 0; c < fit.nCategories[j]; c++)
        out.push({ term: `${fit.itemNames[j]}[${fit.itemLevels ? String(fit.itemLevels[j][c]) : c}]`, class: k + 1, item: fit.itemNames[j], category: c, level: fit.itemLevels ? String(fit.itemLevels[j][c]) : null, ...prob(fit.itemProbs[k][j][c], v?.itemProbsSe[k][j][c]) });
  if (fit.beta && fit.betaNames)
    for (let k = 1; k < fit.nClasses; k++)
      for (let s = 0; s < fit.beta.length; s++) {
        const est = fit.beta[s][k - 1];
        const se = v?.betaSe ? v.betaSe[s][k - 1] : null;
        out.push({
          term: fit.betaNames[s],
          class: k + 1,
          item: null,
          category: null,
          level: null,
          estimate: est,
          'std.error': se,
          statistic: se != null ? est / se : null,
          'p.value': se != null ? pNormTwoSided(est / se) : null,
          'conf.low': se != null ? est - z * se : null,
          'conf.high': se != null ? est + z * se : null,
        });
      }
  return out;
}
