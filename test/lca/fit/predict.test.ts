// Posterior prediction for new rows (src/lca/fit/predict) against Bayes' rule computed by hand
// from the fit's shares and item probabilities.
import { describe, expect, it } from 'vitest';
import { predictLca } from '../../../src/lca/fit/predict';
import { FIT, logJoint } from '../lcaFixture';

describe('predictLca', () => {
  const rows = [[1, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 1], [1, 0, 0, 0, 0, 1], [0, 1, 0, 1, 0, 1]];
  const pred = predictLca(FIT, rows);
  it('gives P(class | y) and the log-likelihood by Bayes\' rule', () => {
    let ll = 0;
    rows.forEach((r, i) => {
      const lj = [0, 1, 2].map((k) => logJoint(r, FIT.shares, FIT.itemProbs, k));
      const m = Math.max(...lj); const tot = lj.reduce((s, v) => s + Math.exp(v - m), 0);
      ll += m + Math.log(tot);
      lj.forEach((v, k) => expect(pred.posterior.data[i * 3 + k]).toBeCloseTo(Math.exp(v - m) / tot, 12));
      expect(pred.modal[i]).toBe(lj.indexOf(m));
    });
    expect(pred.logLik).toBeCloseTo(ll, 10);
  });
  it('a missing item drops out of the likelihood', () => {
    // (a second row observes item 2: codeRows rejects an item missing in every new row, see the k13 report)
    const p = predictLca(FIT, [[1, 1, null, 1, 0, 0], [0, 0, 0, 0, 0, 0]]);
    const r = [1, 1, 0, 1, 0, 0];
    const lj = [0, 1, 2].map((k) => logJoint(r, FIT.shares, FIT.itemProbs, k) - Math.log(FIT.itemProbs[k][2][0]));
    const m = Math.max(...lj); const tot = lj.reduce((s, v) => s + Math.exp(v - m), 0);
    lj.forEach((v, k) => expect(p.posterior.data[k]).toBeCloseTo(Math.exp(v - m) / tot, 12));
  });
  it('rejects rows with the wrong number of items or an unseen category', () => {
    expect(() => predictLca(FIT, [[1, 0]])).toThrow('newRows: 2 items, the model has 6');
    expect(() => predictLca(FIT, [[2, 0, 0, 0, 0, 0]])).toThrow(/has code 2, the model has 2 categories/);
  });
});
