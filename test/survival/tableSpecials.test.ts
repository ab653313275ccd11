// Table-level frailty() and Fine–Gray through the one survival formula front end (src/survival/table.ts,
// finegrayTable.ts), against the R fixtures:
// R (survival 3.5-3): coxph(Surv(time, status) ~ x1 + x2 + frailty(la, distribution = 'gamma', theta = <theta>), data = d,
//   control = coxph.control(eps = 1e-12, iter.max = 100, outer.max = 100, toler.chol = 1e-14))   # cox_frailty_gamma
// R: fg <- finegray(Surv(time, ev) ~ id + x1 + x2 + grp, data = d, etype = 'event')
//    coxph(Surv(fgstart, fgstop, fgstatus) ~ x1 + x2 + grp + cluster(id), weights = fgwt, data = fg)  # cox_finegray fit_cluster_id
import { describe, it, expect } from 'vitest';
import * as aq from 'arquero';
import { cox, finegray } from '../../src/index';
import { readCase, expectClose, expectAllClose } from './helpers';

function tableOf(name: string, numeric: string[]) {
  const { rows, expected } = readCase(name);
  const cols: Record<string, unknown[]> = {};
  for (const h of Object.keys(rows[0])) cols[h] = rows.map((r) => (numeric.includes(h) ? Number(r[h]) : r[h]));
  return { t: aq.table(cols), e: expected };
}

