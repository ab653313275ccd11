// lmer_random_intercept: lmer(y ~ ... + (1 | school)) by REML and ML — fixed effects, SEs, vcov,
// t, variance components (1e-5), θ, logLik/criterion/AIC/BIC, BLUPs.
import { describe, expect, it } from 'vitest';
import { lmm } from '../../src/index';
import { close, closeMatrix, closeNamed, levelsFromSpec, loadCase } from './reference';

const { table, expected, spec } = loadCase('lmer_random_intercept');
const levels = levelsFromSpec(spec, table, Object.keys(expected.REML.fixed_effects));

describe('lmer_random_intercept vs lme4', () => {
  for (const method of ['REML', 'ML'] as const) {
    const call: string = spec.r_call[method];
    const formula = /lmer\((.*?),\s*data/.exec(call)![1];
    const e = expected[method];
    const group = /\(1 \| (\w+)\)/.exec(formula)![1];
    it(`${method}: ${formula}`, () => {
      const fit = lmm(table, { formula, levels }, { reml: method === 'REML' });
      expect(fit.n).toBe(e.n);
      expect(fit.nGroups[0]).toBe(e.n_groups);
      expect(fit.dfLogLik).toBe(e.df_loglik);
      closeNamed(fit.names, fit.coef, e.fixed_effects, 'fixef');
      closeNamed(fit.names, fit.se, e.se, 'se');
      closeNamed(fit.names, fit.statistic, e.t_value, 't');
      closeMatrix(fit.vcov, e.vcov, 'vcov');
      close(fit.varianceComponents[0].variance, e[`var_${group}_intercept`], 'var_u', 1e-5);
      close(fit.varianceComponents[1].variance, e.var_residual, 'var_e', 1e-5);
      close(fit.varianceComponents[0].sd, e[`sd_${group}_intercept`], 'sd_u', 1e-5);
      close(fit.varianceComponents[1].sd, e.sd_residual, 'sd_e', 1e-5);
      close(fit.theta[0], e.theta, 'theta');
      close(fit.logLik, e.loglik, 'loglik');
      close(fit.deviance, e.criterion_minus2loglik, 'criterion');
      close(fit.aic, e.aic, 'aic');
      close(fit.bic, e.bic, 'bic');
      const re = e.random_effects_conditional_modes;
      expect(fit.ranef[0].ids.map(String)).toEqual(re[group].map(String));
      re.value.forEach((v: number, k: number) => close(fit.ranef[0].values[k], v, `blup[${re[group][k]}]`));
      const vu = e[`var_${group}_intercept`];
      close(fit.icc[group], vu / (vu + e.var_residual), 'icc', 1e-5);
      expect(fit.converged).toBe(true);
    });
  }
});
