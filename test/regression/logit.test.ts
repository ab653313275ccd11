// glm_logit_robust: logistic glm — coefficients, model SEs/vcov, cluster-robust HC0 (vcovCL default)
// and HC1, HC0 sandwich, z/p, deviance, null deviance, AIC/BIC, LR test vs null, fitted values.
import { describe, expect, it } from 'vitest';
import { fitLogit, logit } from '../../src/index';
import { AM, HP, MPG, WT } from './mtcars';
import { close, closeInference, closeNamed, closeP, levelsFromSpec, loadCase } from './reference';

const { table, expected: e, spec } = loadCase('glm_logit_robust');
const levels = levelsFromSpec(spec, table, Object.keys(e.coefficients));
const formula = /glm\((.*?),\s*data/.exec(spec.r_call.fit)![1];
const clusterCol = /cluster = ~(\w+)/.exec(spec.r_call.cluster_default)![1];

describe('glm_logit_robust vs R', () => {
  it(`model-based fit: ${formula}`, () => {
    const fit = logit(table, { formula, levels });
    expect(fit.converged).toBe(true);
    expect(fit.n).toBe(e.n);
    expect(fit.names.length).toBe(e.n_coefficients);
    expect(fit.dfResidual).toBe(e.df_residual);
    expect(fit.dfNull).toBe(e.df_null);
    closeNamed(fit.names, fit.coef, e.coefficients, 'coef');
    closeInference(fit, { se: e.se, statistic: e.z, p: e.p_value, vcov: e.vcov }, 'model');
    close(fit.deviance, e.deviance, 'deviance');
    close(fit.nullDeviance, e.null_deviance, 'null deviance');
    close(fit.logLik, e.loglik, 'loglik');
    close(fit.logLikNull, e.loglik_null, 'loglik null');
    close(fit.aic, e.aic, 'aic');
    close(fit.bic, e.bic, 'bic');
    close(fit.lrTestNull.statistic, e.lr_test_vs_null.statistic, 'LR');
    expect(fit.lrTestNull.df).toBe(e.lr_test_vs_null.df);
    closeP(fit.lrTestNull.p, e.lr_test_vs_null.p_value, 'LR p');
    e.fitted_first10.forEach((v: number, i: number) => close(fit.fitted[i], v, `fitted[${i}]`));
    expect(fit.separation).toBe(false);
    expect(fit.warnings).toEqual([]);
  });
  it('cluster-robust HC0 (vcovCL default for glm) and HC1, and HC0 sandwich', () => {
    const c0 = logit(table, { formula, levels }, { vcov: 'cluster', cluster: clusterCol });
    expect(c0.nClusters).toBe(e.n_clusters);
    closeInference(c0, { se: e.se_cluster_hc0, vcov: e.vcov_cluster_hc0, statistic: e.z_cluster_hc0, p: e.p_cluster_hc0 }, 'cluster HC0');
    const c1 = logit(table, { formula, levels }, { vcov: 'cluster', cluster: clusterCol, clusterType: 'HC1' });
    closeInference(c1, { se: e.se_cluster_hc1, vcov: e.vcov_cluster_hc1 }, 'cluster HC1');
    const h0 = logit(table, { formula, levels }, { vcov: 'HC0' });
    closeInference(h0, { se: e.se_hc0 }, 'HC0');
  });
});

describe('fitLogit stopped at the iteration limit', () => {
  // R 4.2: g <- glm(am ~ wt + hp, binomial, mtcars, control = glm.control(maxit = 2))
  //   g$iter 2, g$converged FALSE, coef 9.59931297266303 -4.23514551408153 0.021127339024459
  it('reports R\'s iteration count, its coefficients after two steps, and a warning', () => {
    const f = fitLogit({ y: AM, x: MPG.map((_, i) => [1, WT[i], HP[i]]), maxIter: 2 });
    expect(f.iterations).toBe(2);
    expect(f.converged).toBe(false);
    [9.59931297266303, -4.23514551408153, 0.021127339024459].forEach((b, j) => expect(f.coef[j]).toBeCloseTo(b, 11));
    expect(f.warnings).toContain('IRLS did not converge in 2 iterations');
  });
});
