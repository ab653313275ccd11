// Model comparison across K (src/lca/compare): the fit indices follow their definitions
// (poLCA: npar = (K − 1) + K Σ_j (C_j − 1), AIC = −2LL + 2 npar, BIC = −2LL + npar log N,
// resid.df = Π C_j − 1 − npar), and BIC picks the true K = 3 on data simulated from 3 classes.
import { describe, expect, it } from 'vitest';
import { compareLca, lcaGlance } from '../../src/lca/compare';
import { SIM, FIT } from './lcaFixture';

describe('lcaGlance', () => {
  it('computes the indices from logLik, npar and N by their definitions', () => {
    const g = lcaGlance(FIT);
    const npar = 2 + 3 * 6;
    expect(g.nParams).toBe(npar);
    expect(g.residDf).toBe(2 ** 6 - 1 - npar);
    expect(g.aic as number).toBeCloseTo(-2 * FIT.logLik + 2 * npar, 9);
    expect(g.bic as number).toBeCloseTo(-2 * FIT.logLik + npar * Math.log(3000), 9);
    expect(g.smallestShare).toBe(Math.min(...FIT.shares));
  });
});

describe('compareLca', () => {
  it('fits each K and BIC is lowest at the true K', () => {
    const c = compareLca({ codes: SIM.codes, nRows: SIM.nRows, nItems: SIM.nItems }, { classes: [2, 3, 4], starts: 4, seed: 2, workers: false });
    expect(c.table.map((r) => r.classes)).toEqual([2, 3, 4]);
    expect(c.glance()['classes.best.bic']).toBe(3);
    const ll = c.table.map((r) => r.logLik as number);
    expect(ll[1]).toBeGreaterThan(ll[0]); // more classes never fit worse at the optimum
    expect(() => compareLca([[0, 1]], { classes: [] })).toThrow('compareLca: classes is empty');
  });
});
