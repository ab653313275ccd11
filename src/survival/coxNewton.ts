// R's coxph Newton–Raphson with step-halving, and the robust (grouped dfbeta) variance, over any
// Cox partial-likelihood evaluator: the row core (coxcore.ts) and the class-copy core
// (coxCopies.ts) share them, so both follow coxph.fit's iteration and coxph's sandwich exactly.
import { reportProgress, type ProgressCallback } from '../core/progress';
import { pChisqUpper } from '../core/distributions';
import { cholesky, cholSolve, crossprod, quadFormInverse, symInverse } from '../core/linalg';
import { groupedJackknifeVariance } from '../core/robust';
import { degenerateMessage, guardVariance } from '../core/guard';

/** Evaluates the log partial likelihood at beta, filling the evaluator's score u (p) and information imat (p × p, symmetric). */
export type CoxEvaluator = (beta: Float64Array) => number;

export interface CoxNewtonResult {
  beta: Float64Array;
  logLik: number;
  logLikNull: number;
  /** Score test at beta = 0: u₀ᵀ I₀⁻¹ u₀. */
  scoreStat: number;
  /** Model-based variance, the inverse information at beta (p × p). */
  varNaive: Float64Array;
  converged: boolean;
  /**
   * True when the information stopped being positive definite along the Newton path: there is no
   * maximum to report, so the fit's coefficients, SEs and tests must be NaN (buildCoxFit does it).
   */
  noEstimate: boolean;
  iterations: number;
  warnings: string[];
}

/**
 * Maximises the partial likelihood as R's coxph.fit: Newton steps from 0, halving the step when
 * the log-likelihood falls or is not finite, stopping when |1 − ℓ_old/ℓ_new| ≤ eps after a full
 * step. Inputs: evaluator with its score/information buffers u (p) and imat (p × p), names (for
 * warnings), eps, iterMax, optional progress callback, caller name for errors.
 * Failure: throws when the information is singular at 0 or at the estimate; non-convergence and
 * a coefficient heading to ±∞ are warnings (R's wording).
 */
