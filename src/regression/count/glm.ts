/**
 * fitGlm: Poisson and negative binomial (NB2) regression on the log link with an offset, as
 * R's glm(family = poisson) and MASS::glm.nb; model-based, HC0/HC1 and cluster-robust
 * (sandwich::vcovCL) variances evaluated exactly at the estimate; dispersion diagnostics.
 */
import { cholesky, cholInverse, sandwich, weightedNormalEquations } from '../../core/linalg';
import { pChisqUpper } from '../../core/distributions';
import { toDense } from '../../core/matrix';
import { scoreMeat } from '../../core/robust';
import { countDeviance, countLogLik, pearsonChisq, type CountFamily } from './family';
import { irls, type IrlsProblem, type IrlsState } from './irls';
import { fitNegbinTheta } from './negbin';
import { nanMatrix } from '../../core/guard';
import { formatEstimate, pInProse, formatWhole } from '../../core/numberStyle';
import { seFromVcov, waldRows, type CountResult, type Row, type TidyOptions } from './result';
import { checkCounts } from './checks';
import { defaultNames, fullRankDesign, type ClusterInput, type RegressionInputBase } from '../fitBase';
import { labelCodes } from '../../core/groups';

export type GlmVcovType = 'model' | 'HC0' | 'HC1' | 'cluster';

/** y holds the counts (n), non-negative. */
export interface FitGlmInput extends RegressionInputBase, ClusterInput {
  readonly family: CountFamily;
  /** Added to η with coefficient 1, e.g. log(population). */
  readonly offset?: ArrayLike<number>;
  /** Prior weights (> 0). */
  readonly weights?: ArrayLike<number>;
  /** Default 'model'; 'HC0' when weights are not whole numbers (they are then not frequencies). */
  readonly vcov?: GlmVcovType;
  /** Convergence tolerance on the relative deviance change (default 1e-14; R's is 1e-8). */
  readonly tol?: number;
  readonly maxIter?: number;
  /** Spec to carry on the result (table level passes its formula). */
  readonly spec?: unknown;
}

export interface GlmFit extends CountResult {
  readonly model: 'glm';
  readonly family: CountFamily;
  readonly spec: unknown;
  readonly n: number;
  readonly aliased: readonly string[];
  readonly logLik: number;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly dfResidual: number;
  readonly dfNull: number;
  readonly aic: number;
  readonly bic: number;
  /** NB2 shape θ (Var = μ + μ²/θ) and 1/√(observed information); Infinity / NaN for Poisson. */
  readonly theta: number;
  readonly thetaSe: number;
  readonly pearsonChisq: number;
  /** Pearson χ² / residual df (what quasipoisson would use); ≫ 1 signals overdispersion. */
  readonly dispersion: number;
  /** Upper-tail p of Pearson χ² on the residual df (goodness of fit / overdispersion test). */
  readonly dispersionP: number;
  readonly vcovModel: Float64Array;
  readonly fitted: Float64Array;
  readonly linearPredictor: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  readonly nClusters: number | null;
}

/**
 * fitGlm. Inputs as FitGlmInput. Output: frozen GlmFit. Aliased columns are dropped (R's NA
 * coefficients) with a warning. Degenerate fits (no positive count, n ≤ p, singular information,
 * non-convergence) give NaN variances and a warning naming the cause. Errors: negative or
 * non-finite counts, non-finite offsets or weights, naming the row.
 */