describe("cox(table, '... + frailty(la)') against coxph + frailty(la, distribution = 'gamma')", () => {
  const { t, e } = tableOf('cox_frailty_gamma', ['time', 'status', 'x1', 'x2']);
  it('at R\'s θ (theta = in the formula): coefficients, SEs, θ, frailties, protocol', () => {
    const f = cox(t, `Surv(time, status) ~ x1 + x2 + frailty(la, distribution = 'gamma', theta = ${e.theta})`);
    expect(f.kind).toBe('coxph-frailty');
    expect(f.theta).toBe(e.theta);
    ['x1', 'x2'].forEach((nm, j) => {
      expectClose(f.coef[j], e.coefficients[nm], `coef ${nm}`);
      expectClose(f.se[j], e.se[nm], `se ${nm}`);
      expectClose(f.se2[j], e.se2[nm], `se2 ${nm}`);
    });
    expectAllClose(Array.from(f.frailties), e.frailties.value, 'frailties', 1e-6, 1e-7);
    expectAllClose(Array.from(f.frailtyVariance), e.frailties.variance, 'frailty variances');
    expect(f.tidy().map((r) => r.term)).toEqual(['x1', 'x2']);
    expect(f.glance().theta).toBe(e.theta);
    expect(JSON.stringify(f.summary())).toContain('"term":"frailty"');
    expect(f.varianceType).toBe('model-penalised-sparse');
    expect(Array.isArray(f.warnings)).toBe(true);
    expect(f.frailtyTerm).toEqual({ column: 'la', theta: e.theta });
    expect(f.nInput).toBe(e.n);
  });
  it('θ estimated by the I-likelihood, as coxph does (θ at 1e-4, coefficients at 1e-6)', () => {
    const f = cox(t, { formula: 'Surv(time, status) ~ x1 + x2 + frailty(la)' });
    expectClose(f.theta, e.theta, 'theta', 1e-4);
    ['x1', 'x2'].forEach((nm, j) => expectClose(f.coef[j], e.coefficients[nm], `coef ${nm}`, 1e-6));
  });
  it('bad frailty() arguments and frailty with cluster() are errors naming cox and the term', () => {
    expect(() => cox(t, 'Surv(time, status) ~ x1 + frailty(la, distribution = "gaussian")')).toThrow(/cox: frailty\(la.*only distribution = 'gamma'/);
    expect(() => cox(t, 'Surv(time, status) ~ x1 + frailty(la) + cluster(la)')).toThrow(/cox: frailty\(la\) cannot be combined with cluster/);
    expect(() => cox(t, 'Surv(time, status) ~ x1 + offset(x2)')).toThrow(/cox: the formula term 'offset\(x2\)' is not supported by cox/);
    expect(() => cox(t, 'Surv(time, status) ~ x1 + (1 | la)')).toThrow(/cox: the formula term .*1 \| la.* is not supported by cox/);
  });
});

describe('finegray(table, { formula, cause }) against finegray + weighted coxph', () => {
  const { t, e } = tableOf('cox_finegray', ['time', 'status', 'x1', 'x2']);
  const levels = { grp: ['abuse_neglect', 'family_stress', 'family_dysfunction', 'other'] };
  it('cluster(id) in the formula: fit_cluster_id', () => {
    const f = finegray(t, { formula: 'Surv(time, status) ~ x1 + x2 + grp + cluster(id)', cause: 1, levels, eps: 1e-12, iterMax: 100 });
    const r = e.fit_cluster_id;
    expect(f.names).toEqual(Object.keys(r.coefficients));
    expect(f.varianceType).toBe('robust-cluster');
    f.names.forEach((nm, j) => {
      expectClose(f.coef[j], r.coefficients[nm], `coef ${nm}`);
      expectClose(f.se[j], r.se[nm], `se ${nm}`);
      expectClose(f.seNaive[j], r.se_naive[nm], `se_naive ${nm}`);
    });
    expectClose(f.logLik[1], r.loglik, 'loglik');
    expect(f.expanded.nRows).toBe(e.finegray_data.n_rows);
    expect(f.tidy().length).toBe(f.names.length);
    expect(f.glance()).toBeTruthy();
  });
  it('without cluster(): rows as their own clusters (coxph default for non-integer weights)', () => {
    const f = finegray(t, { formula: 'Surv(time, status) ~ x1 + x2 + grp', cause: 1, levels, eps: 1e-12, iterMax: 100 });
    f.names.forEach((nm, j) => expectClose(f.se[j], e.fit.se[nm], `se ${nm}`));
    expect(f.varianceType).toBe('robust');
  });
  it('strata(), frailty() and counting-process data are errors naming finegray and the term', () => {
    expect(() => finegray(t, { formula: 'Surv(time, status) ~ x1 + strata(grp)', cause: 1 })).toThrow(/finegray: the formula term 'strata\(grp\)' is not supported by finegray/);
    expect(() => finegray(t, { formula: 'Surv(time, status) ~ x1 + frailty(grp)', cause: 1 })).toThrow(/finegray: the formula term 'frailty\(grp\)'/);
    expect(() => finegray(t, { formula: 'Surv(x2, time, status) ~ x1', cause: 1 })).toThrow(/finegray: Surv\(start, stop, event\)/);
    expect(() => finegray(t, { formula: 'Surv(time, status) ~ x1', cause: 7 })).toThrow(/cause 7/);
  });
});

describe('other models reject frailty()', () => {
  it('ols names the model and term', async () => {
    const { ols } = await import('../../src/index');
    const t = aq.table({ y: [1, 2, 3, 4, 5], x: [1, 3, 2, 5, 4], g: ['a', 'a', 'b', 'b', 'b'] });
    expect(() => ols(t, 'y ~ x + frailty(g)')).toThrow(/ols: the formula term 'frailty\(g\)' is not supported by ols \(frailty\(\) is a Cox model term\)/);
  });
});

describe('finegray timeGrid', () => {
  it('groups times onto the grid before the expansion: the same fit as times rounded up by hand', () => {
    const { t } = tableOf('cox_finegray', ['time', 'status', 'x1', 'x2']);
    const a = finegray(t, { formula: 'Surv(time, status) ~ x1 + x2', cause: 1, timeGrid: 30 });
    const t2 = t.derive({ time: (d: { time: number }) => Math.ceil(d.time / 30) * 30 });
    const b = finegray(t2, { formula: 'Surv(time, status) ~ x1 + x2', cause: 1 });
    expect(a.coef).toEqual(b.coef);
    expect(a.expanded.nRows).toBeLessThan(finegray(t, { formula: 'Surv(time, status) ~ x1 + x2', cause: 1 }).expanded.nRows);
    expect(() => finegray(t, { formula: 'Surv(time, status) ~ x1', cause: 1, timeGrid: 0 })).toThrow(/timeGrid must be positive/);
  });
});
