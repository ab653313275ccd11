// glmer_poisson_random_slope: Poisson glmer with offset and a correlated random intercept and slope
// per LA (Laplace), vs lme4 1.1-31 on a small generated case (test/fixtures/glmer_poisson_random_slope/make.R):
//   glmer(count ~ deprivation + pandemic + offset(log(population)) + (1 + deprivation | la),
//         data = d, family = poisson, nAGQ = 1, control = glmerControl(optimizer = 'nloptwrap',
//         tolPwrss = 1e-12, optCtrl = list(xtol_abs = 1e-13, ftol_abs = 1e-15, xtol_rel = 1e-13, ...)))
import * as fs from 'fs';
import * as path from 'path';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { fitGlmmSlopes } from '../../../src/regression/count/glmmSlopes';
import { glmm, glmmSlopes } from '../../../src/index';
import { close } from '../reference';
import { laplace, lambdaOf, lgammaSum } from '../../../src/regression/count/slopesLaplace';

const dir = path.join(__dirname, '../../fixtures/glmer_poisson_random_slope');
const d = aq.fromCSV(fs.readFileSync(path.join(dir, 'data.csv'), 'utf8'));
const e = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const col = (c: string) => Array.from(d.array(c) as ArrayLike<number>, Number);

describe('glmer_poisson_random_slope (Laplace) vs R', () => {
  const dep = col('deprivation'); const pan = col('pandemic');
  const fit = fitGlmmSlopes({
    y: col('count'), x: dep.map((v, i) => [1, v, pan[i]]), names: ['(Intercept)', 'deprivation', 'pandemic'],
    z: dep.map((v) => [v]), zNames: ['deprivation'], groups: d.array('la') as ArrayLike<string>,
    offset: col('population').map(Math.log), tolPwrss: 1e-12,
  });
  it(e.r_call, () => {
    expect(fit.converged).toBe(true);
    expect(fit.warnings).toEqual([]);
    expect(fit.n).toBe(e.n); expect(fit.nGroups).toBe(e.n_groups);
    fit.names.forEach((nm, j) => close(fit.coef[j], e.fixed_effects[nm], `fixef ${nm}`, 1e-5));
    Array.from(fit.theta).forEach((t, k) => close(t, e.theta[k], `theta[${k}]`, 1e-5));
    close(fit.sdRandom[0], e.sd_intercept, 'sd intercept', 1e-5);
    close(fit.sdRandom[1], e.sd_slope, 'sd slope', 1e-5);
    close(fit.corRandom[1], e.corr, 'correlation', 1e-5);
    close(fit.logLik, e.loglik, 'logLik', 1e-5);
    close(fit.aic, e.aic, 'AIC', 1e-5);
    close(fit.devianceConditional, e.deviance_conditional, 'conditional deviance', 1e-5);
  });
  it('R_X-based SEs and vcov (vcov(fit, use.hessian = FALSE)) at 1e-5', () => {
    fit.names.forEach((nm, j) => close(Math.sqrt(fit.vcovRx[j * 3 + j]), e.se_rx[nm], `se_rx ${nm}`, 1e-5));
    e.vcov_rx.forEach((row: number[], i: number) => row.forEach((v, j) => close(fit.vcovRx[i * 3 + j], v, `vcov_rx[${i},${j}]`, 1e-5)));
  });
  it("lme4's default SEs (deriv12 Hessian of its devfun) at 1e-5", () => {
    fit.names.forEach((nm, j) => close(fit.se[j], e.se[nm], `se ${nm}`, 1e-5));
    e.vcov.forEach((row: number[], i: number) => row.forEach((v, j) => close(fit.vcovHessian[i * 3 + j], v, `vcov[${i},${j}]`, 1e-5)));
  });
  it('conditional modes and SDs (ranef(fit, condVar = TRUE))', () => {
    expect(fit.groupLevels).toEqual(e.levels);
    // Modes are sensitive to θ: R's own optimum is only good to ~1e-6 (bobyqa vs nloptwrap differ by
    // e.check.bobyqa_rel_theta), so the fitted modes agree to ~3e-6 absolute (SDs ~0.2 and ~0.08)...
    e.modes_intercept.forEach((v: number, g: number) => close(fit.conditionalModes[g * 2], v, `mode int ${g}`, 1e-4, 1e-5));
    e.modes_slope.forEach((v: number, g: number) => close(fit.conditionalModes[g * 2 + 1], v, `mode slope ${g}`, 1e-4, 1e-5));
    e.cond_sd_intercept.forEach((v: number, g: number) => close(fit.conditionalSd[g * 2], v, `cond sd int ${g}`, 1e-5));
    e.cond_sd_slope.forEach((v: number, g: number) => close(fit.conditionalSd[g * 2 + 1], v, `cond sd slope ${g}`, 1e-5));
    expect(e.check.bobyqa_rel_theta).toBeLessThan(5e-6);
  });
  it("...and at R's own (θ, β) the Laplace modes are R's to 1e-10", () => {
    const y = Float64Array.from(col('count')); const n = y.length; const G = e.levels.length;
    const la = Array.from(d.array('la') as ArrayLike<string>); const code = la.map((l) => e.levels.indexOf(l));
    const order = Int32Array.from(code.map((g, i) => [g, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((gi) => gi[1]));
    const start = new Int32Array(G + 1); code.forEach((g) => start[g + 1]++); for (let g = 0; g < G; g++) start[g + 1] += start[g];
    const dep = col('deprivation'); const pan = col('pandemic');
    const x = Float64Array.from(dep.flatMap((v, i) => [1, v, pan[i]])); const z = Float64Array.from(dep.flatMap((v) => [1, v]));
    const m = { n, p: 3, r: 2, G, y, x, z, offset: Float64Array.from(col('population'), Math.log), order, start, lgy: lgammaSum(y) };
    const s = laplace(m, e.theta, Object.values(e.fixed_effects) as number[], new Float64Array(G * 2));
    const L = lambdaOf(e.theta, 2);
    for (let g = 0; g < G; g++) {
      close(L[0] * s.u[g * 2], e.modes_intercept[g], `mode int ${g} at R's estimates`, 1e-10, 1e-12);
      close(L[2] * s.u[g * 2] + L[3] * s.u[g * 2 + 1], e.modes_slope[g], `mode slope ${g} at R's estimates`, 1e-10, 1e-12);
    }
    // lme4's logLik there differs by ~5e-6 absolute: its ldL2 uses the weights one PIRLS iterate behind (./lme4hessian)
    close(-s.deviance / 2, e.loglik, "Laplace logLik at R's estimates", 1e-8);
  });
  it('table level: glmmSlopes(d, formula) is the same fit; glmm() refuses a random slope by name', () => {
    const t = glmmSlopes(d, 'count ~ deprivation + pandemic + offset(log(population)) + (1 + deprivation | la)', { tolPwrss: 1e-12 });
    expect(t.names).toEqual(fit.names);
    t.names.forEach((nm, j) => close(t.coef[j], e.fixed_effects[nm], `table fixef ${nm}`, 1e-5));
    Array.from(t.coef).forEach((b, j) => close(b, fit.coef[j], `table = matrix ${j}`, 1e-12));
    expect(t.randomNames).toEqual(['(Intercept)', 'deprivation']);
    expect(t.nInput).toBe(e.n);
    expect(() => glmm(d, 'count ~ deprivation + (1 + deprivation | la)')).toThrow(/glmmSlopes/);
  });
});
