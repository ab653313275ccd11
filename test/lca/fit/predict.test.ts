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
  it('an item missing in every new row drops out of every row\'s likelihood (poLCA predict with NA)', () => {
    // Item 2 is missing in both rows: the model's categories are used, so it is allowed and
    // P(class | y) uses the other five items only. Direct computation: Bayes' rule over those.
    const newRows = [[1, 1, null, 1, 0, 0], [0, 0, null, 1, 1, 1]];
    const p = predictLca(FIT, newRows);
    const logJointObserved = (r: (number | null)[], k: number) => {
      let v = Math.log(FIT.shares[k]);
      r.forEach((c, j) => { if (c !== null) v += Math.log(FIT.itemProbs[k][j][c]); });
      return v;
    };
    let ll = 0;
    newRows.forEach((r, i) => {
      const lj = [0, 1, 2].map((k) => logJointObserved(r, k));
      const m = Math.max(...lj); const tot = lj.reduce((s, v) => s + Math.exp(v - m), 0);
      ll += m + Math.log(tot);
      lj.forEach((v, k) => expect(p.posterior.data[i * 3 + k]).toBeCloseTo(Math.exp(v - m) / tot, 12));
      expect(p.modal[i]).toBe(lj.indexOf(m));
    });
    expect(p.logLik).toBeCloseTo(ll, 10);
    // a row with every item missing gets the prior shares
    const all = predictLca(FIT, [[null, null, null, null, null, null]]);
    FIT.shares.forEach((s, k) => expect(all.posterior.data[k]).toBeCloseTo(s, 12));
    expect(all.logLik).toBeCloseTo(0, 12);
  });
  it('new rows that never use the highest category keep the model\'s categories', () => {
    // every item is 0 in every row: codes alone would give one category per item
    const p = predictLca(FIT, [[0, 0, 0, 0, 0, 0]]);
    const lj = [0, 1, 2].map((k) => logJoint([0, 0, 0, 0, 0, 0], FIT.shares, FIT.itemProbs, k));
    const m = Math.max(...lj); const tot = lj.reduce((s, v) => s + Math.exp(v - m), 0);
    lj.forEach((v, k) => expect(p.posterior.data[k]).toBeCloseTo(Math.exp(v - m) / tot, 12));
  });
  it('rejects rows with the wrong number of items or an unseen category', () => {
    expect(() => predictLca(FIT, [[1, 0]])).toThrow('newRows: 2 items, the model has 6');
    expect(() => predictLca(FIT, [[2, 0, 0, 0, 0, 0]])).toThrow(/has code 2, the model has 2 categories/);
  });
});
