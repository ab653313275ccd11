/**
 * fitLca: the matrix-level API of the latent class engine (poLCA-compatible estimates),
 * and the result object (fit indices, posteriors, predict, tidy summary).
 */
import { toRows, type DenseMatrix, type MatrixInput } from '../../core/matrix';
import { formatEstimate, formatNumber } from '../../core/numberStyle';
import { type EmOptions, type StartResult, posteriorAt, runEm } from '../em/em';
import { type LcaRowsInput, codeRows, prepareLcaData, type PreparedLca } from '../prepare';
import { eStepThreads, executeStarts } from '../parallel/parallel';
import type { LcaFit, LcaOptions, LcaPrediction, LcaSummaryOptions } from './types';
import { buildCovariates, paramsFromStart, permuteParams, shareOrder } from './params';
import { goodnessOfFit } from './goodness';
import { predictWith } from './predict';
import { lcaSummary, seComputed } from './summary';

export type { LcaStartValues, LcaOptions, LcaPrediction, LcaFit, LcaSummaryOptions } from './types';
export { buildCovariates, permuteParams } from './params';
export { predictLca } from './predict';
export { lcaSummary } from './summary';

const BOUNDARY = 1e-8;
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

/** The best start (ties: lowest index) and how many starts reached its log-likelihood. */
function bestOf(results: StartResult[], em: EmOptions): { best: StartResult; count: number; repTol: number } {
  let best = results[0];
  for (const r of results) if (r.logLik > best.logLik || (r.logLik === best.logLik && r.index < best.index)) best = r;
  // Two starts "reach the same maximum" within what the stopping rule can resolve: the absolute
  // 1e-6 of poLCA-sized data, or (with relTol, at national sizes) 100 × relTol·|logLik|.
  const repTol = replicationTolerance(em, best.logLik);
  let count = 0;
  for (const r of results) if (Math.abs(r.logLik - best.logLik) <= repTol) count++;
  return { best, count, repTol };
}

