/**
 * Distal outcomes of latent classes (classes as PREDICTOR of an outcome), three-step:
 * step 1 is a fitted LCA, step 2 the modal assignment W, step 3 the class-specific
 * distribution of an outcome y, corrected for classification error with
 *   D[k][s] = P(W = s | X = k)   (lcaClassificationError, held fixed as in every three-step method)
 *
 *   modal: plain estimates within the assigned classes. Biased towards the overall mean/
 *          distribution whenever D ≠ I (the baseline the corrections are judged against).
 *   BCH:   weighted estimates with w_ik = (D⁻¹)[W_i][k] (lcaBchWeights; Bakk, Tekle & Vermunt
 *          2013). Weights can be negative, so estimates can leave the parameter space.
 *   ML:    maximise Σ_i w_i log Σ_k D[k][W_i] π_k f(y_i | X = k) over the shares π and the
 *          outcome parameters (Vermunt 2010; Bakk & Vermunt 2016).
 *
 * Outcome models: 'normal' (class means, and class-specific variances by default, as in
 * Bakk & Vermunt's ML; `variance: 'common'` pools them), 'categorical' (class-specific category
 * probabilities), 'binary' (P(y = 1) per class; values 0/1 or false/true).
 *
 * SEs treat step 1 as known (standard for the three-step approach). modal and BCH: sandwich of
 * the estimating equations; ML: inverse observed information from a numerical Hessian.
 * Case weights of the fit (`weights` in fitLca) are frequency weights here too.
 */
import { softmaxInPlace } from '../core/logsumexp';
import { Matrix, inverse } from 'ml-matrix';
import { pChisqUpper, qNorm } from '../core/distributions';
import type { LcaFit } from './fit';
import { lcaBchWeights, lcaClassificationError } from './threestep';

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

type OutcomeKind = 'normal' | 'categorical';

interface Model {
  K: number;
  kind: OutcomeKind;
  /** number of levels (0 for normal) */
  C: number;
  common: boolean;
}

/**
 * Analysis units: rows with an observed outcome (normal) or (assigned class, level) cells
 * (categorical, where every row in a cell has the same likelihood contribution and BCH weights).
 */
interface Units {
  m: number;
  /** assigned (modal) class */
  s: Int32Array;
  /** normal: the standardised outcome; categorical: the level code */
  y: Float64Array;
  /** case weight of the row, or summed case weight of the cell */
  w: Float64Array;
  /** BCH: m × K per-row class weights (D⁻¹)[s][k]; null otherwise */
  b: Float64Array | null;
  /** Σ w */
  W: number;
}

/** Natural parameters in standardised units, with the logs the E-step needs. */
interface Natural {
  pi: Float64Array;
  logPi: Float64Array;
  mu: Float64Array;
  s2: Float64Array;
  /** −½ log(2π σ²_k) */
  logNorm: Float64Array;
  /** K × C */
  p: Float64Array;
  logP: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);
const BOUNDARY = 1e-8;

function nOutcomeParams(mod: Model): number {
  return mod.kind === 'normal' ? mod.K + (mod.common ? 1 : mod.K) : mod.K * mod.C;
}

function nThetaParams(mod: Model): number {
  return mod.K - 1 + (mod.kind === 'normal' ? mod.K + (mod.common ? 1 : mod.K) : mod.K * (mod.C - 1));
}

function newNatural(mod: Model): Natural {
  const K = mod.K;
  const KC = K * Math.max(mod.C, 1);
  return { pi: new Float64Array(K), logPi: new Float64Array(K), mu: new Float64Array(K), s2: new Float64Array(K), logNorm: new Float64Array(K), p: new Float64Array(KC), logP: new Float64Array(KC) };
}

function setDerived(nat: Natural, mod: Model): void {
  for (let k = 0; k < mod.K; k++) {
    nat.logPi[k] = Math.log(Math.max(nat.pi[k], 1e-300));
    if (mod.kind === 'normal') nat.logNorm[k] = -0.5 * (LOG_2PI + Math.log(nat.s2[k]));
  }
  if (mod.kind === 'categorical') for (let j = 0; j < nat.p.length; j++) nat.logP[j] = Math.log(Math.max(nat.p[j], 1e-300));
}

/**
 * Unconstrained parameters θ: share logits vs class 1 (K − 1), then normal: means (K) and log
 * variances (K, or 1 if common); categorical: level logits vs the first level (K × (C − 1)).
 */
function thetaFromNatural(nat: Natural, mod: Model, theta: Float64Array): void {
  const { K, C } = mod;
  for (let k = 1; k < K; k++) theta[k - 1] = nat.logPi[k] - nat.logPi[0];
  const o = K - 1;
  if (mod.kind === 'normal') {
    for (let k = 0; k < K; k++) theta[o + k] = nat.mu[k];
    if (mod.common) theta[o + K] = Math.log(nat.s2[0]);
    else for (let k = 0; k < K; k++) theta[o + K + k] = Math.log(nat.s2[k]);
  } else {
    for (let k = 0; k < K; k++) for (let c = 1; c < C; c++) theta[o + k * (C - 1) + c - 1] = nat.logP[k * C + c] - nat.logP[k * C];
  }
}

