// Gauss-Hermite rule of src/regression/count/quadrature against lme4's GHrule. R 4.2, lme4 1.1:
//   GHrule(5)   # z = ±2.85697001387281, ±1.35562617997427, 0; w = 0.0112574113277207, 0.2220759220056126, 0.5333333333333333
import { describe, expect, it } from 'vitest';
import { ghRule } from '../../../src/regression/count/quadrature';

describe('ghRule (lme4 GHrule)', () => {
  it('gives GHrule(5)\'s nodes and weights', () => {
    const { z, w } = ghRule(5);
    const Z = [-2.85697001387281, -1.35562617997427, 0, 1.35562617997427, 2.85697001387281];
    const Wt = [0.0112574113277207, 0.2220759220056126, 0.5333333333333333, 0.2220759220056126, 0.0112574113277207];
    for (let k = 0; k < 5; k++) { expect(z[k]).toBeCloseTo(Z[k], 12); expect(w[k]).toBeCloseTo(Wt[k], 12); }
    expect(Array.from(ghRule(1).z)).toEqual([0]);
  });
  it('integrates normal moments exactly up to degree 2k - 1 (E z^4 = 3, E z^6 = 15, E z^8 = 105, odd = 0)', () => {
    const { z, w } = ghRule(7);
    const m = (d: number) => z.reduce((s, v, k) => s + w[k] * v ** d, 0);
    expect(m(0)).toBeCloseTo(1, 13);
    expect(m(2)).toBeCloseTo(1, 12);
    expect(m(4)).toBeCloseTo(3, 11);
    expect(m(6)).toBeCloseTo(15, 10);
    expect(m(8)).toBeCloseTo(105, 9);
    expect(m(13)).toBeCloseTo(0, 9);
  });
  it('rejects a node count outside 1..100', () => {
    expect(() => ghRule(0)).toThrow(/nAGQ must be an integer in 1..100, got 0/);
    expect(() => ghRule(2.5)).toThrow(/got 2.5/);
  });
});
