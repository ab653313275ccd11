// lmer_random_slope: lmer(y ~ x + fsm + (1 + fsm | la), data = d, REML = TRUE / FALSE) (lme4 1.1-31,
// tight nloptwrap tolerances): fixed effects, SEs, vcov, t (1e-6); random-effect SDs, correlation,
// variances, θ (variance components, 1e-5); logLik, criterion, AIC, BIC (1e-6); BLUPs.
import { describe, expect, it } from 'vitest';
import { coefByGroup, fitLmm, lmm, splitRandomSlopes } from '../../src/index';
import { lme4ScaledGradient, type LmmSlopesFit } from '../../src/regression/lmmSlopes';
import { createRng } from '../../src/core/random';
import { close, closeMatrix, closeNamed, loadCase } from './reference';

const { table, expected } = loadCase('lmer_random_slope');
const y = table.array('y') as number[];
const xv = table.array('x') as number[];
const fsm = table.array('fsm') as number[];
const la = table.array('la') as string[];
const X = y.map((_, i) => [1, xv[i], fsm[i]]);

describe('lmer_random_slope vs lme4', () => {
  for (const method of ['REML', 'ML'] as const) {
    const e = expected[method];
    it(`${method}: y ~ x + fsm + (1 + fsm | la)`, () => {
      const fit = fitLmm({ y, x: X, names: ['(Intercept)', 'x', 'fsm'], groups: la, groupNames: ['la'], randomSlopes: fsm, randomSlopeNames: ['fsm'], reml: method === 'REML' }) as LmmSlopesFit;
      expect(fit.n).toBe(e.n);
      expect(fit.nGroups[0]).toBe(e.n_groups);
      expect(fit.dfLogLik).toBe(e.df_loglik);
      expect(fit.converged).toBe(true);
      expect(fit.warnings).toEqual([]);
      closeNamed(fit.names, fit.coef, e.fixed_effects, 'fixef');
      closeNamed(fit.names, fit.se, e.se, 'se');
      closeNamed(fit.names, fit.statistic, e.t_value, 't');
      closeMatrix(fit.vcov, e.vcov, 'vcov');
      close(fit.randomSd[0], e.sd_la_intercept, 'sd intercept', 1e-5);
      close(fit.randomSd[1], e.sd_la_slope, 'sd slope', 1e-5);
      close(fit.randomCorrelation[0][1], e.cor_la_intercept_slope, 'cor', 1e-5);
      close(fit.sigma, e.sd_residual, 'sigma', 1e-5);
      close(fit.randomCovariance[0][0], e.var_la_intercept, 'var intercept', 1e-5);
      close(fit.randomCovariance[1][1], e.var_la_slope, 'var slope', 1e-5);
      close(fit.randomCovariance[0][1], e.cov_la_intercept_slope, 'cov', 1e-5);
      close(fit.varianceComponents[2].variance, e.var_residual, 'var residual', 1e-5);
      e.theta.forEach((t: number, k: number) => close(fit.theta[k], t, `theta[${k}]`, 1e-5));
      close(fit.logLik, e.loglik, 'loglik');
      close(fit.deviance, e.criterion_minus2loglik, 'criterion');
      close(fit.aic, e.aic, 'aic');
      close(fit.bic, e.bic, 'bic');
      const re = e.random_effects_conditional_modes;
      expect(fit.ranef[0].ids.map(String)).toEqual(re.la);
      // BLUPs are functions of θ, which R itself pins down only to ~1.5e-7 absolute
      // (max_abs_diff_theta_bobyqa_check), so they are compared as variance components (1e-5)
      // relative to each term's scale (largest |BLUP|); a BLUP near 0 has no meaningful relative error.
      for (const [t, key] of [[0, 'intercept'], [1, 'slope']] as const) {
        const scale = Math.max(...re[key].map(Math.abs));
        re[key].forEach((v: number, k: number) => close(fit.ranef[t].values[k], v, `blup ${key}[${re.la[k]}]`, 1e-5, 1e-5 * scale));
      }
      expect(fit.tidy().map((r) => r.term)).toEqual(['(Intercept)', 'x', 'fsm']);
    });
  }

  it('a slope with no between-group variation gives a boundary fit with a warning, as lme4', () => {
    // Random intercepts only in the truth; the slope variance collapses to 0 (lme4: "boundary (singular) fit").
    let s = 7;
    const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647; };
    const norm = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    const g: number[] = []; const z: number[] = []; const yy: number[] = [];
    const u = Array.from({ length: 30 }, () => 2 * norm());
    for (let i = 0; i < 900; i++) { const gi = i % 30; const zi = rnd() < 0.4 ? 1 : 0; g.push(gi); z.push(zi); yy.push(1 + u[gi] + 0.5 * zi + norm()); }
    const fit = fitLmm({ y: yy, x: yy.map((_, i) => [1, z[i]]), groups: g, randomSlopes: z, reml: true }) as LmmSlopesFit;
    expect(fit.warnings.join(' ')).toMatch(/singular/);
    expect(fit.theta[2]).toBe(0);
    expect(Math.abs(fit.randomCorrelation[0][1])).toBeCloseTo(1, 6);
    close(fit.randomSd[0], 2, 'recovered intercept SD', 0.35);
  });

  it('table level: lmm(d, "y ~ x + fsm + (1 + fsm | la)") gives the same fit as lme4', () => {
    const e = expected.REML;
    // The table-level type carries the random-slope fields, so no cast is needed.
    const fit = lmm(table, 'y ~ x + fsm + (1 + fsm | la)', { reml: true });
    closeNamed(fit.names, fit.coef, e.fixed_effects, 'fixef');
    closeNamed(fit.names, fit.se, e.se, 'se');
    expect(fit.randomTerms).toEqual(['(Intercept)', 'fsm']);
    close(fit.randomSd![1], e.sd_la_slope, 'sd slope', 1e-5);
    close(fit.randomCorrelation![0][1], e.cor_la_intercept_slope, 'cor', 1e-5);
    close(fit.logLik, e.loglik, 'loglik');
    // R: coef(fit)$la[, 'fsm'] = fixef(fit)['fsm'] + ranef(fit)$la[, 'fsm'].
    const byLa = coefByGroup(fit, 'fsm');
    expect(byLa.map((r) => r.group)).toEqual(e.random_effects_conditional_modes.la);
    byLa.forEach((r, i) => close(r.estimate, e.fixed_effects.fsm + e.random_effects_conditional_modes.slope[i], `coef(fit)$la fsm ${r.group}`, 1e-5));
    expect(() => coefByGroup(fit, 'x')).toThrow(/no random effect for 'x'/);
    expect(() => coefByGroup(fit, 'fsm', 'fsm1')).toThrow(/no fixed effect 'fsm1'/);
    // The random-intercept fit has no slope fields.
    expect(lmm(table, 'y ~ x + fsm + (1 | la)').randomSd).toBeUndefined();
  });

  it('splitRandomSlopes reads lme4 random-slope terms and rejects unsupported ones', () => {
    expect(splitRandomSlopes('y ~ x + fsm + (1 + fsm | la)')).toEqual({ formula: 'y ~ x + fsm', group: 'la', slopes: ['fsm'] });
    expect(splitRandomSlopes('y ~ x + (fsm | la)')).toEqual({ formula: 'y ~ x', group: 'la', slopes: ['fsm'] });
    expect(splitRandomSlopes('y ~ x + (1 | la)')).toBeNull();
    expect(() => splitRandomSlopes('y ~ x + (0 + fsm | la)')).toThrow(/without an intercept/);
  });
});

