/** Tidy parameter table of a latent class fit, with poLCA's empirical-information SEs. */
import { pNormTwoSided, qNorm } from '../../core/distributions';
import { lcaVcov, type LcaVcov } from '../vcov/vcov';
import { usableVariance } from '../../core/guard';
import type { LcaFit, LcaSummaryOptions } from './types';

/** Fits whose standard errors have been computed (their varianceType is then 'empirical-information'). */
export const seComputed = new WeakSet<LcaFit>();
/** Each fit's lcaVcov, computed once (O(N·P²)) and reused by later summary() calls. */
const vcovCache = new WeakMap<LcaFit, LcaVcov>();

/**
 * Tidy table: one row per class share, item-response probability and covariate coefficient.
 * Columns: term, class, item, category, level, estimate, std.error, statistic, p.value, conf.low,
 * conf.high, variance.type. Standard errors are poLCA's empirical-information SEs (lcaVcov),
 * computed as `options.se` says (default 'auto': up to 600 free parameters, else null with a
 * warning on the fit saying so and how to ask); computed once per fit and reused. Every row says
 * what its SE is: variance.type 'empirical-information', or 'none' where no SE was computed.
 * Probabilities get Wald intervals clipped to [0, 1] and no test; coefficients get z tests.
 */
export function lcaSummary(fit: LcaFit, options: LcaSummaryOptions = {}): Array<Record<string, number | string | null>> {
  const level = options.level ?? 0.95;
  const maxParamsForSe = options.maxParamsForSe ?? 600;
  const want = options.se ?? 'auto';
  const out: Array<Record<string, number | string | null>> = [];
  const compute = want === true || (want === 'auto' && fit.nParams <= maxParamsForSe);
  if (want === 'auto' && !compute) {
    const note = `standard errors not computed: ${fit.nParams} parameters > ${maxParamsForSe} (cost O(N·P²)); ask with summary({ se: true }) or lcaVcov(fit)`;
    if (!fit.warnings.includes(note)) fit.warnings.push(note);
  }
  let v: LcaVcov | null = null;
  if (compute) {
    v = vcovCache.get(fit) ?? lcaVcov(fit);
    vcovCache.set(fit, v);
    seComputed.add(fit);
    for (const w of v.warnings) if (!fit.warnings.includes(w)) fit.warnings.push(w);
  }
  const varianceType = v ? 'empirical-information' : 'none';
  const z = qNorm(1 - (1 - level) / 2);
  const prob = (est: number, se: number | null | undefined): Record<string, number | null> => ({
    estimate: est,
    'std.error': se ?? null,
    statistic: null,
    'p.value': null,
    'conf.low': se == null ? null : Math.max(0, est - z * se),
    'conf.high': se == null ? null : Math.min(1, est + z * se),
  });
  const tagged = (row: Record<string, number | string | null>): Record<string, number | string | null> => ({ ...row, 'variance.type': varianceType });
  for (let k = 0; k < fit.nClasses; k++) out.push({ term: 'share', class: k + 1, item: null, category: null, level: null, ...prob(fit.shares[k], v?.sharesSe[k]) });
  for (let k = 0; k < fit.nClasses; k++)
    for (let j = 0; j < fit.nItems; j++)
      for (let c = 0; c < fit.nCategories[j]; c++)
        out.push({ term: `${fit.itemNames[j]}[${fit.itemLevels ? String(fit.itemLevels[j][c]) : c}]`, class: k + 1, item: fit.itemNames[j], category: c, level: fit.itemLevels ? String(fit.itemLevels[j][c]) : null, ...prob(fit.itemProbs[k][j][c], v?.itemProbsSe[k][j][c]) });
  if (fit.beta && fit.betaNames)
    for (let k = 1; k < fit.nClasses; k++)
      for (let s = 0; s < fit.beta.length; s++) {
        const est = fit.beta[s][k - 1];
        // An SE of 0 or ∞ carries no test (core/guard): NaN statistic and p, never p = 0.
        const seRaw = v?.betaSe ? v.betaSe[s][k - 1] : null;
        const se = seRaw == null ? null : usableVariance(seRaw) ? seRaw : NaN;
        out.push({
          term: fit.betaNames[s],
          class: k + 1,
          item: null,
          category: null,
          level: null,
          estimate: est,
          'std.error': se,
          statistic: se != null ? est / se : null,
          'p.value': se != null ? pNormTwoSided(est / se) : null,
          'conf.low': se != null ? est - z * se : null,
          'conf.high': se != null ? est + z * se : null,
        });
      }
  return out.map(tagged);
}
