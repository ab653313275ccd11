/**
 * Three-step use of latent classes (Vermunt 2010; Bakk, Tekle & Vermunt 2013).
 * Step 1 is a fitted LCA; step 2 assigns rows to their modal class; step 3 relates the
 * assigned class to covariates while correcting for classification error:
 *   D[k][s] = P(W = s | X = k) = Σ_i w_i τ_ik [W_i = s] / Σ_i w_i τ_ik
 *   BCH:  weights w_ik = (D⁻¹)[W_i][k] (may be negative); a weighted analysis with one
 *         copy of each row per class gives unbiased class-specific estimates. Exposed for
 *         survival/regression engines (classes as predictors or outcomes).
 *   ML:   maximise Σ_i w_i log Σ_k π_k(z_i) D[k][W_i] for the multinomial logit π(z).
 * Standard errors treat step 1 as known (as is standard for the three-step approach):
 * modal = model-based; BCH = sandwich (robust to the weighting); ML = observed information.
 */
import { softmaxInPlace } from '../core/logsumexp';
import { toRows, type DenseMatrix, type MatrixInput } from '../core/matrix';
import { pNormTwoSided, qNorm } from '../core/distributions';
import { degenerateMessage, usableVariance, waldInference } from '../core/guard';
import { Matrix, inverse, solve } from 'ml-matrix';
import { type LcaFit, buildCovariates } from './fit/fit';
import { compressPatterns } from './prepare';

export interface LcaClassificationError {
  /** D[k][s] = P(assigned s | true class k) (rows sum to 1) */
  D: number[][];
  /** weighted count of rows assigned to each class */
  assigned: number[];
}

function rowWeightsOf(fit: LcaFit): Float64Array | null {
  return fit.internal.prepared.rowWeights;
}

/** Classification-error matrix of modal assignment, from the fit's posteriors. */
export function lcaClassificationError(fit: LcaFit): LcaClassificationError {
  const K = fit.nClasses;
  const post = fit.posterior.data;
  const w = rowWeightsOf(fit);
  const D = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const tot = new Array<number>(K).fill(0);
  const assigned = new Array<number>(K).fill(0);
  for (let i = 0; i < fit.nRows; i++) {
    const wi = w ? w[i] : 1;
    const s = fit.modal[i];
    assigned[s] += wi;
    for (let k = 0; k < K; k++) {
      D[k][s] += wi * post[i * K + k];
      tot[k] += wi * post[i * K + k];
    }
  }
  for (let k = 0; k < K; k++) for (let s = 0; s < K; s++) D[k][s] /= tot[k];
  return { D, assigned };
}

/** BCH weights (n × K, row-major): w_ik = (D⁻¹)[W_i][k]. Rows sum to 1; entries may be negative. */
export function lcaBchWeights(fit: LcaFit): DenseMatrix {
  const K = fit.nClasses;
  const { D } = lcaClassificationError(fit);
  const Dinv = inverse(new Matrix(D)).to2DArray();
  const out = new Float64Array(fit.nRows * K);
  for (let i = 0; i < fit.nRows; i++) for (let k = 0; k < K; k++) out[i * K + k] = Dinv[fit.modal[i]][k];
  return Object.freeze({ nrow: fit.nRows, ncol: K, data: out });
}

export interface LcaThreeStepOptions {
  /** rows × p covariates; an intercept is added */
  covariates: MatrixInput;
  covariateNames?: string[];
  method: 'modal' | 'bch' | 'ml';
  /** reference class (0-based, default 0 = the largest) */
  reference?: number;
  level?: number;
  maxIter?: number;
  /**
   * Fit step 3 on the distinct (assigned class, covariate row) combinations with summed case
   * weights (default true). Every step-3 quantity (targets, objective, information, sandwich
   * meat, ML likelihood) depends on a row only through that pair and its weight, so the
   * estimates are the same up to summation order, at a cost that scales with the number of
   * distinct combinations instead of rows (millions of assessments, a few thousand combinations
   * with integer covariates). false: one term per row (the reference path).
   */
  compress?: boolean;
}

