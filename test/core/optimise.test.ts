// Derivative-free minimisers of src/core/optimise against R's optimize() and optim().
// R 4.2:
//   optimize(function(x) (x-2)^2 + sin(3*x), c(0, 4), tol = 1e-10)   # minimum 1.64942837133177, objective -0.849404825616716
//   optim(c(-1.2, 1), function(p) 100*(p[2]-p[1]^2)^2 + (1-p[1])^2, method = "Nelder-Mead",
//         control = list(reltol = 1e-14, maxit = 5000))$par            # 0.9999999411 0.9999999014 (truth 1, 1)
import { describe, expect, it } from 'vitest';
import { brentMin, brentRoot, nelderMead } from '../../src/core/optimise';

describe('brentMin', () => {
  it('finds the minimum R\'s optimize finds', () => {
    const r = brentMin((x) => (x - 2) ** 2 + Math.sin(3 * x), 0, 4);
    expect(r.x).toBeCloseTo(1.64942837133177, 7);
    expect(r.fx).toBeCloseTo(-0.849404825616716, 12);
  });
  it('finds the vertex of a parabola exactly and returns the end point for a monotone function', () => {
    expect(brentMin((x) => (x - 0.3) ** 2, -5, 5).x).toBeCloseTo(0.3, 8);
    expect(brentMin((x) => x, 1, 2).x).toBeCloseTo(1, 8);
  });
});

// R: uniroot(function(x) cos(x) - x, c(0, 1), tol = 1e-14)$root       # 0.73908513321516123 (R stops within 1e-14; the root is 0.739085133215160642)
//    uniroot(function(x) x^3 - 2*x - 5, c(2, 3), tol = 1e-14)$root    # 2.0945514815423265
describe('brentRoot', () => {
  it('finds the roots R\'s uniroot finds, in few evaluations', () => {
    let calls = 0;
    const f = (x: number) => { calls++; return Math.cos(x) - x; };
    const r = brentRoot(f, 0, 1, f(0), f(1), 1e-14);
    expect(r.x).toBeCloseTo(0.73908513321516123, 13);
    expect(calls).toBeLessThan(15);
    const g = (x: number) => x ** 3 - 2 * x - 5;
    expect(brentRoot(g, 2, 3, g(2), g(3), 1e-14).x).toBeCloseTo(2.0945514815423265, 13);
  });
  it('returns an end point that is a root and rejects a bracket without a sign change', () => {
    expect(brentRoot((x) => x - 1, 1, 2, 0, 1).x).toBe(1);
    expect(() => brentRoot((x) => x * x + 1, -1, 1, 2, 2)).toThrow(/opposite signs/);
  });
});

describe('nelderMead', () => {
  it('reaches the Rosenbrock minimum (1, 1), as optim does', () => {
    const r = nelderMead((p) => 100 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2, [-1.2, 1], 0.1, 1e-14, 20000);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
    expect(r.fx).toBeLessThan(1e-8);
  });
  it('recovers the centre of a shifted quadratic bowl in 3-D', () => {
    const c = [1.5, -2, 0.25];
    const r = nelderMead((p) => p.reduce((s, v, j) => s + (j + 1) * (v - c[j]) ** 2, 0), [0, 0, 0], 1);
    for (let j = 0; j < 3; j++) expect(r.x[j]).toBeCloseTo(c[j], 5);
  });
});
