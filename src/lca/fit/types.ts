/**
 * Options and result types of fitLca (the matrix-level latent class API).
 */
import type { ProgressCallback } from '../../core/progress';
import type { DenseMatrix, MatrixInput } from '../../core/matrix';
import type { LcaStartMethod } from '../em/em';
import type { LcaParams } from '../types';
import type { LcaRowsInput, PreparedLca } from '../prepare';
import type { WorkerMode } from '../parallel/parallel';

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
  /** short pre-runs: run every start for `iterations`, continue only the best `keep` (raised to 2 when below, with a warning) */
  preRun?: { iterations: number; keep: number };
  /** continue the best start for up to maxIter more iterations when it has not converged (default false: maxIter is a hard cap) */
  extendUnconverged?: boolean;
  /**
   * Replication on demand: while fewer than `minCount` (default 2) starts reach the best
   * log-likelihood, run further batches of `starts` starts (same seed stream, same preRun) up to
   * `maxStarts` in all (default 4 × starts). Off when absent.
   * `stopHopeless` (default true): in these further batches, a start's final run stops early once
   * it cannot come within the replication tolerance of the best log-likelihood so far in its
   * remaining iterations, even if every one gained as much as its last (see EmOptions.abandonBelow).
   * Such a start could neither become the best nor replicate it, so the chosen fit and the
   * replication count are those of running it to the end; it is reported as not converged.
   */
  replicate?: { minCount?: number; maxStarts?: number; stopHopeless?: boolean };
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
  /** starts (of those run to the end) whose log-likelihood is within `tol` of the best */
  readonly bestLogLikReplicated: { count: number; total: number; tol: number };
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