describe('convergence at the study\'s scale (millions of rows)', () => {
  it('lme4ScaledGradient is lme4:::checkConv\'s max(pmin(abs(solve(chol(H), g)), abs(g)))', () => {
    // lme4's own derivatives at its optimum for notebook 03's random-slope model on the regional set
    // (f@optinfo$derivs); R: max(pmin(abs(solve(chol(H), g)), abs(g))) = 0.000919778868484821
    const g = Float64Array.from([-0.03879191, 0.07869909, 0.17088139]);
    const H = Float64Array.from([20420.3125, 3920.5625, 152.2188, 3920.5625, 20309.125, 497, 152.2188, 497, 34528.5]);
    expect(lme4ScaledGradient({ g, H })).toBeCloseTo(0.000919778868484821, 10);
    expect(Number.isNaN(lme4ScaledGradient({ g, H: Float64Array.from([1, 2, 0, 2, 1, 0, 0, 0, 1]) }))).toBe(true);
  });

  it('4 million rows, 150 groups: converges without a warning (the deviance carries rounding noise far above a fixed Newton tolerance)', () => {
    const n = 4_000_000, G = 150;
    const rng = createRng(3);
    const u0 = Array.from({ length: G }, () => 2.2 * rng.nextNormal()), u1 = Array.from({ length: G }, () => 1.5 * rng.nextNormal());
    const x = new Float64Array(n * 3), yy = new Float64Array(n), z = new Float64Array(n), grp = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const gi = rng.nextInt(G); const f = rng.nextFloat() < 0.25 ? 1 : 0; const d = 1 + rng.nextInt(10);
      x[i * 3] = 1; x[i * 3 + 1] = f; x[i * 3 + 2] = d; z[i] = f; grp[i] = gi;
      yy[i] = 50 + u0[gi] + (-8 + u1[gi]) * f + 0.6 * d + 13 * rng.nextNormal();
    }
    const fit = fitLmm({ y: yy, x: { nrow: n, ncol: 3, data: x }, names: ['(Intercept)', 'fsm', 'idaci'], groups: grp, randomSlopes: z, reml: true }) as LmmSlopesFit;
    expect(fit.warnings).toEqual([]);
    expect(fit.converged).toBe(true);
    // the variance components recover the generating ones (150 groups: SDs within ~25%)
    expect(fit.randomSd[0] / 2.2).toBeGreaterThan(0.75); expect(fit.randomSd[0] / 2.2).toBeLessThan(1.25);
    expect(fit.randomSd[1] / 1.5).toBeGreaterThan(0.75); expect(fit.randomSd[1] / 1.5).toBeLessThan(1.25);
    expect(Math.abs(fit.sigma - 13)).toBeLessThan(0.05);
  }, 120_000);
});
