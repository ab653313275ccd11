// Table front end for lm/glm: R's model.frame drops unused factor levels; cluster() in an ols
// formula is honoured; specials a model does not have are errors naming model and term.
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { fitOls, logit, lmm, ols } from '../../src/index';

// R: d <- data.frame(y, x, g = factor(g, levels = c("a", "b", "c"))); coef(lm(y ~ x + g, d))
// with no row at level "a": R drops "a", so the reference is "b" and the only dummy is "gc".
const y = [1.2, 2.3, 2.9, 4.1, 5.2, 5.8, 7.1, 8.3];
const x = [1, 2, 3, 4, 5, 6, 7, 8];
const g = ['b', 'c', 'b', 'c', 'b', 'c', 'b', 'c'];
const cl = ['s1', 's1', 's2', 's2', 's3', 's3', 's4', 's4'];
const t = aq.table({ y, x, g, cl, yb: [0, 1, 0, 1, 1, 0, 1, 1] });

describe('lm/glm drop unused factor levels (model.frame)', () => {
  it('ols: a listed level with no rows is dropped and the reference passes to the next level', () => {
    const f = ols(t, { formula: 'y ~ x + g', levels: { g: ['a', 'b', 'c'] } });
    expect(f.names).toEqual(['(Intercept)', 'x', 'gc']);
    expect(f.warnings.some((w) => /factor 'g' has no rows at level a/.test(w))).toBe(true);
    // Same numbers as the dummy coded by hand against b.
    const ref = fitOls({ y, x: x.map((v, i) => [1, v, g[i] === 'c' ? 1 : 0]), names: ['(Intercept)', 'x', 'gc'] });
    f.coef.forEach((b, j) => expect(b).toBeCloseTo(ref.coef[j], 12));
  });
  it('logit drops them too', () => {
    const f = logit(t, { formula: 'yb ~ g', levels: { g: ['a', 'b', 'c'] } });
    expect(f.names).toEqual(['(Intercept)', 'gc']);
  });
});

describe('one formula front end for ols', () => {
  it('cluster(cl) in the formula gives the cluster-robust variance, as vcov: cluster', () => {
    const a = ols(t, 'y ~ x + cluster(cl)');
    const b = ols(t, 'y ~ x', { vcov: 'cluster', cluster: 'cl' });
    expect(a.vcovType).toBe(b.vcovType);
    a.se.forEach((s, j) => expect(s).toBeCloseTo(b.se[j], 12));
  });
  it('strata() and (1 | g) are errors naming the model and the term', () => {
    expect(() => ols(t, 'y ~ x + strata(g)')).toThrow(/ols: the formula term 'strata\(g\)' is not supported by ols/);
    expect(() => ols(t, 'y ~ x + (1 | g)')).toThrow(/ols: the formula term .*1 \| g.* is not supported by ols/);
  });
  it('lmm rejects cluster()', () => {
    expect(() => lmm(t, 'y ~ x + cluster(cl) + (1 | g)')).toThrow(/lmm: the formula term 'cluster\(cl\)'/);
  });
});

describe('factors are given the same two ways to every model', () => {
  it('ols takes { col: ref } as cox does, and cox takes a list plus reference as ols does', () => {
    const a = ols(t, 'y ~ x + g', { factors: { g: 'c' } });
    const b = ols(t, 'y ~ x + g', { factors: ['g'], reference: { g: 'c' } });
    expect(a.names).toEqual(['(Intercept)', 'x', 'gb']);
    expect(a.coef).toEqual(b.coef);
  });
  it('a wrong type is a clear error, not "is not iterable"', () => {
    expect(() => ols(t, 'y ~ x + g', { factors: 'g' as never })).toThrow(/factors must be a list of column names .* or a map column → reference level/);
    expect(() => ols(t, 'y ~ x + g', { factors: { g: 3 } as never })).toThrow(/factors\.g must be a reference level/);
  });
});
