/**
 * Logistic regression (binomial, logit link) by IRLS / Newton, with model-based, HC0/HC1 and
 * cluster-robust variances evaluated exactly at β̂, deviance, AIC/BIC, separation warnings and
 * likelihood-ratio tests.
 */
import { pChisqUpper } from '../core/distributions';
import {
  checkDesign, checkVector, coefTable, defaultNames, interceptIndex, keepColumns, tidyRows,
  type ClusterInput, type FitBase, type RegressionInputBase, type TidyRow,
} from './fitBase';
import { cholesky, cholInverse, weightedNormalEquations } from '../core/linalg';
import { irlsNewton, type IrlsModel } from '../core/irls';
import { clusterVariance, hcVariance } from '../core/robust';
import { toRows } from '../core/matrix';
import { degenerateMessage, integerWeights, robustWeightsNote } from '../core/guard';

export type LogitVcovType = 'classical' | 'HC0' | 'HC1' | 'cluster';

/** y is the 0/1 outcome. */
export interface FitLogitInput extends RegressionInputBase, ClusterInput {
  /**
   * Prior (frequency-type) weights, > 0. Non-integer weights are not case counts: R's glm warns
   * ("non-integer #successes") and this project then reports the HC0 sandwich by default.
   */
  readonly weights?: ArrayLike<number>;
  /** Default 'classical', or 'HC0' when the weights are not all integers (the fit's warnings say so). */
  readonly vcov?: LogitVcovType;
  readonly maxIter?: number;
  /** Convergence: relative deviance change (default 1e-12). */
  readonly tol?: number;
}

export interface LogitFit extends FitBase {
  readonly model: 'logit';
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly dfResidual: number;
  readonly dfNull: number;
  readonly logLikNull: number;
  /** LR test against the intercept-only (or η = 0) model. */
  readonly lrTestNull: { readonly statistic: number; readonly df: number; readonly p: number };
  readonly iterations: number;
  readonly fitted: Float64Array;
  readonly linearPredictor: Float64Array;
  readonly separation: boolean;
  /** Model-based vcov ((XᵀWX)⁻¹), kept whatever vcov type is reported. */
  readonly vcovModel: readonly (readonly number[])[];
}

const ETA_MAX = 30; // R's binomial linkinv thresholds probabilities at ~1e-13 near |η| = 30

function invLogit(eta: number): number {
  if (eta > ETA_MAX) eta = ETA_MAX; else if (eta < -ETA_MAX) eta = -ETA_MAX;
  return 1 / (1 + Math.exp(-eta));
}

function binDeviance(y: Float64Array, mu: Float64Array, w: Float64Array | null): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i] : 1;
    d += wi * (y[i] === 1 ? -Math.log(mu[i]) : -Math.log(1 - mu[i]));
  }
  return 2 * d;
}

/**
 * Pivoted-drop Cholesky of a p × p cross-product: columns whose scaled residual pivot is ≤ tol
 * (linearly dependent on earlier ones) are dropped. Returns the kept indices.
 */
function independentFromCrossprod(G: Float64Array, p: number, tol = 1e-10): number[] {
  const s = new Float64Array(p);
  for (let j = 0; j < p; j++) s[j] = G[j * p + j] > 0 ? 1 / Math.sqrt(G[j * p + j]) : 0;
  const kept: number[] = []; const L: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    if (s[j] === 0) continue;
    const lj = new Float64Array(kept.length + 1);
    for (let a = 0; a < kept.length; a++) {
      const k = kept[a];
      let v = G[k * p + j] * s[k] * s[j];
      for (let b = 0; b < a; b++) v -= L[a][b] * lj[b];
      lj[a] = v / L[a][a];
    }
    let d = 1;
    for (let a = 0; a < kept.length; a++) d -= lj[a] * lj[a];
    if (d <= tol) continue;
    lj[kept.length] = Math.sqrt(d);
    kept.push(j); L.push(lj);
  }
  return kept;
}

/** Xᵀ diag(w) X and Xᵀ (w z) as new arrays (the cholesky below factors A out of place). */
function normalEquations(x: Float64Array, n: number, p: number, wt: Float64Array, z: Float64Array): { A: Float64Array; b: Float64Array } {
  const A = new Float64Array(p * p); const b = new Float64Array(p);
  weightedNormalEquations(x, n, p, wt, z, A, b);
  return { A, b };
}

/**
 * fitLogit. Inputs: y ∈ {0,1} (n), x (n × p, no implicit intercept), optional prior weights,
 * vcov type, cluster ids. Output: frozen LogitFit. Newton–IRLS from R's starting values, to a
 * relative deviance change of `tol`; variances use the weights at β̂. Failure flags:
 * converged = false after maxIter; `separation` when fitted probabilities reach 0/1 or
 * coefficients diverge (a warning names the suspects); aliased columns reported.
 */
