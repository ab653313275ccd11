/**
 * The Newton / IRLS iteration every GLM fitter runs (logit, the Poisson and negative binomial
 * GLMs), as R's glm.fit: solve the weighted normal equations XᵀWX β = XᵀWz by Cholesky, halve the
 * step while the deviance is not finite or rises, stop on the model's convergence rule. The model
 * supplies its own link, deviance and working weights through `IrlsModel`, so the loop, the step
 * halving and the singular-information stop are written once.
 */
import { cholesky, cholSolve } from './linalg';

/** A GLM as the IRLS loop sees it. */
export interface IrlsModel {
  /** Number of coefficients. */
  readonly p: number;
  /** Sets the model's η and μ at β and returns the deviance there (NaN or ∞ when not defined). */
  deviance(beta: Float64Array): number;
  /** The normal equations at the current μ: A = XᵀWX (p × p, row-major) and b = XᵀWz (p), into A and b. */
  normalEquations(A: Float64Array, b: Float64Array): void;
}

export interface IrlsControl {
  readonly maxIter: number;
  /** Step halvings allowed in one iteration. */
  readonly halvings: number;
  /** After the first iteration a step is taken when dev_new ≤ dev · (1 + riseTol) + riseTol. */
  readonly riseTol: number;
  /** Convergence from the relative deviance change |Δdev| / (|dev| + 0.1) (glm.fit's) and the largest relative coefficient step. */
  converged(change: number, step: number): boolean;
}

export interface IrlsResult {
  readonly beta: Float64Array;
  /** Deviance at `beta` (the last accepted step). */
  readonly deviance: number;
  /** Iterations run (at most maxIter). */
  readonly iterations: number;
  readonly converged: boolean;
  /** XᵀWX stopped being positive definite (in iteration `iterations`); beta is then the last good one. */
  readonly singular: boolean;
}

/**
 * Runs IRLS from β₀ (length p) with deviance dev₀ at the model's current μ. `A0`/`b0`, when given,
 * already hold the normal equations at that μ (a caller that needed them for a rank check), and
 * the first iteration uses them. Returns the estimate and how the loop ended; the model's η and μ
 * are left at the last β whose deviance was evaluated.
 */
export function irlsNewton(model: IrlsModel, beta0: Float64Array, dev0: number, ctl: IrlsControl, A0?: Float64Array, b0?: Float64Array): IrlsResult {
  const p = model.p;
  const A = A0 ?? new Float64Array(p * p); const b = b0 ?? new Float64Array(p);
  let fresh = A0 !== undefined && b0 !== undefined;
  let beta = Float64Array.from(beta0);
  let dev = dev0;
  let iterations = 0; let converged = false; let singular = false;
  for (let it = 1; it <= ctl.maxIter; it++) {
    iterations = it;
    if (!fresh) model.normalEquations(A, b);
    fresh = false;
    const L = cholesky(A, p);
    if (!L) { singular = true; break; }
    let next = cholSolve(L, p, b);
    let devNew = NaN;
    for (let half = 0; half < ctl.halvings; half++) {
      devNew = model.deviance(next);
      if (Number.isFinite(devNew) && (it === 1 || devNew <= dev * (1 + ctl.riseTol) + ctl.riseTol)) break;
      const h = new Float64Array(p);
      for (let j = 0; j < p; j++) h[j] = (next[j] + beta[j]) / 2;
      next = h;
    }
    let step = 0;
    for (let j = 0; j < p; j++) step = Math.max(step, Math.abs(next[j] - beta[j]) / (1 + Math.abs(next[j])));
    beta = next;
    const change = Math.abs(devNew - dev) / (Math.abs(devNew) + 0.1);
    dev = devNew;
    if (ctl.converged(change, step)) { converged = true; break; }
  }
  return { beta, deviance: dev, iterations, converged, singular };
}
