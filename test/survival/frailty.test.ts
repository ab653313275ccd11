// R (survival 3.5-3): coxph(Surv(time, status) ~ x1 + x2 + frailty(la, distribution = 'gamma', eps = 1e-14), data = d,
//   control = coxph.control(eps = 1e-12, iter.max = 100, outer.max = 100, toler.chol = 1e-14))
// and the same with frailty(la, distribution = 'gamma', theta = <theta>) (fixed θ) and sparse = FALSE
// (../shared/reference/cox_frailty_gamma). θ is compared at 1e-4 (the fixture: the I-likelihood is
// flat there, θ is determined to ~1e-5); the fit at R's θ is compared at 1e-6, frailties at ~1e-7.
import { describe, it, expect } from 'vitest';
import { fitCox } from '../../src/survival/cox';
import { readCase, expectClose, expectAllClose, expectP } from './helpers';

const { rows, expected: e } = readCase('cox_frailty_gamma');
const input = {
  time: rows.map((r) => Number(r.time)), event: rows.map((r) => Number(r.status)),
  x: rows.map((r) => [Number(r.x1), Number(r.x2)]), names: ['x1', 'x2'], frailty: rows.map((r) => r.la),
};
const names = ['x1', 'x2'];

describe('fitCox({ frailty }) against coxph + frailty(la, distribution = "gamma")', () => {
  it('at R\'s θ: coefficients, SEs (sparse and full), df, likelihoods, frailties', () => {
    const f = fitCox({ ...input, frailtyTheta: e.theta });
    expect(f.n).toBe(e.n);
    expect(f.nEvent).toBe(e.nevent);
    expect(f.converged).toBe(true);
    expect([...f.frailtyLevels]).toEqual(e.frailties.la);
    expect(f.nonsparse, 'full variance is formed for this small case').not.toBeNull();
    names.forEach((nm, j) => {
      expectClose(f.coef[j], e.coefficients[nm], `coef ${nm}`);
      expectClose(f.se[j], e.se[nm], `se ${nm}`);
      expectClose(f.se2[j], e.se2[nm], `se2 ${nm}`);
      expectAllClose(f.vcov[j], e.vcov.values[j], `vcov ${nm}`);
      expectAllClose(f.vcov2[j], e.vcov2.values[j], `vcov2 ${nm}`);
      expectClose(f.chisq[j], e.chisq[nm], `chisq ${nm}`);
      expectP(f.p[j], e.p_value[nm], `p ${nm}`);
      expectClose(f.dfTerms[nm], e.df_terms[nm], `df ${nm}`);
      expectClose(f.means[j], e.means_used_for_centering[nm], `means ${nm}`);
      expectClose(f.nonsparse!.se[j], e.nonsparse_at_same_theta.se[nm], `nonsparse se ${nm}`);
      expectClose(f.nonsparse!.se2[j], e.nonsparse_at_same_theta.se2[nm], `nonsparse se2 ${nm}`);
      expectAllClose(f.nonsparse!.vcov[j], e.nonsparse_at_same_theta.vcov.values[j], `nonsparse vcov ${nm}`);
      expectClose(f.nonsparse!.dfTerms[nm], e.nonsparse_at_same_theta.df_terms[nm], `nonsparse df ${nm}`);
    });
    expectClose(f.dfTerms.frailty, e.df_terms['frailty(la)'], 'df frailty');
    expectClose(f.nonsparse!.dfTerms.frailty, e.nonsparse_at_same_theta.df_terms['frailty(la)'], 'nonsparse df frailty');
    expectClose(f.logLik[0], e.loglik_null, 'loglik_null');
    expectClose(f.logLik[1], e.loglik, 'loglik');
    expectClose(f.penalty, e.penalty, 'penalty');
    expectClose(f.penalizedLogLik, e.penalized_loglik, 'penalized loglik');
    expectClose(f.gammaCorrection, e.gamma_correction, 'gamma correction');
    expectClose(f.iLikelihood, e.i_likelihood, 'I-likelihood');
    expectClose(f.lrTest.statistic, e.lr_test.statistic, 'LR');
    expectClose(f.lrTest.df, e.lr_test.df, 'LR df');
    expectClose(f.frailtyTest.statistic, e.frailty_term_test.chisq, 'frailty chisq');
    expectClose(f.frailtyTest.df, e.frailty_term_test.df, 'frailty df');
    expectAllClose(Array.from(f.frailties), e.frailties.value, 'frailties', 1e-6, 1e-7);
    expectAllClose(Array.from(f.frailtyVariance), e.frailties.variance, 'frailty variances');
    expectAllClose(Array.from(f.linearPredictors.subarray(0, 20)), e.linear_predictors_first20, 'lp', 1e-6, 1e-7);
    expect(f.tidy().map((r) => r.term)).toEqual(names);
    expect(f.glance().theta).toBe(e.theta);
  });

  it('θ maximises the I-likelihood as coxph does (θ at 1e-4, fit at 1e-6 of R\'s)', () => {
    const f = fitCox(input);
    expectClose(f.theta, e.theta, 'theta', 1e-4);
    expect(f.iLikelihood).toBeGreaterThanOrEqual(e.i_likelihood - 1e-9);
    names.forEach((nm, j) => {
      expectClose(f.coef[j], e.coefficients[nm], `coef ${nm}`, 1e-6);
      expectClose(f.se[j], e.se[nm], `se ${nm}`, 1e-6);
    });
    expect(f.warnings).toEqual([]);
  });

  it('no frailty in the data: θ at the boundary 0 with a warning, coefficients = plain coxph', () => {
    // R: d$g <- paste0('G', ((0:(nrow(d) - 1)) %/% 3) %% 40)
    //    coxph(Surv(time, status) ~ x1 + x2 + frailty(g, distribution = 'gamma', eps = 1e-14), data = d, control = <as above>)
    // gives theta = 4.7e-9 (R's search stops just above the boundary) and coef = the plain coxph's
    // (-0.02122004, 0.1815424).
    const g = rows.map((_, i) => `G${Math.floor(i / 3) % 40}`);
    const f = fitCox({ ...input, frailty: g });
    expect(f.theta).toBe(0);
    expect(f.warnings.join(' ')).toMatch(/boundary 0/);
    expect(Array.from(f.frailties).every((w) => w === 0)).toBe(true);
    const plain = fitCox({ time: input.time, event: input.event, x: input.x, names });
    names.forEach((nm, j) => expectClose(f.coef[j], plain.coef[j], `coef ${nm}`));
    expectClose(f.coef[0], -0.02122004, 'R coef x1', 1e-6, 1e-8);
    expectClose(f.coef[1], 0.1815424, 'R coef x2', 1e-6, 1e-7);
    expectClose(f.se[0], plain.se[0], 'se x1 = plain coxph');
  });
  it('reports progress once per θ tried and once at the end', () => {
    const events: { done: number; total: number; stage?: string }[] = [];
    const f = fitCox({ ...input, onProgress: (ev) => events.push(ev) });
    expect(events.length).toBe(f.thetaSearch.length + 1);
    expect(events[events.length - 1]).toMatchObject({ done: f.thetaSearch.length + 1, total: f.thetaSearch.length + 1 });
    expect(events[0].stage).toMatch(/θ = 0/);
  });
});