function softmaxInto(eta: Float64Array, off: number, n: number, out: Float64Array, outOff: number, first: number): void {
  // eta holds the n − 1 logits of levels 1..n−1 (level 0 fixed at `first` = 0)
  let m = first;
  for (let j = 1; j < n; j++) if (eta[off + j - 1] > m) m = eta[off + j - 1];
  let z = Math.exp(first - m);
  out[outOff] = z;
  for (let j = 1; j < n; j++) {
    const e = Math.exp(eta[off + j - 1] - m);
    out[outOff + j] = e;
    z += e;
  }
  for (let j = 0; j < n; j++) out[outOff + j] /= z;
}

function naturalFromTheta(theta: Float64Array, mod: Model, nat: Natural): void {
  const { K, C } = mod;
  softmaxInto(theta, 0, K, nat.pi, 0, 0);
  const o = K - 1;
  if (mod.kind === 'normal') {
    for (let k = 0; k < K; k++) {
      nat.mu[k] = theta[o + k];
      nat.s2[k] = Math.exp(theta[o + K + (mod.common ? 0 : k)]);
    }
  } else {
    for (let k = 0; k < K; k++) softmaxInto(theta, o + k * (C - 1), C, nat.p, k * C, 0);
  }
  setDerived(nat, mod);
}

/**
 * One pass over the units at the natural parameters `nat`: returns ℓ = Σ_u w_u log Σ_k D[k][s_u] π_k f_k(y_u)
 * and fills `stats` with the posterior-weighted sums that both the EM M-step and the score need:
 * Sq[k] = Σ w q_k, Sy[k] = Σ w q_k y, Srr[k] = Σ w q_k (y − μ_k)² (normal), Sc[k][c] = Σ w q_k [y = c].
 * stats: length 3K + K·C; t: scratch of length K. Zero-weight units are skipped.
 */
function passOver(u: Units, mod: Model, logD: Float64Array, nat: Natural, stats: Float64Array, t: Float64Array): number {
  const { K, C } = mod;
  const normal = mod.kind === 'normal';
  stats.fill(0);
  const oSy = K;
  const oSrr = 2 * K;
  const oSc = 3 * K;
  let ll = 0;
  for (let i = 0; i < u.m; i++) {
    const wi = u.w[i];
    if (wi === 0) continue;
    const s = u.s[i];
    const yi = u.y[i];
    for (let k = 0; k < K; k++) {
      let lf: number;
      if (normal) {
        const r = yi - nat.mu[k];
        lf = nat.logNorm[k] - (r * r) / (2 * nat.s2[k]);
      } else lf = nat.logP[k * C + yi];
      t[k] = logD[k * K + s] + nat.logPi[k] + lf;
    }
    ll += wi * softmaxInPlace(t, K);
    for (let k = 0; k < K; k++) {
      const q = wi * t[k];
      stats[k] += q;
      if (normal) {
        const r = yi - nat.mu[k];
        stats[oSy + k] += q * yi;
        stats[oSrr + k] += q * r * r;
      } else stats[oSc + k * C + yi] += q;
    }
  }
  return ll;
}

/** Score ∂ℓ/∂θ from the sums of `passOver` at the same parameters. */
function scoreFromStats(stats: Float64Array, nat: Natural, mod: Model, W: number, g: Float64Array): void {
  const { K, C } = mod;
  for (let k = 1; k < K; k++) g[k - 1] = stats[k] - nat.pi[k] * W;
  const o = K - 1;
  if (mod.kind === 'normal') {
    if (mod.common) g[o + K] = 0;
    for (let k = 0; k < K; k++) {
      const sq = stats[k];
      g[o + k] = (stats[K + k] - nat.mu[k] * sq) / nat.s2[k];
      const gl = -0.5 * sq + stats[2 * K + k] / (2 * nat.s2[k]);
      if (mod.common) g[o + K] += gl;
      else g[o + K + k] = gl;
    }
  } else {
    for (let k = 0; k < K; k++) for (let c = 1; c < C; c++) g[o + k * (C - 1) + c - 1] = stats[3 * K + k * C + c] - nat.p[k * C + c] * stats[k];
  }
}

interface MlResult {
  nat: Natural;
  /** observed information over θ (P × P), or null if it could not be formed */
  info: number[][] | null;
  theta: Float64Array;
  logLik: number;
  converged: boolean;
  iterations: number;
  warnings: string[];
}

