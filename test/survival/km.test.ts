import { describe, it, expect } from 'vitest';
import { kaplanMeier, kmMedian, kmAtTimes, type KmCurve } from '../../src/survival/km';
import { logRank } from '../../src/survival/logrank';
import { readCase, expectAllClose, expectClose, expectP } from './helpers';

const KM_RTOL = 1e-8;
const nullIfNaN = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));

function checkCurve(c: KmCurve, e: any, label: string): void {
  expect(Array.from(c.time), `${label} time`).toEqual(e.time);
  expect(Array.from(c.nRisk), `${label} n_risk`).toEqual(e.n_risk);
  expect(Array.from(c.nEvent), `${label} n_event`).toEqual(e.n_event);
  expect(Array.from(c.nCensor), `${label} n_censor`).toEqual(e.n_censor);
  expectAllClose(nullIfNaN(c.surv), e.surv, `${label} surv`, KM_RTOL);
  expectAllClose(nullIfNaN(c.stdErr), e.std_err_log_surv, `${label} std_err_log_surv`, KM_RTOL);
  expectAllClose(nullIfNaN(c.stdErrSurv), e.std_err_surv, `${label} std_err_surv`, KM_RTOL);
  expectAllClose(nullIfNaN(c.lower), e.lower_95, `${label} lower`, KM_RTOL);
  expectAllClose(nullIfNaN(c.upper), e.upper_95, `${label} upper`, KM_RTOL);
  expectAllClose(nullIfNaN(c.cumhaz), e.cumhaz_nelson_aalen, `${label} cumhaz`, KM_RTOL);
  expectAllClose(nullIfNaN(c.stdErrCumhaz), e.std_err_cumhaz_nelson_aalen, `${label} cumhaz se`, KM_RTOL);
}

describe('Kaplan–Meier and log-rank against R survfit/survdiff (km_logrank)', () => {
  const c = readCase('km_logrank');
  const time = c.rows.map((r) => Number(r.time));
  const status = c.rows.map((r) => Number(r.status));
  const group = c.rows.map((r) => r.group);
  const groups = Object.keys(c.expected.by_group);

  it('curves by group and pooled', () => {
    const km = kaplanMeier({ time, event: status, group });
    for (const g of groups) checkCurve(km.byGroup[g], c.expected.by_group[g], g);
    const pooled = kaplanMeier({ time, event: status });
    expect(pooled.curves.length).toBe(1);
    checkCurve(pooled.curves[0], c.expected.pooled, 'pooled');
  });

  it('medians with CIs', () => {
    const km = kaplanMeier({ time, event: status, group });
    for (const g of groups) {
      const m = kmMedian(km.byGroup[g]);
      const e = c.expected.median_by_group[g];
      expect(km.byGroup[g].n).toBe(e.n);
      expect(km.byGroup[g].nEvents).toBe(e.events);
      expect([m.median, m.lower, m.upper]).toEqual([e.median, e.median_lower_95, e.median_upper_95]);
    }
    const m = kmMedian(kaplanMeier({ time, event: status }).curves[0]);
    const e = c.expected.pooled_median;
    expect([m.median, m.lower, m.upper]).toEqual([e.median, e.median_lower_95, e.median_upper_95]);
  });

  it('values at chosen times', () => {
    const km = kaplanMeier({ time, event: status, group });
    for (const g of groups) {
      const e = c.expected.at_times[g];
      const a = kmAtTimes(km.byGroup[g], [4, 13, 26, 52, 70]);
      expect(a.time).toEqual(e.time);
      expect(a.nRisk).toEqual(e.n_risk);
      expect(a.nEventSincePrevious).toEqual(e.n_event_cumulative_since_previous);
      expectAllClose(a.surv, e.surv, `${g} at surv`, KM_RTOL);
      expectAllClose(a.stdErrSurv, e.std_err_surv, `${g} at se`, KM_RTOL);
      expectAllClose(a.lower, e.lower_95, `${g} at lower`, KM_RTOL);
      expectAllClose(a.upper, e.upper_95, `${g} at upper`, KM_RTOL);
    }
  });

  for (const [key, rho] of [['logrank', 0], ['peto_rho1', 1]] as const) {
    it(`survdiff rho = ${rho}`, () => {
      const lr = logRank({ time, event: status, group, rho });
      const e = c.expected[key];
      expectClose(lr.chisq, e.chisq, `${key} chisq`);
      expect(lr.df).toBe(e.df);
      expectP(lr.p, e.p_value, `${key} p`);
      const names = Object.keys(e.observed);
      const order = names.map((nm) => lr.groups.indexOf(nm));
      order.forEach((gi, k) => {
        expect(lr.n[gi]).toBe(e.n[names[k]]);
        expectClose(lr.observed[gi], e.observed[names[k]], `${key} observed ${names[k]}`);
        expectClose(lr.expected[gi], e.expected[names[k]], `${key} expected ${names[k]}`);
        order.forEach((gj, l) => expectClose(lr.variance[gi][gj], e.variance[k][l], `${key} var ${k},${l}`));
      });
    });
  }
});

