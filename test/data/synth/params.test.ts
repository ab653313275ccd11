// Generator parameters (src/data/synth/params): the calibrated item probabilities reproduce the
// published prevalence targets in the model (computed here by direct sums), the raked CPP
// category probabilities reproduce their targets, and every distribution sums to 1.
import { describe, expect, it } from 'vitest';
import { HARMONISED_FACTORS, FACTOR_GROUPING } from '../../../src/data/codes';
import {
  CLASS_SHARES, CPP_CATEGORY_TARGETS, PATHWAY_PROBS, PREVALENCE_TARGETS, cppCategoryProbabilities, groupPrevalence, itemProbabilities, pandemicShares,
} from '../../../src/data/synth/params';

describe('synthetic parameters', () => {
  it('distributions sum to 1', () => {
    // the published shares are given to 3 decimals and sum to 0.999999 (pickIndex gives the rest to the last class)
    expect(Math.abs(CLASS_SHARES.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(2e-6);
    expect(pandemicShares().reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const row of PATHWAY_PROBS) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // stored rounded to 6 decimals, so a row may sum to 1 ± 1e-6
    for (const row of cppCategoryProbabilities()) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(3e-6);
  });
  it('item probabilities give the prevalence targets (within 2 points), P(any item of a group) by direct product', () => {
    const p = itemProbabilities();
    const groupsOf = HARMONISED_FACTORS.map((f) => FACTOR_GROUPING[f]);
    for (const [g, target] of Object.entries(PREVALENCE_TARGETS)) {
      let prev = 0;
      CLASS_SHARES.forEach((s, k) => {
        let none = 1;
        groupsOf.forEach((gj, j) => { if (gj === g) none *= 1 - p[k][j]; });
        prev += s * (1 - none);
      });
      expect(groupPrevalence(p, groupsOf, g, CLASS_SHARES)).toBeCloseTo(prev, 12);
      expect(Math.abs(prev - target)).toBeLessThan(0.02);
    }
    expect(p.every((row) => row.every((v) => v > 0 && v < 1))).toBe(true);
  });
  it('CPP category probabilities mixed over the CPP starts of classes 1-12 hit the 2019 targets (within 1 point)', () => {
    const cp = cppCategoryProbabilities();
    const w = CLASS_SHARES.map((s, k) => s * PATHWAY_PROBS[k + 1][2]);
    const tot = w.reduce((a, b) => a + b, 0);
    CPP_CATEGORY_TARGETS.forEach((t, c) => {
      const mix = w.reduce((a, wk, k) => a + wk * cp[k + 1][c], 0) / tot;
      expect(Math.abs(mix - t)).toBeLessThan(0.01);
    });
  });
});
