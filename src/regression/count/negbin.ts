/**
 * θ for the NB2 GLM, as MASS::glm.nb: from a Poisson fit, alternate theta.ml at fixed μ with
 * IRLS at fixed θ until the log-likelihood and θ stop moving; then θ's SE from its observed
 * information at (β̂, θ̂). Run to the joint optimum (tolerances far below glm.nb's 1e-8).
 */
import { countLogLik, thetaMl, thetaScoreInfo } from './family';
import { irls, type IrlsProblem, type IrlsState } from './irls';
import { formatNumber } from '../../core/numberStyle';

/**
 * Negative binomial (NB2) fit by alternating θ̂ (MASS::theta.ml at fixed μ) and IRLS for β at
 * fixed θ, from a Poisson fit, until the log-likelihood settles — MASS::glm.nb's algorithm.
 * Output: the IRLS state at (β̂, θ̂), θ̂ and its SE (1/√information), outer iterations, warnings
 * (theta.ml's iteration limit, θ → ∞ i.e. no overdispersion, no convergence, θ information not
 * positive: NaN SE).
 */
export function fitNegbinTheta(pr: IrlsProblem, poisson: IrlsState, tol = 1e-14, maxIter = 100): { state: IrlsState; theta: number; thetaSe: number; outer: number; warnings: string[] } {
  const warnings: string[] = [];
  let st = poisson;
  let th = thetaMl(pr.y, st.mu, pr.weights, null);
  if (th.limitReached) warnings.push('theta.ml: iteration limit reached');
  let theta = th.theta;
  let ll = countLogLik(pr.y, st.mu, pr.weights, theta);
  let outer = 0; let converged = false;
  const d1 = Math.sqrt(2 * Math.max(1, pr.n - pr.p));
  for (outer = 1; outer <= maxIter; outer++) {
    if (!(theta < 1e10)) break;
    st = irls(pr, theta, st.mu, tol, maxIter);
    const prev = theta; const llPrev = ll;
    th = thetaMl(pr.y, st.mu, pr.weights, theta);
    theta = th.theta;
    ll = countLogLik(pr.y, st.mu, pr.weights, theta);
    if (Math.abs(ll - llPrev) / d1 + Math.abs(prev - theta) / Math.max(1, theta) < 1e-10) { converged = true; break; }
  }
  if (!(theta < 1e10)) {
    warnings.push(`theta → ∞ (${formatNumber(theta, 3)}): no overdispersion, the NB2 fit is the Poisson fit; theta and its SE are not identified (NaN SE)`);
    return { state: st, theta, thetaSe: NaN, outer, warnings };
  }
  if (!converged) warnings.push(`glm.nb alternation did not converge in ${maxIter} outer iterations`);
  if (!st.converged) warnings.push('IRLS at the final theta did not converge');
  const info = thetaScoreInfo(pr.y, st.mu, pr.weights, theta).info;
  let thetaSe = NaN;
  if (info > 0) thetaSe = 1 / Math.sqrt(info);
  else warnings.push('observed information for theta is not positive: its SE is NaN');
  return { state: st, theta, thetaSe, outer, warnings };
}
