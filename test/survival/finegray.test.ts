// R: d$ev <- factor(d$status, levels = 0:2, labels = c('censor', 'event', 'competing'))
//    fg <- finegray(Surv(time, ev) ~ id + x1 + x2 + grp, data = d, etype = 'event')
//    coxph(Surv(fgstart, fgstop, fgstatus) ~ x1 + x2 + grp, weights = fgwt, data = fg)            # fit
//    coxph(Surv(fgstart, fgstop, fgstatus) ~ x1 + x2 + grp + cluster(id), weights = fgwt, data = fg)  # fit_cluster_id
//    survfit(Surv(time, factor(status)) ~ 1, data = d)                                              # cumulative incidence
// (survival 3.5-3, coxph.control(eps = 1e-12, iter.max = 100); ../shared/reference/cox_finegray)
import { describe, it, expect } from 'vitest';
import { finegrayData, fitFineGray } from '../../src/survival/finegray';
import { fitCox } from '../../src/survival/cox';
import { coxZph } from '../../src/survival/zph';
import { baseHazard, survivalCurve, martingaleResiduals } from '../../src/survival/predict';
import { readCase, design, expectClose, expectAllClose, expectP } from './helpers';
import { MC } from './fixtures/finegrayMulticause';

const { rows, expected: e } = readCase('cox_finegray');
const { x, names } = design(rows, ['x1', 'x2', { name: 'grp', levels: ['abuse_neglect', 'family_stress', 'family_dysfunction', 'other'] }]);
const time = rows.map((r) => Number(r.time));
const status = rows.map((r) => Number(r.status));

describe('finegrayData against survival::finegray', () => {
  it('reproduces the expanded data totals and first 40 rows', () => {
    const code = Uint8Array.from(status);
    const fg = finegrayData(Float64Array.from(time), code);
    const d = e.finegray_data;
    expect(fg.row.length).toBe(d.n_rows);
    let sw = 0;
    let ne = 0;
    for (let k = 0; k < fg.row.length; k++) {
      sw += fg.weight[k];
      ne += fg.status[k];
    }
    expect(ne).toBe(d.n_event_rows);
    expectClose(sw, d.sum_weights, 'sum of weights');
    const f = d.first40;
    expect(Array.from(fg.row.subarray(0, 40), (r) => Number(rows[r].id))).toEqual(f.id);
    expect(Array.from(fg.start.subarray(0, 40))).toEqual(f.fgstart);
    expect(Array.from(fg.stop.subarray(0, 40))).toEqual(f.fgstop);
    expect(Array.from(fg.status.subarray(0, 40))).toEqual(f.fgstatus);
    expectAllClose(Array.from(fg.weight.subarray(0, 40)), f.fgwt, 'fgwt');
  });
});

