import { describe, it, expect } from 'vitest';
import { fitCox } from '../../src/survival/cox';
import { baseHazard, survivalCurve, martingaleResiduals } from '../../src/survival/predict';
import { readCase, design, expectClose, expectAllClose } from './helpers';

describe('baseline hazard and predicted survival against R (cox_predict)', () => {
  const c = readCase('cox_predict');
  const smoker = { name: 'smoker', levels: ['never', 'former', 'current'] };
  const d = design(c.rows, ['age', 'female', 'sbp', smoker]);
  const time = c.rows.map((r) => Number(r.time));
  const event = c.rows.map((r) => Number(r.status));
  for (const ties of ['efron', 'breslow'] as const) {
    it(ties, () => {
      const e = c.expected[ties];
      const fit = fitCox({ time, event, x: d.x, names: d.names, ties });
      d.names.forEach((nm, j) => expectClose(fit.coef[j], e.fit.coefficients[nm], `coef ${nm}`));
      const b0 = baseHazard(fit, false)[0];
      expect(Array.from(b0.time)).toEqual(e.baseline_cumhaz_zero_covariates.time);
      expectAllClose(b0.cumhaz, e.baseline_cumhaz_zero_covariates.cumhaz, 'basehaz zero');
      const bm = baseHazard(fit, true)[0];
      expect(Array.from(bm.time)).toEqual(e.baseline_cumhaz_at_means.time);
      expectAllClose(bm.cumhaz, e.baseline_cumhaz_at_means.cumhaz, 'basehaz means');
      d.names.forEach((nm, j) => expectClose(fit.means[j], e.baseline_cumhaz_at_means.reference_covariates[nm], `ref ${nm}`));
      for (const pr of e.predictions) {
        const prof = design([Object.fromEntries(Object.entries(pr.profile).map(([k, v]) => [k, String(v)]))], ['age', 'female', 'sbp', smoker]).x[0];
        const sc = survivalCurve(fit, prof, pr.time);
        expectClose(sc.linearPredictor, pr.linear_predictor_uncentred, 'lp');
        expect(sc.at!.time).toEqual(pr.time);
        expectAllClose(sc.at!.surv, pr.surv, 'surv');
        expectAllClose(sc.at!.stdErrSurv, pr.std_err_surv, 'se');
        expectAllClose(sc.at!.lower, pr.lower_95, 'lower');
        expectAllClose(sc.at!.upper, pr.upper_95, 'upper');
        expectAllClose(sc.at!.cumhaz, pr.cumhaz, 'cumhaz');
        expect(Array.from(sc.time)).toEqual(pr.full_curve_time);
        expectAllClose(sc.surv, pr.full_curve_surv, 'full curve');
      }
    });
  }

  it('martingale residuals sum to zero and equal status − cumulative hazard', () => {
    const fit = fitCox({ time, event, x: d.x, names: d.names, ties: 'breslow' });
    const m = martingaleResiduals(fit);
    let s = 0;
    for (const v of m) s += v;
    expect(Math.abs(s)).toBeLessThan(1e-8);
    // Breslow, first row: status − exp(lp)·H_means(time).
    const b = baseHazard(fit, true)[0];
    const k = Array.from(b.time).indexOf(time[0]);
    expectClose(m[0], event[0] - Math.exp(fit.linearPredictors[0]) * b.cumhaz[k], 'martingale row 0');
  });
});

describe('survivalCurve when the fit has no variance', () => {
  // One cluster: the robust variance is not defined (fitCox warns); the predicted curve's SEs
  // depend on it, so they are NaN and the curve carries its own warning.
  const time = [5, 8, 3, 9, 12, 4, 7, 15, 10, 6, 11, 2];
  const event = [1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1];
  const x = [0.5, -1.2, 0.3, 1.1, -0.4, 0.9, -0.7, 0.2, 1.5, -0.1, 0.6, -1.4].map((v) => [v]);
  it('gives NaN SEs and limits with a warning naming the term', () => {
    const f = fitCox({ time, event, x, cluster: time.map(() => 'LA01') });
    const c = survivalCurve(f, [0.3], [6]);
    expect(c.surv.every(Number.isFinite)).toBe(true);
    expect(c.stdErrSurv[c.stdErrSurv.length - 1]).toBeNaN();
    expect(c.lower[c.lower.length - 1]).toBeNaN();
    expect(c.at!.stdErrSurv[0]).toBeNaN();
    expect(c.warnings).toEqual(["survivalCurve: the fit's variance is not defined for x1 (see the fit's warnings), so the standard errors and confidence limits of the predicted curve are NaN"]);
  });
  it('is silent for a fit with a variance', () => {
    expect(survivalCurve(fitCox({ time, event, x }), [0.3]).warnings).toEqual([]);
  });
});
