// G² and Pearson χ² of an LCA fit (src/lca/fit/goodness, poLCA's definitions) recomputed by hand
// over the observed response patterns: G² = 2 Σ o log(o / e), χ² = Σ (o − e)² / e with
// e = N · P(pattern) summed over all patterns (unobserved patterns add e to χ²).
import { describe, expect, it } from 'vitest';
import { FIT, SIM, logJoint } from '../lcaFixture';

describe('goodnessOfFit (poLCA Gsq, Chisq)', () => {
  it('matches the by-hand sums over all 2^6 patterns', () => {
    const J = SIM.nItems; const n = SIM.nRows;
    const observed = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (let j = 0; j < J; j++) key = key * 2 + SIM.codes[i * J + j];
      observed.set(key, (observed.get(key) ?? 0) + 1);
    }
    let gsq = 0; let chisq = 0;
    for (let key = 0; key < 2 ** J; key++) {
      const row = Array.from({ length: J }, (_, j) => (key >> (J - 1 - j)) & 1);
      const p = [0, 1, 2].reduce((s, k) => s + Math.exp(logJoint(row, FIT.shares, FIT.itemProbs, k)), 0);
      const e = n * p; const o = observed.get(key) ?? 0;
      if (o > 0) gsq += 2 * o * Math.log(o / e);
      chisq += (o - e) ** 2 / e;
    }
    expect(FIT.gsq).toBeCloseTo(gsq, 8);
    expect(FIT.chisq).toBeCloseTo(chisq, 8);
    expect(FIT.nFullyObserved).toBe(n);
  });
});
