// reportOnly (src/survival/reportOnly): a fit reduced to what reports read, so notebooks can let
// the fitted data go. It must report exactly what the original reports, and hold no row-level data.
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { cox } from '../../src/survival/table';
import { coxZph } from '../../src/survival/zph';
import { reportOnly } from '../../src/survival/reportOnly';
import { modelResult } from '../../src/report/adapter';

function sample(n: number) {
  let s = 7;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const rows = Array.from({ length: n }, (_, i) => {
    const grp = ['a', 'b', 'c'][i % 3];
    const age = 20 + 40 * u();
    const t = -Math.log(u()) / Math.exp(0.02 * (age - 40) + (grp === 'b' ? 0.5 : 0));
    const c = 2 * u();
    return { time: Math.min(t, c), status: t < c ? 1 : 0, age, grp, id: `k${i % 50}` };
  });
  return aq.from(rows);
}

describe('reportOnly(fit)', () => {
  const fit = cox(sample(400), { formula: 'Surv(time, status) ~ age + grp + cluster(id)', factors: { grp: 'a' } });
  const lean = reportOnly(fit);

  it('reports what the fit reports: tidy, glance, summary, coefficients, vcov, and the report adapter\'s reading', () => {
    expect(lean.tidy()).toEqual(fit.tidy());
    expect(lean.glance()).toEqual(fit.glance());
    expect(lean.summary()).toEqual(fit.summary());
    expect(lean.coef).toEqual(fit.coef);
    expect(lean.vcov).toEqual(fit.vcov);
    expect(lean.warnings).toEqual(fit.warnings);
    expect(modelResult(lean)).toEqual(modelResult(fit));
  });

  it('holds no row-level arrays: the design keeps names, factors and dropped counts only', () => {
    expect(Object.isFrozen(lean)).toBe(true);
    expect('rowIndex' in lean).toBe(false);
    for (const k of ['x', 'y', 'rowIndex', 'extra']) expect(k in lean.design, k).toBe(false);
    expect(lean.design.names).toEqual(fit.design.names);
    expect(lean.design.factors).toEqual(fit.design.factors);
    const fns = Object.entries(lean).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort();
    expect(fns).toEqual(['glance', 'summary', 'tidy']);
  });

  it('returns fresh rows each call, so a caller editing them cannot change the record', () => {
    const a = lean.tidy() as Array<Record<string, unknown>>;
    a[0].estimate = 99;
    expect(lean.tidy()[0].estimate).toBe(fit.tidy()[0].estimate);
  });

  it('is not accepted where the fitted data are needed (cox.zph), with the reason', () => {
    expect(() => coxZph(fit)).not.toThrow();
    expect(() => coxZph(lean as never)).toThrow(/not a fit returned by fitCox/);
  });
});
