// core/robust: HC0–HC3 and the cluster sandwich against hand-built sandwiches, and the guards.
import { describe, expect, it } from 'vitest';
import { clusterVariance, groupedJackknifeVariance, hcVariance } from '../../src/core/robust';
import { fitOls } from '../../src/regression/ols';

// y = b x with x = (1, 2, 3), bread = 1/Σx² = 1/14, scores e = (0.5, −1, 0.25).
const x = Float64Array.from([1, 2, 3]);
const bread = Float64Array.from([1 / 14]);
const e = Float64Array.from([0.5, -1, 0.25]);
const meat = 0.25 * 1 + 1 * 4 + 0.0625 * 9;

describe('core/robust', () => {
  it('HC0 and HC1 equal bread · Σ eᵢ² xᵢ² · bread (× n/(n−k))', () => {
    expect(hcVariance('HC0', bread, x, 3, 1, e, null, 't').V[0]).toBeCloseTo(meat / 196, 15);
    expect(hcVariance('HC1', bread, x, 3, 1, e, null, 't').V[0]).toBeCloseTo((meat / 196) * 1.5, 15);
  });
  it('HC3 divides each score by 1 − h; a hat value of 1 gives NaN and names the observation', () => {
    const h = Float64Array.from([1 / 14, 4 / 14, 9 / 14]);
    const want = (0.25 / (13 / 14) ** 2 + 4 / (10 / 14) ** 2 + 0.5625 / (5 / 14) ** 2) / 196;
    expect(hcVariance('HC3', bread, x, 3, 1, e, h, 't').V[0]).toBeCloseTo(want, 14);
    const r = hcVariance('HC2', bread, x, 3, 1, e, Float64Array.from([0.1, 0.2, 1 - 1e-15]), 't');
    expect(r.V[0]).toBeNaN();
    expect(r.warnings[0]).toMatch(/observation 3\b/);
  });
  it('cluster: G/(G−1)·(n−1)/(n−k) · bread Σ u_g² bread; one cluster → NaN with a warning', () => {
    const r = clusterVariance(bread, x, 3, 1, e, ['a', 'a', 'b'], 'HC1', 't');
    const u = [0.5 - 2, 0.75];
    expect(r.G).toBe(2);
    expect(r.V[0]).toBeCloseTo(((u[0] ** 2 + u[1] ** 2) / 196) * 2 * (2 / 2), 14);
    const one = clusterVariance(bread, x, 3, 1, e, ['a', 'a', 'a'], 'HC1', 't');
    expect(one.V[0]).toBeNaN();
    expect(one.warnings[0]).toMatch(/at least 2 clusters \(got 1\)/);
  });
  it('grouped jackknife: V (Σ u_g u_gᵀ) V', () => {
    const V = Float64Array.from([2, 0.5, 0.5, 1]);
    const U = Float64Array.from([1, 0, 0, 1]);
    expect(Array.from(groupedJackknifeVariance(U, 2, 2, V))).toEqual([4.25, 1.5, 1.5, 1.25]);
  });
});

describe('clusterVariance: a coefficient with every cluster score sum 0', () => {
  // A dummy for cluster c, with the intercept and the other dummies: each cluster's residuals sum
  // to 0, so the robust variance of gc is rounding noise. R 4.2, sandwich 3.0:
  //   g <- c("a","a","a","b","b","b","c","c","c","a","b","c"); i <- 0:11; z <- (i*7) %% 5
  //   y <- ifelse(g == "b", 2, ifelse(g == "c", -1, 0)) + 0.3*z + sin(i)
  //   sqrt(diag(vcovCL(lm(y ~ g + z), cluster = g, type = "HC1")))
  //   # (Intercept) 1.742090e-01, gb 9.678276e-02, gc 1.669000e-16, z 7.742621e-02
  // We give NaN for gc with a warning naming it, and R's values for the others.
  const g = ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c', 'a', 'b', 'c'];
  const z = g.map((_, i) => (i * 7) % 5);
  const y = g.map((v, i) => (v === 'b' ? 2 : v === 'c' ? -1 : 0) + 0.3 * z[i] + Math.sin(i));
  const x = g.map((v, i) => [1, v === 'b' ? 1 : 0, v === 'c' ? 1 : 0, z[i]]);
  it('gives NaN SE, p and CI for it, with a warning, and keeps the rest', () => {
    const f = fitOls({ y, x, names: ['(Intercept)', 'gb', 'gc', 'z'], vcov: 'cluster', cluster: g });
    const t = f.tidy();
    expect(t[2]['std.error']).toBeNaN();
    expect(t[2]['p.value']).toBeNaN();
    expect(t[2]['conf.low']).toBeNaN();
    expect(t[0]['std.error']).toBeCloseTo(1.742090e-01, 6);
    expect(t[1]['std.error']).toBeCloseTo(9.678276e-02, 7);
    expect(t[3]['std.error']).toBeCloseTo(7.742621e-02, 7);
    expect(f.warnings).toContain("fitOls: variance is zero, negative or not finite for gc; standard errors and tests are NaN (every cluster's score sum is 0 for these: the term is constant within clusters and fitted exactly)");
  });
});

