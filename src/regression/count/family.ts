/**
 * Count-model families on the log link: Poisson and negative binomial (NB2, Var = μ + μ²/θ).
 * Per-row log-likelihoods, deviances and working weights, plus MASS::theta.ml's score and
 * information for θ. Poisson is θ = Infinity throughout, so one IRLS serves both.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import trigamma from '@stdlib/math-base-special-trigamma';

export type CountFamily = 'poisson' | 'negbin';

/** IRLS working weight on the log link: μ²/Var(μ) = μ / (1 + μ/θ). */
export function workingWeight(mu: number, theta: number): number {
  return theta === Infinity ? mu : mu / (1 + mu / theta);
}

/** Σ w·log f(y | μ, θ), including −log y! (R's logLik for poisson glm and glm.nb). */
export function countLogLik(y: Float64Array, mu: Float64Array, w: Float64Array | null, theta: number): number {
  let s = 0;
  const n = y.length;
  if (theta === Infinity) {
    for (let i = 0; i < n; i++) {
      const yi = y[i];
      const li = (yi > 0 ? yi * Math.log(mu[i]) : 0) - mu[i] - gammaln(yi + 1);
      s += w ? w[i] * li : li;
    }
    return s;
  }
  const c = theta * Math.log(theta) - gammaln(theta);
  for (let i = 0; i < n; i++) {
    const yi = y[i]; const m = mu[i];
    const li = gammaln(theta + yi) + c - gammaln(yi + 1) + (yi > 0 ? yi * Math.log(m) : 0) - (theta + yi) * Math.log(theta + m);
    s += w ? w[i] * li : li;
  }
  return s;
}

/** Residual deviance (R's poisson()$dev.resids / negative.binomial(θ)$dev.resids, summed). */
export function countDeviance(y: Float64Array, mu: Float64Array, w: Float64Array | null, theta: number): number {
  let d = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const yi = y[i]; const m = mu[i];
    let di: number;
    if (theta === Infinity) di = (yi > 0 ? yi * Math.log(yi / m) : 0) - (yi - m);
    else di = (yi > 0 ? yi * Math.log(yi / m) : 0) - (yi + theta) * Math.log((yi + theta) / (m + theta));
    d += w ? w[i] * di : di;
  }
  return 2 * d;
}

/** Pearson χ² = Σ w (y − μ)² / Var(μ). */
export function pearsonChisq(y: Float64Array, mu: Float64Array, w: Float64Array | null, theta: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const r = y[i] - mu[i];
    const v = theta === Infinity ? mu[i] : mu[i] + mu[i] * mu[i] / theta;
    s += (w ? w[i] : 1) * r * r / v;
  }
  return s;
}

/** ∂ℓ/∂θ and −∂²ℓ/∂θ² at fixed μ (MASS::theta.ml's score and info). */
export function thetaScoreInfo(y: Float64Array, mu: Float64Array, w: Float64Array | null, th: number): { score: number; info: number } {
  let score = 0; let info = 0;
  const dgTh = digamma(th); const tgTh = trigamma(th); const lth = Math.log(th);
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]; const m = mu[i]; const wi = w ? w[i] : 1;
    const mt = m + th;
    score += wi * (digamma(th + yi) - dgTh + lth + 1 - Math.log(mt) - (yi + th) / mt);
    info += wi * (-trigamma(th + yi) + tgTh - 1 / th + 2 / mt - (yi + th) / (mt * mt));
  }
  return { score, info };
}

/**
 * θ by Newton at fixed μ, as MASS::theta.ml: start n / Σ w (y/μ − 1)², step |θ + score/info|,
 * stop when |step| < eps. Returns θ, its information and whether the iteration limit was hit.
 */
export function thetaMl(y: Float64Array, mu: Float64Array, w: Float64Array | null, start: number | null, eps = 1e-11, limit = 100): { theta: number; info: number; limitReached: boolean } {
  let t0 = start ?? NaN;
  if (!(t0 > 0 && Number.isFinite(t0))) {
    let sw = 0; let s = 0;
    for (let i = 0; i < y.length; i++) { const wi = w ? w[i] : 1; const r = y[i] / mu[i] - 1; sw += wi; s += wi * r * r; }
    t0 = sw / s;
  }
  let it = 0; let del = 1;
  while (++it <= limit && Math.abs(del) > eps * Math.max(1, t0)) {
    t0 = Math.abs(t0);
    const { score, info } = thetaScoreInfo(y, mu, w, t0);
    del = score / info;
    t0 += del;
    if (!Number.isFinite(t0) || t0 > 1e12) break;
  }
  t0 = Math.abs(t0);
  return { theta: t0, info: Number.isFinite(t0) ? thetaScoreInfo(y, mu, w, t0).info : NaN, limitReached: it > limit };
}
