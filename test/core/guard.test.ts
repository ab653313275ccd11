// Degenerate-variance guards of src/core/guard: what becomes NaN, what counts as an integer weight,
// and that each warning names its cause (sandwich::vcovHC gives NaN at hat value 1; R's coxph
// switches to the robust variance for non-integer case weights).
import { describe, expect, it } from 'vitest';
import { degenerateMessage, guardedSe, guardVariance, integerWeights, nanMatrix, robustWeightsNote, usableVariance, waldInference, ZERO_VARIANCE_RTOL } from '../../src/core/guard';

describe('guardVariance', () => {
  it('leaves a positive-definite variance untouched', () => {
    const V = Float64Array.from([2, 0.5, 0.5, 1]);
    expect(guardVariance(V, 2, ['a', 'b'])).toEqual([]);
    expect(Array.from(V)).toEqual([2, 0.5, 0.5, 1]);
  });
  it('sets the row and column of a zero, negative or NaN diagonal to NaN and names the terms', () => {
    const V = Float64Array.from([1, 0.1, 0.2, 0.1, 0, 0.3, 0.2, 0.3, -1]);
    expect(guardVariance(V, 3, ['x', 'y', 'z'])).toEqual(['y', 'z']);
    expect(V[0]).toBe(1);
    for (const k of [1, 2, 3, 4, 5, 6, 7, 8]) expect(Number.isNaN(V[k])).toBe(true);
  });
  it('treats a diagonal below ZERO_VARIANCE_RTOL x the reference as zero (one cluster: score sum is 0 to rounding)', () => {
    const tiny = 0.5 * ZERO_VARIANCE_RTOL;
    const V = Float64Array.from([tiny, 0, 0, 3]);
    expect(guardVariance(V, 2, ['a', 'b'], [1, 1])).toEqual(['a']);
    // the same value without a reference is a (small) variance
    expect(guardVariance(Float64Array.from([tiny, 0, 0, 3]), 2, ['a', 'b'])).toEqual([]);
  });
  it('nanMatrix is p x p and all NaN', () => {
    const m = nanMatrix(3);
    expect(m.length).toBe(9);
    expect(Array.from(m).every(Number.isNaN)).toBe(true);
  });
});

describe('integerWeights', () => {
  it('is true for none, whole numbers and zero; false for any fraction', () => {
    expect(integerWeights(null)).toBe(true);
    expect(integerWeights(undefined)).toBe(true);
    expect(integerWeights([1, 2, 0, 7])).toBe(true);
    expect(integerWeights(Float64Array.from([1, 2.5, 3]))).toBe(false);
    expect(integerWeights([1, 1 + 1e-12])).toBe(false);
    expect(integerWeights([NaN])).toBe(false);
  });
});

describe('warning texts name their cause', () => {
  it('observations 1-based, cluster count, where, df, terms', () => {
    expect(degenerateMessage('ols', { kind: 'leverage-one', observations: [3, 7] })).toMatch(/observation 3, 7.*NaN/);
    expect(degenerateMessage('cox', { kind: 'one-cluster', nClusters: 1 })).toMatch(/at least 2 clusters \(got 1\)/);
    expect(degenerateMessage('zph', { kind: 'singular-information', where: 'at the fit' })).toMatch(/singular at the fit/);
    expect(degenerateMessage('lca', { kind: 'negative-df', df: -4 })).toMatch(/\(-4\).*not identified/);
    expect(degenerateMessage('glm', { kind: 'zero-variance', terms: ['x1', 'x2'] })).toMatch(/x1, x2/);
    expect(robustWeightsNote('km')).toMatch(/^km: .*not all integers.*robust/);
  });
});

describe('waldInference (the one rule for a Wald statistic)', () => {
  it('a positive variance: SE = sqrt(v), z = estimate / SE, interval estimate -/+ crit * SE', () => {
    expect(waldInference(2, 0.25, 1.959963984540054)).toEqual({ se: 0.5, statistic: 4, low: 2 - 1.959963984540054 * 0.5, high: 2 + 1.959963984540054 * 0.5 });
  });
  it('zero, negative, infinite or NaN variance: everything NaN (never SE 0, z = Inf, p = 0)', () => {
    for (const v of [0, -1e-18, Infinity, NaN]) {
      const w = waldInference(1.5, v, 1.96);
      expect([w.se, w.statistic, w.low, w.high].every(Number.isNaN)).toBe(true);
      expect(usableVariance(v)).toBe(false);
    }
    expect(usableVariance(1e-300)).toBe(true);
  });
  it('the perfect-fit warning names the cause and R\'s behaviour', () => {
    expect(degenerateMessage('fitOls', { kind: 'perfect-fit' })).toMatch(/^fitOls: residual variance is zero to rounding \(essentially perfect fit, as summary.lm warns\)/);
  });
});

describe('guardedSe', () => {
  it('√v for a positive finite variance; NaN and the name recorded for 0, negative, NaN or infinite', () => {
    const bad: string[] = [];
    expect(guardedSe(0.25, 'a', bad)).toBe(0.5);
    expect(guardedSe(0, 'b', bad)).toBeNaN();
    expect(guardedSe(-1e-18, 'c', bad)).toBeNaN();
    expect(guardedSe(NaN, 'd', bad)).toBeNaN();
    expect(guardedSe(Infinity, 'e', bad)).toBeNaN();
    expect(bad).toEqual(['b', 'c', 'd', 'e']);
  });
  it('with a reference scale, a variance at rounding level of it counts as zero', () => {
    const bad: string[] = [];
    expect(guardedSe(2.4e-32, 'mean', bad, 9)).toBeNaN(); // SE 1.5e-16 on an estimate of 3
    expect(guardedSe(1e-6, 'ok', bad, 9)).toBe(1e-3);
    expect(bad).toEqual(['mean']);
  });
  it('the warning lists at most 10 terms and counts the rest', () => {
    const terms = Array.from({ length: 13 }, (_, i) => `t${i + 1}`);
    expect(degenerateMessage('f', { kind: 'zero-variance', terms })).toBe('f: variance is zero, negative or not finite for t1, t2, t3, t4, t5, t6, t7, t8, t9, t10 and 3 more; standard errors and tests are NaN');
  });
});
