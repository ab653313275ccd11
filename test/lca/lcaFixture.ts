// A small 3-class binary LCA data set with known truth, fitted once, shared by the mirrored LCA
// tests that check a fit's pieces against independent computations.
import { fitLca } from '../../src/lca/index';
import { simulateLca } from '../../src/lca/simulate';

export const TRUE_SHARES = [0.5, 0.3, 0.2];
const pattern = [[1, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 1], [1, 0, 0, 0, 0, 1]];
export const TRUE_ITEM_PROBS = pattern.map((r) => r.map((v) => (v ? [0.15, 0.85] : [0.85, 0.15])));
export const SIM = simulateLca(3000, TRUE_SHARES, TRUE_ITEM_PROBS, 17);
export const FIT = fitLca({ codes: SIM.codes, nRows: SIM.nRows, nItems: SIM.nItems }, {
  classes: 3, startValues: { itemProbs: TRUE_ITEM_PROBS, shares: TRUE_SHARES }, sortClasses: false, tol: 1e-10, workers: false,
});

/** log P(y, class k) for a fully observed binary row, from a fit's shares and item probabilities. */
export function logJoint(row: ArrayLike<number>, shares: readonly number[], probs: readonly (readonly (readonly number[])[])[], k: number): number {
  let s = Math.log(shares[k]);
  for (let j = 0; j < row.length; j++) s += Math.log(probs[k][j][row[j]]);
  return s;
}
