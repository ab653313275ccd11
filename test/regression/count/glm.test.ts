// glm_poisson_offset: Poisson glm with offset(log(population)) — coefficients, model SEs/vcov,
// cluster-robust HC0 (vcovCL default) and HC1 by LA, HC0, deviance, null deviance, logLik, AIC/BIC,
// Pearson χ², fitted values; and the overdispersion warning this over-dispersed case must raise.
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { glm } from '../../../src/index';
import { close, closeNamed, levelsFromSpec, loadCase } from '../reference';

const { table, expected: e, spec } = loadCase('glm_poisson_offset');
const levels = levelsFromSpec(spec, table, Object.keys(e.coefficients));
// R: glm(count ~ decile + agegrp + urban, family = poisson, offset = log(population), data = d)
const formula = 'count ~ decile + agegrp + urban + offset(log(population))';

const closeMat = (V: Float64Array, ref: { values: number[][] }, what: string) => {
  const p = ref.values.length;
  ref.values.forEach((row, i) => row.forEach((v, j) => close(V[i * p + j], v, `${what}[${i},${j}]`)));
};

describe('glm_poisson_offset vs R', () => {
  it(`model-based: ${spec.r_call.fit}`, () => {
    const fit = glm(table, { formula, levels }, { family: 'poisson' });
    expect(fit.converged).toBe(true);
    expect(fit.n).toBe(e.n);
    expect(fit.dfResidual).toBe(e.df_residual);
    expect(fit.dfNull).toBe(e.df_null);
    closeNamed(fit.names, Array.from(fit.coef), e.coefficients, 'coef');
    closeNamed(fit.names, Array.from(fit.se), e.se, 'se');
    closeMat(fit.vcov, e.vcov, 'vcov');
    const tidy = fit.tidy();
    tidy.forEach((r) => { if ((e.p_value[r.term as string]) > 1e-12) close(r['p.value'] as number, e.p_value[r.term as string], `p ${r.term}`, 1e-6, 1e-12); });
    tidy.forEach((r) => close(r.statistic as number, e.z[r.term as string], `z ${r.term}`));
    close(fit.deviance, e.deviance, 'deviance');
    close(fit.nullDeviance, e.null_deviance, 'null deviance');
    close(fit.logLik, e.loglik, 'logLik');
    close(fit.aic, e.aic, 'AIC');
    close(fit.bic, e.bic, 'BIC');
    close(fit.pearsonChisq, e.pearson_chisq, 'Pearson chi2');
    close(fit.dispersion, e.dispersion_pearson, 'dispersion');
    e.fitted_first10.forEach((v: number, i: number) => close(fit.fitted[i], v, `fitted[${i}]`));
    // Pearson χ²/df here is well above 1 (R's value): the fit must say so.
    expect(e.dispersion_pearson).toBeGreaterThan(1.2); // R: 1.43 on 2154 df, χ² p ≈ 0
    expect(fit.warnings.some((w) => /overdispersed/.test(w))).toBe(true);
  });
  it(`cluster-robust: ${spec.r_call.cluster_default}; ${spec.r_call.cluster_hc1}; ${spec.r_call.hc0}`, () => {
    const c0 = glm(table, { formula, levels }, { vcov: 'cluster', cluster: 'la' });
    expect(c0.nClusters).toBe(e.n_clusters);
    expect(c0.varianceType).toBe('cluster-HC0');
    closeNamed(c0.names, Array.from(c0.se), e.se_cluster_hc0, 'se cluster HC0');
    closeMat(c0.vcov, e.vcov_cluster_hc0, 'vcov cluster HC0');
    c0.tidy().forEach((r) => close(r.statistic as number, e.z_cluster_hc0[r.term as string], `z cl ${r.term}`));
    const c1 = glm(table, { formula, levels }, { vcov: 'cluster', cluster: 'la', clusterType: 'HC1' });
    closeNamed(c1.names, Array.from(c1.se), e.se_cluster_hc1, 'se cluster HC1');
    closeMat(c1.vcov, e.vcov_cluster_hc1, 'vcov cluster HC1');
    // Clusters are coded by core/groups (sorted levels). Relabelling them so that sorted order is
    // the reverse of the original gives the same variance: the sandwich sums over clusters.
    const ids = Array.from(new Set(table.array('la') as unknown[])).map(String).sort();
    const rename = new Map(ids.map((v, k) => [v, `c${String(ids.length - k).padStart(4, '0')}`]));
    const relabelled = table.derive({ la2: aq.escape((d: { la: unknown }) => rename.get(String(d.la))) });
    const r0 = glm(relabelled, { formula, levels }, { vcov: 'cluster', cluster: 'la2' });
    expect(r0.nClusters).toBe(e.n_clusters);
    closeMat(r0.vcov, e.vcov_cluster_hc0, 'vcov cluster HC0 (relabelled clusters)');
    const h0 = glm(table, { formula, levels }, { vcov: 'HC0' });
    closeNamed(h0.names, Array.from(h0.se), e.se_hc0, 'se HC0');
  });
  it('offset as a column argument equals offset() in the formula; rate ratios are exp(coef)', () => {
    const t2 = table.derive({ logpop: (d: any) => Math.log(d.population) }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const a = glm(t2, { formula: 'count ~ decile + agegrp + urban', levels }, { offset: 'logpop' });
    closeNamed(a.names, Array.from(a.coef), e.coefficients, 'coef (offset column)');
    const rr = a.tidy({ exponentiate: true });
    rr.forEach((r, j) => close(r.estimate as number, Math.exp(a.coef[j]), `IRR ${r.term}`, 1e-14));
    expect(a.glance().nobs).toBe(e.n);
  });
});