/**
 * ML step 3: EM on the latent class with D fixed, then Newton steps on θ with the numerical
 * observed information (central differences of the analytic score, step 1e-5·max(1, |θ_a|)),
 * which also gives the SEs. Inputs: units (normal y standardised), log D (K × K, [k][s]),
 * start values in natural form (modified in place). converged = the last Newton step moved no
 * θ by more than 1e-7 (EM alone converges slowly when classes overlap, so its gain rule is only
 * the hand-over point), or, with an estimate at the boundary, EM's gain rule.
 * Cost: O(m·K) per EM iteration and (2P + 1) passes per Newton step (usually two).
 * Failure flags (in warnings): EM iteration limit, information not positive definite,
 * estimates at the boundary (p < 1e-8 or variance floor), where SEs are unreliable.
 */
function fitMl(u: Units, mod: Model, logD: Float64Array, nat: Natural, maxIter: number, tol: number): MlResult {
  const { K, C } = mod;
  const warnings: string[] = [];
  const nStats = 3 * K + K * C;
  const stats = new Float64Array(nStats);
  const t = new Float64Array(K);
  const S2_FLOOR = 1e-8; // standardised units
  let floorHit = false;
  let ll = -Infinity;
  let prev = -Infinity;
  let emConverged = false;
  let it = 0;
  setDerived(nat, mod);
  for (; it < maxIter; it++) {
    ll = passOver(u, mod, logD, nat, stats, t);
    if (ll - prev <= tol * Math.max(1, Math.abs(ll))) {
      emConverged = true;
      break;
    }
    prev = ll;
    let s2Pooled = 0;
    for (let k = 0; k < K; k++) {
      const sq = stats[k];
      nat.pi[k] = sq / u.W;
      if (!(sq > 0)) continue; // an emptied class keeps its outcome parameters
      if (mod.kind === 'normal') {
        const muNew = stats[K + k] / sq;
        const d = muNew - nat.mu[k];
        // Σ q (y − μ_new)² = Σ q (y − μ_old)² − Sq·(μ_new − μ_old)²: one pass suffices
        const ss = stats[2 * K + k] - sq * d * d;
        nat.mu[k] = muNew;
        if (mod.common) s2Pooled += ss;
        else {
          nat.s2[k] = ss / sq;
          if (nat.s2[k] < S2_FLOOR) {
            nat.s2[k] = S2_FLOOR;
            floorHit = true;
          }
        }
      } else {
        for (let c = 0; c < C; c++) nat.p[k * C + c] = stats[3 * K + k * C + c] / sq;
      }
    }
    if (mod.kind === 'normal' && mod.common) nat.s2.fill(Math.max(s2Pooled / u.W, S2_FLOOR));
    setDerived(nat, mod);
  }
  if (!emConverged) warnings.push(`ml: EM did not converge in ${maxIter} iterations`);

  // Newton polish in θ. Boundary estimates (p → 0) have θ → ±∞: keep EM's answer there.
  const P = nThetaParams(mod);
  const theta = new Float64Array(P);
  let atBoundary = false;
  for (let k = 0; k < K; k++) {
    if (nat.pi[k] < BOUNDARY) atBoundary = true;
    if (mod.kind === 'categorical') for (let c = 0; c < C; c++) if (nat.p[k * C + c] < BOUNDARY) atBoundary = true;
  }
  if (atBoundary) warnings.push('ml: an estimate is at the boundary (share or probability < 1e-8); its SE is unreliable');
  if (floorHit) warnings.push('ml: a class variance hit the floor (1e-8 of the outcome variance); the likelihood is degenerate there');
  thetaFromNatural(nat, mod, theta);
  const g = new Float64Array(P);
  const gp = new Float64Array(P);
  const trial = new Float64Array(P);
  const work = newNatural(mod);
  const scoreAt = (th: Float64Array, out: Float64Array): number => {
    naturalFromTheta(th, mod, work);
    const l = passOver(u, mod, logD, work, stats, t);
    scoreFromStats(stats, work, mod, u.W, out);
    return l;
  };
  const information = (th: Float64Array): number[][] => {
    const H = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    const tp = new Float64Array(th);
    for (let a = 0; a < P; a++) {
      const h = 1e-5 * Math.max(1, Math.abs(th[a]));
      tp[a] = th[a] + h;
      scoreAt(tp, gp);
      tp[a] = th[a] - h;
      scoreAt(tp, g);
      tp[a] = th[a];
      for (let c = 0; c < P; c++) H[a][c] = -(gp[c] - g[c]) / (2 * h);
    }
    for (let a = 0; a < P; a++) for (let c = 0; c < a; c++) H[a][c] = H[c][a] = (H[a][c] + H[c][a]) / 2;
    return H;
  };
  let info: number[][] | null = null;
  let infoCurrent = false;
  let newtonConverged = false;
  let newtonIt = 0;
  for (; newtonIt < 50; newtonIt++) {
    const I = information(theta);
    ll = scoreAt(theta, g);
    let step: number[];
    try {
      step = inverse(new Matrix(I)).mmul(Matrix.columnVector(Array.from(g))).to1DArray();
    } catch {
      info = null;
      break;
    }
    info = I;
    infoCurrent = true;
    let maxStep = 0;
    let ascent = 0;
    for (let a = 0; a < P; a++) {
      maxStep = Math.max(maxStep, Math.abs(step[a]));
      ascent += step[a] * g[a];
    }
    if (!Number.isFinite(maxStep) || !(ascent >= 0)) break; // not a maximum direction: I is not positive definite
    if (maxStep < 1e-7) {
      newtonConverged = true;
      break;
    }
    let tStep = 1;
    let moved = false;
    for (let h = 0; h < 30; h++) {
      for (let a = 0; a < P; a++) trial[a] = theta[a] + tStep * step[a];
      naturalFromTheta(trial, mod, work);
      const l = passOver(u, mod, logD, work, stats, t);
      if (l >= ll - 1e-12 * Math.abs(ll)) {
        theta.set(trial);
        ll = l;
        moved = true;
        infoCurrent = false;
        break;
      }
      tStep /= 2;
    }
    if (!moved) {
      // no ascent along the Newton direction at double precision: we are at the maximum
      newtonConverged = true;
      break;
    }
  }
  naturalFromTheta(theta, mod, nat);
  ll = passOver(u, mod, logD, nat, stats, t);
  if (info && !infoCurrent) info = information(theta);
  if (!info) warnings.push('ml: the observed information could not be inverted; SEs are not available');
  // at the boundary θ diverges, so Newton cannot settle; EM's own rule is the criterion there
  const converged = newtonConverged || (emConverged && (atBoundary || !info));
  if (!newtonConverged && info && !atBoundary) warnings.push('ml: Newton polishing did not reach a stationary point (the observed information may not be positive definite)');
  return { nat, info, theta, logLik: ll, converged, iterations: it + newtonIt, warnings };
}