export interface LcaThreeStepResult {
  method: 'modal' | 'bch' | 'ml';
  reference: number;
  /** design columns × classes (reference column is 0) */
  beta: number[][];
  vcov: number[][];
  logLik: number;
  converged: boolean;
  iterations: number;
  classificationError: number[][];
  warnings: string[];
  varianceType: 'model' | 'sandwich' | 'observed-information';
  spec: Readonly<{ method: 'modal' | 'bch' | 'ml'; reference: number; level: number; covariateNames: string[] }>;
  /** One row per coefficient: term, class, reference, estimate, std.error, statistic, p.value, conf.low, conf.high, method. */
  tidy(): Array<Record<string, number | string | null>>;
  /** logLik (ML only, else null), nobs (rows), df.residual (null: not defined for the step-3 model), variance type. */
  glance(): Record<string, number | string | null>;
  summary(): Array<Record<string, number | string | null>>;
}

/** π_ik for all k given b (S × K, reference column fixed at 0) */
function probsAt(x: Float64Array, i: number, S: number, K: number, b: Float64Array, out: Float64Array): void {
  for (let k = 0; k < K; k++) {
    let eta = 0;
    for (let s = 0; s < S; s++) eta += x[i * S + s] * b[s * K + k];
    out[k] = eta;
  }
  softmaxInPlace(out, K);
}

/**
 * Weighted multinomial logit: maximise Σ_i Σ_k y_ik log π_ik(b) with b[·][ref] = 0.
 * y: n × K targets (row sums r_i; BCH targets may be negative). Newton with step halving.
 * Returns b (S × K), the information matrix over free parameters and per-row scores if asked.
 */
/**
 * Row i's score of the multinomial logit in the free coefficients, g_i = Σ_k y_ik x_i (e_k − π_i)
 * (P values into `out`), with π_i left in `pi`; returns r_i = Σ_k y_ik. Shared by the Newton
 * steps and the sandwich meat, so the score is written once.
 */
function rowScore(x: Float64Array, i: number, S: number, K: number, y: Float64Array, free: readonly number[], b: Float64Array, pi: Float64Array, out: Float64Array): number {
  probsAt(x, i, S, K, b, pi);
  let r = 0;
  for (let k = 0; k < K; k++) r += y[i * K + k];
  for (let a = 0; a < free.length; a++) {
    const ka = free[a] % K;
    const sa = (free[a] - ka) / K;
    out[a] = x[i * S + sa] * (y[i * K + ka] - r * pi[ka]);
  }
  return r;
}

function multinomialLogit(x: Float64Array, n: number, S: number, K: number, y: Float64Array, ref: number, b: Float64Array, maxIter: number): { info: number[][]; converged: boolean; iterations: number; objective: number } {
  const free: number[] = [];
  for (let k = 0; k < K; k++) if (k !== ref) for (let s = 0; s < S; s++) free.push(s * K + k);
  const P = free.length;
  const pi = new Float64Array(K);
  const gi = new Float64Array(P);
  const objective = (bb: Float64Array): number => {
    let o = 0;
    for (let i = 0; i < n; i++) {
      probsAt(x, i, S, K, bb, pi);
      for (let k = 0; k < K; k++) if (y[i * K + k] !== 0) o += y[i * K + k] * Math.log(pi[k]);
    }
    return o;
  };
  let obj = objective(b);
  let converged = false;
  let it = 0;
  let info: number[][] = [];
  for (; it < maxIter; it++) {
    const g = new Float64Array(P);
    const H = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    for (let i = 0; i < n; i++) {
      const r = rowScore(x, i, S, K, y, free, b, pi, gi);
      for (let a = 0; a < P; a++) {
        const ka = free[a] % K;
        const sa = (free[a] - ka) / K;
        g[a] += gi[a];
        for (let c = a; c < P; c++) {
          const kc = free[c] % K;
          const sc = (free[c] - kc) / K;
          H[a][c] += r * x[i * S + sa] * x[i * S + sc] * ((ka === kc ? pi[ka] : 0) - pi[ka] * pi[kc]);
        }
      }
    }
    for (let a = 0; a < P; a++) for (let c = 0; c < a; c++) H[a][c] = H[c][a];
    info = H;
    const step = solve(new Matrix(H), Matrix.columnVector(Array.from(g))).to1DArray();
    let t = 1;
    let next = new Float64Array(b);
    for (let h = 0; h < 30; h++) {
      next = new Float64Array(b);
      for (let a = 0; a < P; a++) next[free[a]] += t * step[a];
      const o = objective(next);
      if (o >= obj - 1e-12 * Math.abs(obj)) {
        obj = o;
        break;
      }
      t /= 2;
    }
    b.set(next);
    let maxStep = 0;
    for (let a = 0; a < P; a++) maxStep = Math.max(maxStep, Math.abs(t * step[a]));
    if (maxStep < 1e-10) {
      converged = true;
      it++;
      break;
    }
  }
  return { info, converged, iterations: it, objective: obj };
}

