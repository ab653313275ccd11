/**
 * One-row model summaries (broom's `glance`), for display tables and notebooks.
 */
import type { TidyRow } from './fitBase';
import type { LmmFit } from './lmm';
import type { LogitFit } from './logit';
import type { OlsFit } from './ols';

/**
 * One row of fit statistics (broom::glance) for an OLS, logit or LMM fit: nobs, variance type,
 * logLik/AIC/BIC, convergence, clusters and warnings; plus R², adjusted R², σ, F test and
 * residual df (OLS, as summary.lm), deviances and the LR test against the null model (logit, as
 * glm), REML flag, variance components, ICCs and group counts (LMM, as lme4).
 */
export function fitGlance(fit: OlsFit | LogitFit | LmmFit): TidyRow {
  const base: TidyRow = {
    model: fit.model, nobs: fit.n, 'vcov.type': fit.vcovType, logLik: fit.logLik, AIC: fit.aic, BIC: fit.bic,
    converged: fit.converged ? 'yes' : 'no', 'n.clusters': fit.nClusters ?? null, warnings: fit.warnings.length ? fit.warnings.join(' | ') : null,
  };
  if (fit.model === 'ols') {
    return { ...base, 'r.squared': fit.r2, 'adj.r.squared': fit.adjR2, sigma: fit.sigma, statistic: fit.F?.value ?? null, 'p.value': fit.F?.p ?? null, df: fit.F?.df1 ?? null, 'df.residual': fit.dfResidual, 'wald.F': fit.fWald?.value ?? null, 'wald.df2': fit.fWald?.df2 ?? null };
  }
  if (fit.model === 'logit') {
    return { ...base, deviance: fit.deviance, 'null.deviance': fit.nullDeviance, 'df.residual': fit.dfResidual, 'df.null': fit.dfNull, 'lr.statistic': fit.lrTestNull.statistic, 'lr.p.value': fit.lrTestNull.p, separation: fit.separation ? 'yes' : 'no' };
  }
  const out: TidyRow = { ...base, REML: fit.reml ? 'yes' : 'no', deviance: fit.deviance, sigma: fit.sigma };
  fit.varianceComponents.forEach((v) => { out[`var.${v.group}`] = v.variance; });
  for (const [k, v] of Object.entries(fit.icc)) out[`icc.${k}`] = v;
  fit.nGroups.forEach((g, i) => { out[`n.groups.${fit.varianceComponents[i].group}`] = g; });
  return out;
}

/** Random-effect parameters as tidy rows (broom.mixed's ran_pars): sd per level and residual. */
export function lmmRandomRows(fit: LmmFit): TidyRow[] {
  return fit.varianceComponents.map((v) => ({
    effect: 'ran_pars', group: v.group, term: v.group === 'Residual' ? 'sd__Observation' : 'sd__(Intercept)',
    estimate: v.sd, variance: v.variance,
  }));
}
