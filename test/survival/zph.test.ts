import { describe, it, expect } from 'vitest';
import { fitCox } from '../../src/survival/cox';
import { coxZph, type ZphResult } from '../../src/survival/zph';
import { readCase, design, expectClose, expectAllClose, expectP } from './helpers';

function checkTable(z: ZphResult, e: Record<string, { chisq: number; df: number; p: number }>, label: string): void {
  expect(z.table.map((r) => r.term)).toEqual(Object.keys(e));
  for (const row of z.table) {
    const x = e[row.term];
    expectClose(row.chisq, x.chisq, `${label} ${row.term} chisq`);
    expect(row.df).toBe(x.df);
    expectP(row.p, x.p, `${label} ${row.term} p`);
  }
}

describe('coxZph against R cox.zph (cox_zph)', () => {
  const c = readCase('cox_zph');
  const d = design(c.rows, ['age', 'female', { name: 'grade', levels: ['low', 'mid', 'high'] }, 'biomarker']);
  const fit = fitCox({
    time: c.rows.map((r) => Number(r.time)),
    event: c.rows.map((r) => Number(r.status)),
    x: d.x, names: d.names, terms: d.terms, ties: 'efron',
  });
  const e = c.expected;

  it('fit matches', () => {
    d.names.forEach((nm, j) => {
      expectClose(fit.coef[j], e.fit.coefficients[nm], `coef ${nm}`);
      expectClose(fit.se[j], e.fit.se[nm], `se ${nm}`);
    });
  });

  it('km transform, per term and GLOBAL, with scaled Schoenfeld residuals', () => {
    const z = coxZph(fit);
    checkTable(z, e.zph_terms_table, 'terms');
    expectAllClose(z.x, e.km_transformed_times, 'km times');
    expect(Array.from(z.time)).toEqual(e.event_times);
    expect([...z.columns]).toEqual(e.scaled_schoenfeld_terms.col_names);
    const nc = z.columns.length;
    e.scaled_schoenfeld_terms.values.forEach((row: number[], m: number) => expectAllClose(Array.from(z.y.subarray(m * nc, m * nc + nc)), row, `sresid terms row ${m}`));
  });

  it('per coefficient (terms = FALSE)', () => {
    const z = coxZph(fit, { terms: false });
    checkTable(z, e.zph_coefficients_table, 'coefficients');
    const nc = z.columns.length;
    e.scaled_schoenfeld_coefficients.values.forEach((row: number[], m: number) => expectAllClose(Array.from(z.y.subarray(m * nc, m * nc + nc)), row, `sresid coef row ${m}`));
    e.zph_var_coefficients.forEach((row: number[], i: number) => expectAllClose(z.var[i], row, `zph var row ${i}`));
  });

  it('identity transform', () => {
    checkTable(coxZph(fit, { transform: 'identity' }), e.zph_identity_table, 'identity');
  });
});
