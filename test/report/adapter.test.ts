// modelResult, the one reader of fits for publication tables: terms, N, events, residual df,
// coefficients estimated, rows dropped by reason and factor levels, from real fits on data whose
// answers are known (an exact line; a hand-counted Cox data set), and clear errors for non-fits.
import { describe, it, expect } from 'vitest';
import * as aq from 'arquero';
import { modelResult } from '../../src/report/adapter';
import { ols } from '../../src/regression/index';
import { cox } from '../../src/survival/index';

describe('modelResult of a table-level ols fit', () => {
  // y = 1 + 2x + 3·[g = b] exactly, 30 rows; 4 rows miss x and 2 miss g
  const x: Array<number | null> = Array.from({ length: 30 }, (_, i) => (i < 4 ? null : i % 7));
  const g: Array<string | null> = Array.from({ length: 30 }, (_, i) => (i >= 4 && i < 6 ? null : i % 2 ? 'b' : 'a'));
  const y = x.map((v, i) => 1 + 2 * (v ?? 0) + (g[i] === 'b' ? 3 : 0) + (i % 3 === 0 ? 0.01 : -0.005));
  const r = modelResult(ols(aq.table({ x, g, y }) as never, { formula: 'y ~ x + g', reference: { g: 'a' } }));
  it('reads terms in order with their estimates', () => {
    expect(r.terms.map((t) => t.term)).toEqual(['(Intercept)', 'x', 'gb']);
    expect(r.terms[1].estimate).toBeCloseTo(2, 2);
    expect(r.terms[2].estimate).toBeCloseTo(3, 2);
    for (const t of r.terms) {
      expect(t.confLow!).toBeLessThan(t.estimate!);
      expect(t.confHigh!).toBeGreaterThan(t.estimate!);
      expect(t.stdError!).toBeGreaterThan(0);
    }
  });
  it('N is the rows used (30 − 6), df.residual is N − 3 coefficients, no events', () => {
    expect([r.n, r.nCoef, r.dfResidual, r.events]).toEqual([24, 3, 21, null]);
  });
  it('rows dropped by reason, and the factor with its reference level first', () => {
    expect(r.dropped).toEqual({ 'missing x': 4, 'missing g': 2 });
    expect(r.factors).toEqual({ g: { levels: ['a', 'b'], reference: 'a' } });
    expect(r.kind).toBe('ols');
  });
});

describe('modelResult of a cox() table fit', () => {
  it('reads N, events and terms; Cox has no residual df', () => {
    const t = aq.table({ time: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], event: [1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0], x: [0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1] });
    const r = modelResult(cox(t as never, 'Surv(time, event) ~ x'));
    expect([r.n, r.events, r.dfResidual, r.nCoef]).toEqual([12, 8, null, 1]);
    expect(r.terms.map((x) => x.term)).toEqual(['x']);
  });
});

describe('modelResult of other fits', () => {
  it('a bare tidy-able fit: NaN and missing values become null; aliased terms do not count as coefficients', () => {
    const fit = { kind: 'custom', n: 50, tidy: () => [{ term: 'a', estimate: 1, 'std.error': 0.5, 'p.value': 0.04, 'conf.low': 0, 'conf.high': 2 }, { term: 'b', estimate: NaN }] };
    const r = modelResult(fit);
    expect(r.terms[1]).toEqual({ term: 'b', estimate: null, stdError: null, confLow: null, confHigh: null, pValue: null });
    expect([r.kind, r.n, r.nCoef, r.dropped, r.factors]).toEqual(['custom', 50, 1, {}, {}]);
  });
  it('summary() is read when there is no tidy()', () => {
    expect(modelResult({ summary: () => [{ term: 'z', estimate: 2 }] }).terms[0].estimate).toBe(2);
  });
  it('N from nInput minus dropped rows when the fit states no n', () => {
    const r = modelResult({ nInput: 100, dropped: { total: 7, missing: { age: 7 } }, summary: () => [] });
    expect(r.n).toBe(93);
    expect(r.dropped).toEqual({ 'missing age': 7 });
  });
  it('refuses what is not a fit', () => {
    expect(() => modelResult(null)).toThrow('modelResult: expected a fitted model');
    expect(() => modelResult({ coef: [1] })).toThrow(/tidy\(\) or summary\(\)/);
  });
});