describe('Kaplan–Meier with non-integer case weights', () => {
  // Weights whose running subtraction drifts: 0.1 + 0.2 + 0.7 leaves 0.9999999999999998, not 1.
  const time = [1, 2, 3, 4, 5, 6];
  const event = [1, 0, 1, 1, 0, 1];
  const weights = [0.3, 0.1, 0.2, 0.7, 0.35, 1];

  it('risk sets are sums from the end: the last risk set is exactly its weight, and S reaches exactly 0', () => {
    const c = kaplanMeier({ time, event, weights }).curves[0];
    expect(c.nRisk[c.nRisk.length - 1]).toBe(1);
    expect(c.surv[c.surv.length - 1]).toBe(0);
    for (const s of c.surv) expect(s).toBeGreaterThanOrEqual(0);
  });

  it('uses the infinitesimal-jackknife SE by default and says so; Greenwood on request', () => {
    const r = kaplanMeier({ time, event, weights });
    expect(r.varianceType).toBe('robust');
    expect(r.warnings.some((w) => /not all integers/.test(w))).toBe(true);
    expect(kaplanMeier({ time, event, weights, robust: false }).varianceType).toBe('greenwood');
    expect(kaplanMeier({ time, event, weights: weights.map(() => 2) }).varianceType).toBe('greenwood');
  });

  it('the IJ SE is the norm of the weight derivatives of log S (checked by finite differences)', () => {
    const t = [2, 3, 3, 5, 7, 8, 8, 9, 11, 12];
    const ev = [1, 1, 0, 1, 0, 1, 1, 0, 1, 0];
    const w = [1.5, 0.5, 2.25, 1, 0.75, 1.25, 0.5, 2, 1, 1.5];
    const c = kaplanMeier({ time: t, event: ev, weights: w }).curves[0];
    const h = 1e-6;
    for (let j = 0; j < c.time.length; j++) {
      if (!(c.surv[j] > 0)) continue;
      let v = 0;
      for (let i = 0; i < t.length; i++) {
        const up = w.slice(); up[i] += h;
        const dn = w.slice(); dn[i] -= h;
        const su = kaplanMeier({ time: t, event: ev, weights: up, robust: false }).curves[0].surv[j];
        const sd = kaplanMeier({ time: t, event: ev, weights: dn, robust: false }).curves[0].surv[j];
        const u = (Math.log(su) - Math.log(sd)) / (2 * h);
        v += (w[i] * u) ** 2;
      }
      expect(Math.abs(c.stdErr[j] - Math.sqrt(v))).toBeLessThan(1e-6 * Math.sqrt(v) + 1e-9);
    }
  });
});

describe('Kaplan–Meier where the curve reaches 0', () => {
  // R 4.2, survival 3.5: survfit(Surv(c(1, 2, 3, 4), c(1, 0, 1, 1)) ~ 1) has std.err Inf and
  // lower/upper NA at time 4, where n.risk = n.event (Greenwood's d/(n(n − d)) divides by 0).
  // We give NaN (no SE exists) and say where.
  it('gives NaN SE and limits from the time S reaches 0, with a warning naming group, time and counts', () => {
    const r = kaplanMeier({ time: [1, 2, 3, 4, 2, 5, 6], event: [1, 0, 1, 1, 1, 0, 1], group: ['a', 'a', 'a', 'a', 'b', 'b', 'b'] });
    const a = r.byGroup.a;
    const last = a.time.length - 1;
    expect(a.surv[last]).toBe(0);
    expect(a.stdErr[last]).toBeNaN();
    expect(a.lower[last]).toBeNaN();
    expect(Number.isFinite(a.stdErr[0])).toBe(true);
    expect(r.warnings).toEqual(['kaplanMeier: group a: every row at risk at time 4 had the event (n.risk = n.event = 1), so survival is 0 and its Greenwood variance is not defined from that time on; std.error and confidence limits are NaN',
      'kaplanMeier: group b: every row at risk at time 6 had the event (n.risk = n.event = 1), so survival is 0 and its Greenwood variance is not defined from that time on; std.error and confidence limits are NaN']);
  });
  it('says nothing when every curve stays above 0', () => {
    expect(kaplanMeier({ time: [1, 2, 3, 4], event: [1, 0, 1, 0] }).warnings).toEqual([]);
  });
});
