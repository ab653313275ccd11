// Degenerate count fits give NaN and a warning naming the cause, never a confident number; and
// well-behaved simulated data recover their generating parameters (Poisson, NB2 θ, GLMM σ).
import { describe, expect, it } from 'vitest';
import { fitGlm, fitGlmm } from '../../../src/index';
import { createRng } from '../../../src/core/random';

function simulate(n: number, seed: number, theta: number | null, groups = 0, sd = 0) {
  const rng = createRng(seed);
  const u = Array.from({ length: groups }, () => sd * rng.nextNormal());
  const x: number[][] = []; const y: number[] = []; const off: number[] = []; const g: number[] = [];
  const pois = (mu: number) => { let k = 0; let p = Math.exp(-mu); let s = p; const r = rng.nextFloat(); while (r > s) { k++; p *= mu / k; s += p; } return k; };
  const gam = (a: number) => { const d = a - 1 / 3; const c = 1 / Math.sqrt(9 * d); for (;;) { const z = rng.nextNormal(); const v = (1 + c * z) ** 3; if (v > 0 && Math.log(rng.nextFloat()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v; } };
  for (let i = 0; i < n; i++) {
    const z = rng.nextNormal(); const pop = 100 + rng.nextInt(400); const gi = groups ? i % groups : 0;
    let mu = pop * Math.exp(-3 + 0.4 * z + (groups ? u[gi] : 0));
    if (theta !== null) mu *= gam(theta) / theta;
    x.push([1, z]); y.push(pois(mu)); off.push(Math.log(pop)); g.push(gi);
  }
  return { x, y, off, g, u };
}

describe('degenerate count fits', () => {
  it('all-zero counts: NaN coefficients and SEs, warning names the cause', () => {
    const f = fitGlm({ y: [0, 0, 0, 0], x: [[1, 0], [1, 1], [1, 2], [1, 3]], family: 'poisson' });
    expect(f.coef.every(Number.isNaN)).toBe(true);
    expect(Array.from(f.se).every(Number.isNaN)).toBe(true);
    expect(f.warnings.join(' ')).toMatch(/all counts are 0/);
  });
  it('HC0 on a saturated fit (fitted = counts, every score 0): NaN SEs and a warning, not SE 6e-16 with p = 0', () => {
    // sandwich::vcovHC(glm(y ~ g, poisson), "HC0") is rounding noise here (R prints SEs ~1e-16).
    const f = fitGlm({ y: [2, 2, 5, 5], x: [[1, 0], [1, 0], [1, 1], [1, 1]], names: ['(Intercept)', 'gb'], family: 'poisson', vcov: 'HC0' });
    expect(Array.from(f.se).every(Number.isNaN)).toBe(true);
    const t = f.tidy();
    expect(t.every((r) => Number.isNaN(r['p.value'] as number) && Number.isNaN(r['conf.low'] as number))).toBe(true);
    expect(f.warnings).toContain('fitGlm: variance is zero, negative or not finite for (Intercept), gb; standard errors and tests are NaN');
    // the model-based variance of the same fit is real
    expect(Array.from(fitGlm({ y: [2, 2, 5, 5], x: [[1, 0], [1, 0], [1, 1], [1, 1]], family: 'poisson' }).se).every((v) => v > 0.1)).toBe(true);
  });
  it('n ≤ p: NaN SEs with a warning', () => {
    const f = fitGlm({ y: [3, 5], x: [[1, 0], [1, 1]], family: 'poisson' });
    expect(f.warnings.join(' ')).toMatch(/no residual degrees of freedom/);
    expect(Array.from(f.se).every(Number.isNaN)).toBe(true);
  });
  it('an aliased column is dropped and reported (R: NA coefficient)', () => {
    const s = simulate(200, 3, null);
    const f = fitGlm({ y: s.y, x: s.x.map((r) => [...r, 2 * r[1]]), names: ['(Intercept)', 'z', 'z2'], family: 'poisson', offset: s.off });
    expect(f.aliased).toEqual(['z2']);
    expect(f.tidy().find((r) => r.term === 'z2')!.estimate).toBeNull();
  });
  it('NB2 on equidispersed data: θ → ∞ warned, θ SE NaN', () => {
    const s = simulate(400, 4, null);
    const f = fitGlm({ y: s.y, x: s.x, family: 'negbin', offset: s.off });
    if (f.theta > 1e10) { expect(Number.isNaN(f.thetaSe)).toBe(true); expect(f.warnings.join(' ')).toMatch(/theta → ∞/); }
    else expect(f.theta).toBeGreaterThan(20); // finite but large: no evidence of overdispersion
    expect(fitGlm({ y: s.y, x: s.x, family: 'poisson', offset: s.off }).warnings.some((w) => /overdispersed/.test(w))).toBe(false);
  });
  it('bad inputs throw naming the row', () => {
    expect(() => fitGlm({ y: [1, -1], x: [[1], [1]], family: 'poisson' })).toThrow(/row 2/);
    expect(() => fitGlm({ y: [1, 2], x: [[1], [1]], family: 'poisson', offset: [0, -Infinity] })).toThrow(/offset row 2/);
    expect(() => fitGlmm({ y: [1, 2], x: [[1], [1]], groups: ['a', 'a'] })).toThrow(/at least 2/);
  });
  it('GLMM with no between-group variance: σ ≈ 0 flagged as a singular fit', () => {
    const s = simulate(600, 5, null, 20, 0);
    const f = fitGlmm({ y: s.y, x: s.x, groups: s.g, offset: s.off });
    if (f.sdRandom < 1e-4) { expect(f.warnings.join(' ')).toMatch(/singular fit/); expect(Number.isNaN(f.sdRandomSe)).toBe(true); }
    else expect(f.sdRandom - 1.96 * f.sdRandomSe).toBeLessThan(0.02);
  });
});

describe('parameter recovery (simulated, known truth)', () => {
  it('NB2: slope 0.4 and θ = 5 inside their 95% CIs', () => {
    const s = simulate(3000, 6, 5);
    const f = fitGlm({ y: s.y, x: s.x, names: ['(Intercept)', 'z'], family: 'negbin', offset: s.off });
    const z = f.tidy()[1];
    expect(Number(z['conf.low'])).toBeLessThan(0.4); expect(Number(z['conf.high'])).toBeGreaterThan(0.4);
    expect(Math.abs(f.theta - 5)).toBeLessThan(1.96 * f.thetaSe);
    expect(fitGlm({ y: s.y, x: s.x, family: 'poisson', offset: s.off }).warnings.some((w) => /overdispersed/.test(w))).toBe(true);
  });
  it('Poisson GLMM: slope 0.4 inside its CI, σ = 0.3 inside its CI, modes track the true effects', () => {
    const s = simulate(4000, 7, null, 40, 0.3);
    const f = fitGlmm({ y: s.y, x: s.x, names: ['(Intercept)', 'z'], groups: s.g, offset: s.off, nAGQ: 5 });
    const z = f.tidy()[1];
    expect(Number(z['conf.low'])).toBeLessThan(0.4); expect(Number(z['conf.high'])).toBeGreaterThan(0.4);
    // Given the 40 drawn effects, σ̂ estimates their realised SD (here 0.247, a low draw from σ = 0.3).
    const mu0 = s.u.reduce((a, b) => a + b, 0) / s.u.length;
    const realised = Math.sqrt(s.u.reduce((a, v) => a + (v - mu0) ** 2, 0) / s.u.length);
    expect(Math.abs(f.sdRandom - realised)).toBeLessThan(1.96 * f.sdRandomSe);
    const m = Array.from(f.conditionalModes); const mu = m.reduce((a, b) => a + b, 0) / m.length; const ut = s.u.reduce((a, b) => a + b, 0) / s.u.length;
    const cor = m.reduce((a, v, i) => a + (v - mu) * (s.u[i] - ut), 0) / Math.sqrt(m.reduce((a, v) => a + (v - mu) ** 2, 0) * s.u.reduce((a, v) => a + (v - ut) ** 2, 0));
    expect(cor).toBeGreaterThan(0.9);
  });
});
