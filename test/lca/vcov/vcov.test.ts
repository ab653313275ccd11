/** Empirical-information standard errors vs poLCA's *_se fields (README tolerance: 1e-3 relative). */
import { describe, expect, it, vi } from 'vitest';
import { alignClasses, fitLca, lcaVcov, permuteClasses } from '../../../src/lca/index';
import { loadLca, toItemProbs, worstExcess } from '../fixtures';

// The empirical information is positive semi-definite, so a negative variance comes only from
// rounding on a near-singular information. This switch makes the Cholesky inverse come back with
// its sign flipped for one test, to check what lcaVcov does with negative variances.
const negativeInverse = { on: false };
vi.mock('../../../src/core/linalg', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../../src/core/linalg')>();
  return {
    ...mod,
    cholInverse: (...args: Parameters<typeof mod.cholInverse>) => {
      const v = mod.cholInverse(...args);
      if (negativeInverse.on) for (let i = 0; i < v.length; i++) v[i] = -v[i];
      return v;
    },
  };
});

function checkSe(name: string, key: string, covariate = false): void {
  const fx = loadLca(name);
  const e = key ? fx.expected[key] : fx.expected.K;
  const z = covariate ? fx.extra.z.map((v) => [v]) : undefined;
  const f = fitLca(fx.rows, {
    classes: e.K,
    startValues: { itemProbs: toItemProbs(e.starting_item_probs_of_best_replication, fx.items) },
    covariates: z,
  });
  const v = lcaVcov(f);
  const perm = alignClasses(f, toItemProbs(e.item_probs, fx.items));
  // categories at the boundary are held fixed (null SE): compare the others
  const ours = permuteClasses(v.itemProbsSe, perm);
  const ref = toItemProbs(e.item_probs_se, fx.items);
  let compared = 0;
  ours.forEach((cls, k) => cls.forEach((row, j) => row.forEach((se, c) => {
    if (se === null) return;
    compared++;
    expect(Math.abs(se - ref[k][j][c])).toBeLessThanOrEqual(1e-3 * ref[k][j][c]);
  })));
  expect(compared).toBeGreaterThan(0.9 * ref.flat(2).length);
  if (!covariate) expect(worstExcess(permuteClasses(v.sharesSe, perm), e.class_shares_se, 1e-3, 0)).toBeLessThanOrEqual(0);
  else {
    // poLCA's coefficients are against its class 1; re-fit in poLCA's order to compare directly
    const g = fitLca(fx.rows, { classes: e.K, startValues: { itemProbs: toItemProbs(e.starting_item_probs_of_best_replication, fx.items) }, covariates: z, sortClasses: false });
    expect(alignClasses(g, toItemProbs(e.item_probs, fx.items))).toEqual([0, 1, 2]);
    expect(worstExcess(lcaVcov(g).betaSe, e.coefficients_se.values, 1e-3, 0)).toBeLessThanOrEqual(0);
  }
}

describe('lcaVcov vs poLCA standard errors', () => {
  it('lca_binary K = 2', () => checkSe('lca_binary', 'K2'));
  it('lca_binary K = 3', () => checkSe('lca_binary', 'K3'));
  it('lca_missing', () => checkSe('lca_missing', ''));
  it('lca_polytomous', () => checkSe('lca_polytomous', ''));
  it('lca_covariate (item probabilities and coefficients)', () => checkSe('lca_covariate', '', true));
});

describe('lcaVcov degenerate variances', () => {
  it('a negative variance gives NaN SEs named in a warning; the reference category is not clamped to SE 0', () => {
    const fx = loadLca('lca_binary');
    const e = fx.expected.K2;
    const f = fitLca(fx.rows, { classes: e.K, startValues: { itemProbs: toItemProbs(e.starting_item_probs_of_best_replication, fx.items) } });
    const ok = lcaVcov(f);
    expect(ok.warnings).toEqual([]);
    negativeInverse.on = true;
    let v;
    try { v = lcaVcov(f); } finally { negativeInverse.on = false; }
    // Binary items: one free category per class-item block, the other is the reference (the old
    // code printed √max(v, 0) = 0 there, a confident SE for a parameter with no variance).
    for (const cls of v.itemProbsSe) for (const row of cls) for (const se of row) if (se !== null) expect(se).toBeNaN();
    expect(v.sharesSe[0]).toBeNaN();
    expect(v.sharesSe[1]).toBeNaN();
    expect(v.warnings).toHaveLength(1);
    // Each reference category is named (as p[class k, item, category]) next to its free sibling.
    expect(v.warnings[0]).toMatch(/^lcaVcov: variance is zero, negative or not finite for share\[class 2\], share\[class 1\], p\[class 1, (\w+), (\d)\], p\[class 1, \1, (?!\2)\d\], .* and \d+ more; standard errors and tests are NaN$/);
  });
});
