/** Public option and result types of lcaDistal (see ./distal). */
export type LcaDistalType = 'normal' | 'categorical' | 'binary';
export type LcaDistalMethod = 'modal' | 'bch' | 'ml';
export type LcaDistalValue = number | string | boolean | null | undefined;
export type LcaDistalLevel = number | string | boolean;

export interface LcaDistalOptions {
  /** one value per row of the fit; null, undefined and NaN are missing (those rows are excluded) */
  outcome: ReadonlyArray<LcaDistalValue> | Float64Array | Float32Array | Int32Array;
  type: LcaDistalType;
  method: LcaDistalMethod;
  /** normal outcomes: 'class' (default; class-specific variances) or 'common' */
  variance?: 'class' | 'common';
  /** categorical outcomes: the levels in reporting order (default: the sorted distinct values) */
  levels?: ReadonlyArray<LcaDistalLevel>;
  outcomeName?: string;
  /** confidence level of conf.low/conf.high (default 0.95) */
  level?: number;
  /** ML: maximum EM iterations (default 5000) */
  maxIter?: number;
  /** ML: EM stops when the log-likelihood gain is ≤ tol·max(1, |ℓ|) (default 1e-10); Newton then polishes */
  tol?: number;
}

export interface LcaDistalWald {
  statistic: number;
  df: number;
  pValue: number;
}

export interface LcaDistalResult {
  readonly spec: Readonly<{
    type: LcaDistalType;
    method: LcaDistalMethod;
    /** normal outcomes: which variance model was fitted; null otherwise */
    variance: 'class' | 'common' | null;
    level: number;
    outcomeName: string;
    /** categorical/binary: the levels, in the order of `probs` columns; null for normal */
    levels: LcaDistalLevel[] | null;
  }>;
  readonly options: Readonly<Omit<LcaDistalOptions, 'outcome'>>;
  readonly nClasses: number;
  /** rows of the fit */
  readonly nRows: number;
  /** rows analysed (outcome observed) */
  readonly nUsed: number;
  /** rows excluded because the outcome is missing */
  readonly nExcluded: number;
  /** sum of case weights over the analysed rows */
  readonly N: number;
  /** class shares among the analysed rows (modal: assigned; BCH: Σ weights; ML: π) */
  readonly shares: number[];
  readonly sharesSe: number[];
  /** normal: class means and variances (with a common variance every entry is the same); null otherwise */
  readonly means: number[] | null;
  readonly meansSe: number[] | null;
  readonly variances: number[] | null;
  readonly variancesSe: number[] | null;
  /** categorical/binary: probs[class][level]; null for normal */
  readonly probs: number[][] | null;
  readonly probsSe: number[][] | null;
  /** all estimated quantities (shares, then outcome parameters) with their covariance matrix */
  readonly names: string[];
  readonly estimate: number[];
  readonly vcov: number[][];
  /**
   * Wald test that the outcome distribution is the same in every class: equal means (normal),
   * or equal probabilities of every level but the first (categorical/binary).
   */
  readonly wald: LcaDistalWald;
  /** ML: the maximised step-3 log-likelihood; null for modal and BCH */
  readonly logLik: number | null;
  readonly converged: boolean;
  readonly iterations: number;
  readonly classificationError: number[][];
  readonly warnings: string[];
  readonly varianceType: 'sandwich' | 'observed-information';
  /** one row per (class, term): class (1-based; null for a common variance), term, estimate, std.error, conf.low, conf.high, method */
  tidy(): Array<Record<string, number | string | null>>;
  /** The Wald test of equal outcome distributions, logLik (ML), nobs (rows analysed), df.residual (null). */
  glance(): Record<string, number | string | null>;
  summary(): Array<Record<string, number | string | null>>;
}
