// Absorbed fixed effects (fitOls absorb / ols 'y ~ x | la') against R's lm with the dummies:
//   lm(y ~ x1 + x2 + f + factor(la), data = d[, weights = w]); vcovCL(m, cluster = ~school, type = 'HC1')
//   anova(lm(y ~ x1 + x2 + f, data = d), m)
// Fixture made by test/regression/fixtures/lm_absorb/make.R (R 4.2.2, sandwich 3.0-2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { fitOls, ols, stages } from '../../src/index';
import { absorbWithin } from '../../src/regression/absorb';
import { close, closeMatrix } from './reference';

const dir = join(__dirname, 'fixtures', 'lm_absorb');
const table = aq.fromCSV(readFileSync(join(dir, 'data.csv'), 'utf8'));
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
const rName = (nm: string) => nm.replace(/^f/, 'f').replace(/^f\[?T?\.?/, 'f');

describe('absorbed fixed effects vs lm with dummies', () => {
  for (const variant of ['unweighted', 'weighted'] as const) {
    const e = expected[variant];
    it(`${variant}: coefficients, classical and cluster (HC1) SEs, df, R², F, logLik, fitted`, () => {
      const opts = { vcov: 'cluster' as const, cluster: 'school', ...(variant === 'weighted' ? { weights: 'w' } : {}) };
      const fit = ols(table, { formula: 'y ~ x1 + x2 + f | la', factors: ['f'] }, opts);
      const keys = Object.keys(e.coef);
      expect(fit.names.length).toBe(keys.length);
      expect(fit.names.some((nm) => nm.includes('Intercept') || nm.startsWith('la'))).toBe(false);
      fit.names.forEach((nm, j) => {
        const k = keys[j];
        expect(rName(nm).replace(/[^a-z0-9]/gi, '')).toBe(k);
        close(fit.coef[j], e.coef[k], `coef ${k}`);
        close(fit.se[j], e.se_cluster_hc1[k], `cluster se ${k}`);
        close(Math.sqrt(fit.vcovClassical[j][j]), e.se_classical[k], `classical se ${k}`);
      });
      closeMatrix(fit.vcov, { values: e.vcov_cluster_hc1 }, 'cluster vcov');
      expect(fit.dfResidual).toBe(e.df_residual);
      close(fit.rss, e.rss, 'rss');
      close(fit.sigma, e.sigma, 'sigma');
      close(fit.r2, e.r_squared, 'r2');
      close(fit.adjR2, e.adj_r_squared, 'adjR2');
      close(fit.F!.value, e.f_statistic[0], 'F');
      expect([fit.F!.df1, fit.F!.df2]).toEqual([e.f_statistic[1], e.f_statistic[2]]);
      close(fit.logLik, e.loglik, 'logLik');
      close(fit.aic, e.aic, 'AIC');
      e.fitted_first10.forEach((v: number, i: number) => close(fit.fitted[i], v, `fitted[${i}]`));
    });
  }

  it('stages: the nested F test from the model without LAs to the absorbed model equals anova()', () => {
    const st = stages([
      { formula: 'y ~ x1 + x2 + f', factors: ['f'] },
      { formula: 'y ~ x1 + x2 + f | la', factors: ['f'] },
    ], table, { model: 'ols', vcov: 'cluster', cluster: 'school' });
    close(st.tests[0].statistic as number, expected.anova.F, 'anova F');
    expect(st.tests[0].df).toBe(expected.anova.df);
    close(st.tests[0]['p.value'] as number, expected.anova.p, 'anova p');
  });

  it('a column constant within every group is aliased, not estimated', () => {
    const n = 40;
    const g = Array.from({ length: n }, (_, i) => i % 4);
    const x = Array.from({ length: n }, (_, i) => [1, Math.sin(i), g[i] * 2]);
    const y = x.map((r, i) => 2 * r[1] + g[i] + Math.cos(3 * i));
    const fit = fitOls({ y, x, names: ['(Intercept)', 'x', 'zg'], absorb: g });
    expect(fit.names).toEqual(['x']);
    expect(fit.aliased).toEqual(['zg']);
    expect(fit.dfResidual).toBe(n - 1 - 4);
  });

  it('refuses HC2/HC3 and a missing group id, naming the row', () => {
    expect(() => fitOls({ y: [1, 2, 3, 4], x: [[1, 1], [1, 2], [1, 3], [1, 5]], absorb: [1, 1, 2, 2], vcov: 'HC3' })).toThrow(/HC3.*absorbed/);
    expect(() => absorbWithin(new Float64Array([1, 2]), 2, 1, ['x'], new Float64Array([1, 2]), ['a', null], null, 'fitOls')).toThrow(/row 2\b/);
  });
});