export function fitLogit(input: FitLogitInput): LogitFit {
  const X = checkDesign(input.x, undefined);
  const n = X.nrow; const p0 = X.ncol;
  if (n === 0) throw new Error('fitLogit: no rows');
  const y = checkVector(input.y, n, 'y', { binary: true });
  const w = input.weights ? checkVector(input.weights, n, 'weights', { positive: true }) : null;
  const allNames = defaultNames(p0, input.names);
  const level = input.level ?? 0.95;
  const maxIter = input.maxIter ?? 100;
  const tol = input.tol ?? 1e-12;
  const warnings: string[] = [];
  const fractional = w !== null && !integerWeights(w);
  if (fractional) warnings.push('fitLogit: non-integer #successes in a binomial glm (weights are not all integers)');
  const vcovType: LogitVcovType = input.vcov ?? (fractional ? 'HC0' : 'classical');
  if (fractional && input.vcov === undefined) warnings.push(robustWeightsNote('fitLogit'));

  // R's binomial initialize: mustart = (w y + 0.5)/(w + 1).
  const mu = new Float64Array(n); const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    mu[i] = (wi * y[i] + 0.5) / (wi + 1);
    eta[i] = Math.log(mu[i] / (1 - mu[i]));
  }
  const wt = new Float64Array(n); const z = new Float64Array(n);
  const setWorking = () => {
    for (let i = 0; i < n; i++) {
      const v = mu[i] * (1 - mu[i]);
      wt[i] = (w ? w[i] : 1) * v;
      z[i] = eta[i] + (y[i] - mu[i]) / v;
    }
  };
  setWorking();
  // Rank from the first weighted cross-product (weights > 0 so aliasing is that of X).
  let { A, b } = normalEquations(X.data, n, p0, wt, z);
  const { x, p, names, aliased } = keepColumns(X, allNames, independentFromCrossprod(A, p0), warnings);
  if (p !== p0) ({ A, b } = normalEquations(x, n, p, wt, z));

  const model: IrlsModel = {
    p,
    deviance(beta) {
      for (let i = 0; i < n; i++) {
        let e = 0; const off = i * p;
        for (let j = 0; j < p; j++) e += x[off + j] * beta[j];
        eta[i] = e; mu[i] = invLogit(e);
      }
      return binDeviance(y, mu, w);
    },
    normalEquations(A1, b1) {
      setWorking();
      weightedNormalEquations(x, n, p, wt, z, A1, b1);
    },
  };
  const fitted = irlsNewton(model, new Float64Array(p), binDeviance(y, mu, w), { maxIter, halvings: 30, riseTol: 1e-10, converged: (change) => change < tol }, A, b);
  const { beta, converged, iterations: iter } = fitted;
  const dev = fitted.deviance;
  if (fitted.singular) warnings.push(`IRLS: weighted cross-product not positive definite at iteration ${iter}`);
  if (!converged) warnings.push(`IRLS did not converge in ${maxIter} iterations`);
  model.normalEquations(A, b);

  // Variances at β̂ (A recomputed from the weights at the final β).
  const Lf = cholesky(A, p);
  let bread: Float64Array;
  if (Lf) bread = cholInverse(Lf, p);
  else { bread = new Float64Array(p * p).fill(NaN); warnings.push(degenerateMessage('fitLogit', { kind: 'singular-information', where: 'at the estimate' })); }
  let V: Float64Array = bread;
  let nClusters: number | undefined;
  const k = p;
  if (vcovType !== 'classical') {
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) score[i] = (w ? w[i] : 1) * (y[i] - mu[i]);
    if (vcovType === 'cluster') {
      const cl = clusterVariance(bread, x, n, k, score, input.cluster, input.clusterType ?? 'HC0', 'fitLogit', k, names);
      V = cl.V;
      nClusters = cl.G;
      warnings.push(...cl.warnings);
    } else if (vcovType === 'HC0' || vcovType === 'HC1') {
      V = hcVariance(vcovType, bread, x, n, k, score, null, 'fitLogit').V;
    } else throw new Error(`fitLogit: unknown vcov type '${vcovType as string}' (classical, HC0, HC1, cluster)`);
  }

  // Separation diagnostics.
  let extreme = 0;
  for (let i = 0; i < n; i++) if (mu[i] < 1e-10 || mu[i] > 1 - 1e-10) extreme++;
  const tab = coefTable(names, beta, V, vcovType === 'cluster' ? `cluster-${input.clusterType ?? 'HC0'}` : vcovType === 'classical' ? 'model' : vcovType, 'z', Infinity, level, warnings, 'fitLogit');
  const seModel = names.map((_, j) => Math.sqrt(bread[j * p + j]));
  const diverging = names.filter((_, j) => Math.abs(beta[j]) > 5 && seModel[j] > 10 * Math.abs(beta[j]));
  const separation = extreme > 0 || diverging.length > 0 || !converged && dev < 1e-6 * n;
  if (separation) {
    warnings.push(`possible (quasi-)complete separation: ${extreme} fitted probabilities are numerically 0 or 1`
      + (diverging.length ? `; coefficients diverging (huge estimate and SE): ${diverging.join(', ')}` : '')
      + '. Estimates for the separated terms are not finite MLEs; consider merging levels or penalised (Firth) logit.');
  }

  // Null model: intercept-only MLE when there is an intercept, else η = 0.
  const ic = interceptIndex(x, n, p, names);
  let sw = 0; let swy = 0;
  for (let i = 0; i < n; i++) { const wi = w ? w[i] : 1; sw += wi; swy += wi * y[i]; }
  const mu0 = ic >= 0 ? swy / sw : 0.5;
  let nullDev = 0;
  for (let i = 0; i < n; i++) { const wi = w ? w[i] : 1; nullDev += wi * (y[i] === 1 ? -Math.log(mu0) : -Math.log(1 - mu0)); }
  nullDev *= 2;
  const logLik = -dev / 2;
  const logLikNull = -nullDev / 2;
  const dfNull = n - (ic >= 0 ? 1 : 0);
  const lrDf = p - (ic >= 0 ? 1 : 0);
  const lrStat = nullDev - dev;
  const fit: LogitFit = {
    model: 'logit',
    ...tab,
    aliased: Object.freeze(aliased),
    n, dfResidual: n - p, dfNull,
    deviance: dev, nullDeviance: nullDev, logLik, logLikNull,
    aic: dev + 2 * k, bic: dev + Math.log(n) * k,
    lrTestNull: { statistic: lrStat, df: lrDf, p: lrDf > 0 ? pChisqUpper(lrStat, lrDf) : NaN },
    iterations: iter, converged,
    warnings: Object.freeze(warnings),
    options: Object.freeze({ vcov: vcovType, clusterType: vcovType === 'cluster' ? input.clusterType ?? 'HC0' : undefined, weighted: !!w, level, allNames }),
    nClusters,
    fitted: mu, linearPredictor: eta, separation,
    vcovModel: Object.freeze(toRows(bread, p)),
    summary(): TidyRow[] { return tidyRows(tab, aliased, allNames); },
    tidy(): TidyRow[] { return tidyRows(tab, aliased, allNames); },
    glance(): TidyRow {
      return {
        'null.deviance': nullDev, 'df.null': dfNull, logLik, AIC: dev + 2 * k, BIC: dev + Math.log(n) * k, deviance: dev,
        'df.residual': n - p, nobs: n, 'n.clusters': nClusters ?? null, 'variance.type': tab.vcovType,
      };
    },
    varianceType: tab.vcovType,
    spec: Object.freeze({ vcov: vcovType, weighted: !!w, level }),
  };
  return Object.freeze(fit);
}