export function coxNewton(evaluate: CoxEvaluator, u: Float64Array, imat: Float64Array, names: readonly string[],
  eps: number, iterMax: number, onProgress: ProgressCallback | undefined, who: string): CoxNewtonResult {
  const p = names.length;
  const warnings: string[] = [];
  let beta = new Float64Array(p);
  let ll = evaluate(beta);
  if (!Number.isFinite(ll)) throw new Error(`${who}: log-likelihood at beta = 0 is not finite (empty risk set?)`);
  const llNull = ll;
  const scoreStat = quadFormInverse(Float64Array.from(imat), p, Float64Array.from(u));
  let chol = cholesky(imat, p, 1e-12);
  if (!chol) throw new Error(`${who}: information matrix is singular at beta = 0 (collinear or constant columns?)`);
  let step = cholSolve(chol, p, u);
  let newBeta = new Float64Array(p);
  for (let j = 0; j < p; j++) newBeta[j] = beta[j] + step[j];
  let halving = 0;
  let converged = false;
  let iterations = 0;
  let newLl = ll;
  let singularAt = 0;
  for (let iter = 1; iter <= iterMax; iter++) {
    iterations = iter;
    reportProgress(onProgress, iter - 1, iterMax, 'Newton iterations');
    newLl = evaluate(newBeta);
    if (Number.isFinite(newLl) && Math.abs(1 - ll / newLl) <= eps && halving === 0) {
      converged = true;
      break;
    }
    if (!Number.isFinite(newLl) || newLl < ll) {
      halving++;
      for (let j = 0; j < p; j++) newBeta[j] = (newBeta[j] + beta[j]) / 2;
    } else {
      halving = 0;
      ll = newLl;
      chol = cholesky(imat, p, 1e-12);
      if (!chol) {
        singularAt = iter;
        break;
      }
      beta = Float64Array.from(newBeta);
      step = cholSolve(chol, p, u);
      for (let j = 0; j < p; j++) newBeta[j] = beta[j] + step[j];
    }
  }
  reportProgress(onProgress, iterMax, iterMax, converged ? `converged in ${iterations} iterations` : 'stopped');
  if (singularAt > 0) {
    // Signed (BCH) weights or separated data: the partial likelihood is not concave where Newton
    // went, so the last accepted point is not an estimate; a number here would be a confident lie.
    warnings.push(`${who}: the information matrix is not positive definite at Newton iteration ${singularAt} (no maximum of the partial likelihood along the Newton path); coefficients, SEs and tests are NaN`);
  } else if (!converged) warnings.push(`Ran out of iterations (${iterMax}) and did not converge`);
  if (!converged) {
    // The best accepted point, with its derivatives (callers' residuals read the evaluator's state).
    newBeta = Float64Array.from(beta);
    newLl = evaluate(newBeta);
  }
  beta = newBeta;
  ll = newLl;
  const varNaive = singularAt > 0 ? new Float64Array(p * p).fill(NaN) : symInverse(imat, p);
  if (!varNaive) throw new Error(`${who}: information matrix is singular at the estimate (collinear columns?)`);
  if (converged) {
    // R: a remaining Newton step that is large relative to the coefficient flags divergence to ±∞.
    const tolerInf = Math.sqrt(eps);
    const bad: string[] = [];
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += varNaive[a * p + b] * u[b];
      const inf = Math.abs(s);
      if (inf > eps && inf > tolerInf * Math.abs(beta[a])) bad.push(names[a]);
    }
    if (bad.length) warnings.push(`Loglik converged before variable ${bad.join(', ')}; coefficient may be infinite.`);
  }
  return { beta, logLik: ll, logLikNull: llNull, scoreStat, varNaive, converged, noEstimate: singularAt > 0, iterations, warnings };
}

export interface CoxRobust {
  vcov: Float64Array;
  robustSe: number[];
  robustScoreTest: { statistic: number; df: number; p: number };
}

/**
 * coxph's robust variance D′D, D = per-group Σ w·score residual · V (grouped dfbeta), and the
 * robust score test at beta = 0. Inputs: groupScores(beta) → G × p per-group sums of w·score
 * residuals; G; the fit's beta and model variance; whether the groups are a cluster() term;
 * names; warnings (appended to). One cluster, or a zero variance, gives NaN with a warning.
 */
export function coxRobustVariance(groupScores: (beta: Float64Array) => Float64Array, G: number, beta: Float64Array,
  varNaive: Float64Array, isCluster: boolean, names: readonly string[], warnings: string[], who: string): CoxRobust {
  const p = names.length;
  let vcov = groupedJackknifeVariance(groupScores(beta), G, p, varNaive);
  if (isCluster && G < 2) {
    // One cluster: its dfbeta sum is U(β̂)·V = 0, so D′D is rounding noise, not a variance.
    vcov = vcov.fill(NaN);
    warnings.push(degenerateMessage(who, { kind: 'one-cluster', nClusters: G }));
  } else {
    const bad = guardVariance(vcov, p, names, Array.from({ length: p }, (_, j) => varNaive[j * p + j]));
    if (bad.length) warnings.push(degenerateMessage(who, { kind: 'zero-variance', terms: bad }));
  }
  const robustSe = Array.from({ length: p }, (_, j) => Math.sqrt(vcov[j * p + j]));
  const g0 = groupScores(new Float64Array(p));
  const b0 = crossprod(g0, G, p, null);
  const uSum = new Float64Array(p);
  for (let c = 0; c < G; c++) for (let a = 0; a < p; a++) uSum[a] += g0[c * p + a];
  const rs = quadFormInverse(b0, p, uSum);
  return { vcov, robustSe, robustScoreTest: { statistic: rs, df: p, p: pChisqUpper(rs, p) } };
}
