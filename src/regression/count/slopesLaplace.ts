/**
 * The Laplace deviance of a Poisson GLMM with a vector random effect per group (random intercept
 * and slopes, unstructured covariance), in lme4's parametrisation (Bates et al. 2015, JSS 67(1)):
 * b_g = Λu_g, u_g ~ N(0, I_r), Λ lower triangular with θ its entries read column by column, so
 * Σ = ΛΛ'. Per group the conditional mode û_g maximises Σ_i [y η − e^η] − ‖u‖²/2 with
 * η_i = offset_i + x_i'β + z_i'Λu_g, and
 *   deviance(θ, β) = −2 Σ log dpois(y, μ̂) + Σ ‖û_g‖² + Σ log det(Λ'Z_g'W_gZ_gΛ + I),  W = diag(μ̂)
 * (the Laplace approximation, nAGQ = 1). Groups are independent, so every matrix is r × r.
 * `lme4Devfun` replays lme4's own devfun for its finite-difference Hessian (see ./lme4hessian).
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import { cholesky, cholSolve, logDetFromChol } from '../../core/linalg';

export interface SlopesModel {
  readonly n: number; readonly p: number; readonly r: number; readonly G: number;
  readonly y: Float64Array;
  /** n × p fixed-effects design and n × r random-effects design (column 0 = 1), row-major. */
  readonly x: Float64Array; readonly z: Float64Array;
  readonly offset: Float64Array | null;
  /** Rows of group g are order[start[g] .. start[g+1]). */
  readonly order: Int32Array; readonly start: Int32Array;
  /** Σ lgamma(y + 1). */
  readonly lgy: number;
}

/** Number of θ parameters of an r × r random-effect covariance (lower triangle of Λ). */
export const nTheta = (r: number): number => (r * (r + 1)) / 2;

/** Λ (r × r, row-major, lower triangular) from θ read column by column, as lme4's Lind. */
export function lambdaOf(theta: ArrayLike<number>, r: number): Float64Array {
  const L = new Float64Array(r * r); let k = 0;
  for (let c = 0; c < r; c++) for (let i = c; i < r; i++) L[i * r + c] = theta[k++];
  return L;
}

export interface LaplaceState {
  deviance: number;
  /** Spherical conditional modes, G × r. */
  u: Float64Array;
  /** Per group A_g = Λ'Z'WZΛ + I at the mode, G × r × r. */
  A: Float64Array;
  /** μ̂ at the modes, length n. */
  mu: Float64Array;
  ok: boolean;
}

/** Linear predictor without the random part: offset + Xβ. */
export function fixedEta(m: SlopesModel, beta: ArrayLike<number>, out: Float64Array): void {
  const { n, p, x, offset } = m;
  for (let i = 0; i < n; i++) { let e = offset ? offset[i] : 0; const o = i * p; for (let j = 0; j < p; j++) e += x[o + j] * beta[j]; out[i] = e; }
}

/**
 * Laplace deviance at (θ, β): conditional modes by Newton with step halving per group, warm
 * started from `u0` (G × r; not modified). Returns the state at the modes.
 */
export function laplace(m: SlopesModel, theta: ArrayLike<number>, beta: ArrayLike<number>, u0: Float64Array): LaplaceState {
  const { n, r, G, y, z, order, start } = m;
  const Lam = lambdaOf(theta, r);
  const eta0 = new Float64Array(n); fixedEta(m, beta, eta0);
  const u = u0.slice(); const A = new Float64Array(G * r * r); const mu = new Float64Array(n);
  const zl = new Float64Array(r); const grad = new Float64Array(r); const H = new Float64Array(r * r); const un = new Float64Array(r);
  let dev = 0; let ok = true;
  /** Penalised log-likelihood of group g at u (its own r values), filling mu for its rows. */
  const h = (g: number, uu: ArrayLike<number>): number => {
    let s = 0;
    for (let k = start[g]; k < start[g + 1]; k++) {
      const i = order[k]; let e = eta0[i];
      for (let a = 0; a < r; a++) { let v = 0; for (let c = 0; c <= a; c++) v += Lam[a * r + c] * uu[c]; e += z[i * r + a] * v; }
      const mi = Math.exp(e); mu[i] = mi; s += y[i] * e - mi;
    }
    for (let a = 0; a < r; a++) s -= 0.5 * uu[a] * uu[a];
    return s;
  };
  for (let g = 0; g < G; g++) {
    const ug = u.subarray(g * r, g * r + r);
    let f = h(g, ug);
    for (let it = 0; it < 100; it++) {
      // gradient Λ'Z'(y − μ) − u and curvature Λ'Z'WZΛ + I at the current u (mu filled by h)
      grad.fill(0); H.fill(0);
      for (let k = start[g]; k < start[g + 1]; k++) {
        const i = order[k];
        for (let c = 0; c < r; c++) { let v = 0; for (let a = c; a < r; a++) v += z[i * r + a] * Lam[a * r + c]; zl[c] = v; }
        const res = y[i] - mu[i];
        for (let c = 0; c < r; c++) { grad[c] += zl[c] * res; for (let d = 0; d <= c; d++) H[c * r + d] += mu[i] * zl[c] * zl[d]; }
      }
      for (let c = 0; c < r; c++) { grad[c] -= ug[c]; H[c * r + c] += 1; for (let d = 0; d < c; d++) H[d * r + c] = H[c * r + d]; }
      const L = cholesky(H, r);
      if (!L) { ok = false; break; }
      const step = cholSolve(L, r, grad);
      let smax = 0; for (let c = 0; c < r; c++) smax = Math.max(smax, Math.abs(step[c]));
      if (smax < 1e-11) { for (let c = 0; c < r; c++) ug[c] += step[c]; break; }
      let t = 1; let fn = -Infinity;
      for (let half = 0; half < 50; half++) {
        for (let c = 0; c < r; c++) un[c] = ug[c] + t * step[c];
        fn = h(g, un);
        if (fn >= f - 1e-13 * Math.abs(f)) break;
        t /= 2;
      }
      let mx = 0; for (let c = 0; c < r; c++) mx = Math.max(mx, Math.abs(un[c] - ug[c]));
      ug.set(un); f = fn;
      if (mx < 1e-11) break;
    }
    f = h(g, ug);
    // A at the mode, and the group's deviance terms
    const Ag = A.subarray(g * r * r, (g + 1) * r * r);
    for (let k = start[g]; k < start[g + 1]; k++) {
      const i = order[k];
      for (let c = 0; c < r; c++) { let v = 0; for (let a = c; a < r; a++) v += z[i * r + a] * Lam[a * r + c]; zl[c] = v; }
      for (let c = 0; c < r; c++) for (let d = 0; d <= c; d++) Ag[c * r + d] += mu[i] * zl[c] * zl[d];
    }
    for (let c = 0; c < r; c++) { Ag[c * r + c] += 1; for (let d = 0; d < c; d++) Ag[d * r + c] = Ag[c * r + d]; }
    const LA = cholesky(Ag, r);
    if (!LA) { ok = false; dev = NaN; continue; }
    dev += -2 * f + logDetFromChol(LA, r);
  }
  return { deviance: dev + 2 * m.lgy, u, A, mu, ok };
}

