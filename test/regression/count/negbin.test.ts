// glm_negbin_offset: MASS::glm.nb with offset(log(population)) — coefficients, SEs, vcov (θ known),
// θ and its SE (observed information at (β̂, θ̂)), 2·logLik, AIC/BIC, deviance, null deviance.
import { describe, expect, it } from 'vitest';
import { glm } from '../../../src/index';
import { close, closeNamed, levelsFromSpec, loadCase } from '../reference';

const { table, expected: e, spec } = loadCase('glm_negbin_offset');
const levels = levelsFromSpec(spec, table, Object.keys(e.coefficients));
const formula = /glm\.nb\((.*?),\s*data/.exec(spec.r_call.fit)![1];

describe('glm_negbin_offset vs R', () => {
  it(`fit: ${spec.r_call.fit}`, () => {
    const fit = glm(table, { formula, levels }, { family: 'negbin' });
    expect(fit.converged).toBe(true);
    expect(fit.n).toBe(e.n);
    expect(fit.dfResidual).toBe(e.df_residual);
    closeNamed(fit.names, Array.from(fit.coef), e.coefficients, 'coef');
    closeNamed(fit.names, Array.from(fit.se), e.se, 'se');
    const p = fit.names.length;
    e.vcov.values.forEach((row: number[], i: number) => row.forEach((v, j) => close(fit.vcov[i * p + j], v, `vcov[${i},${j}]`)));
    fit.tidy().forEach((r) => close(r.statistic as number, e.z[r.term as string], `z ${r.term}`));
    fit.tidy().forEach((r) => { if (e.p_value[r.term as string] > 1e-12) close(r['p.value'] as number, e.p_value[r.term as string], `p ${r.term}`, 1e-6, 1e-12); });
    close(fit.theta, e.theta, 'theta');
    close(fit.thetaSe, e.theta_se, 'theta SE');
    close(2 * fit.logLik, e.twologlik, 'twologlik');
    close(fit.logLik, e.loglik, 'loglik');
    close(fit.aic, e.aic, 'AIC');
    close(fit.bic, e.bic, 'BIC');
    close(fit.deviance, e.deviance, 'deviance');
    close(fit.nullDeviance, e.null_deviance, 'null deviance');
    e.fitted_first10.forEach((v: number, i: number) => close(fit.fitted[i], v, `fitted[${i}]`));
    expect(fit.glance().theta).toBe(fit.theta);
    expect(fit.warnings).toEqual([]);
  });
});
