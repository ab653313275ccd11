/**
 * What both LMM fits (./lmm, ./lmmSlopes) share: their input checks, and the step after the random effects are absorbed: from the reduced cross-product
 * system P = [X y]'V⁻¹[X y] (q × q, q = p + 1, row-major; V up to σ²) and log|random-effect system|,
 * profile out β and σ² and give lme4's profiled deviance (REML or ML) — Bates et al. (2015),
 * "Fitting linear mixed-effects models using lme4", J. Stat. Softw. 67(1), eqs. 34 and 41.
 * `A` (p × p) and `c` (p) are caller-owned scratch, so the optimiser's loop allocates only the result.
 * Returns null when X'V⁻¹X is not positive definite or the residual sum of squares is not positive.
 */
import { cholesky, cholSolve, logDetFromChol } from '../core/linalg';
import { checkDesign, checkVector, defaultNames, type TidyRow } from './fitBase';
import type { DenseMatrix } from '../core/matrix';
import type { FitLmmInput } from './lmmTypes';

/** The checked inputs of an LMM fit: X (n × p), y (n), coefficient names, REML flag (default true) and level (default 0.95). */
export interface LmmInputs { X: DenseMatrix; n: number; p: number; y: Float64Array; names: string[]; reml: boolean; level: number }

/** Checks an LMM's fixed-effects inputs. Errors: no rows, non-finite x or y (naming row and column), y or names of the wrong length. */
export function lmmInputs(input: FitLmmInput): LmmInputs {
  const X = checkDesign(input.x, undefined);
  const n = X.nrow; const p = X.ncol;
  if (n === 0) throw new Error('fitLmm: no rows');
  return { X, n, p, y: checkVector(input.y, n, 'y'), names: defaultNames(p, input.names), reml: input.reml ?? true, level: input.level ?? 0.95 };
}

export interface ProfiledDeviance { dev: number; beta: Float64Array; L: Float64Array; r2: number }

/** The profiled (RE)ML deviance and β̂ at given variance parameters (see the header for the inputs); null when not positive definite. */
export function profiledDeviance(P: Float64Array, p: number, n: number, reml: boolean, logdetRe: number, A: Float64Array, c: Float64Array): ProfiledDeviance | null {
  const q = p + 1;
  for (let a = 0; a < p; a++) { for (let b = 0; b < p; b++) A[a * p + b] = P[a * q + b]; c[a] = P[a * q + p]; }
  const L = cholesky(A, p);
  if (!L) return null;
  const beta = cholSolve(L, p, c);
  let r2 = P[p * q + p];
  for (let a = 0; a < p; a++) r2 -= c[a] * beta[a];
  if (!(r2 > 0)) return null;
  const dev = reml
    ? logdetRe + logDetFromChol(L, p) + (n - p) * (1 + Math.log((2 * Math.PI * r2) / (n - p)))
    : logdetRe + n * (1 + Math.log((2 * Math.PI * r2) / n));
  return { dev, beta, L: Float64Array.from(L), r2 };
}

/**
 * glance() row of an LMM, as broom.mixed's glance(lmer): σ, logLik, AIC/BIC from the (RE)ML
 * criterion `dev` = −2 logLik with dfLogLik parameters, the criterion under lme4's name, and
 * lme4's df.residual = n − (fixed effects + variance parameters).
 */
export function lmerGlance(sigma2: number, logLik: number, dev: number, dfLogLik: number, n: number, reml: boolean, varianceType: string): TidyRow {
  return {
    sigma: Math.sqrt(sigma2), logLik, AIC: dev + 2 * dfLogLik, BIC: dev + Math.log(n) * dfLogLik,
    [reml ? 'REMLcrit' : 'deviance']: dev, 'df.residual': n - dfLogLik, nobs: n, 'variance.type': varianceType,
  };
}
