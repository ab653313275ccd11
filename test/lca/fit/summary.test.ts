// Tidy parameter table of an LCA fit (src/lca/fit/summary): its SEs are lcaVcov's, probabilities
// get Wald intervals clipped to [0, 1], and the SE policy (true / false / auto with a limit) is
// followed and said in the fit's warnings.
import { describe, expect, it } from 'vitest';
import { lcaSummary } from '../../../src/lca/fit/summary';
import { lcaVcov } from '../../../src/lca/vcov/vcov';
import { fitLca } from '../../../src/lca/index';
import { FIT, SIM, TRUE_ITEM_PROBS, TRUE_SHARES } from '../lcaFixture';

describe('lcaSummary', () => {
  it('shares and item probabilities with lcaVcov\'s SEs and clipped Wald intervals', () => {
    const rows = lcaSummary(FIT, { se: true });
    const v = lcaVcov(FIT);
    const shares = rows.filter((r) => r.term === 'share');
    expect(shares.map((r) => r.estimate)).toEqual(FIT.shares);
    shares.forEach((r, k) => {
      expect(r['std.error']).toBe(v.sharesSe[k]);
      expect(r['conf.low'] as number).toBeCloseTo(Math.max(0, FIT.shares[k] - 1.959963984540054 * (v.sharesSe[k] as number)), 12);
    });
    expect(rows.every((r) => r['conf.low'] === null || ((r['conf.low'] as number) >= 0 && (r['conf.high'] as number) <= 1))).toBe(true);
    const nItemRows = rows.filter((r) => r.term !== 'share').length;
    expect(nItemRows).toBe(3 * 6 * 2); // every class x item x category
  });
  it('se: false leaves SEs out; auto above the limit warns how to ask for them', () => {
    expect(lcaSummary(FIT, { se: false }).every((r) => r['std.error'] === null)).toBe(true);
    const before = FIT.warnings.length;
    const rows = lcaSummary(FIT, { maxParamsForSe: 5 });
    expect(rows.every((r) => r['std.error'] === null)).toBe(true);
    expect(FIT.warnings.slice(before).join(' ')).toMatch(/standard errors not computed: 20 parameters > 5/);
  });
  it('the variance type tells the truth (issue 13): none while SEs are skipped, empirical-information once computed', () => {
    // A fit of its own: the WeakSet that records computed SEs would otherwise carry over between tests.
    const fit = fitLca({ codes: SIM.codes, nRows: SIM.nRows, nItems: SIM.nItems }, {
      classes: 3, startValues: { itemProbs: TRUE_ITEM_PROBS, shares: TRUE_SHARES }, sortClasses: false, tol: 1e-10, workers: false,
    });
    expect(fit.varianceType).toBe('none');
    expect(fit.glance()['variance.type']).toBe('none');
    // auto above the limit: nothing computed, nothing claimed, and a warning names the cost and how to ask
    const skipped = fit.summary({ maxParamsForSe: 5 });
    expect(skipped.every((r) => r['std.error'] === null)).toBe(true);
    expect(fit.varianceType).toBe('none');
    expect(fit.warnings.some((w) => /standard errors not computed: 20 parameters > 5 \(cost O\(N·P²\)\)/.test(w))).toBe(true);
    // se: false is an explicit choice and claims no variance either
    fit.summary({ se: false });
    expect(fit.varianceType).toBe('none');
    // computed on request: every SE is there and the fit now says which variance it holds
    const rows = fit.summary({ se: true });
    expect(rows.every((r) => typeof r['std.error'] === 'number' && Number.isFinite(r['std.error'] as number))).toBe(true);
    expect(fit.varianceType).toBe('empirical-information');
    expect(fit.glance()['variance.type']).toBe('empirical-information');
    // each row says what its SE is, whatever earlier calls computed
    expect(rows.every((r) => r['variance.type'] === 'empirical-information')).toBe(true);
    expect(fit.summary({ se: false }).every((r) => r['variance.type'] === 'none' && r['std.error'] === null)).toBe(true);
    expect(skipped.every((r) => r['variance.type'] === 'none')).toBe(true);
    // the variance is computed once per fit: a second request gives the same SEs
    expect(fit.summary({ se: true }).map((r) => r['std.error'])).toEqual(rows.map((r) => r['std.error']));
  });
});