describe('fitFineGray against finegray + weighted coxph', () => {
  for (const [label, cluster] of [['fit', undefined], ['fit_cluster_id', rows.map((r) => r.id)]] as const) {
    it(label, () => {
      const f = fitFineGray({ time, status, cause: 1, x, names, cluster, eps: 1e-12, iterMax: 100 });
      const r = e[label];
      expect(f.n).toBe(r.n);
      expect(f.nEvent).toBe(r.nevent);
      expect(f.converged).toBe(true);
      expect(f.varianceType).toBe(cluster ? 'robust-cluster' : 'robust');
      names.forEach((nm, j) => {
        expectClose(f.coef[j], r.coefficients[nm], `${label} coef ${nm}`);
        expectClose(f.se[j], r.se[nm], `${label} se ${nm}`);
        expectClose(f.seNaive[j], r.se_naive[nm], `${label} se_naive ${nm}`);
        expectClose(f.z[j], r.z[nm], `${label} z ${nm}`);
        expectP(f.p[j], r.p_value[nm], `${label} p ${nm}`);
        expectClose(f.ci.lower[j], r.conf_int_95_exp_coef_lower[nm], `${label} ci lower ${nm}`);
        expectClose(f.ci.upper[j], r.conf_int_95_exp_coef_upper[nm], `${label} ci upper ${nm}`);
        expectAllClose(f.vcov[j], r.vcov.values[j], `${label} vcov ${nm}`);
        expectAllClose(f.vcovNaive[j], r.vcov_naive.values[j], `${label} vcov_naive ${nm}`);
        expectClose(f.means[j], r.means_used_for_centering[nm], `${label} means ${nm}`);
      });
      expectClose(f.logLik[0], r.loglik_null, `${label} loglik_null`);
      expectClose(f.logLik[1], r.loglik, `${label} loglik`);
      expectClose(f.lrTest.statistic, r.lr_test.statistic, `${label} LR`);
      expectClose(f.waldTest.statistic, r.wald_test.statistic, `${label} Wald`);
      expectClose(f.scoreTest.statistic, r.score_test.statistic, `${label} score`);
      expectClose(f.robustScoreTest!.statistic, r.robust_score_test.statistic, `${label} robust score`);
      expectAllClose(Array.from(f.linearPredictors.subarray(0, 20)), r.linear_predictors_first20, `${label} lp`);
      expectClose(f.concordance.concordance, r.concordance.concordance, `${label} concordance`);
      expectClose(f.concordance.stdErr, r.concordance.std_err, `${label} concordance se`);
      expect(f.expanded.nRows).toBe(e.finegray_data.n_rows);
      expect(f.tidy().map((t) => t.term)).toEqual(names);
    });
  }

  it('cumulative incidence (Aalen–Johansen) matches survfit at every distinct time', () => {
    const f = fitFineGray({ time, status, cause: 1, x, names });
    const ci = f.cumulativeIncidence;
    const c = e.cumulative_incidence_curve;
    expectAllClose(Array.from(ci.time), c.time, 'time');
    expectAllClose(Array.from(ci.nRisk), c.n_risk, 'n_risk');
    expectAllClose(Array.from(ci.cif[ci.causes.indexOf('1')]), c.cif_event, 'cif event');
    expectAllClose(Array.from(ci.cif[ci.causes.indexOf('2')]), c.cif_competing, 'cif competing');
    const se = f.cumulativeIncidenceStdErr;
    expectAllClose(Array.from(se.stdErr[ci.causes.indexOf('1')]), c.std_err_event, 'IJ se event');
    expectAllClose(Array.from(se.stdErr[ci.causes.indexOf('2')]), c.std_err_competing, 'IJ se competing');
    // At the requested times (last distinct time ≤ t), including the initial state's SE.
    const at = e.cumulative_incidence;
    at.time.forEach((t: number, q: number) => {
      let j = -1;
      for (let k = 0; k < ci.time.length; k++) if (ci.time[k] <= t) j = k;
      expectClose(ci.surv[j], at.initial_state.pstate[q], `S(${t})`);
      expectClose(se.stdErrSurv[j], at.initial_state.std_err[q], `se S(${t})`);
      expectClose(se.stdErr[ci.causes.indexOf('1')][j], at.event.std_err[q], `se event(${t})`);
    });
  });

  it('without competing events the expansion is the data and the fit is coxph (model-based variance, as R with weights 1)', () => {
    const st = status.map((v) => (v === 2 ? 0 : v));
    const f = fitFineGray({ time, status: st, cause: 1, x, names });
    const c = fitCox({ time, event: st, x, names });
    expect(f.expanded.nRows).toBe(time.length);
    expect(f.varianceType).toBe('model');
    names.forEach((nm, j) => {
      expectClose(f.coef[j], c.coef[j], `coef ${nm}`);
      expectClose(f.se[j], c.se[j], `se ${nm}`);
    });
  });

  it('rejects a cause absent from the data', () => {
    expect(() => fitFineGray({ time, status, cause: 3, x, names })).toThrow(/cause 3/);
  });

  it('names the 1-based row and the column of a non-finite covariate', () => {
    const bad = x.map((r) => r.slice());
    const last = names.length - 1;
    bad[1][last] = NaN;
    expect(() => fitFineGray({ time, status, cause: 1, x: bad, names }))
      .toThrow(new RegExp(`x is not finite at row 2, column ${names[last]}`));
  });

  it('reports each Newton iteration to onProgress, ending with the convergence event', () => {
    const events: Array<{ done: number; total: number; stage?: string }> = [];
    const f = fitFineGray({ time, status, cause: 1, x, names, onProgress: (e) => events.push(e) });
    expect(events.length).toBeGreaterThanOrEqual(f.iterations);
    expect(events[events.length - 1].stage).toMatch(/converged in \d+ iterations/);
  });
});

