// The per-group integral of the Poisson random-intercept GLMM (src/regression/count/groupdensity)
// against R's adaptive numerical integration. R 4.2:
//   F <- function(c, s, Y) log(integrate(function(v) dnorm(v) * exp(s*v*Y - exp(c + s*v)), -Inf, Inf, rel.tol = 1e-13)$value)
//   F(0.5, 0.8, 3)   # -1.84993860693946
//   F(2, 1.5, 12)    # -7.88324063499284
//   h <- 1e-3; (F(c+h,s,3) - F(c-h,s,3)) / (2h)   # dF/dc  -2.5245935969237   (c = 0.5, s = 0.8)
//              (F(c,s+h,3) - F(c,s-h,3)) / (2h)   # dF/ds  -0.570315543489186
//              (F(c+h,s,3) - 2F(c,s,3) + F(c-h,s,3)) / h^2   # d2F/dc2  -0.938906134395623
import { describe, expect, it } from 'vitest';
import { groupDerivs, groupMode, groupValue } from '../../../src/regression/count/groupdensity';
import { ghRule } from '../../../src/regression/count/quadrature';

describe('groupValue (adaptive Gauss-Hermite)', () => {
  const { z, w } = ghRule(25);
  it('25 nodes reproduce R\'s numerical integral', () => {
    expect(groupValue(0.5, 0.8, 3, 0, z, w).F).toBeCloseTo(-1.84993860693946, 10);
    expect(groupValue(2, 1.5, 12, 0, z, w).F).toBeCloseTo(-7.88324063499284, 10);
  });
  it('Laplace (one node) is close but not exact, and the mode solves h\'(v) = 0', () => {
    const one = ghRule(1);
    const lap = groupValue(0.5, 0.8, 3, 0, one.z, one.w).F;
    expect(Math.abs(lap + 1.84993860693946)).toBeLessThan(0.02);
    expect(Math.abs(lap + 1.84993860693946)).toBeGreaterThan(1e-6);
    const v = groupMode(0.5, 0.8, 3, 5);
    expect(-0.8 * (3 - Math.exp(0.5 + 0.8 * v)) + v).toBeCloseTo(0, 12);
  });
  it('derivatives in (c, sigma) match R\'s finite differences of the integral', () => {
    const d = groupDerivs(0.5, 0.8, 3, 0, z, w);
    expect(d.Fc).toBeCloseTo(-2.5245935969237, 5);
    expect(d.Fs).toBeCloseTo(-0.570315543489186, 5);
    expect(d.Fcc).toBeCloseTo(-0.938906134395623, 3);
  });
});
