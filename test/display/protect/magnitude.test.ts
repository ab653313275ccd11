import { describe, it, expect } from 'vitest';
import { checkMagnitude, protectMean, bandedRange } from '../../../src/display/protect/magnitude';

describe('magnitudes: threshold, N-K dominance and p% (ACRO defaults N=2, K=90%, p=10%)', () => {
  it('needs at least the threshold number of contributors', () => {
    expect(checkMagnitude([1, 2, 3, 4]).reasons).toContain('threshold');
    expect(protectMean([1, 2, 3, 4])).toBeNull();
    expect(protectMean(Array.from({ length: 12 }, (_, i) => 10 + i))).toBeCloseTo(15.5, 12);
  });
  it('fails N-K when two contributors make up more than 90% of the total', () => {
    const v = [1000, 900, ...Array.from({ length: 10 }, () => 10)]; // top two = 1900 of 2000
    expect(checkMagnitude(v).reasons).toContain('nk-dominance');
    expect(protectMean(v)).toBeNull();
  });
  it('fails p% when the rest would let the second largest estimate the largest within 10%', () => {
    const v = [1000, 100, ...Array.from({ length: 10 }, () => 9)]; // rest = 90 < 0.1 × 1000
    expect(checkMagnitude(v).reasons).toContain('p-percent');
    // with K = 99% the N-K rule passes (1100 of 1190) and only p% catches it
    const c = checkMagnitude(v, {}, { nkN: 2, nkK: 0.99, p: 0.1 });
    expect(c.reasons).toEqual(['p-percent']);
    expect(checkMagnitude([1000, 100, ...Array.from({ length: 10 }, () => 20)], {}, { nkN: 2, nkK: 0.99, p: 0.1 }).ok).toBe(true);
  });
});

describe('min/max only as bands', () => {
  it('gives the bands holding the 10th smallest and largest values, never a single record', () => {
    const v = Array.from({ length: 40 }, (_, i) => 0.5 + i * 2.2);
    const r = bandedRange(v, 5);
    expect(r.low).toBe('20–25'); // 10th smallest is 20.3
    expect(r.high).toBe('65–70'); // 10th largest is 66.3
    expect(() => bandedRange(v.slice(0, 15), 5)).toThrow(/at least 20/);
  });
});

