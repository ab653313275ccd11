// Table-level Fine–Gray (src/survival/finegrayTable) against R, through the formula front end.
// R (../shared/reference/cox_finegray, survival 3.5-3):
//   d$ev <- factor(d$status, levels = 0:2, labels = c('censor', 'event', 'competing'))
//   fg <- finegray(Surv(time, ev) ~ id + x1 + x2 + grp, data = d, etype = 'event')
//   coxph(Surv(fgstart, fgstop, fgstatus) ~ x1 + x2 + grp + cluster(id), weights = fgwt, data = fg)   # fit_cluster_id
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { finegray } from '../../src/survival/finegrayTable';
import { fitFineGray } from '../../src/survival/finegray';
import { coxZph } from '../../src/survival/zph';
import { martingaleResiduals } from '../../src/survival/predict';
import { reportOnly } from '../../src/survival/reportOnly';
import { readCase, expectClose } from './helpers';

const { rows, expected: e } = readCase('cox_finegray');
const table = aq.table({
  id: rows.map((r) => r.id), time: rows.map((r) => Number(r.time)), status: rows.map((r) => Number(r.status)),
  x1: rows.map((r) => Number(r.x1)), x2: rows.map((r) => Number(r.x2)), grp: rows.map((r) => r.grp),
});

describe('finegray(table, spec)', () => {
  it('Surv(time, status) ~ x1 + x2 + grp + cluster(id) gives R\'s coefficients and robust SEs', () => {
    const f = finegray(table, {
      formula: 'Surv(time, status) ~ x1 + x2 + grp + cluster(id)', cause: 1, factors: { grp: 'abuse_neglect' },
      levels: { grp: ['abuse_neglect', 'family_stress', 'family_dysfunction', 'other'] }, eps: 1e-12, iterMax: 100,
    });
    const r = e.fit_cluster_id;
    expect(f.n).toBe(r.n);
    expect(f.nInput).toBe(rows.length);
    expect(f.nDropped).toBe(0);
    expect(f.names).toEqual(['x1', 'x2', 'grpfamily_stress', 'grpfamily_dysfunction', 'grpother']);
    f.names.forEach((nm, j) => {
      expectClose(f.coef[j], r.coefficients[nm], `coef ${nm}`);
      expectClose(f.se[j], r.se[nm], `se ${nm}`);
    });
  });
  it('rejects specials and counting-process data finegray() does not take, naming finegray', () => {
    expect(() => finegray(table, { formula: 'Surv(time, status) ~ x1 + strata(grp)', cause: 1 })).toThrow(/finegray: the formula term 'strata\(grp\)' is not supported by finegray/);
    expect(() => finegray(table, { formula: 'Surv(x2, time, status) ~ x1', cause: 1 })).toThrow(/finegray: Surv\(start, stop, event\) is not supported/);
    expect(() => finegray(table, { formula: 'Surv(time, status) ~ x1' } as never)).toThrow(/finegray: give \{ formula, cause \}/);
    expect(() => finegray(table, { formula: 'Surv(time, status) ~ x1', cause: 1, timeGrid: 0 })).toThrow('finegray: timeGrid must be positive (got 0)');
  });
  it('a table fit keeps the expanded data for coxZph (per formula term) and residuals, equal to the matrix fit', () => {
    const spec = { formula: 'Surv(time, status) ~ x1 + x2 + grp', cause: 1, factors: { grp: 'abuse_neglect' },
      levels: { grp: ['abuse_neglect', 'family_stress', 'family_dysfunction', 'other'] }, eps: 1e-12, iterMax: 100 };
    const f = finegray(table, spec);
    const z = coxZph(f);
    expect(z.table.map((r) => r.term)).toEqual(['x1', 'x2', 'grp', 'GLOBAL']);
    const m = fitFineGray({ time: table.array('time') as number[], status: table.array('status') as number[], cause: 1, x: rows.map((r) => [Number(r.x1), Number(r.x2), ...['family_stress', 'family_dysfunction', 'other'].map((l) => (r.grp === l ? 1 : 0))]), names: [...f.names],
      terms: { x1: ['x1'], x2: ['x2'], grp: ['grpfamily_stress', 'grpfamily_dysfunction', 'grpother'] }, eps: 1e-12, iterMax: 100 });
    coxZph(m).table.forEach((r, i) => expectClose(z.table[i].chisq, r.chisq, `zph ${r.term}`));
    expect(Array.from(martingaleResiduals(f))).toEqual(Array.from(martingaleResiduals(m)));
    expect(() => coxZph(reportOnly(f) as never)).toThrow(/not a fit returned by fitCox/);
  });
});