/**
 * Modal (hard 0/1 class weights) or BCH (weights (D⁻¹)[s][k]) estimates as weighted M-estimators
 * over the units, with their sandwich covariance A⁻¹ M A⁻¹. Estimates (standardised units):
 * shares π_k = A_k / W with A_k = Σ w b_k; normal μ_k = Σ w b_k y / A_k, σ²_k = Σ w b_k (y − μ_k)² / A_k
 * (ML-type divisor; common: pooled over classes / W); categorical p_kc = Σ w b_k [y = c] / A_k.
 * The bread is diagonal because ∂ψ_σ/∂μ sums to zero at the estimate; the meat treats w as
 * frequency weights (Σ w ψ ψᵀ with per-row ψ), like lcaThreeStep's BCH sandwich.
 * Returns est (length K + nOutcomeParams) and vcov; classes with A_k ≤ 0 give NaN (warned).
 */
function weightedEstimates(u: Units, mod: Model, warnings: string[], label: string): { est: Float64Array; vcov: number[][] } {
  const { K, C } = mod;
  const normal = mod.kind === 'normal';
  const nOut = nOutcomeParams(mod);
  const Pn = K + nOut;
  const A = new Float64Array(K);
  const Sy = new Float64Array(K);
  const Sc = new Float64Array(K * Math.max(C, 1));
  const bk = new Float64Array(K);
  const fillB = (i: number): void => {
    if (u.b) for (let k = 0; k < K; k++) bk[k] = u.b[i * K + k];
    else {
      bk.fill(0);
      bk[u.s[i]] = 1;
    }
  };
  for (let i = 0; i < u.m; i++) {
    const wi = u.w[i];
    if (wi === 0) continue;
    fillB(i);
    for (let k = 0; k < K; k++) {
      const wb = wi * bk[k];
      A[k] += wb;
      if (normal) Sy[k] += wb * u.y[i];
      else Sc[k * C + u.y[i]] += wb;
    }
  }
  const est = new Float64Array(Pn);
  let Atot = 0;
  for (let k = 0; k < K; k++) Atot += A[k];
  for (let k = 0; k < K; k++) {
    est[k] = A[k] / u.W;
    if (!(A[k] > 0)) warnings.push(`${label}: class ${k + 1} has total weight ${A[k].toPrecision(3)} ≤ 0; its estimates are undefined`);
  }
  const s2 = new Float64Array(K);
  if (normal) {
    for (let k = 0; k < K; k++) est[K + k] = Sy[k] / A[k];
    for (let i = 0; i < u.m; i++) {
      const wi = u.w[i];
      if (wi === 0) continue;
      fillB(i);
      for (let k = 0; k < K; k++) {
        const r = u.y[i] - est[K + k];
        s2[k] += wi * bk[k] * r * r;
      }
    }
    if (mod.common) {
      let ss = 0;
      for (let k = 0; k < K; k++) ss += s2[k];
      s2.fill(ss / Atot);
      est[2 * K] = s2[0];
    } else
      for (let k = 0; k < K; k++) {
        s2[k] /= A[k];
        est[2 * K + k] = s2[k];
      }
    for (let k = 0; k < (mod.common ? 1 : K); k++) if (!(s2[k] > 0)) warnings.push(`${label}: variance estimate ${s2[k].toPrecision(3)} ≤ 0 (outside the parameter space)`);
  } else {
    let outside = false;
    for (let k = 0; k < K; k++)
      for (let c = 0; c < C; c++) {
        const p = Sc[k * C + c] / A[k];
        est[K + k * C + c] = p;
        if (p < 0 || p > 1) outside = true;
      }
    if (outside) warnings.push(`${label}: a probability estimate lies outside [0, 1] (negative BCH weights under large classification error)`);
  }
  // bread: A_k for every parameter of class k; W for shares and for a common variance (Σ_k b_k = 1 per row)
  const bread = new Float64Array(Pn);
  for (let k = 0; k < K; k++) bread[k] = u.W;
  if (normal) {
    for (let k = 0; k < K; k++) bread[K + k] = A[k];
    if (mod.common) bread[2 * K] = Atot;
    else for (let k = 0; k < K; k++) bread[2 * K + k] = A[k];
  } else for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) bread[K + k * C + c] = A[k];
  const M = new Float64Array(Pn * Pn);
  const psi = new Float64Array(Pn);
  for (let i = 0; i < u.m; i++) {
    const wi = u.w[i];
    if (wi === 0) continue;
    fillB(i);
    for (let k = 0; k < K; k++) psi[k] = bk[k] - est[k];
    if (normal) {
      if (mod.common) psi[2 * K] = 0;
      for (let k = 0; k < K; k++) {
        const r = u.y[i] - est[K + k];
        psi[K + k] = bk[k] * r;
        const v = bk[k] * (r * r - s2[k]);
        if (mod.common) psi[2 * K] += v;
        else psi[2 * K + k] = v;
      }
    } else {
      for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) psi[K + k * C + c] = bk[k] * ((u.y[i] === c ? 1 : 0) - est[K + k * C + c]);
    }
    for (let a = 0; a < Pn; a++) {
      const pa = wi * psi[a];
      if (pa === 0) continue;
      for (let c = a; c < Pn; c++) M[a * Pn + c] += pa * psi[c];
    }
  }
  const vcov = Array.from({ length: Pn }, () => new Array<number>(Pn).fill(0));
  for (let a = 0; a < Pn; a++)
    for (let c = a; c < Pn; c++) {
      const v = M[a * Pn + c] / (bread[a] * bread[c]);
      vcov[a][c] = v;
      vcov[c][a] = v;
    }
  return { est, vcov };
}

