// frailtyRecovery: the gamma-scale variance of known lognormal LA effects, and recovery of θ and the
// frailties from data simulated with them (parameter recovery, not a fixture).
import { describe, it, expect } from 'vitest';
import { fitCox, frailtyRecovery } from '../../src/index';
import { createRng } from '../../src/core/random';

describe('frailtyRecovery', () => {
  it('variance of mean-1 relative hazards and the correlation, by hand', () => {
    const r = frailtyRecovery({ theta: 0.1, frailtyLevels: ['a', 'b', 'c'], frailties: Float64Array.from([-0.2, 0, 0.3]) }, { a: Math.log(0.5), b: 0, c: Math.log(1.5) });
    // exp(w) = 0.5, 1, 1.5: mean 1, variance (0.25 + 0 + 0.25) / 3.
    expect(r.trueVariance).toBeCloseTo(0.5 / 3, 12);
    expect(r.thetaRatio).toBeCloseTo(0.1 / (0.5 / 3), 12);
    // Pearson of (−0.2, 0, 0.3) with (log 0.5, 0, log 1.5).
    expect(r.correlation).toBeCloseTo(0.9650901, 6);
    expect(() => frailtyRecovery({ theta: 0.1, frailtyLevels: ['z'], frailties: Float64Array.from([0]) }, { a: 0 })).toThrow(/group 'z'/);
  });
  it('recovers θ and the LA frailties from simulated data with a gamma frailty (θ = 0.3, 60 LAs)', () => {
    const rng = createRng(11);
    const G = 60;
    const theta = 0.3;
    // Gamma(shape 1/θ, scale θ) by the sum of exponentials is not available for non-integer shape; use
    // shape 1/θ ≈ 3.33 via Marsaglia–Tsang.
    const gamma = (k: number): number => {
      const d = k - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        const z = rng.nextNormal();
        const v = (1 + c * z) ** 3;
        if (v <= 0) continue;
        if (Math.log(rng.nextFloat()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
      }
    };
    const w = Array.from({ length: G }, () => Math.log(gamma(1 / theta) * theta));
    const n = 6000;
    const la: string[] = [];
    const x: number[][] = [];
    const time: number[] = [];
    const event: number[] = [];
    for (let i = 0; i < n; i++) {
      const g = i % G;
      const xi = rng.nextNormal();
      const t = -Math.log(rng.nextFloat()) / (0.1 * Math.exp(0.5 * xi + w[g]));
      const c = 20 * rng.nextFloat();
      la.push(`LA${String(g).padStart(2, '0')}`);
      x.push([xi]);
      time.push(Math.min(t, c));
      event.push(t <= c ? 1 : 0);
    }
    const fit = fitCox({ time, event, x, names: ['x'], frailty: la });
    const truth = Object.fromEntries(w.map((v, g) => [`LA${String(g).padStart(2, '0')}`, v]));
    const rec = frailtyRecovery(fit, truth);
    expect(fit.coef[0]).toBeGreaterThan(0.44);
    expect(fit.coef[0]).toBeLessThan(0.56);
    expect(rec.thetaRatio).toBeGreaterThan(0.6);
    expect(rec.thetaRatio).toBeLessThan(1.5);
    expect(rec.correlation).toBeGreaterThan(0.9);
  });
});