/** Log-likelihood distance within which two starts count as reaching the same maximum. */
export function replicationTolerance(em: { relTol: number }, logLik: number): number {
  return Math.max(1e-6, 100 * em.relTol * Math.abs(logLik));
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
  let runStarts: ((from: number, to: number, bar?: number) => StartResult[]) | null = null;
  let startsRun = 0;
  if (options.startValues) {
    const params = paramsFromStart(options.startValues, data, K);
    const r = runEm(data, params, emFinal, eStepThreads(options.workers ?? 'auto', data, warnings));
    results = [{ index: 0, logLik: r.logLik, iterations: r.iterations, converged: r.converged, maxDecrease: r.maxDecrease, newtonFailed: r.newtonFailed, params }];
    totalIterations = r.iterations;
    if (r.trace) (results[0] as StartResult & { trace?: number[] }).trace = r.trace;
  } else {
    const nStarts = options.starts ?? 10;
    const seed = options.seed ?? 1;
    // Replication of the best log-likelihood needs at least two starts to reach the end.
    let preRun = options.preRun ?? null;
    if (preRun && preRun.keep < 2 && nStarts >= 2) {
      warnings.push(`preRun.keep raised from ${preRun.keep} to 2 so that replication of the best log-likelihood can be checked`);
      preRun = { ...preRun, keep: 2 };
    }
    runStarts = (from: number, to: number, bar?: number) => {
      const indices = Array.from({ length: to - from }, (_, i) => from + i);
      const em = bar === undefined ? emFinal : { ...emFinal, abandonBelow: bar };
      const ex = executeStarts(data, { K, seed, indices, em, preRun }, options.workers ?? 'auto', options.onProgress);
      totalIterations += ex.totalIterations;
      for (const w of ex.warnings) if (!warnings.includes(w)) warnings.push(w);
      return ex.results;
    };
    results = runStarts(0, nStarts);
    startsRun = nStarts;
  }
  let { best, count, repTol } = bestOf(results, emFinal);
  // An unconverged best start is continued (up to maxIter more iterations) before it is used.
  const extendBest = () => {
    if (best.converged || options.extendUnconverged !== true || emFinal.maxIter === 0) return;
    const r = runEm(data, best.params, emFinal, eStepThreads(options.workers ?? 'auto', data, warnings));
    warnings.push(`the best start had not converged after ${best.iterations} iterations; continued for ${r.iterations} more (${r.converged ? 'converged' : 'still not converged'})`);
    const cont: StartResult = { ...best, logLik: r.logLik, iterations: best.iterations + r.iterations, converged: r.converged, maxDecrease: Math.max(best.maxDecrease, r.maxDecrease), newtonFailed: best.newtonFailed || r.newtonFailed, params: best.params }; // runEm updates params in place
    results = results.map((x) => (x === best ? cont : x));
    totalIterations += r.iterations;
    ({ best, count, repTol } = bestOf(results, emFinal));
  };
  extendBest();
  // Replication on demand: further batches of starts until the best is reached by minCount of
  // them (or maxStarts is used up), so the check is met where the likelihood surface needs it.
  const rep = options.replicate;
  if (rep && runStarts && !options.startValues) {
    const minCount = rep.minCount ?? 2;
    const nStarts = options.starts ?? 10;
    const maxStarts = rep.maxStarts ?? 4 * nStarts;
    const first = startsRun;
    while (count < minCount && startsRun < maxStarts) {
      const to = Math.min(maxStarts, startsRun + nStarts);
      results = results.concat(runStarts(startsRun, to, rep.stopHopeless === false ? undefined : best.logLik - repTol));
      startsRun = to;
      ({ best, count, repTol } = bestOf(results, emFinal));
      extendBest();
    }
    if (startsRun > first) warnings.push(`ran ${startsRun - first} further starts (${startsRun} in all) to replicate the best log-likelihood: ${count >= minCount ? `reached by ${count}` : `still reached by only ${count}`}`);
    const stopped = results.filter((r) => r.abandoned).length;
    if (stopped > 0) warnings.push(`${stopped} of those starts stopped early: at their last gain they could not come within ${formatNumber(repTol, 3)} of the best log-likelihood in their remaining iterations`);
  }
  if (results.length > 1 && count < 2)
    warnings.push(`best log-likelihood (${formatEstimate(best.logLik, 6)}) was reached by only 1 of ${results.length} starts: it may be a local maximum; use more starts`);
  if (!best.converged) warnings.push(`EM did not converge within ${emFinal.maxIter} iterations`);
  if (best.maxDecrease > 1e-7 * Math.max(1, Math.abs(best.logLik))) warnings.push(`log-likelihood decreased by ${formatNumber(best.maxDecrease, 3)} during EM`);
  if (best.newtonFailed) warnings.push('the Newton step for the covariate coefficients failed (singular information) at least once');
  const trace = (best as StartResult & { trace?: number[] }).trace ?? null;
  return buildFit(prepared, options, best, { count, total: results.length, tol: repTol }, results.map((r) => r.logLik), warnings, trace, totalIterations);
}

function buildFit(
  prepared: PreparedLca,
  options: LcaOptions,
  best: StartResult,
  replicated: { count: number; total: number; tol: number },
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
        if (p < BOUNDARY) boundary.push(`class ${k + 1}, item ${options.itemNames?.[j] ?? `item${j + 1}`}, category ${c}: p = ${formatNumber(p, 3)}`);
      }
  if (boundary.length)
    warnings.push(`${boundary.length} item-response probabilit${boundary.length === 1 ? 'y is' : 'ies are'} at the boundary (< ${BOUNDARY}): ${boundary.slice(0, 8).join('; ')}${boundary.length > 8 ? '; …' : ''}`);
  let beta: number[][] | null = null;
  let betaNames: string[] | null = null;
  if (params.beta) {
    beta = toRows(params.beta, nCov, K - 1);
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