/** Map θ-covariance to the natural parameters (shares, outcome parameters; standardised units). */
function deltaToNatural(nat: Natural, mod: Model, Vtheta: number[][]): { est: Float64Array; vcov: number[][] } {
  const { K, C } = mod;
  const P = nThetaParams(mod);
  const Pn = K + nOutcomeParams(mod);
  const J = Array.from({ length: Pn }, () => new Array<number>(P).fill(0));
  const est = new Float64Array(Pn);
  for (let k = 0; k < K; k++) {
    est[k] = nat.pi[k];
    for (let j = 1; j < K; j++) J[k][j - 1] = nat.pi[k] * ((k === j ? 1 : 0) - nat.pi[j]);
  }
  const o = K - 1;
  if (mod.kind === 'normal') {
    for (let k = 0; k < K; k++) {
      est[K + k] = nat.mu[k];
      J[K + k][o + k] = 1;
    }
    if (mod.common) {
      est[2 * K] = nat.s2[0];
      J[2 * K][o + K] = nat.s2[0];
    } else
      for (let k = 0; k < K; k++) {
        est[2 * K + k] = nat.s2[k];
        J[2 * K + k][o + K + k] = nat.s2[k];
      }
  } else {
    for (let k = 0; k < K; k++)
      for (let c = 0; c < C; c++) {
        est[K + k * C + c] = nat.p[k * C + c];
        for (let d = 1; d < C; d++) J[K + k * C + c][o + k * (C - 1) + d - 1] = nat.p[k * C + c] * ((c === d ? 1 : 0) - nat.p[k * C + d]);
      }
  }
  const Jm = new Matrix(J);
  const vcov = Jm.mmul(new Matrix(Vtheta)).mmul(Jm.transpose()).to2DArray();
  return { est, vcov };
}

function levelKey(v: LcaDistalLevel): string {
  return `${typeof v}:${String(v)}`;
}

