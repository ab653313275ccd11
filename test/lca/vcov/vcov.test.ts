/** Empirical-information standard errors vs poLCA's *_se fields (README tolerance: 1e-3 relative). */
import { describe, expect, it } from 'vitest';
import { alignClasses, fitLca, lcaVcov, permuteClasses } from '../../../src/lca/index';
import { loadLca, toItemProbs, worstExcess } from '../fixtures';

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
