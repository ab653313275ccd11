// Degenerate Cox variances: a single cluster has no robust variance (its dfbeta sum is U(β̂)·V = 0),
// so SEs, z, p and the Wald test are NaN with a warning naming the cause, never p = 0.
import { describe, expect, it } from 'vitest';
import { fitCox } from '../../src/survival/cox';

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
