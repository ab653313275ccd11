// Coefficient tables and input checks shared by the regression fits (src/regression/fitBase),
// against R's summary.lm. R 4.2: m <- lm(mpg ~ wt + hp, mtcars); coef(summary(m)); confint(m)
//   wt: estimate -3.877830742404682, SE 0.63273349437739534, t -6.12869521981041, p 1.11964713620004e-06,
//       CI -5.1719160406755371 -2.5837454441338270
// The table is built here from R's estimate and variance (vcov(m)[2,2] = SE^2), t on 29 df.
import { describe, expect, it } from 'vitest';
import { checkDesign, checkVector, coefTable, defaultNames, fullRankDesign, interceptIndex, keepColumns, tidyRows } from '../../src/regression/fitBase';

describe('coefTable and tidyRows', () => {
  const se = 0.63273349437739534;
  const t = coefTable(['wt', 'z'], Float64Array.of(-3.877830742404682, 0.5), Float64Array.of(se * se, 0, 0, 0.25), 'classical', 't', 29, 0.95);
  it('t statistic, p-value and CI as summary.lm / confint', () => {
    expect(t.se[0]).toBeCloseTo(se, 15);
    expect(t.statistic[0]).toBeCloseTo(-6.12869521981041, 12);
    expect(t.p[0]).toBeCloseTo(1.11964713620004e-06, 17);
    expect(t.ciLow[0]).toBeCloseTo(-5.1719160406755371, 12);
    expect(t.ciHigh[0]).toBeCloseTo(-2.5837454441338270, 12);
  });
  it('z tables use the normal distribution', () => {
    const z = coefTable(['b'], Float64Array.of(1.96), Float64Array.of(1), 'HC0', 'z', Infinity, 0.95);
    expect(z.p[0]).toBeCloseTo(0.0499957902964, 11); // 2 * pnorm(-1.96)
  });
  it('tidyRows keeps aliased terms as NA rows in the given order', () => {
    const rows = tidyRows(t, ['x3'], ['z', 'x3', 'wt']);
    expect(rows.map((r) => r.term)).toEqual(['z', 'x3', 'wt']);
    expect(rows[1].estimate).toBeNull();
    expect(rows[2].estimate).toBe(-3.877830742404682);
  });
});

describe('input checks', () => {
  it('name the row (1-based) and the field', () => {
    expect(() => checkVector([1, NaN], 2, 'y')).toThrow('y: row 2 is not a finite number (NaN)');
    expect(() => checkVector([1, 0], 2, 'weights', { positive: true })).toThrow('weights: row 2 is 0; weights must be > 0');
    expect(() => checkVector([0, 2], 2, 'y', { binary: true })).toThrow(/a logit outcome must be 0 or 1/);
    expect(() => checkVector([1], 2, 'y')).toThrow('y: has length 1, expected 2 (rows of x)');
    expect(() => checkDesign([[1, 2], [3, Infinity]], 2)).toThrow('x: row 2, column 2 is not finite (Infinity)');
    expect(() => defaultNames(2, ['a'])).toThrow('names: has 1 entries, x has 2 columns');
  });
  it('defaultNames and interceptIndex', () => {
    expect(defaultNames(3)).toEqual(['x1', 'x2', 'x3']);
    expect(interceptIndex(Float64Array.from([5, 1, 6, 1]), 2, 2, ['a', 'b'])).toBe(1);
    expect(interceptIndex(Float64Array.from([5, 1, 6, 2]), 2, 2, ['a', 'b'])).toBe(-1);
    expect(interceptIndex(Float64Array.from([5, 1, 6, 2]), 2, 2, ['a', '(Intercept)'])).toBe(1);
  });
});

describe('fullRankDesign (R\'s aliased coefficients)', () => {
  // R: coef(lm(y ~ a + b + d)) with d = a + b gives NA for d and warns nothing; summary() says
  // "Coefficients: (1 not defined because of singularities)".
  const a = [1, 2, 3, 4, 5]; const b = [2, 1, 0, 1, 3];
  const X = checkDesign(a.map((v, i) => [1, v, b[i], v + b[i]]), 5);
  it('drops a column that is a sum of earlier ones, keeps the others in order and names the dropped one', () => {
    const w: string[] = [];
    const d = fullRankDesign(X, ['(Intercept)', 'a', 'b', 'd'], w);
    expect(d.p).toBe(3);
    expect(d.names).toEqual(['(Intercept)', 'a', 'b']);
    expect(d.aliased).toEqual(['d']);
    expect(Array.from(d.x)).toEqual(a.flatMap((v, i) => [1, v, b[i]]));
    expect(w).toEqual(['1 coefficient(s) not defined because of singularities: d']);
  });
  it('a full-rank design is passed through: same array, no warning', () => {
    const Y = checkDesign(a.map((v, i) => [1, v, b[i]]), 5);
    const w: string[] = [];
    const d = keepColumns(Y, ['c', 'a', 'b'], [0, 1, 2], w);
    expect(d.x).toBe(Y.data);
    expect(w).toEqual([]);
  });
  it('defaultNames names the fitter when given', () => {
    expect(() => defaultNames(2, ['a'], 'fitGlm')).toThrow('fitGlm: names: has 1 entries, x has 2 columns');
  });
});

describe('coefTable guards degenerate variances (core/guard)', () => {
  it('a zero or infinite variance gives NaN SE, t, p and CI and a warning naming the terms; a NaN one stays silent (its guard spoke)', () => {
    const w: string[] = [];
    const t = coefTable(['a', 'b', 'c', 'd'], Float64Array.of(1, 2, 3, 4), Float64Array.from([
      0.04, 0, 0, 0,
      0, 0, 0, 0,
      0, 0, Infinity, 0,
      0, 0, 0, NaN,
    ]), 'classical', 't', 10, 0.95, w, 'fitOls');
    expect(t.se[0]).toBeCloseTo(0.2, 15);
    for (const j of [1, 2, 3]) {
      expect([t.se[j], t.statistic[j], t.p[j], t.ciLow[j], t.ciHigh[j]].every(Number.isNaN)).toBe(true);
    }
    expect(w).toEqual(['fitOls: variance is zero, negative or not finite for b, c; standard errors and tests are NaN']);
  });
});