export function fitGlm(input: FitGlmInput): GlmFit {
  const X = toDense(input.x, 'x');
  const n = X.nrow; const p0 = X.ncol;
  if (n === 0) throw new Error('fitGlm: no rows');
  const warnings: string[] = [];
  const { y, offset, weights } = checkCounts(input.y, input.offset, input.weights, n, warnings, 'fitGlm');
  const allNames = defaultNames(p0, input.names, 'fitGlm');
  const level = input.level ?? 0.95;
  const wholeWeights = !weights || weights.every((w) => Number.isInteger(w));
  const vcovType: GlmVcovType = input.vcov ?? (wholeWeights ? 'model' : 'HC0');
  if (!input.vcov && !wholeWeights) warnings.push('weights are not whole numbers: reporting HC0 robust SEs (the model-based variance assumes frequency weights)');

  const { x, p, names, aliased } = fullRankDesign(X, allNames, warnings);
  const pr: IrlsProblem = { x, n, p, y, offset, weights };

  let total = 0;
  for (let i = 0; i < n; i++) total += y[i];
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) start[i] = y[i] + 0.1; // R's poisson()$initialize
  let st: IrlsState = irls(pr, Infinity, start, input.tol, input.maxIter);
  let theta = Infinity; let thetaSe = NaN;
  if (input.family === 'negbin') {
    const nb = fitNegbinTheta(pr, st, input.tol, input.maxIter);
    st = nb.state; theta = nb.theta; thetaSe = nb.thetaSe;
    warnings.push(...nb.warnings);
  } else if (input.family !== 'poisson') throw new Error(`fitGlm: unknown family '${input.family as string}' (poisson, negbin)`);
  if (!st.converged) warnings.push(`IRLS did not converge in ${st.iterations} iterations`);
  if (total === 0) warnings.push('all counts are 0: the rate is estimated as 0, coefficients are not finite and SEs are NaN');
  if (n <= p) warnings.push(`n = ${formatWhole(n)} rows for ${p} coefficients: no residual degrees of freedom, SEs are NaN`);

  // Variance at β̂ (θ̂ treated as known, as summary.negbin).
  const wt = new Float64Array(n); const z = new Float64Array(n);
  for (let i = 0; i < n; i++) { const m = st.mu[i]; wt[i] = (weights ? weights[i] : 1) * (theta === Infinity ? m : m / (1 + m / theta)); }
  const A = new Float64Array(p * p); const b = new Float64Array(p);
  weightedNormalEquations(x, n, p, wt, z, A, b);
  const L = total > 0 && n > p ? cholesky(A, p, 1e-13) : null;
  if (!L && total > 0 && n > p) warnings.push('information matrix XᵀWX is singular at the estimate (a level with no counts?): SEs are NaN');
  const bread = L ? cholInverse(L, p) : nanMatrix(p);
  let V = bread; let nClusters: number | null = null;
  if (vcovType !== 'model' && L) {
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) { const m = st.mu[i]; score[i] = (weights ? weights[i] : 1) * (y[i] - m) / (theta === Infinity ? 1 : 1 + m / theta); }
    if (vcovType === 'cluster') {
      if (!input.cluster) throw new Error("fitGlm: vcov 'cluster' needs `cluster` ids");
      const { codes, levels } = labelCodes(input.cluster, n, 'fitGlm: cluster');
      const G = levels.length;
      nClusters = G;
      if (G < 2) { warnings.push('cluster-robust variance needs at least 2 clusters: SEs are NaN'); V = nanMatrix(p); } else {
        V = sandwich(bread, scoreMeat(x, n, p, score, codes, G), p);
        const adj = G / (G - 1) * ((input.clusterType ?? 'HC0') === 'HC1' ? (n - 1) / (n - p) : 1);
        for (let i = 0; i < p * p; i++) V[i] *= adj;
      }
    } else if (vcovType === 'HC0' || vcovType === 'HC1') {
      V = sandwich(bread, scoreMeat(x, n, p, score, null, 0), p);
      if (vcovType === 'HC1') for (let i = 0; i < p * p; i++) V[i] *= n / (n - p);
    } else throw new Error(`fitGlm: unknown vcov '${vcovType as string}' (model, HC0, HC1, cluster)`);
  }
  if (total === 0) { V = nanMatrix(p); for (let j = 0; j < p; j++) st.beta[j] = NaN; }
  const se = seFromVcov(V, p, { names, warnings, who: 'fitGlm', reference: V === bread ? undefined : bread });

  const logLik = countLogLik(y, st.mu, weights, theta);
  const deviance = countDeviance(y, st.mu, weights, theta);
  const nullDeviance = nullModelDeviance(pr, theta, names);
  const chi = pearsonChisq(y, st.mu, weights, theta);
  const dfResidual = n - p;
  const dispersion = chi / dfResidual;
  const dispersionP = dfResidual > 0 ? pChisqUpper(chi, dfResidual) : NaN;
  if (input.family === 'poisson' && dfResidual > 0 && dispersion > 1.2 && dispersionP < 0.01) {
    warnings.push(`Poisson is overdispersed: Pearson χ²/df = ${formatEstimate(dispersion, 2)} (${pInProse(dispersionP)}); model SEs are too small. Use family 'negbin' or cluster-robust SEs`);
  }
  const k = p + (input.family === 'negbin' ? 1 : 0);
  const hasIntercept = names.includes('(Intercept)');
  const varianceType = vcovType === 'cluster' ? `cluster-${input.clusterType ?? 'HC0'}` : vcovType;
  const tidy = (o: TidyOptions = {}): Row[] => {
    const rows = waldRows(names, st.beta, se, o, level);
    for (const a of aliased) rows.push({ term: a, estimate: null, 'std.error': null, statistic: null, 'p.value': null, 'conf.low': null, 'conf.high': null });
    return rows;
  };
  const glance = (): Row => ({
    family: input.family, nobs: n, 'df.null': hasIntercept ? n - 1 : n, 'df.residual': dfResidual, logLik, AIC: -2 * logLik + 2 * k,
    BIC: -2 * logLik + Math.log(n) * k, deviance, 'null.deviance': nullDeviance, theta: input.family === 'negbin' ? theta : null,
    'theta.se': input.family === 'negbin' ? thetaSe : null, 'pearson.chisq': chi, dispersion, 'vcov.type': varianceType,
    'n.clusters': nClusters, converged: st.converged ? 'yes' : 'no', warnings: warnings.length ? warnings.join(' | ') : null,
  });
  const fit: GlmFit = {
    model: 'glm', family: input.family, spec: input.spec ?? null, names, coef: st.beta, se, vcov: V, varianceType, level,
    warnings: Object.freeze(warnings), n, aliased, logLik, deviance, nullDeviance, dfResidual, dfNull: hasIntercept ? n - 1 : n,
    aic: -2 * logLik + 2 * k, bic: -2 * logLik + Math.log(n) * k, theta, thetaSe, pearsonChisq: chi, dispersion, dispersionP,
    vcovModel: bread, fitted: st.mu, linearPredictor: st.eta, iterations: st.iterations, converged: st.converged, nClusters,
    tidy, glance, summary: () => ({ coefficients: tidy(), glance: glance(), warnings }),
  };
  return Object.freeze(fit);
}

/** Deviance of the intercept + offset model at the same θ (R: offset kept in the null model). */
function nullModelDeviance(pr: IrlsProblem, theta: number, names: readonly string[]): number {
  const { n, y, offset, weights } = pr;
  const mu = new Float64Array(n);
  if (!names.includes('(Intercept)')) {
    for (let i = 0; i < n; i++) mu[i] = Math.exp(offset ? offset[i] : 0);
    return countDeviance(y, mu, weights, theta);
  }
  const ones = new Float64Array(n).fill(1);
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) start[i] = y[i] + 0.1;
  const st = irls({ x: ones, n, p: 1, y, offset, weights }, theta, start);
  return st.deviance;
}
