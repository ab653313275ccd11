// Wald rows of the count fits (src/regression/count/result) against R's summary.glm / broom::tidy:
//   b <- 0.8785; s <- 0.2; c(z = b / s, p = 2 * pnorm(-abs(b / s)), b + c(-1, 1) * qnorm(0.975) * s)
//   # z 4.3925, p 1.12054630207e-05, CI 0.486507203092 1.27049279691
import { describe, expect, it } from 'vitest';
import { seFromVcov, waldRows } from '../../../src/regression/count/result';

describe('waldRows', () => {
  it('gives z, normal p and CI as summary.glm, and exponentiates estimate and CI only', () => {
    const [r] = waldRows(['x'], Float64Array.of(0.8785), Float64Array.of(0.2));
    expect(r.statistic).toBeCloseTo(4.3925, 12);
    expect(r['p.value'] as number).toBeCloseTo(1.12054630207e-05, 14);
    expect(r['conf.low'] as number).toBeCloseTo(0.486507203092, 11);
    expect(r['conf.high'] as number).toBeCloseTo(1.27049279691, 10);
    const [e] = waldRows(['x'], Float64Array.of(0.8785), Float64Array.of(0.2), { exponentiate: true });
    expect(e.estimate as number).toBeCloseTo(Math.exp(0.8785), 12);
    expect(e['conf.low'] as number).toBeCloseTo(Math.exp(0.486507203092), 10);
    expect(e['std.error']).toBe(0.2);
    const [l] = waldRows(['x'], Float64Array.of(0.8785), Float64Array.of(0.2), { level: 0.9 });
    expect(l['conf.low'] as number).toBeCloseTo(0.8785 - 1.6448536269514722 * 0.2, 10); // qnorm(0.95)
  });
  it('a NaN SE gives NaN statistic and p, never a number', () => {
    const [r] = waldRows(['x'], Float64Array.of(1), Float64Array.of(NaN));
    expect(Number.isNaN(r.statistic as number)).toBe(true);
    expect(Number.isNaN(r['p.value'] as number)).toBe(true);
  });
  it('seFromVcov takes square roots of the diagonal', () => {
    expect(Array.from(seFromVcov(Float64Array.from([4, 1, 1, 9]), 2))).toEqual([2, 3]);
  });
  it('an SE of 0 or Infinity gives NaN statistic, p and CI, never p = 0 or 1', () => {
    const rows = waldRows(['a', 'b'], Float64Array.of(1, 1), Float64Array.of(0, Infinity));
    for (const r of rows) for (const k of ['std.error', 'statistic', 'p.value', 'conf.low', 'conf.high']) expect(Number.isNaN(r[k] as number)).toBe(true);
  });
});
