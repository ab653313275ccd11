// ../shared/bugs/lca-negative-df: three binary items (7 free cells).
// R: poLCA(cbind(pcr, rdt, micro) ~ 1, d, nclass = 3)    → resid.df = 8 − 11 − 1 = −4,
//    poLCA(cbind(pcr, rdt, micro) ~ cov, d, nclass = 2)  → resid.df = −1; poLCA prints
//    "ALERT: negative degrees of freedom; respecify model" for both. The 3-class maximum equals the
//    saturated 2-class one, log-likelihood −468.78949518.
import { describe, expect, it } from 'vitest';
import { fitLca, lcaVcov } from '../../src/index';
import { readBugColumns } from './bugs';

const d = readBugColumns('lca-negative-df');
const rows = (d.pcr as number[]).map((v, i) => [v, d.rdt[i] as number, d.micro[i] as number]);

describe('LCA with negative residual df', () => {
  it('3 classes: warns that the model is not identified; SEs are NaN with the reason, not a raw LU error', () => {
    const f = fitLca(rows, { classes: 3, starts: 10, seed: 1 });
    expect(f.residDf).toBe(-4);
    expect(f.nParams).toBe(11);
    expect(Math.abs(f.logLik - -468.78949518)).toBeLessThanOrEqual(1e-6 * 468.78949518);
    expect(f.warnings.some((w) => /negative residual degrees of freedom \(-4\).*not identified/.test(w))).toBe(true);
    const v = lcaVcov(f);
    expect(v.warnings.some((w) => /negative residual degrees of freedom/.test(w))).toBe(true);
    v.sharesSe.forEach((s) => { if (s !== null) expect(s).toBeNaN(); });
    const est = f.summary().filter((r) => r.term === 'share');
    est.forEach((r) => expect(r['std.error'] === null || Number.isNaN(r['std.error'])).toBe(true));
  });
  it('2 classes with a covariate: resid df −1, warned', () => {
    const f = fitLca(rows, { classes: 2, starts: 5, seed: 1, covariates: (d.cov as number[]).map((c) => [c]) });
    expect(f.residDf).toBe(-1);
    expect(f.warnings.some((w) => /negative residual degrees of freedom \(-1\)/.test(w))).toBe(true);
    const v = lcaVcov(f);
    v.betaSe!.flat().forEach((s) => expect(s).toBeNaN());
  });
  it('an identified 2-class model without covariates has residual df 0 and no such warning', () => {
    const f = fitLca(rows, { classes: 2, starts: 5, seed: 1 });
    expect(f.residDf).toBe(0);
    expect(f.warnings.some((w) => /negative residual/.test(w))).toBe(false);
  });
});
