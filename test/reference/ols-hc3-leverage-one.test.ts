// ../shared/bugs/ols-hc3-leverage-one: dummy d = 1 for observation 8 only, so h₈ = 1.
// R (sandwich 3.0-2): f <- lm(y ~ x + d, data = read.csv("data.csv"))
//   sqrt(diag(vcovHC(f, type = "HC0")))  0.12477385 0.03369279 0.17859184
//   sqrt(diag(vcovHC(f, type = "HC1")))  0.15782782 0.04261838 0.22590279
//   sqrt(diag(vcovHC(f, type = "HC2")))  NaN NaN NaN  (warning naming observation 8)
//   sqrt(diag(vcovHC(f, type = "HC3")))  NaN NaN NaN
import { describe, expect, it } from 'vitest';
import { fitOls } from '../../src/index';
import { readBugColumns } from './bugs';

const d = readBugColumns('ols-hc3-leverage-one');
const x = (d.x as number[]).map((v, i) => [1, v, d.d[i] as number]);
const base = { y: d.y as number[], x, names: ['(Intercept)', 'x', 'd'] };
// R printed 8 significant digits.
const close8 = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(5e-9 + 1e-7 * Math.abs(b));

describe('lm HC0–HC3 with a hat value of 1', () => {
  it('HC0 and HC1 as sandwich::vcovHC', () => {
    fitOls({ ...base, vcov: 'HC0' }).se.forEach((s, j) => close8(s, [0.12477385, 0.03369279, 0.17859184][j]));
    fitOls({ ...base, vcov: 'HC1' }).se.forEach((s, j) => close8(s, [0.15782782, 0.04261838, 0.22590279][j]));
  });
  for (const type of ['HC2', 'HC3'] as const) {
    it(`${type} is NaN with a warning naming observation 8`, () => {
      const f = fitOls({ ...base, vcov: type });
      f.se.forEach((s) => expect(s).toBeNaN());
      f.p.forEach((p) => expect(p).toBeNaN());
      expect(f.warnings.some((w) => /hat values? .*1.*observation 8\b/.test(w))).toBe(true);
    });
  }
  it('one cluster gives NaN cluster SEs with a warning, never a tiny finite SE', () => {
    const f = fitOls({ ...base, vcov: 'cluster', cluster: d.y.map(() => 'only') });
    f.se.forEach((s) => expect(s).toBeNaN());
    expect(f.warnings.some((w) => /at least 2 clusters \(got 1\)/.test(w))).toBe(true);
  });
});