/**
 * lme4's nAGQ = 1 devfun, replayed for its finite-difference Hessian (ldL2 from the weights at
 * the start of PIRLS's last iteration; every call restarts from lp0, the fitted linear
 * predictor; PIRLS over u only with lme4's relative stopping rule and step halving). Returns
 * par = (θ, β) ↦ deviance up to a constant, NaN when PIRLS fails as lme4's would.
 */
export function lme4Devfun(m: SlopesModel, lp0: Float64Array, tolPwrss = 1e-7, maxit = 100): (par: Float64Array) => number {
  const { n, p, r, G, y, z, order, start } = m;
  const nt = nTheta(r);
  const off = new Float64Array(n); const mu = new Float64Array(n); const eta = new Float64Array(n);
  const u = new Float64Array(G * r); const uOld = new Float64Array(G * r);
  const H = new Float64Array(r * r); const rhs = new Float64Array(r); const zl = new Float64Array(r);
  const resDev = (): number => {
    let s = 0; for (let i = 0; i < n; i++) s += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
    return s;
  };
  const applyU = (Lam: Float64Array): number => {
    let uu = 0;
    for (let g = 0; g < G; g++) for (let k = start[g]; k < start[g + 1]; k++) {
      const i = order[k]; let e = off[i];
      for (let a = 0; a < r; a++) { let v = 0; for (let c = 0; c <= a; c++) v += Lam[a * r + c] * u[g * r + c]; e += z[i * r + a] * v; }
      eta[i] = e; mu[i] = Math.exp(e);
    }
    for (let k = 0; k < G * r; k++) uu += u[k] * u[k];
    return resDev() + uu;
  };
  return (par: Float64Array): number => {
    const Lam = lambdaOf(par.subarray(0, nt), r);
    fixedEta(m, par.subarray(nt, nt + p), off);
    for (let i = 0; i < n; i++) { eta[i] = lp0[i]; mu[i] = Math.exp(lp0[i]); }
    let old = Number.MAX_VALUE; let cvgd = false; let ldL2 = 0;
    for (let it = 0; it < maxit; it++) {
      uOld.set(u); ldL2 = 0;
      for (let g = 0; g < G; g++) {
        H.fill(0); rhs.fill(0);
        for (let k = start[g]; k < start[g + 1]; k++) {
          const i = order[k];
          for (let c = 0; c < r; c++) { let v = 0; for (let a = c; a < r; a++) v += z[i * r + a] * Lam[a * r + c]; zl[c] = v; }
          // working response minus offset, times the weight: μ(η − off) + (y − μ)
          const wr = mu[i] * (eta[i] - off[i]) + y[i] - mu[i];
          for (let c = 0; c < r; c++) { rhs[c] += zl[c] * wr; for (let d = 0; d <= c; d++) H[c * r + d] += mu[i] * zl[c] * zl[d]; }
        }
        for (let c = 0; c < r; c++) { H[c * r + c] += 1; for (let d = 0; d < c; d++) H[d * r + c] = H[c * r + d]; }
        const L = cholesky(H, r);
        if (!L) return NaN;
        ldL2 += logDetFromChol(L, r);
        u.set(cholSolve(L, r, rhs), g * r);
      }
      let pdev = applyU(Lam);
      if (Math.abs((old - pdev) / pdev) < tolPwrss) { cvgd = true; break; }
      if (!(pdev <= old)) {
        for (let k = 0; k < 10 && !(pdev <= old); k++) {
          for (let j = 0; j < G * r; j++) u[j] = (uOld[j] + u[j]) / 2;
          pdev = applyU(Lam);
        }
        if (!(pdev - old <= tolPwrss)) return NaN;
      }
      old = pdev;
    }
    if (!cvgd) return NaN;
    let uu = 0; for (let k = 0; k < G * r; k++) uu += u[k] * u[k];
    return resDev() + uu + ldL2;
  };
}

/** Σ lgamma(y + 1), the Poisson constant. */
export function lgammaSum(y: Float64Array): number {
  let s = 0; for (let i = 0; i < y.length; i++) s += gammaln(y[i] + 1);
  return s;
}
