/**
 * Choosing K: a tidy table of fit indices over a range of K, and a parametric bootstrap
 * likelihood-ratio test of K−1 against K (McLachlan 1987; Mplus TECH14) with a replicate cap.
 */
import { reportProgress } from '../core/progress';
import { createRng } from '../core/random';
import { toDense } from '../core/matrix';
import { type LcaFit, type LcaOptions, fitPrepared } from './fit/fit';
import { type LcaRowsInput, codeRows, prepareLcaData, type PreparedLca } from './prepare';

export interface LcaCompareOptions extends Omit<LcaOptions, 'classes' | 'startValues'> {
  classes: number[];
}

export interface LcaComparison {
  table: Array<Record<string, number | string | null>>;
  fits: LcaFit[];
  /** each fit's warnings, prefixed by K */
  warnings: string[];
  spec: Readonly<Omit<LcaCompareOptions, 'covariates' | 'weights'>>;
  varianceType: 'none';
  /** one row per K (= table) */
  tidy(): Array<Record<string, number | string | null>>;
  /** the K with the lowest BIC, with nobs */
  glance(): Record<string, number | string | null>;
  summary(): Array<Record<string, number | string | null>>;
}

function prepareFor(rows: LcaRowsInput, o: Omit<LcaOptions, 'classes'>): PreparedLca {
  const coded = codeRows(rows, o.nCategories);
  let x: Float64Array | null = null;
  let S = 0;
  if (o.covariates) {
    const d = toDense(o.covariates, 'covariates', coded.nRows);
    S = d.ncol + 1;
    x = new Float64Array(coded.nRows * S);
    for (let i = 0; i < coded.nRows; i++) {
      x[i * S] = 1;
      for (let s = 0; s < d.ncol; s++) x[i * S + s + 1] = d.data[i * d.ncol + s];
    }
  }
  return prepareLcaData(coded, { weights: o.weights, covariates: x, nCov: S, compress: o.compress, eStep: o.eStep });
}

/** One row of fit indices (broom `glance` style). */
export function lcaGlance(f: LcaFit): Record<string, number | string | null> {
  return {
    classes: f.nClasses,
    nobs: f.N,
    'df.residual': f.residDf,
    logLik: f.logLik,
    nParams: f.nParams,
    residDf: f.residDf,
    aic: f.aic,
    bic: f.bic,
    sabic: f.sabic,
    caic: f.caic,
    entropy: f.entropy,
    gsq: f.gsq,
    chisq: f.chisq,
    smallestShare: Math.min(...f.shares),
    bestReplicated: f.bestLogLikReplicated.count,
    starts: f.bestLogLikReplicated.total,
    converged: f.converged ? 1 : 0,
    warnings: f.warnings.length ? f.warnings.join(' | ') : null,
  };
}

/** Fit every K in options.classes on the same prepared data; one tidy row per K. */
export function compareLca(rows: LcaRowsInput, options: LcaCompareOptions): LcaComparison {
  if (!options.classes.length) throw new Error('compareLca: classes is empty');
  const prepared = prepareFor(rows, options);
  // progress: one unit per K; each fit's own start phases are not forwarded (they would reset the bar)
  const { onProgress } = options;
  const fits = options.classes.map((K, i) => {
    reportProgress(onProgress, i, options.classes.length, `K = ${K}`);
    return fitPrepared(prepared, { ...options, classes: K, onProgress: undefined });
  });
  reportProgress(onProgress, fits.length, fits.length, 'done');
  const table = fits.map(lcaGlance);
  const { covariates, weights, onProgress: _progress, ...spec } = options;
  void covariates; void weights; void _progress;
  const best = fits.reduce((a, f) => (f.bic < a.bic ? f : a), fits[0]);
  return {
    table, fits, warnings: fits.flatMap((f) => f.warnings.map((w) => `K = ${f.nClasses}: ${w}`)), spec: Object.freeze(spec), varianceType: 'none',
    tidy: () => table, summary: () => table,
    glance: () => ({ 'classes.best.bic': best.nClasses, BIC: best.bic, nobs: best.N, 'df.residual': best.residDf }),
  };
}

