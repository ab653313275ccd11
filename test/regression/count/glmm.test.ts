// glmer_poisson_random_intercept: Poisson glmer with offset and (1 | la), Laplace and AGQ(10) —
// fixed effects, SEs (Hessian, lme4's default, compared at 1e-4 as the README says; R_X-based,
// exact, compared tightly), random-intercept SD, log-likelihoods, conditional modes and SDs.
import { describe, expect, it } from 'vitest';
import { glmm } from '../../../src/index';
import { close, closeNamed, levelsFromSpec, loadCase } from '../reference';

const { table, expected: e, spec } = loadCase('glmer_poisson_random_intercept');
const formula = /glmer\((.*?),\s*data/.exec(spec.r_call.laplace)![1];
const levels = levelsFromSpec(spec, table, Object.keys(e.laplace.fixed_effects));

for (const [key, nAGQ] of [['laplace', 1], ['agq10', 10]] as const) {
  const r = e[key];
  describe(`glmer_poisson_random_intercept ${key} vs R`, () => {
    it(`${spec.r_call[key]}`, () => {
      const fit = glmm(table, { formula, levels }, { nAGQ });
      expect(fit.converged).toBe(true);
      expect(fit.n).toBe(r.n);
      expect(fit.nGroups).toBe(r.n_groups);
      closeNamed(fit.names, Array.from(fit.coef), r.fixed_effects, 'fixef', 1e-5);
      close(fit.sdRandom, r.sd_la_intercept, 'sd la', 1e-5);
      close(fit.logLik, r.loglik_full, 'loglik full', 1e-5);
      close(fit.logLikLme4, r.loglik, 'loglik as lme4 reports it', 1e-5);
      close(fit.logLikSaturated, e.loglik_saturated, 'saturated loglik');
      close(fit.aic, -2 * r.loglik_full + 2 * r.df_loglik, 'aic');
      close(fit.devianceConditional, r.deviance_conditional, 'conditional deviance', 1e-5);
      const p = fit.names.length;
      fit.names.forEach((nm, j) => close(Math.sqrt(fit.vcovRx[j * p + j]), r.se_rx[nm], `se_rx ${nm}`, 1e-5));
      r.vcov_rx.values.forEach((row: number[], i: number) => row.forEach((v, j) => close(fit.vcovRx[i * p + j], v, `vcov_rx[${i},${j}]`, 1e-5)));
      // lme4's default SEs: β block of 2 H⁻¹, H = deriv12's finite-difference Hessian (step 1e-4)
      // of lme4's devfun in (θ, β). Compare at 1e-4 (README).
      closeNamed(fit.names, Array.from(fit.se), r.se, 'se (Hessian)', 1e-4);
      r.vcov.values.forEach((row: number[], i: number) => row.forEach((v, j) => close(fit.vcovHessian[i * p + j], v, `vcov (Hessian)[${i},${j}]`, 1e-4)));
      expect(fit.groupLevels).toEqual(r.random_effects_conditional_modes.la);
      r.random_effects_conditional_modes.value.forEach((v: number, g: number) => close(fit.conditionalModes[g], v, `mode ${g}`, 1e-5, 1e-8));
      r.random_effects_conditional_modes.conditional_sd.forEach((v: number, g: number) => close(fit.conditionalSd[g], v, `cond sd ${g}`, 1e-5));
      expect(fit.warnings).toEqual([]);
    });
  });
}
