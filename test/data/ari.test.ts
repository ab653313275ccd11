// Adjusted Rand index (src/data/ari, Hubert & Arabie 1985) against a brute-force count over all
// pairs of items (an independent computation of the same index).
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, adjustedRandIndexFromTable } from '../../src/data/ari';
import { createRng } from '../../src/core/random';

function ariByPairs(a: number[], b: number[]): number {
  const n = a.length;
  let both = 0; let inA = 0; let inB = 0; let pairs = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const sa = a[i] === a[j]; const sb = b[i] === b[j];
    pairs++; if (sa) inA++; if (sb) inB++; if (sa && sb) both++;
  }
  const expected = inA * inB / pairs;
  return (both - expected) / ((inA + inB) / 2 - expected);
}

describe('adjustedRandIndex', () => {
  it('equals the pair-counting definition on random labellings', () => {
    const r = createRng(12);
    for (let t = 0; t < 10; t++) {
      const a = Array.from({ length: 150 }, () => r.nextInt(4));
      const b = a.map((v) => (r.nextFloat() < 0.3 ? r.nextInt(5) : v));
      expect(adjustedRandIndex(a, b)).toBeCloseTo(ariByPairs(a, b), 12);
    }
  });
  it('is 1 for the same partition under relabelling and NaN where undefined', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], ['b', 'b', 'a', 'a', 'c'])).toBe(1);
    expect(adjustedRandIndex([0], [0])).toBeNaN();
    expect(adjustedRandIndexFromTable([[5]])).toBeNaN(); // both partitions trivial
  });
});
