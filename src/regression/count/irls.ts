/**
 * IRLS for log-link count GLMs (Poisson, NB2 at fixed θ), as R's glm.fit: working response
 * z = η − offset + (y − μ)/μ, weights w·μ/(1 + μ/θ), normal equations solved by Cholesky.
 * All per-row work runs in preallocated typed arrays; only p × p objects are made per iteration.
 */
import { weightedNormalEquations } from '../../core/linalg';
import { irlsNewton, type IrlsModel } from '../../core/irls';
import { countDeviance, workingWeight } from './family';

export interface IrlsProblem {
  /** n × p row-major design (full column rank). */
  readonly x: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly y: Float64Array;
  readonly offset: Float64Array | null;
  readonly weights: Float64Array | null;
}

export interface IrlsState {
  readonly beta: Float64Array;
  /** Linear predictor including the offset. */
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
  /** Set when the weighted cross-product stopped being positive definite. */
  singular: boolean;
}

const ETA_MAX = 700; // exp overflows past ~709

/** η = Xβ + offset, μ = exp(η). */
export function linearPredictor(pr: IrlsProblem, beta: Float64Array, eta: Float64Array, mu: Float64Array): void {
  const { x, n, p, offset } = pr;
  for (let i = 0; i < n; i++) {
    let e = offset ? offset[i] : 0; const off = i * p;
    for (let j = 0; j < p; j++) e += x[off + j] * beta[j];
    if (e > ETA_MAX) e = ETA_MAX;
    eta[i] = e; mu[i] = Math.exp(e);
  }
}

/** Working weights and response at the current μ (no allocation). */
export function working(pr: IrlsProblem, st: IrlsState, theta: number, wt: Float64Array, z: Float64Array): void {
  const { n, y, offset, weights } = pr;
  for (let i = 0; i < n; i++) {
    const m = st.mu[i];
    wt[i] = (weights ? weights[i] : 1) * workingWeight(m, theta);
    z[i] = st.eta[i] - (offset ? offset[i] : 0) + (y[i] - m) / m;
  }
}

/**
 * Runs IRLS from `start` (μ per row, e.g. R's y + 0.1 or a previous fit's μ) at fixed θ
 * (Infinity = Poisson). Stops when the relative deviance change is below tol (R's criterion,
 * default much tighter than R's 1e-8) and the step is negligible; halves steps whose deviance
 * is not finite or rises, as glm.fit does (core/irls). Returns the state at β̂.
 */
export function irls(pr: IrlsProblem, theta: number, startMu: Float64Array, tol = 1e-14, maxIter = 100): IrlsState {
  const { n, p, y, weights } = pr;
  const st: IrlsState = { beta: new Float64Array(p), eta: new Float64Array(n), mu: new Float64Array(n), deviance: NaN, iterations: 0, converged: false, singular: false };
  // The start is a μ, not a β: the first working response uses η = log μ (offset included).
  for (let i = 0; i < n; i++) { st.mu[i] = startMu[i]; st.eta[i] = Math.log(startMu[i]) + 0; }
  const wt = new Float64Array(n); const z = new Float64Array(n);
  const model: IrlsModel = {
    p,
    deviance(beta) {
      linearPredictor(pr, beta, st.eta, st.mu);
      return countDeviance(y, st.mu, weights, theta);
    },
    normalEquations(A, b) {
      working(pr, st, theta, wt, z);
      weightedNormalEquations(pr.x, n, p, wt, z, A, b);
    },
  };
  const r = irlsNewton(model, st.beta, countDeviance(y, st.mu, weights, theta), {
    maxIter, halvings: 40, riseTol: 1e-12, converged: (change, step) => change < tol && step < 1e-10 || step < 1e-15,
  });
  st.beta.set(r.beta);
  st.deviance = r.deviance; st.iterations = r.iterations; st.converged = r.converged; st.singular = r.singular;
  return st;
}
