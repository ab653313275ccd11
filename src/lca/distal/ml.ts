/** The ML step-3 estimator of lcaDistal: maximum likelihood with D fixed, observed-information SEs. */
import { softmaxInPlace } from '../../core/logsumexp';
import { Matrix, inverse } from 'ml-matrix';
import { type Model, type Units, type Natural, BOUNDARY, nThetaParams, newNatural, setDerived, thetaFromNatural, naturalFromTheta } from './model';

/**
 * One pass over the units at the natural parameters `nat`: returns ℓ = Σ_u w_u log Σ_k D[k][s_u] π_k f_k(y_u)
 * and fills `stats` with the posterior-weighted sums that both the EM M-step and the score need:
 * Sq[k] = Σ w q_k, Sy[k] = Σ w q_k y, Srr[k] = Σ w q_k (y − μ_k)² (normal), Sc[k][c] = Σ w q_k [y = c].
 * stats: length 3K + K·C; t: scratch of length K. Zero-weight units are skipped.
 */
export function passOver(u: Units, mod: Model, logD: Float64Array, nat: Natural, stats: Float64Array, t: Float64Array): number {
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
export function scoreFromStats(stats: Float64Array, nat: Natural, mod: Model, W: number, g: Float64Array): void {
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

export interface MlResult {
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
export function fitMl(u: Units, mod: Model, logD: Float64Array, nat: Natural, maxIter: number, tol: number): MlResult {
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