// More than one competing cause (test/survival/fixtures/finegray_multicause/make.R; 0 censored,
// 1 re-referral, 2 turned 18, 3 entered care, 4 adopted). R 4.2.2, survival 3.5-3:
//   fg <- finegray(Surv(time, factor(status)) ~ ., data = d, etype = "1")          # and etype = "3"
//   coxph(Surv(fgstart, fgstop, fgstatus) ~ x1 + grp, weights = fgwt, data = fg)    # etype1
//   coxph(Surv(fgstart, fgstop, fgstatus) ~ x1 + grp + cluster(id), weights = fgwt, data = fg)  # etype1_cluster, etype3_cluster
// (coxph.control(eps = 1e-12, iter.max = 100, toler.chol = 1e-14))
describe('fitFineGray with several competing causes against finegray + weighted coxph', () => {
  for (const [label, cause, clustered] of [['etype1', 1, false], ['etype1_cluster', 1, true], ['etype3_cluster', 3, true]] as const) {
    it(label, () => {
      const r = MC.expected[label];
      const f = fitFineGray({ time: MC.time, status: MC.status, cause, x: MC.x, names: MC.names, cluster: clustered ? MC.id : undefined, eps: 1e-12, iterMax: 100 });
      expect(f.converged).toBe(true);
      expect(f.expanded.nRows).toBe(r.n_rows);
      expect(f.expanded.nEventRows).toBe(r.n_event_rows);
      expectClose(f.expanded.sumWeights, r.sum_weights, `${label} sum of weights`);
      expect(f.varianceType).toBe(clustered ? 'robust-cluster' : 'robust');
      MC.names.forEach((nm, j) => {
        expectClose(f.coef[j], r.coefficients[nm], `${label} coef ${nm}`);
        expectClose(f.se[j], r.se[nm], `${label} se ${nm}`);
        expectClose(f.seNaive[j], r.se_naive[nm], `${label} se_naive ${nm}`);
        expectAllClose(f.vcov[j], r.vcov[j], `${label} vcov ${nm}`);
        expectClose(f.means[j], r.means[nm], `${label} means ${nm}`);
      });
      expectClose(f.logLik[0], r.loglik[0], `${label} loglik_null`);
      expectClose(f.logLik[1], r.loglik[1], `${label} loglik`);
      expectClose(f.scoreTest.statistic, r.score_test, `${label} score`);
      expectClose(f.robustScoreTest!.statistic, r.robust_score_test, `${label} robust score`);
      expectAllClose(Array.from(f.linearPredictors.subarray(0, 20)), r.linear_predictors_first20, `${label} lp`);
    });
  }
  it('the expansion itself (finegrayData) has R\'s rows, event rows and weight total for each cause', () => {
    for (const [label, cause] of [['etype1', 1], ['etype3_cluster', 3]] as const) {
      const code = Uint8Array.from(MC.status, (s) => (s === 0 ? 0 : s === cause ? 1 : 2));
      const fg = finegrayData(Float64Array.from(MC.time), code);
      expect(fg.row.length).toBe(MC.expected[label].n_rows);
      expectClose(fg.weight.reduce((a, b) => a + b, 0), MC.expected[label].sum_weights, `${label} Σ fgwt`);
    }
  });
});

// The result protocol beyond the fit, on finegray()'s rows as R computes it on the weighted coxph:
//   cox.zph(m)                                   # transform 'km', per term and GLOBAL
//   basehaz(m, centered = FALSE); residuals(m, type = 'martingale')
//   summary(survfit(m, newdata = data.frame(x1 = 10, grp = 'CPP')), times = c(70, 140, 350, 700, 1400))
describe('Fine–Gray fits under coxZph, baseHazard, survivalCurve and residuals', () => {
  for (const [label, clustered] of [['etype1', false], ['etype1_cluster', true]] as const) {
    it(`${label}: R's cox.zph, basehaz, survfit and martingale residuals`, () => {
      const r = MC.expected[label];
      const f = fitFineGray({ time: MC.time, status: MC.status, cause: 1, x: MC.x, names: MC.names, cluster: clustered ? MC.id : undefined, eps: 1e-12, iterMax: 100 });
      const z = coxZph(f, { terms: false });
      const zt = coxZph(fitFineGray({ time: MC.time, status: MC.status, cause: 1, x: MC.x, names: MC.names, terms: { x1: ['x1'], grp: ['grpCIN_plan', 'grpCPP'] }, eps: 1e-12, iterMax: 100 }));
      expect(z.time.length).toBe(r.zph.n_event_times);
      expectAllClose(Array.from(z.x.subarray(0, 10)), r.zph.x_first10, `${label} zph x`);
      for (const row of zt.table) {
        expectClose(row.chisq, r.zph.table[row.term].chisq, `${label} zph chisq ${row.term}`);
        expect(row.df).toBe(r.zph.table[row.term].df);
        expectP(row.p, r.zph.table[row.term].p, `${label} zph p ${row.term}`);
      }
      const b = baseHazard(f, false)[0];
      const at = (t: number) => { let j = -1; for (let k = 0; k < b.time.length; k++) if (b.time[k] <= t) j = k; return j; };
      expectAllClose(r.basehaz.time.map((t: number) => b.cumhaz[at(t)]), r.basehaz.cumhaz, `${label} basehaz`);
      const sc = survivalCurve(f, r.basehaz.profile, r.basehaz.time);
      expectAllClose(sc.at!.surv, r.basehaz.surv, `${label} survfit surv`);
      expectAllClose(sc.at!.stdErrSurv, r.basehaz.std_err, `${label} survfit std.err`);
      const mr = martingaleResiduals(f);
      expect(mr.length).toBe(r.n_rows);
      expectAllClose(Array.from(mr.subarray(0, 20)), r.martingale_first20, `${label} martingale`);
    });
  }
});

