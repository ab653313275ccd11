// lm_robust: three nested lm fits — coefficients, classical/HC1/cluster SEs and vcov, R², F,
// logLik/AIC/BIC, fitted values, and anova(m1, m2, m3) / pairwise, vs R at the README tolerances.
import { describe, expect, it } from 'vitest';
import { anovaNested, buildDesign, fitOls, ols } from '../../src/index';
import { close, closeInference, closeMatrix, closeNamed, closeP, levelsFromSpec, loadCase } from './reference';

const { table, expected, spec } = loadCase('lm_robust');
const models = Object.keys(expected.models);
const levels = levelsFromSpec(spec, table, Object.keys(expected.models[models[models.length - 1]].coefficients));
const formulaOf = (call: string) => /lm\((.*?),\s*data/.exec(call)![1];
const clusterCol = /cluster = ~(\w+)/.exec(spec.r_call.cluster)![1];

describe('lm_robust vs R', () => {
  for (const m of models) {
    const e = expected.models[m];
    const formula = formulaOf(spec.r_call[m]);
    it(`${m}: ${formula} — design names/order, coefficients, classical SEs, fit statistics`, () => {
      const fit = ols(table, { formula, levels }, {});
      expect(fit.n).toBe(e.n);
      expect(fit.names.length).toBe(e.n_coefficients);
      expect(fit.dfResidual).toBe(e.df_residual);
      closeNamed(fit.names, fit.coef, e.coefficients, 'coef');
      closeInference(fit, { se: e.se_classical, statistic: e.t_classical, p: e.p_classical, vcov: e.vcov_classical }, 'classical');
      close(fit.sigma, e.sigma, 'sigma');
      close(fit.r2, e.r_squared, 'r2');
      close(fit.adjR2, e.adj_r_squared, 'adjR2');
      close(fit.F!.value, e.f_statistic.value, 'F');
      expect([fit.F!.df1, fit.F!.df2]).toEqual([e.f_statistic.df1, e.f_statistic.df2]);
      closeP(fit.F!.p, e.f_statistic.p_value, 'F p');
      close(fit.rss, e.rss, 'rss');
      close(fit.logLik, e.loglik, 'loglik');
      close(fit.aic, e.aic, 'aic');
      close(fit.bic, e.bic, 'bic');
      e.fitted_first10.forEach((v: number, i: number) => close(fit.fitted[i], v, `fitted[${i}]`));
      // Classical vcov equals the F test of everything but the intercept.
      close(fit.fWald!.value, e.f_statistic.value, 'Wald F (classical)');
    });
    it(`${m}: HC1 and cluster-robust (HC1, HC0) SEs, vcov and cluster t-tests`, () => {
      const hc1 = ols(table, { formula, levels }, { vcov: 'HC1' });
      closeInference(hc1, { se: e.se_hc1, vcov: e.vcov_hc1 }, 'HC1');
      const cl = ols(table, { formula, levels }, { vcov: 'cluster', cluster: clusterCol });
      expect(cl.nClusters).toBe(e.n_clusters);
      closeInference(cl, { se: e.se_cluster_hc1, vcov: e.vcov_cluster_hc1, statistic: e.t_cluster_hc1, p: e.p_cluster_hc1_t_df_residual }, 'cluster HC1');
      const cl0 = ols(table, { formula, levels }, { vcov: 'cluster', cluster: clusterCol, clusterType: 'HC0' });
      closeInference(cl0, { se: e.se_cluster_hc0 }, 'cluster HC0');
    });
  }

  const fits = models.map((m) => ols(table, { formula: formulaOf(spec.r_call[m]), levels }));
  const checkAnova = (rows: ReturnType<typeof anovaNested>, ref: any, what: string) => {
    rows.forEach((r, i) => {
      expect(r['res.df']).toBe(ref.res_df[i]);
      close(r.rss, ref.rss[i], `${what} rss[${i}]`);
      if (ref.df[i] === null) { expect(r.df).toBeNull(); return; }
      expect(r.df).toBe(ref.df[i]);
      close(r['sum.sq']!, ref.sum_sq[i], `${what} ss[${i}]`);
      close(r.statistic!, ref.f[i], `${what} F[${i}]`);
      closeP(r['p.value']!, ref.p_value[i], `${what} p[${i}]`);
    });
  };
  // anova_all: every model in the call; anova_<i><j>: models i and j (as named in r_call).
  for (const key of Object.keys(expected).filter((k) => k.startsWith('anova_'))) {
    const call: string = spec.r_call[key];
    const used = Array.from(call.matchAll(/\bm(\d+)\b/g)).map((m) => `m${m[1]}`);
    it(`${call}: F denominator from the largest model in the call`, () => {
      checkAnova(anovaNested(used.map((m) => fits[models.indexOf(m)])), expected[key], key);
    });
  }

  it('matrix level: fitOls on buildDesign output equals the table-level fit; weights of 1 change nothing', () => {
    const formula = formulaOf(spec.r_call[models[models.length - 1]]);
    const d = buildDesign(table, { formula, levels }, { extraColumns: [clusterCol] });
    const a = fitOls({ y: d.y!, x: d.x, names: d.names, vcov: 'cluster', cluster: d.extra[clusterCol] });
    const b = fitOls({ y: d.y!, x: d.x, names: d.names, vcov: 'cluster', cluster: d.extra[clusterCol], weights: new Float64Array(d.n).fill(1) });
    a.coef.forEach((v, j) => close(b.coef[j], v, 'weighted coef', 1e-12));
    a.se.forEach((v, j) => close(b.se[j], v, 'weighted se', 1e-10));
    close(b.logLik, a.logLik, 'weighted logLik', 1e-12);
    expect(Object.isFrozen(a)).toBe(true);
  });
});

describe('fitOls on an essentially perfect fit', () => {
  // R 4.2: summary(lm(y ~ x, data.frame(x = 0:3, y = c(1, 3, 5, 7)))) warns "essentially perfect fit:
  // summary may be unreliable" and prints SE 0, t Inf, p 0. The project's rule is stricter: the
  // variance is not defined, so SE, t, p and CI are NaN, with a warning naming the cause.
  it('the coefficients are R\'s (1, 2); SEs and tests are NaN with the perfect-fit warning', () => {
    const f = fitOls({ y: [1, 3, 5, 7], x: [[1, 0], [1, 1], [1, 2], [1, 3]], vcov: 'HC1' });
    expect(f.coef[0]).toBeCloseTo(1, 12);
    expect(f.coef[1]).toBeCloseTo(2, 12);
    expect([...f.se, ...f.statistic, ...f.p, ...f.ciLow].every(Number.isNaN)).toBe(true);
    expect(f.warnings).toContain('fitOls: residual variance is zero to rounding (essentially perfect fit, as summary.lm warns); standard errors and tests are NaN');
  });
  it('a fit that is merely tight is not flagged', () => {
    const f = fitOls({ y: [1, 3.000001, 5, 7], x: [[1, 0], [1, 1], [1, 2], [1, 3]] });
    expect(f.warnings).toEqual([]);
    expect(f.se.every((s) => s > 0 && Number.isFinite(s))).toBe(true);
  });
});