/** Class membership regressed on covariates with modal assignment, BCH or ML correction. */
export function lcaThreeStep(fit: LcaFit, options: LcaThreeStepOptions): LcaThreeStepResult {
  const K = fit.nClasses;
  const n = fit.nRows;
  if (K < 2) throw new Error('lcaThreeStep: needs at least 2 classes');
  const built = buildCovariates(options.covariates, n);
  const S = built.S;
  const ref = options.reference ?? 0;
  const maxIter = options.maxIter ?? 200;
  const { D } = lcaClassificationError(fit);
  // Step-3 units: rows, or the distinct (assigned class, covariates) pairs with summed weights.
  let nu = n;
  let x = built.x;
  let w: Float64Array | null = rowWeightsOf(fit);
  let assignedClass: ArrayLike<number> = fit.modal;
  if (options.compress !== false) {
    if (K > 32767) throw new Error(`lcaThreeStep: ${K} classes exceed the compression key (use compress: false)`);
    const c = compressPatterns(Int16Array.from(fit.modal), n, 1, w, { x, S });
    nu = c.nPatterns;
    x = c.covariates as Float64Array;
    w = c.weights;
    assignedClass = c.codes;
  }
  const warnings: string[] = [];
  const y = new Float64Array(nu * K);
  const b = new Float64Array(S * K);
  let vcov: number[][];
  let logLik: number;
  let converged: boolean;
  let iterations: number;
  let varianceType: LcaThreeStepResult['varianceType'];
  const free: number[] = [];
  for (let k = 0; k < K; k++) if (k !== ref) for (let s = 0; s < S; s++) free.push(s * K + k);
  const P = free.length;
  if (options.method === 'modal' || options.method === 'bch') {
    // BCH weights of a row are (D⁻¹)[W_i][·] (see lcaBchWeights)
    const Dinv = options.method === 'bch' ? inverse(new Matrix(D)).to2DArray() : null;
    for (let i = 0; i < nu; i++) {
      const wi = w ? w[i] : 1;
      if (Dinv) for (let k = 0; k < K; k++) y[i * K + k] = wi * Dinv[assignedClass[i]][k];
      else y[i * K + assignedClass[i]] = wi;
    }
    const r = multinomialLogit(x, nu, S, K, y, ref, b, maxIter);
    converged = r.converged;
    iterations = r.iterations;
    logLik = r.objective;
    const Hinv = inverse(new Matrix(r.info)).to2DArray();
    if (options.method === 'modal') {
      vcov = Hinv;
      varianceType = 'model';
    } else {
      // sandwich: H⁻¹ (Σ_i g_i g_iᵀ) H⁻¹ with per-row scores g_i = Σ_k y_ik x_i (e_k − π_i)
      const B = Array.from({ length: P }, () => new Array<number>(P).fill(0));
      const pi = new Float64Array(K);
      const gi = new Float64Array(P);
      for (let i = 0; i < nu; i++) {
        rowScore(x, i, S, K, y, free, b, pi, gi);
        const wi = w ? w[i] : 1;
        // with case weights the scores already carry w_i; divide once so Σ g gᵀ is a frequency-weighted sum
        if (wi > 0) for (let a = 0; a < P; a++) for (let c = 0; c < P; c++) B[a][c] += (gi[a] * gi[c]) / wi;
      }
      const Hm = new Matrix(Hinv);
      vcov = Hm.mmul(new Matrix(B)).mmul(Hm).to2DArray();
      varianceType = 'sandwich';
      logLik = NaN;
    }
  } else {
    // ML: EM on the latent class with the classification error fixed
    const pi = new Float64Array(K);
    let prev = -Infinity;
    converged = false;
    iterations = 0;
    logLik = -Infinity;
    const loglikAt = (bb: Float64Array): number => {
      let ll = 0;
      for (let i = 0; i < nu; i++) {
        probsAt(x, i, S, K, bb, pi);
        let s = 0;
        for (let k = 0; k < K; k++) s += pi[k] * D[k][assignedClass[i]];
        ll += (w ? w[i] : 1) * Math.log(s);
      }
      return ll;
    };
    for (; iterations < 5000; iterations++) {
      let ll = 0;
      for (let i = 0; i < nu; i++) {
        probsAt(x, i, S, K, b, pi);
        let s = 0;
        for (let k = 0; k < K; k++) s += pi[k] * D[k][assignedClass[i]];
        const wi = w ? w[i] : 1;
        ll += wi * Math.log(s);
        for (let k = 0; k < K; k++) y[i * K + k] = (wi * pi[k] * D[k][assignedClass[i]]) / s;
      }
      logLik = ll;
      if (ll - prev <= 1e-10 * Math.max(1, Math.abs(ll))) {
        converged = true;
        break;
      }
      prev = ll;
      multinomialLogit(x, nu, S, K, y, ref, b, 1);
    }
    // observed information by central differences of the analytic gradient Σ_i x_i(q_ik − π_ik)
    const grad = (bb: Float64Array): Float64Array => {
      const g = new Float64Array(P);
      for (let i = 0; i < nu; i++) {
        probsAt(x, i, S, K, bb, pi);
        let s = 0;
        for (let k = 0; k < K; k++) s += pi[k] * D[k][assignedClass[i]];
        const wi = w ? w[i] : 1;
        for (let a = 0; a < P; a++) {
          const ka = free[a] % K;
          const sa = (free[a] - ka) / K;
          g[a] += wi * x[i * S + sa] * ((pi[ka] * D[ka][assignedClass[i]]) / s - pi[ka]);
        }
      }
      return g;
    };
    const Hn = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    for (let a = 0; a < P; a++) {
      const h = 1e-5 * Math.max(1, Math.abs(b[free[a]]));
      const bp = new Float64Array(b);
      const bm = new Float64Array(b);
      bp[free[a]] += h;
      bm[free[a]] -= h;
      const gp = grad(bp);
      const gm = grad(bm);
      for (let c = 0; c < P; c++) Hn[a][c] = -(gp[c] - gm[c]) / (2 * h);
    }
    for (let a = 0; a < P; a++) for (let c = 0; c < a; c++) Hn[a][c] = Hn[c][a] = (Hn[a][c] + Hn[c][a]) / 2;
    vcov = inverse(new Matrix(Hn)).to2DArray();
    varianceType = 'observed-information';
    logLik = loglikAt(b);
  }
  if (!converged) warnings.push(`${options.method}: did not converge`);
  const beta = toRows(b, S, K);
  const names = ['(Intercept)', ...Array.from({ length: S - 1 }, (_, s) => options.covariateNames?.[s] ?? `x${s + 1}`)];
  const z = qNorm(1 - (1 - (options.level ?? 0.95)) / 2);
  const badTerms: string[] = [];
  const tidy: Array<Record<string, number | string | null>> = free.map((f, a) => {
    const k = f % K;
    const s = (f - k) / K;
    const est = b[f];
    if (!usableVariance(vcov[a][a]) && !Number.isNaN(vcov[a][a])) badTerms.push(`${names[s]} (class ${k + 1})`);
    const w = waldInference(est, vcov[a][a], z);
    return { term: names[s], class: k + 1, reference: ref + 1, estimate: est, 'std.error': w.se, statistic: w.statistic, 'p.value': pNormTwoSided(w.statistic), 'conf.low': w.low, 'conf.high': w.high, method: options.method };
  });
  if (badTerms.length) warnings.push(degenerateMessage(options.method, { kind: 'zero-variance', terms: badTerms }));
  const nobs = n;
  return Object.freeze({
    method: options.method, reference: ref, beta, vcov, logLik, converged, iterations, classificationError: D, warnings, varianceType,
    spec: Object.freeze({ method: options.method, reference: ref, level: options.level ?? 0.95, covariateNames: names.slice(1) }),
    tidy: () => tidy,
    summary: () => tidy,
    glance: () => ({ method: options.method, logLik: options.method === 'ml' ? logLik : null, nobs, 'df.residual': null, converged: converged ? 1 : 0, 'variance.type': varianceType }),
  });
}
