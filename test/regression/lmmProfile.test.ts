/** profiledDeviance with no random effects is ordinary least squares: β = (X'X)⁻¹X'y, ML deviance = −2 logLik(lm). */
import { describe, expect, it } from 'vitest';
import { lmerGlance, lmmInputs, profiledDeviance } from '../../src/regression/lmmProfile';

describe('profiledDeviance', () => {
  it('reduces to lm when the random-effect system is empty (logdet 0, V = I)', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [1.1, 1.9, 3.2, 3.9, 5.2, 5.8];
    const n = x.length; const p = 2; const q = p + 1;
    const cols = [x.map(() => 1), x, y];
    const P = new Float64Array(q * q);
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) P[a * q + b] = cols[a].reduce((s, v, i) => s + v * cols[b][i], 0);
    const v = profiledDeviance(P, p, n, false, 0, new Float64Array(p * p), new Float64Array(p))!;
    // lm(y ~ x): slope and intercept by hand
    const mx = x.reduce((s, t) => s + t, 0) / n; const my = y.reduce((s, t) => s + t, 0) / n;
    const slope = x.reduce((s, t, i) => s + (t - mx) * (y[i] - my), 0) / x.reduce((s, t) => s + (t - mx) ** 2, 0);
    expect(v.beta[1]).toBeCloseTo(slope, 12);
    expect(v.beta[0]).toBeCloseTo(my - slope * mx, 12);
    const rss = y.reduce((s, t, i) => s + (t - v.beta[0] - v.beta[1] * x[i]) ** 2, 0);
    expect(v.r2).toBeCloseTo(rss, 12);
    expect(v.dev).toBeCloseTo(n * (1 + Math.log((2 * Math.PI * rss) / n)), 10);
    // REML adds log|X'X| and uses n − p
    const r = profiledDeviance(P, p, n, true, 0, new Float64Array(p * p), new Float64Array(p))!;
    const xtx = P[0] * P[4] - P[1] * P[3];
    expect(r.dev).toBeCloseTo(Math.log(xtx) + (n - p) * (1 + Math.log((2 * Math.PI * rss) / (n - p))), 10);
  });
  it('returns null for a singular X′X', () => {
    const P = new Float64Array([1, 1, 1, 1, 1, 1, 1, 1, 2]);
    expect(profiledDeviance(P, 2, 3, false, 0, new Float64Array(4), new Float64Array(2))).toBeNull();
  });
});

describe('lmerGlance', () => {
  it('AIC = dev + 2k, BIC = dev + k log n, the criterion named as lme4 names it, df.residual = n − k', () => {
    const g = lmerGlance(4, -100, 200, 5, 50, true, 'model');
    expect(g).toEqual({ sigma: 2, logLik: -100, AIC: 210, BIC: 200 + 5 * Math.log(50), REMLcrit: 200, 'df.residual': 45, nobs: 50, 'variance.type': 'model' });
    expect(lmerGlance(4, -100, 200, 5, 50, false, 'model').deviance).toBe(200);
  });
});

describe('lmmInputs', () => {
  it('defaults REML and level as lmer does, names x1..xp, and names the cause of bad input', () => {
    const i = lmmInputs({ y: [1, 2, 3], x: [[1, 0], [1, 1], [1, 2]], groups: [1, 1, 2] });
    expect([i.n, i.p, i.reml, i.level]).toEqual([3, 2, true, 0.95]);
    expect(i.names).toEqual(['x1', 'x2']);
    expect(() => lmmInputs({ y: [], x: [], groups: [] })).toThrow('fitLmm: no rows');
    expect(() => lmmInputs({ y: [1, NaN, 3], x: [[1], [1], [1]], groups: [1, 1, 2] })).toThrow('y: row 2 is not a finite number (NaN)');
    expect(() => lmmInputs({ y: [1, 2], x: [[1], [1], [1]], groups: [1, 1, 2] })).toThrow('y: has length 2, expected 3');
  });
});
