// stages (src/regression/stages): nested specifications side by side, against R 4.2:
//   m0 <- lm(mpg ~ wt, mtcars); m1 <- lm(mpg ~ wt + hp, mtcars); anova(m0, m1)
//     F = 12.3813335070451, Pr(>F) = 0.00145122853156942; coef wt: -5.34447157272268, -3.87783074240468
//   g0 <- glm(am ~ wt, binomial, mtcars); g1 <- glm(am ~ wt + hp, binomial, mtcars); anova(g0, g1, test = "Chisq")
//     Deviance = 9.11697433517809, Pr(>Chi) = 0.00253248481199101
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { ols } from '../../src/regression/table';
import { stages } from '../../src/regression/stages';
import { AM, HP, MPG, WT } from './mtcars';

const table = aq.table({ mpg: MPG, wt: WT, hp: HP, am: AM });
const specs = [{ formula: 'mpg ~ wt', label: 'wt' }, { formula: 'mpg ~ wt + hp', label: '+ hp' }];

describe('stages', () => {
  it('OLS: the nested F test is anova(m0, m1) and the key change is the difference of the wt coefficients', () => {
    const st = stages(specs, table, { key: 'wt' });
    expect(st.labels).toEqual(['wt', '+ hp']);
    expect(st.tests[0].test).toBe('F');
    expect(st.tests[0].statistic as number).toBeCloseTo(12.3813335070451, 10);
    expect(st.tests[0]['p.value'] as number).toBeCloseTo(0.00145122853156942, 12);
    const wt = st.keyChanges.filter((r) => r.term === 'wt');
    expect(wt.map((r) => r.estimate as number)).toEqual([expect.closeTo(-5.34447157272268, 10), expect.closeTo(-3.87783074240468, 10)]);
    expect(wt[0]['change.prev']).toBeNull();
    expect(wt[1]['change.prev'] as number).toBeCloseTo(-3.87783074240468 + 5.34447157272268, 10);
    expect(wt[1]['pct.change.prev'] as number).toBeCloseTo((100 * (-3.87783074240468 + 5.34447157272268)) / 5.34447157272268, 8);
  });

  it('logit: the nested test is the LR test of anova(g0, g1, test = "Chisq")', () => {
    const st = stages([{ formula: 'am ~ wt' }, { formula: 'am ~ wt + hp' }], table, { model: 'logit' });
    expect(st.labels).toEqual(['Model 1', 'Model 2']);
    expect(st.tests[0].test).toBe('LR');
    expect(st.tests[0].statistic as number).toBeCloseTo(9.11697433517809, 8);
    expect(st.tests[0].df).toBe(1);
    expect(st.tests[0]['p.value'] as number).toBeCloseTo(0.00253248481199101, 10);
  });

  it('commonSample (default) fits every stage on the rows complete for all stages; off, N differs and no test is made', () => {
    const hp = HP.map((v, i) => (i === 3 ? null : v));
    const t = aq.table({ mpg: MPG, wt: WT, hp });
    const st = stages(specs, t);
    expect(st.fits.map((f) => f.n)).toEqual([31, 31]);
    const complete = aq.table({ mpg: MPG.filter((_, i) => i !== 3), wt: WT.filter((_, i) => i !== 3) });
    expect(st.fits[0].coef).toEqual(ols(complete, 'mpg ~ wt').coef);
    const apart = stages(specs, t, { commonSample: false });
    expect(apart.fits.map((f) => f.n)).toEqual([32, 31]);
    expect(apart.tests[0]).toMatchObject({ test: 'n differs', statistic: null, 'p.value': null });
  });

  it('display cells: estimate (se) or estimate [lo, hi] at the given digits, and the N and R² rows', () => {
    const se = stages(specs, table, { digits: 2 });
    const f1 = se.fits[1]; const j = f1.names.indexOf('hp');
    const row = se.wide.find((r) => r.term === 'hp')!;
    expect(row.wt).toBe('');
    // the one number style: U+2212 for the negative hp coefficient (−0.03)
    const m = (v: number, d: number) => v.toFixed(d).replace('-', '\u2212');
    expect(f1.coef[j]).toBeLessThan(0);
    expect(row['+ hp']).toBe(`${m(f1.coef[j], 2)}** (${m(f1.se[j], 2)})`);
    const ci = stages(specs, table, { digits: 3, show: 'ci' });
    expect(ci.wide.find((r) => r.term === 'hp')!['+ hp']).toBe(`${m(f1.coef[j], 3)}** [${m(f1.ciLow[j], 3)}, ${m(f1.ciHigh[j], 3)}]`);
    expect(se.wide.find((r) => r.term === 'N')).toEqual({ term: 'N', wt: '32', '+ hp': '32' });
    expect(se.wide.some((r) => r.term === 'R²')).toBe(true);
  });

  it('N, AIC and log-likelihood rows use thousands separators and the typographic minus (1,280, not 1280)', () => {
    // mtcars 40 times over: 1,280 rows
    const rep = <T,>(a: readonly T[]) => Array.from({ length: 40 }, () => a).flat();
    const big = aq.table({ mpg: rep(MPG), wt: rep(WT), hp: rep(HP) });
    const st = stages(specs, big, { digits: 1 });
    expect(st.wide.find((r) => r.term === 'N')).toEqual({ term: 'N', wt: '1,280', '+ hp': '1,280' });
    const aic = st.fits[0].aic;
    expect(aic).toBeGreaterThan(1000);
    expect(st.wide.find((r) => r.term === 'AIC')!.wt).toBe(aic.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
    expect(st.wide.find((r) => r.term === 'Log-likelihood')!.wt).toMatch(/^\u2212\d,\d{3}\.\d$/);
  });

  it('errors name the cause: no specifications, labels that do not match', () => {
    expect(() => stages([], table)).toThrow('stages: no specifications');
    expect(() => stages(specs, table, { labels: ['one'] })).toThrow('stages: 1 labels for 2 specifications');
  });
});