/** Validate and code the outcome; missing → NaN. Categorical/binary codes are 0..C−1. */
function codeOutcome(options: LcaDistalOptions, n: number): { y: Float64Array; levels: LcaDistalLevel[] | null } {
  const out = options.outcome;
  if (out == null || typeof (out as { length?: unknown }).length !== 'number') throw new Error('lcaDistal: `outcome` must be an array with one value per row of the fit');
  if (out.length !== n) throw new Error(`lcaDistal: outcome has ${out.length} values but the fit has ${n} rows (pass one value per row, null for missing)`);
  const y = new Float64Array(n);
  const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
  if (options.type === 'normal') {
    for (let i = 0; i < n; i++) {
      const v = out[i] as LcaDistalValue;
      if (isMissing(v)) y[i] = NaN;
      else if (typeof v === 'number' && Number.isFinite(v)) y[i] = v;
      else throw new Error(`lcaDistal: outcome row ${i}: ${String(v)} is not a finite number (normal outcome; use null for missing)`);
    }
    return { y, levels: null };
  }
  if (options.type === 'binary') {
    for (let i = 0; i < n; i++) {
      const v = out[i] as LcaDistalValue;
      if (isMissing(v)) y[i] = NaN;
      else if (v === 0 || v === false) y[i] = 0;
      else if (v === 1 || v === true) y[i] = 1;
      else throw new Error(`lcaDistal: outcome row ${i}: ${String(v)} is not 0/1 or false/true (binary outcome; use null for missing)`);
    }
    return { y, levels: [0, 1] };
  }
  let levels: LcaDistalLevel[];
  if (options.levels) levels = Array.from(options.levels);
  else {
    const seen = new Map<string, LcaDistalLevel>();
    for (let i = 0; i < n; i++) {
      const v = out[i] as LcaDistalValue;
      if (!isMissing(v)) seen.set(levelKey(v as LcaDistalLevel), v as LcaDistalLevel);
    }
    levels = Array.from(seen.values());
    const allNumbers = levels.every((v) => typeof v === 'number');
    levels.sort((a, b) => (allNumbers ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  }
  if (levels.length < 2) throw new Error(`lcaDistal: a categorical outcome needs at least 2 levels (found ${levels.length})`);
  const code = new Map<string, number>();
  levels.forEach((v, c) => code.set(levelKey(v), c));
  for (let i = 0; i < n; i++) {
    const v = out[i] as LcaDistalValue;
    if (isMissing(v)) y[i] = NaN;
    else {
      const c = code.get(levelKey(v as LcaDistalLevel));
      if (c === undefined) throw new Error(`lcaDistal: outcome row ${i}: ${String(v)} is not one of the levels`);
      y[i] = c;
    }
  }
  return { y, levels };
}

/** Class-specific distribution of a distal outcome, with modal, BCH or ML three-step estimation. */
export function lcaDistal(fit: LcaFit, options: LcaDistalOptions): LcaDistalResult {
  const K = fit.nClasses;
  const n = fit.nRows;
  if (K < 2) throw new Error('lcaDistal: needs at least 2 classes');
  const method = options.method;
  if (method !== 'modal' && method !== 'bch' && method !== 'ml') throw new Error(`lcaDistal: method must be 'modal', 'bch' or 'ml' (got ${String(method)})`);
  if (options.type !== 'normal' && options.type !== 'categorical' && options.type !== 'binary') throw new Error(`lcaDistal: type must be 'normal', 'categorical' or 'binary' (got ${String(options.type)})`);
  const level = options.level ?? 0.95;
  const { y: yRaw, levels } = codeOutcome(options, n);
  const kind: OutcomeKind = options.type === 'normal' ? 'normal' : 'categorical';
  const C = levels ? levels.length : 0;
  const mod: Model = { K, kind, C, common: kind === 'normal' && options.variance === 'common' };
  const rowW = fit.internal.prepared.rowWeights;
  const warnings: string[] = [];
  const { D } = lcaClassificationError(fit);
  const bw = method === 'bch' ? lcaBchWeights(fit).data : null;

  let nUsed = 0;
  let N = 0;
  let mean0 = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(yRaw[i])) continue;
    nUsed++;
    const wi = rowW ? rowW[i] : 1;
    N += wi;
    mean0 += wi * yRaw[i];
  }
  const nExcluded = n - nUsed;
  if (nUsed === 0 || !(N > 0)) throw new Error('lcaDistal: no rows with an observed outcome (and positive weight)');
  if (nExcluded > 0) warnings.push(`${nExcluded} of ${n} rows have a missing outcome and were excluded`);

  // Normal outcomes are standardised so that EM, the Newton step sizes and the sandwich's
  // fourth moments work on O(1) numbers whatever the outcome's units.
  let centre = 0;
  let scale = 1;
  let units: Units;
  if (kind === 'normal') {
    mean0 /= N;
    let v0 = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(yRaw[i])) v0 += (rowW ? rowW[i] : 1) * (yRaw[i] - mean0) ** 2;
    v0 /= N;
    if (!(v0 > 0)) throw new Error('lcaDistal: the outcome is constant among the analysed rows');
    centre = mean0;
    scale = Math.sqrt(v0);
    units = { m: nUsed, s: new Int32Array(nUsed), y: new Float64Array(nUsed), w: new Float64Array(nUsed), b: bw ? new Float64Array(nUsed * K) : null, W: N };
    let u = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(yRaw[i])) continue;
      units.s[u] = fit.modal[i];
      units.y[u] = (yRaw[i] - centre) / scale;
      units.w[u] = rowW ? rowW[i] : 1;
      if (bw && units.b) for (let k = 0; k < K; k++) units.b[u * K + k] = bw[i * K + k];
      u++;
    }
  } else {
    // every row of an (assigned class, level) cell contributes identically: aggregate
    const cw = new Float64Array(K * C);
    const cb = bw ? new Float64Array(K * C * K) : null;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(yRaw[i])) continue;
      const cell = fit.modal[i] * C + yRaw[i];
      cw[cell] += rowW ? rowW[i] : 1;
      if (bw && cb) for (let k = 0; k < K; k++) cb[cell * K + k] = bw[i * K + k];
    }
    let m = 0;
    for (let j = 0; j < K * C; j++) if (cw[j] > 0) m++;
    units = { m, s: new Int32Array(m), y: new Float64Array(m), w: new Float64Array(m), b: cb ? new Float64Array(m * K) : null, W: N };
    let u = 0;
    for (let j = 0; j < K * C; j++) {
      if (!(cw[j] > 0)) continue;
      units.s[u] = Math.floor(j / C);
      units.y[u] = j % C;
      units.w[u] = cw[j];
      if (cb && units.b) for (let k = 0; k < K; k++) units.b[u * K + k] = cb[j * K + k];
      u++;
    }
  }

  let est: Float64Array;
  let vcovStd: number[][];
  let logLik: number | null = null;
  let converged = true;
  let iterations = 0;
  let varianceType: LcaDistalResult['varianceType'] = 'sandwich';
  if (method === 'modal' || method === 'bch') {
    ({ est, vcov: vcovStd } = weightedEstimates(units, mod, warnings, method));
  } else {
    // start from the modal estimates, pulled inside the parameter space
    const start = weightedEstimates({ ...units, b: null }, mod, [], 'modal');
    const nat = newNatural(mod);
    for (let k = 0; k < K; k++) nat.pi[k] = Math.max(start.est[k], 1e-3);
    let z = 0;
    for (let k = 0; k < K; k++) z += nat.pi[k];
    for (let k = 0; k < K; k++) nat.pi[k] /= z;
    if (kind === 'normal') {
      for (let k = 0; k < K; k++) {
        const mu = start.est[K + k];
        nat.mu[k] = Number.isFinite(mu) ? mu : 0;
        const s2 = start.est[2 * K + (mod.common ? 0 : k)];
        nat.s2[k] = Number.isFinite(s2) && s2 > 1e-4 ? s2 : 1;
      }
    } else {
      for (let k = 0; k < K; k++) {
        let zk = 0;
        for (let c = 0; c < C; c++) {
          const p = start.est[K + k * C + c];
          nat.p[k * C + c] = Number.isFinite(p) ? Math.max(p, 1e-4) : 1 / C;
          zk += nat.p[k * C + c];
        }
        for (let c = 0; c < C; c++) nat.p[k * C + c] /= zk;
      }
    }
    const logD = new Float64Array(K * K);
    for (let k = 0; k < K; k++) for (let s = 0; s < K; s++) logD[k * K + s] = Math.log(D[k][s]);
    const r = fitMl(units, mod, logD, nat, options.maxIter ?? 5000, options.tol ?? 1e-10);
    warnings.push(...r.warnings);
    logLik = r.logLik;
    converged = r.converged;
    iterations = r.iterations;
    varianceType = 'observed-information';
    let Vtheta: number[][];
    const P = nThetaParams(mod);
    try {
      if (!r.info) throw new Error('no information');
      Vtheta = inverse(new Matrix(r.info)).to2DArray();
    } catch {
      Vtheta = Array.from({ length: P }, () => new Array<number>(P).fill(NaN));
    }
    ({ est, vcov: vcovStd } = deltaToNatural(r.nat, mod, Vtheta));
    if (kind === 'normal') {
      // the log-likelihood of the outcome in its own units (the Jacobian of standardisation)
      logLik -= N * Math.log(scale);
    }
  }
  if (!converged) warnings.push(`${method}: did not converge`);

  // back to the outcome's units: μ = centre + scale·μ̃, σ² = scale²·σ̃²
  const Pn = est.length;
  const mult = new Float64Array(Pn).fill(1);
  if (kind === 'normal') {
    for (let k = 0; k < K; k++) mult[K + k] = scale;
    for (let j = 2 * K; j < Pn; j++) mult[j] = scale * scale;
  }
  const estimate: number[] = [];
  for (let j = 0; j < Pn; j++) estimate.push(est[j] * mult[j] + (kind === 'normal' && j >= K && j < 2 * K ? centre : 0));
  const vcov = vcovStd.map((row, a) => row.map((v, c) => v * mult[a] * mult[c]));
  const se = estimate.map((_, j) => (vcov[j][j] >= 0 ? Math.sqrt(vcov[j][j]) : NaN));
  if (se.some((v) => !Number.isFinite(v))) warnings.push(`${method}: some standard errors are not available (reported as null)`);

  const names: string[] = [];
  for (let k = 0; k < K; k++) names.push(`class${k + 1}:share`);
  if (kind === 'normal') {
    for (let k = 0; k < K; k++) names.push(`class${k + 1}:mean`);
    if (mod.common) names.push('variance');
    else for (let k = 0; k < K; k++) names.push(`class${k + 1}:variance`);
  } else for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) names.push(`class${k + 1}:Pr(${String((levels as LcaDistalLevel[])[c])})`);

  // Wald test of equal outcome distributions: contrasts of class k vs class 1
  const contrastIdx: Array<[number, number]> = [];
  if (kind === 'normal') for (let k = 1; k < K; k++) contrastIdx.push([K + k, K]);
  else for (let k = 1; k < K; k++) for (let c = 1; c < C; c++) contrastIdx.push([K + k * C + c, K + c]);
  const df = contrastIdx.length;
  let statistic = NaN;
  try {
    const r = contrastIdx.map(([a, b]) => estimate[a] - estimate[b]);
    const V = contrastIdx.map(([a, b]) => contrastIdx.map(([c, d]) => vcov[a][c] - vcov[a][d] - vcov[b][c] + vcov[b][d]));
    const Vi = inverse(new Matrix(V));
    statistic = new Matrix([r]).mmul(Vi).mmul(Matrix.columnVector(r)).get(0, 0);
  } catch {
    statistic = NaN;
  }
  // a negative quadratic form means the covariance is not positive definite (boundary estimates)
  if (!(statistic >= 0) || !Number.isFinite(statistic)) {
    statistic = NaN;
    warnings.push('wald: the contrasts\' covariance is singular or not positive definite; no test');
  }
  const wald: LcaDistalWald = { statistic, df, pValue: Number.isFinite(statistic) ? pChisqUpper(statistic, df) : NaN };

  const zq = qNorm(1 - (1 - level) / 2);
  const tidy: Array<Record<string, number | string | null>> = [];
  const row = (cls: number | null, term: string, j: number): void => {
    const e = estimate[j];
    const s = Number.isFinite(se[j]) ? se[j] : null;
    tidy.push({ class: cls, term, estimate: e, 'std.error': s, 'conf.low': s === null ? null : e - zq * s, 'conf.high': s === null ? null : e + zq * s, method });
  };
  for (let k = 0; k < K; k++) {
    row(k + 1, 'share', k);
    if (kind === 'normal') {
      row(k + 1, 'mean', K + k);
      if (!mod.common) row(k + 1, 'variance', 2 * K + k);
    } else for (let c = options.type === 'binary' ? 1 : 0; c < C; c++) row(k + 1, `Pr(${String((levels as LcaDistalLevel[])[c])})`, K + k * C + c);
  }
  if (kind === 'normal' && mod.common) row(null, 'variance', 2 * K);

  const sharesSe = se.slice(0, K);
  let means: number[] | null = null;
  let meansSe: number[] | null = null;
  let variances: number[] | null = null;
  let variancesSe: number[] | null = null;
  let probs: number[][] | null = null;
  let probsSe: number[][] | null = null;
  if (kind === 'normal') {
    means = estimate.slice(K, 2 * K);
    meansSe = se.slice(K, 2 * K);
    variances = Array.from({ length: K }, (_, k) => estimate[2 * K + (mod.common ? 0 : k)]);
    variancesSe = Array.from({ length: K }, (_, k) => se[2 * K + (mod.common ? 0 : k)]);
  } else {
    probs = Array.from({ length: K }, (_, k) => estimate.slice(K + k * C, K + (k + 1) * C));
    probsSe = Array.from({ length: K }, (_, k) => se.slice(K + k * C, K + (k + 1) * C));
  }
  const { outcome: _omit, ...rest } = options;
  void _omit;
  return Object.freeze({
    spec: Object.freeze({ type: options.type, method, variance: kind === 'normal' ? (mod.common ? 'common' : 'class') : null, level, outcomeName: options.outcomeName ?? 'outcome', levels }),
    options: Object.freeze(rest),
    nClasses: K,
    nRows: n,
    nUsed,
    nExcluded,
    N,
    shares: estimate.slice(0, K),
    sharesSe,
    means,
    meansSe,
    variances,
    variancesSe,
    probs,
    probsSe,
    names,
    estimate,
    vcov,
    wald,
    logLik,
    converged,
    iterations,
    classificationError: D,
    warnings,
    varianceType,
    tidy: () => tidy,
    summary: () => tidy,
    glance: () => ({
      method, statistic: wald.statistic, df: wald.df, 'p.value': wald.pValue, logLik, nobs: nUsed, 'n.excluded': nExcluded, 'df.residual': null,
      converged: converged ? 1 : 0, 'variance.type': varianceType,
    }),
  });
}
