import { describe, it, expect } from 'vitest';
import * as aq from 'arquero';
import { cox, km } from '../../src/survival/table';
import { coxZph } from '../../src/survival/zph';
import { kmMedian } from '../../src/survival/km';
import { readCase, expectClose } from './helpers';
import { readReferenceCase } from '../helpers/reference';

const load = (name: string) => aq.fromCSV(readReferenceCase(name).csv);

describe('table-level wrappers (arquero + shared spec layer)', () => {
  it('cox from a formula with a factor matches R (cox_ties, Efron)', () => {
    const e = readCase('cox_ties').expected.efron;
    const fit = cox(load('cox_ties'), { formula: 'Surv(time, status) ~ age + female + bmi + marker + stage', levels: { stage: ['I', 'II', 'III'] } });
    expect([...fit.names]).toEqual(Object.keys(e.coefficients));
    fit.names.forEach((nm, j) => {
      expectClose(fit.coef[j], e.coefficients[nm], `coef ${nm}`);
      expectClose(fit.se[j], e.se[nm], `se ${nm}`);
    });
    expect(fit.terms.stage).toEqual(['stageII', 'stageIII']);
  });

  it('strata() and cluster() specials, counting process (cox_counting_ag, Breslow)', () => {
    const e = readCase('cox_counting_ag').expected.breslow;
    const fit = cox(load('cox_counting_ag'), { formula: 'Surv(start, stop, event) ~ age + female + x + tx + cluster(id)', ties: 'breslow' });
    fit.names.forEach((nm, j) => expectClose(fit.se[j], e.se_robust[nm], `robust se ${nm}`));
    const s = readCase('cox_strata').expected.efron;
    const st = cox(load('cox_strata'), { time: 'time', event: 'status', covariates: ['age', 'female', 'deprivation', 'treat'], strata: 'la' });
    st.names.forEach((nm, j) => expectClose(st.coef[j], s.coefficients[nm], `strata coef ${nm}`));
  });

  it('zph on a table fit tests the factor jointly (cox_zph)', () => {
    const e = readCase('cox_zph').expected;
    const fit = cox(load('cox_zph'), { time: 'time', event: 'status', covariates: ['age', 'female', 'grade', 'biomarker'], levels: { grade: ['low', 'mid', 'high'] } });
    const z = coxZph(fit);
    const grade = z.table.find((r) => r.term === 'grade')!;
    expect(grade.df).toBe(2);
    expectClose(grade.chisq, e.zph_terms_table.grade.chisq, 'grade chisq');
  });

  it('km by group from a table, with R medians (km_logrank)', () => {
    const e = readCase('km_logrank').expected;
    const res = km(load('km_logrank'), { time: 'time', event: 'status', group: 'group' });
    expect(res.dropped).toBe(0);
    expect(res.curves.map((c) => c.group)).toEqual(['control', 'drugA', 'drugB']);
    for (const c of res.curves) expect(kmMedian(c).median).toBe(e.median_by_group[c.group!].median);
  });

  it('names the missing column', () => {
    expect(() => km(load('km_logrank'), { time: 'tme', event: 'status' })).toThrow(/'tme'/);
    expect(() => cox(load('cox_ties'), { formula: 'time ~ age' })).toThrow(/Surv/);
  });
});

describe('cox takes factors in both forms and returns the fit itself', () => {
  it('list + reference equals the map form; glance/tidy follow the protocol', () => {
    const tab = load('cox_ties');
    const a = cox(tab, { formula: 'Surv(time, status) ~ age + stage', factors: { stage: 'II' } });
    const b = cox(tab, { formula: 'Surv(time, status) ~ age + stage', factors: ['stage'], reference: { stage: 'II' } });
    expect(a.names).toEqual(['age', 'stageI', 'stageIII']);
    expect(a.coef).toEqual(b.coef);
    const g = a.glance();
    expect(g.n).toBe(a.n);
    expect(g.nobs).toBe(a.n);
    expect(g['statistic.log']).toBe(a.lrTest.statistic);
    expect(a.tidy().map((r) => r.term)).toEqual(a.names);
    expect(coxZph(a).table.length).toBe(3);
    expect(() => cox(tab, { formula: 'Surv(time, status) ~ age + stage', factors: 'stage' as never })).toThrow(/cox: factors must be/);
  });
});

describe('table-level errors name the table row counting from 1, as the formula layer and R do', () => {
  it('a non-numeric time in the third row is reported at table row 3', () => {
    const t = aq.table({ time: [1, 2, 'soon', 4, 5, 6], status: [1, 0, 1, 1, 0, 1], age: [30, 41, 35, 52, 28, 44] });
    expect(() => cox(t, 'Surv(time, status) ~ age')).toThrow(/time' is not numeric at table row 3 \(soon\)/);
  });
  it('counts rows of the table, not of the rows left after missing values are dropped', () => {
    const t = aq.table({ time: [1, 2, 3, 'soon', 5, 6], status: [1, 0, 1, 1, 0, 1], age: [30, null, 35, 52, 28, 44] });
    expect(() => cox(t, 'Surv(time, status) ~ age')).toThrow(/at table row 4 \(soon\)/);
  });
});
