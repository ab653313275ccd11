import { describe, it, expect } from 'vitest';
import { fitCox, coxInternals, type CoxFit } from '../../src/survival/cox';
import { readCase, design, expectClose, expectAllClose, expectP } from './helpers';
import { createRng } from '../../src/core/random';

type Var = string | { name: string; levels: string[] };

function checkFit(f: CoxFit, e: any, label: string, robust: boolean): void {
  const names = f.names;
  expect(f.n, `${label} n`).toBe(e.n);
  expect(f.nEvent, `${label} nevent`).toBe(e.nevent);
  expect(f.converged).toBe(true);
  names.forEach((nm, j) => {
    expectClose(f.coef[j], e.coefficients[nm], `${label} coef ${nm}`);
    expectClose(f.hr[j], e.exp_coef[nm], `${label} exp_coef ${nm}`);
    expectClose(f.se[j], e.se[nm], `${label} se ${nm}`);
    expectClose(f.z[j], e.z[nm], `${label} z ${nm}`);
    expectP(f.p[j], e.p_value[nm], `${label} p ${nm}`);
    expectClose(f.ci.lower[j], e.conf_int_95_exp_coef_lower[nm], `${label} ci.lower ${nm}`);
    expectClose(f.ci.upper[j], e.conf_int_95_exp_coef_upper[nm], `${label} ci.upper ${nm}`);
    expectClose(f.means[j], e.means_used_for_centering[nm], `${label} means ${nm}`);
    expectAllClose(f.vcov[j], e.vcov.values[j], `${label} vcov row ${nm}`);
  });
  expect(e.vcov.row_names).toEqual([...names]);
  expectClose(f.logLik[0], e.loglik_null, `${label} loglik_null`);
  expectClose(f.logLik[1], e.loglik, `${label} loglik`);
  for (const [mine, theirs] of [[f.lrTest, e.lr_test], [f.waldTest, e.wald_test], [f.scoreTest, e.score_test]] as const) {
    expectClose(mine.statistic, theirs.statistic, `${label} test statistic`);
    expect(mine.df).toBe(theirs.df);
    expectP(mine.p, theirs.p_value, `${label} test p`);
  }
  const c = e.concordance;
  expect(f.concordance.concordant).toBe(c.concordant);
  expect(f.concordance.discordant).toBe(c.discordant);
  expect(f.concordance.tiedRisk).toBe(c.tied_risk);
  expect(f.concordance.tiedTime).toBe(c.tied_time);
  expect(f.concordance.tiedBoth).toBe(c.tied_both);
  expectClose(f.concordance.concordance, c.concordance, `${label} concordance`);
  expectClose(f.concordance.stdErr, c.std_err, `${label} concordance std_err`);
  expectAllClose(Array.from(f.linearPredictors.subarray(0, 20)), e.linear_predictors_first20, `${label} lp`);
  if (robust) {
    names.forEach((nm, j) => {
      expectClose(f.seNaive[j], e.se_naive[nm], `${label} se_naive ${nm}`);
      expectClose((f.robustSe as number[])[j], e.se_robust[nm], `${label} se_robust ${nm}`);
      expectAllClose(f.vcovNaive[j], e.vcov_naive.values[j], `${label} vcov_naive ${nm}`);
    });
    expect(f.robustScoreTest).not.toBeNull();
    expectClose(f.robustScoreTest!.statistic, e.robust_score_test.statistic, `${label} robust score`);
    expectP(f.robustScoreTest!.p, e.robust_score_test.p_value, `${label} robust score p`);
  }
}

const cases: Array<{ name: string; vars: Var[]; strata?: string; cluster?: string; entry?: string; time: string; event: string }> = [
  { name: 'cox_ties', vars: ['age', 'female', 'bmi', 'marker', { name: 'stage', levels: ['I', 'II', 'III'] }], time: 'time', event: 'status' },
  { name: 'cox_strata', vars: ['age', 'female', 'deprivation', 'treat'], strata: 'la', time: 'time', event: 'status' },
  { name: 'cox_cluster', vars: ['age', 'female', 'exposure'], cluster: 'id', time: 'time', event: 'status' },
  { name: 'cox_counting_ag', vars: ['age', 'female', 'x', 'tx'], cluster: 'id', entry: 'start', time: 'stop', event: 'event' },
];

describe('fitCox against R coxph fixtures', () => {
  for (const cs of cases) {
    for (const ties of ['efron', 'breslow'] as const) {
      it(`${cs.name} ${ties}`, () => {
        const c = readCase(cs.name);
        const d = design(c.rows, cs.vars);
        const f = fitCox({
          time: c.rows.map((r) => Number(r[cs.time])),
          event: c.rows.map((r) => Number(r[cs.event])),
          entry: cs.entry ? c.rows.map((r) => Number(r[cs.entry!])) : undefined,
          x: d.x,
          names: d.names,
          strata: cs.strata ? c.rows.map((r) => r[cs.strata!]) : undefined,
          cluster: cs.cluster ? c.rows.map((r) => r[cs.cluster!]) : undefined,
          ties,
        });
        checkFit(f, c.expected[ties], `${cs.name}/${ties}`, cs.cluster !== undefined);
      });
    }
  }
});

/**
 * Seeded data on which the information is positive definite at 0 but not after the first Newton
 * step (a quarter of rows weighted −0.5, BCH-style): the partial likelihood has no maximum there.
 */
function fitWithNoMaximum(): CoxFit {
  const rng = createRng(3);
  const n = 30;
  const time = new Float64Array(n), event = new Float64Array(n), x = new Float64Array(n * 2), w = new Float64Array(n), cl = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    time[i] = 1 + rng.nextInt(20);
    event[i] = rng.nextInt(3) ? 1 : 0;
    for (let j = 0; j < 2; j++) x[i * 2 + j] = rng.nextNormal();
    w[i] = rng.nextInt(4) === 0 ? -0.5 : 1;
    cl[i] = i >> 1;
  }
  return fitCox({ time, event, x: { nrow: n, ncol: 2, data: x }, weights: w, signedWeights: true, cluster: cl });
}

describe('fitCox with signed (BCH-style) weights and no maximum', () => {
  it('gives NaN coefficients, SEs, tests and concordance with a warning, not β = 0 with confident SEs', () => {
    // the old code returned β = 0, SE ≈ 0.97, p = 1
    const fit = fitWithNoMaximum();
    expect(fit.converged).toBe(false);
    for (const r of fit.tidy()) for (const k of ['estimate', 'std.error', 'p.value', 'conf.low', 'conf.high']) expect(Number.isNaN(r[k as keyof typeof r] as number)).toBe(true);
    expect(Number.isNaN(fit.concordance.concordance)).toBe(true);
    expect(fit.warnings.join(' ')).toMatch(/information matrix is not positive definite at Newton iteration 1/);
  });
});

describe('coxInternals on a fit with no estimate', () => {
  it('zph, survival curves and residuals refuse it, naming why', () => {
    expect(() => coxInternals(fitWithNoMaximum())).toThrow(/no estimate \(fitCox: the information matrix is not positive definite.*no zph test, prediction or residuals/);
  });
});
