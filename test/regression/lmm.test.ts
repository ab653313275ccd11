// lmer_random_intercept: lmer(y ~ ... + (1 | school)) by REML and ML — fixed effects, SEs, vcov,
// t, variance components (1e-5), θ, logLik/criterion/AIC/BIC, BLUPs.
import { describe, expect, it } from 'vitest';
import { fitLmm, lmm } from '../../src/index';
import { createRng } from '../../src/core/random';
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

describe('group coding (core/groups)', () => {
  // Inner ids numbered within each outer group (school 1 of LA "b" is not school 1 of LA "a"),
  // as lme4's (1 | la/school) reads them: the fit equals one with globally unique inner ids, and
  // BLUPs are listed in sorted outer, then sorted inner order, as lme4's factor levels.
  const rng = createRng(11);
  const y: number[] = []; const x: number[][] = []; const la: string[] = []; const local: number[] = []; const global: string[] = [];
  const laNames = ['c', 'a', 'b'];
  for (let i = 0; i < 120; i++) {
    const o = rng.nextInt(3); const s = rng.nextInt(4);
    const xi = rng.nextNormal();
    x.push([1, xi]); y.push(0.5 * xi + [0.6, -0.4, 0.1][o] + 0.3 * (s - 1.5) + rng.nextNormal());
    la.push(laNames[o]); local.push(s + 1); global.push(`${laNames[o]}${s + 1}`);
  }
  it('nested inner ids repeated across outer groups are distinct groups', () => {
    const a = fitLmm({ y, x, groups: [la, local], groupNames: ['la', 'school'] });
    const b = fitLmm({ y, x, groups: [la, global], groupNames: ['la', 'school'] });
    expect(a.nGroups).toEqual(b.nGroups);
    a.coef.forEach((v, j) => expect(v).toBeCloseTo(b.coef[j], 10));
    expect(a.logLik).toBeCloseTo(b.logLik, 8);
    expect(a.ranef[0].ids).toEqual(['a', 'b', 'c']);
    const inner = a.ranef[1];
    const expectedOrder = ['a', 'b', 'c'].flatMap((l) => [1, 2, 3, 4].filter((s) => global.includes(`${l}${s}`)).map((s) => `${l}${s}`));
    expect(inner.ids.length).toBe(expectedOrder.length);
    // raw inner ids (local numbers) in outer-then-inner order
    expect(inner.ids).toEqual(expectedOrder.map((g) => Number(g.slice(1))));
    Array.from(inner.values).forEach((v, k) => expect(v).toBeCloseTo(b.ranef[1].values[k], 8));
  });
});
