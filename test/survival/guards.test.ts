// Degenerate Cox variances: a single cluster has no robust variance (its dfbeta sum is U(β̂)·V = 0),
// so SEs, z, p and the Wald test are NaN with a warning naming the cause, never p = 0.
import { describe, expect, it, vi } from 'vitest';
import { fitCox } from '../../src/survival/cox';
import { createRng } from '../../src/core/random';

// The frailty variances are positive definite in exact arithmetic, so no small input drives them to
// 0; this switch makes the sparse-variance routine return a zero coefficient variance and a zero
// frailty variance for one test, to check what the fit does with them (it used to print SE 0, p 0).
const degenerateFrailty = { on: false };
vi.mock('../../src/survival/frailtyVariance', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../src/survival/frailtyVariance')>();
  return {
    ...mod,
    sparseVariance: (...args: Parameters<typeof mod.sparseVariance>) => {
      const v = mod.sparseVariance(...args);
      if (!degenerateFrailty.on) return v;
      const V = Float64Array.from(v.V); V[0] = 0;
      const V2 = Float64Array.from(v.V2); V2[0] = -1e-18;
      const fvar = Float64Array.from(v.fvar); fvar[1] = 0;
      return { ...v, V, V2, fvar };
    },
  };
});

const time = [5, 8, 3, 9, 12, 4, 7, 15, 10, 6, 11, 2];
const event = [1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1];
const x = [0.5, -1.2, 0.3, 1.1, -0.4, 0.9, -0.7, 0.2, 1.5, -0.1, 0.6, -1.4].map((v) => [v]);

describe('fitCox guards', () => {
  it('one cluster: NaN robust SE, z, p and Wald test, with a warning', () => {
    const f = fitCox({ time, event, x, cluster: time.map(() => 'LA01') });
    expect(f.se[0]).toBeNaN();
    expect(f.p[0]).toBeNaN();
    expect(f.waldTest.p).toBeNaN();
    expect(f.seNaive[0]).toBeGreaterThan(0);
    expect(f.warnings.some((w) => /at least 2 clusters \(got 1\)/.test(w))).toBe(true);
  });
  it('two clusters give a finite robust SE', () => {
    const f = fitCox({ time, event, x, cluster: time.map((_, i) => (i < 6 ? 'a' : 'b')) });
    expect(Number.isFinite(f.se[0])).toBe(true);
  });
});

describe('frailty fit guards', () => {
  const rng = createRng(3);
  const n = 80;
  const time = Array.from({ length: n }, () => rng.nextFloat() * 10);
  const event = time.map(() => (rng.nextFloat() < 0.7 ? 1 : 0));
  const x = time.map(() => [rng.nextNormal(), rng.nextNormal()]);
  const frailty = time.map((_, i) => `LA${i % 8}`);
  it('a zero coefficient or frailty variance gives NaN SE, test and CI with warnings naming the term and group', () => {
    degenerateFrailty.on = true;
    let f;
    try { f = fitCox({ time, event, x, frailty, frailtyTheta: 0.5, names: ['a', 'b'] }); } finally { degenerateFrailty.on = false; }
    expect(f.se[0]).toBeNaN();
    expect(f.se2[0]).toBeNaN();
    expect(f.chisq[0]).toBeNaN();
    expect(f.p[0]).toBeNaN();
    const t = f.tidy();
    expect(t[0]['p.value']).toBeNaN();
    expect(t[0]['conf.low']).toBeNaN();
    expect(Number.isFinite(t[1]['p.value'] as number)).toBe(true);
    expect(f.frailtyTest.statistic).toBeNaN();
    expect(f.frailtyTest.p).toBeNaN();
    expect(f.warnings).toEqual([
      'fitCox (frailty): variance is zero, negative or not finite for a; standard errors and tests are NaN',
      'fitCox (frailty, var2 = H⁻¹IH⁻¹): variance is zero, negative or not finite for a; standard errors and tests are NaN',
      'fitCox (frailty test): variance is zero, negative or not finite for frailty[LA1]; standard errors and tests are NaN',
    ]);
  });
  it('the same fit without the switch is finite and silent', () => {
    const f = fitCox({ time, event, x, frailty, frailtyTheta: 0.5, names: ['a', 'b'] });
    expect(f.se.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(f.frailtyTest.p)).toBe(true);
    expect(f.warnings).toEqual([]);
  });
});