export interface LrTestRow {
  readonly model: number;
  readonly logLik: number;
  readonly df: number;
  readonly statistic: number | null;
  readonly 'df.diff': number | null;
  readonly 'p.value': number | null;
}

/**
 * Likelihood-ratio tests for nested fits (logit, or any fit with logLik and coefficient count):
 * each row against the previous one, 2·(ℓ_i − ℓ_{i−1}) on the difference in parameters, as
 * lmtest::lrtest / anova(glm, test = 'Chisq').
 */
export function lrTest(fits: readonly FitBase[]): LrTestRow[] {
  if (fits.length < 2) throw new Error('lrTest: needs at least two fits');
  const n = fits[0].n;
  fits.forEach((f, i) => { if (f.n !== n) throw new Error(`lrTest: model ${i + 1} has n = ${f.n}, model 1 has n = ${n}; fits must use the same rows`); });
  return fits.map((f, i) => {
    const df = f.names.length;
    if (i === 0) return { model: 1, logLik: f.logLik, df, statistic: null, 'df.diff': null, 'p.value': null };
    const prev = fits[i - 1];
    const dd = df - prev.names.length;
    const stat = 2 * (f.logLik - prev.logLik);
    return { model: i + 1, logLik: f.logLik, df, statistic: stat, 'df.diff': dd, 'p.value': dd !== 0 ? pChisqUpper(Math.abs(stat), Math.abs(dd)) : null };
  });
}
