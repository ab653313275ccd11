// Parameter recovery of a gamma-frailty fit against known group effects (synthetic data).
import type { CoxFrailtyFit } from './frailty';

export interface FrailtyRecovery {
  /** The fit's frailty variance θ. */
  readonly theta: number;
  /** Variance over groups of the true relative hazards exp(w_l), each divided by their mean (the scale θ estimates). */
  readonly trueVariance: number;
  readonly thetaRatio: number;
  /** Pearson correlation of the estimated and true log-frailties over the fitted groups. */
  readonly correlation: number;
  readonly nGroups: number;
}

/**
 * Compares a shared-frailty fit with the true log-frailties of its groups (e.g. truth.json's
 * rereferralCox.laLogFrailty). The gamma frailty has mean 1, so the true relative hazards are
 * scaled to mean 1 before their variance is taken; a lognormal truth with SD σ gives about
 * exp(σ²) − 1. Failure: throws when a fitted group has no true value.
 */
export function frailtyRecovery(fit: Pick<CoxFrailtyFit, 'theta' | 'frailtyLevels' | 'frailties'>, trueLogFrailty: Readonly<Record<string, number>>): FrailtyRecovery {
  const G = fit.frailtyLevels.length;
  const w = fit.frailtyLevels.map((g) => {
    const v = trueLogFrailty[g];
    if (typeof v !== 'number') throw new Error(`frailtyRecovery: no true log-frailty for group '${g}'`);
    return v;
  });
  const rel = w.map((v) => Math.exp(v));
  const meanRel = rel.reduce((s, v) => s + v, 0) / G;
  const trueVariance = rel.reduce((s, v) => s + (v / meanRel - 1) ** 2, 0) / G;
  const est = Array.from(fit.frailties);
  const mw = w.reduce((s, v) => s + v, 0) / G;
  const me = est.reduce((s, v) => s + v, 0) / G;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let j = 0; j < G; j++) {
    sxy += (w[j] - mw) * (est[j] - me);
    sxx += (w[j] - mw) ** 2;
    syy += (est[j] - me) ** 2;
  }
  return Object.freeze({ theta: fit.theta, trueVariance, thetaRatio: fit.theta / trueVariance, correlation: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN, nGroups: G });
}