export interface BootstrapLrtOptions extends Omit<LcaOptions, 'classes' | 'startValues' | 'weights' | 'covariates'> {
  /** K of the alternative model; the null has K − 1 classes */
  classes: number;
  /** maximum number of bootstrap replicates (default 99) */
  replicates?: number;
  /** stop early once p > alpha is certain (default 0.05); set 0 to always run all replicates */
  alpha?: number;
  /** random starts per fit in each replicate (default 5) */
  bootstrapStarts?: number;
}

export interface BootstrapLrtResult {
  classes: number;
  lr: number;
  df: number;
  logLikNull: number;
  logLikAlt: number;
  replicates: number;
  exceed: number;
  pValue: number;
  stoppedEarly: boolean;
  bootstrapLr: number[];
}

/**
 * Parametric bootstrap LRT of K−1 vs K classes: LR = 2(ℓ_K − ℓ_{K−1}); replicate data sets
 * are drawn from the fitted K−1 model (keeping each row's missing items missing), both
 * models refitted; p = (1 + #{LR_b ≥ LR}) / (B + 1).
 */
export function bootstrapLrt(rows: LcaRowsInput, options: BootstrapLrtOptions): BootstrapLrtResult {
  const K = options.classes;
  if (!Number.isInteger(K) || K < 2) throw new Error(`bootstrapLrt: classes must be ≥ 2 (got ${K})`);
  const prepared = prepareFor(rows, options);
  const base = { ...options, classes: K };
  const onProgress = options.onProgress;
  const cap0 = options.replicates ?? 99;
  reportProgress(onProgress, 0, cap0, `K = ${K - 1} vs ${K}: fitting the data`);
  const f0 = fitPrepared(prepared, { ...base, classes: K - 1, onProgress: undefined });
  const f1 = fitPrepared(prepared, { ...base, onProgress: undefined });
  const lr = 2 * (f1.logLik - f0.logLik);
  const cap = options.replicates ?? 99;
  const alpha = options.alpha ?? 0.05;
  const coded = prepared.coded;
  const n = coded.nRows;
  const J = coded.nItems;
  const rng = createRng((options.seed ?? 1) ^ 0x5bd1e995);
  const sim = new Int16Array(n * J);
  const T = prepared.data.catOffset[J];
  const params = f0.internal.params;
  const boot: number[] = [];
  let exceed = 0;
  let stoppedEarly = false;
  for (let b = 0; b < cap; b++) {
    for (let i = 0; i < n; i++) {
      let u = rng.nextFloat();
      let k = 0;
      while (k < K - 2 && u >= params.shares[k]) {
        u -= params.shares[k];
        k++;
      }
      for (let j = 0; j < J; j++) {
        if (coded.codes[i * J + j] < 0) {
          sim[i * J + j] = -1;
          continue;
        }
        let v = rng.nextFloat();
        const C = coded.nCategories[j];
        let c = 0;
        const base0 = k * T + prepared.data.catOffset[j];
        while (c < C - 1 && v >= params.probs[base0 + c]) {
          v -= params.probs[base0 + c];
          c++;
        }
        sim[i * J + j] = c;
      }
    }
    const p = prepareLcaData({ nRows: n, nItems: J, codes: sim, nCategories: coded.nCategories }, { compress: options.compress, eStep: options.eStep });
    const bo = { ...base, starts: options.bootstrapStarts ?? 5, seed: (options.seed ?? 1) + 1000 * (b + 1), preRun: undefined, onProgress: undefined };
    const g0 = fitPrepared(p, { ...bo, classes: K - 1 });
    const g1 = fitPrepared(p, bo);
    const lrb = 2 * (g1.logLik - g0.logLik);
    boot.push(lrb);
    if (lrb >= lr) exceed++;
    reportProgress(onProgress, b + 1, cap, `K = ${K - 1} vs ${K}: bootstrap replicates`);
    if (alpha > 0 && (1 + exceed) / (cap + 1) > alpha) {
      stoppedEarly = b + 1 < cap;
      break;
    }
  }
  reportProgress(onProgress, cap, cap, stoppedEarly ? `stopped early after ${boot.length} replicates` : 'done');
  return {
    classes: K,
    lr,
    df: f1.nParams - f0.nParams,
    logLikNull: f0.logLik,
    logLikAlt: f1.logLik,
    replicates: boot.length,
    exceed,
    pValue: (1 + exceed) / (boot.length + 1),
    stoppedEarly,
    bootstrapLr: boot,
  };
}
