// The frailty variance θ of the shared gamma frailty Cox model: the integrated (I-) likelihood
// of Therneau, Grambsch & Pankratz (2003) is the penalised partial likelihood at (β̂(θ), ŵ(θ))
// plus R's frailty.gammacon correction; θ̂ maximises it. By the envelope theorem its slope in θ
// needs no derivative of β̂ or ŵ: dI/dθ = θ⁻² [Σ_j (e^{w_j} − 1 − w_j) − Σ_j (log ν − log(ν + d_j)
// + ψ(ν + d_j) − ψ(ν))], ν = 1/θ. So θ̂ is the root of a smooth slope (Brent's root finder, a
// handful of inner fits), not the argmax of a function flat to rounding near its maximum.
import digamma from '@stdlib/math-base-special-digamma';
import { brentRoot } from '../core/optimise';

/** R's frailty.gammacon: Σ_j [d_j + ν log ν − (ν + d_j) log(ν + d_j) + lgamma(ν + d_j) − lgamma(ν)], ν = 1/θ. */
export function gammaCorrection(theta: number, events: Float64Array): number {
  if (theta === 0) return 0;
  const nu = 1 / theta;
  let s = 0;
  for (let j = 0; j < events.length; j++) {
    const d = events[j];
    s += d + nu * Math.log(nu) - (nu + d) * Math.log(nu + d) + lgamma(nu + d) - lgamma(nu);
  }
  return s;
}

/** log Γ(x), x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
function lgamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** e^w − 1 − w without cancellation for small |w|. */
function expm1MinusX(w: number): number {
  if (Math.abs(w) < 1e-3) return w * w * (0.5 + w * (1 / 6 + w * (1 / 24 + w / 120)));
  return Math.expm1(w) - w;
}

/**
 * f(ν + d) − f(ν) for f(x) = ψ(x) − log x, without the cancellation of four O(log ν) terms when
 * ν is large (θ small): there f(x) = −1/(2x) − 1/(12x²) + 1/(120x⁴) − 1/(252x⁶) + 1/(240x⁸) − …,
 * and the leading difference is d / (2ν(ν + d)).
 */
function psiLogDiff(nu: number, d: number): number {
  if (nu < 100) return Math.log(nu) - Math.log(nu + d) + digamma(nu + d) - digamma(nu);
  const x1 = nu + d;
  const inv = (x: number, k: number) => 1 / x ** k;
  return d / (2 * nu * x1) + (d * (2 * nu + d)) / (12 * nu * nu * x1 * x1)
    - (inv(nu, 4) - inv(x1, 4)) / 120 + (inv(nu, 6) - inv(x1, 6)) / 252 - (inv(nu, 8) - inv(x1, 8)) / 240;
}

/**
 * dI/dθ at θ > 0 from the log-frailties w (G) that maximise the penalised partial likelihood at θ
 * and the events per group d (G). Exact at the inner maximum (envelope theorem); both sums are
 * O(θ²) as θ → 0, so each is formed without cancellation (the slope near the boundary decides
 * whether θ̂ = 0).
 */
export function iLikelihoodSlope(theta: number, w: ArrayLike<number>, events: Float64Array): number {
  const nu = 1 / theta;
  let pen = 0;
  let corr = 0;
  for (let j = 0; j < events.length; j++) {
    pen += expm1MinusX(w[j]);
    if (events[j] > 0) corr += psiLogDiff(nu, events[j]);
  }
  return (pen - corr) / (theta * theta);
}

/** The I-likelihood (v) and its slope (dv; NaN at θ = 0) after the inner fit at θ. */
export interface ThetaPoint { v: number; dv: number }

/** Below this θ the estimate is taken as the boundary 0; above THETA_MAX the search stops. */
const THETA_MIN = 1e-8;
const THETA_MAX = 1e4;

/**
 * θ̂ = argmax of the I-likelihood over θ ≥ 0, by the sign of its slope: from θ = 0.1, doubling
 * while the slope is positive (or halving while it is not), then Brent's root finder on the slope
 * to 1e-10 relative. `at` runs the inner fit at θ (warm-started by the caller) and returns the
 * I-likelihood and slope. Returns θ̂, 0 at the boundary (no between-group variation: the
 * slope is not positive above THETA_MIN, or I(θ̂) ≤ I(0)), and a warning when θ̂ reaches THETA_MAX.
 */
export function searchTheta(atTheta: (theta: number) => ThetaPoint): { theta: number; boundary: boolean; warning: string | null } {
  const seen = new Map<number, number>();
  const at = (t: number): ThetaPoint => { const q = atTheta(t); seen.set(t, q.v); return q; };
  const i0 = at(0).v;
  let hi = 0.1;
  let fh = at(hi);
  let lo: number;
  let fl: ThetaPoint;
  if (fh.dv > 0) {
    do { lo = hi; fl = fh; hi *= 2; fh = at(hi); } while (fh.dv > 0 && hi < THETA_MAX);
    if (fh.dv > 0) return { theta: hi, boundary: false, warning: `fitCox: the frailty variance θ reached the search limit ${THETA_MAX} (the I-likelihood still increases)` };
  } else {
    lo = hi / 2;
    fl = at(lo);
    while (!(fl.dv > 0) && lo > THETA_MIN) { hi = lo; fh = fl; lo /= 2; fl = at(lo); }
    if (!(fl.dv > 0)) return { theta: 0, boundary: true, warning: null };
  }
  const theta = brentRoot((t) => at(t).dv, lo, hi, fl.dv, fh.dv, 1e-10).x;
  if (theta < THETA_MIN || i0 >= (seen.get(theta) ?? at(theta).v)) return { theta: 0, boundary: true, warning: null };
  return { theta, boundary: false, warning: null };
}
