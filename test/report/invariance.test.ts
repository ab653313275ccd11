// invarianceReport: the LR test and share shifts are shown only when the multi-group fits nest.
import { describe, expect, it } from 'vitest';
import { invarianceReport, periodLabels } from '../../src/report/index';
import type { LcaMultiGroupResult } from '../../src/lca/multigroup';

const mg = (invariant: number, free: number) => ({
  invariant: { logLik: invariant }, free: { logLik: free }, lrt: { statistic: 12.34, df: 5, pValue: 0.0304 },
  table: [{ model: 'invariant', logLik: invariant }, { model: 'free', logLik: free }],
  shareDifferences: [
    { class: 1, estimate: 0.02, 'conf.low': 0.01, 'conf.high': 0.03 },
    { class: 2, estimate: -0.02, 'conf.low': -0.03, 'conf.high': -0.01 },
  ],
}) as unknown as LcaMultiGroupResult;

describe('invarianceReport', () => {
  it('nesting fits: the model table with the LR test in its caption, and one share shift per class', () => {
    const r = invarianceReport(mg(-1000, -990), { logLik: -1000.5, nClasses: 2 }, ['Neglect', 'Abuse']);
    expect(r.usable).toBe(true);
    expect(r.message).toBeNull();
    expect(r.sections.map((s) => s.caption)).toEqual(['Measurement invariance: LR = 12.3 on 5 df, p = 0.030', 'Change in class shares in 2020/21 (invariant model)']);
    expect(r.sections[1].table.rows.map((x) => x['demand class'])).toEqual(['1. Neglect', '2. Abuse']);
    expect(r.bundle!.data['text/html']).toContain('Change in class shares');
  });
  it('an invariant fit below the pooled one it nests: only the fit table, and why', () => {
    const r = invarianceReport(mg(-1010, -990), { logLik: -1000, nClasses: 2 }, ['Neglect', 'Abuse']);
    expect(r.usable).toBe(false);
    expect(r.sections).toHaveLength(1);
    expect(r.message).toMatch(/^NOT USABLE: the invariant model's log-likelihood \(\u22121,010.0\) is below the pooled 2-class fit's \(\u22121,000.0\)/);
  });
  it('skipped: no tables, a message', () => {
    const r = invarianceReport(null, { logLik: -1000, nClasses: 2 }, []);
    expect(r.bundle).toBeNull();
    expect(r.message).toMatch(/skipped/);
  });
});

describe('periodLabels', () => {
  it('labels the pandemic census year apart', () => {
    expect(periodLabels([2019, 2021, 2020], 2021)).toEqual({ groups: ['2015–2020', '2020/21', '2015–2020'], levels: ['2015–2020', '2020/21'] });
  });
});
