// One-row model summaries (src/regression/glance) against R's summary.lm / glm. R 4.2:
//   m <- lm(mpg ~ wt + hp, mtcars); s <- summary(m)
//   s$r.squared 0.826785451882791; s$adj.r.squared 0.814839620978156; s$sigma 2.59341177722657
//   s$fstatistic 69.2112133917776 on 2 and 29 df, p 9.10905438522209e-12
//   logLik -74.3261694128207; AIC 156.652338825641; BIC 162.51528243684
//   g <- glm(am ~ wt, binomial, mtcars): deviance 19.17608480744508, null 43.22973327685781,
//   logLik -9.58804240372254, AIC 23.17608480744508, BIC 26.10755661304454
import { describe, expect, it } from 'vitest';
import { fitOls } from '../../src/regression/ols';
import { fitLogit } from '../../src/regression/logit';
import { fitGlance } from '../../src/regression/glance';
import { MPG, WT, HP, AM } from './mtcars';

describe('fitGlance', () => {
  it('OLS: R-squared, sigma, F test and information criteria as summary.lm', () => {
    const g = fitGlance(fitOls({ y: MPG, x: WT.map((w, i) => [1, w, HP[i]]), names: ['(Intercept)', 'wt', 'hp'] }));
    expect(g.model).toBe('ols');
    expect(g.nobs).toBe(32);
    expect(g['r.squared'] as number).toBeCloseTo(0.826785451882791, 12);
    expect(g['adj.r.squared'] as number).toBeCloseTo(0.814839620978156, 12);
    expect(g.sigma as number).toBeCloseTo(2.59341177722657, 12);
    expect(g.statistic as number).toBeCloseTo(69.2112133917776, 10);
    expect(g.df).toBe(2);
    expect(g['df.residual']).toBe(29);
    expect(g['p.value'] as number).toBeCloseTo(9.10905438522209e-12, 20);
    expect(g.logLik as number).toBeCloseTo(-74.3261694128207, 10);
    expect(g.AIC as number).toBeCloseTo(156.652338825641, 10);
    expect(g.BIC as number).toBeCloseTo(162.51528243684, 10);
    expect(g.warnings).toBeNull();
  });
  it('logit: deviances and information criteria as glm', () => {
    const g = fitGlance(fitLogit({ y: AM, x: WT.map((w) => [1, w]), names: ['(Intercept)', 'wt'] }));
    expect(g.deviance as number).toBeCloseTo(19.17608480744508, 8);
    expect(g['null.deviance'] as number).toBeCloseTo(43.22973327685781, 10);
    expect(g.logLik as number).toBeCloseTo(-9.58804240372254, 8);
    expect(g.AIC as number).toBeCloseTo(23.17608480744508, 8);
    expect(g.BIC as number).toBeCloseTo(26.10755661304454, 8);
    expect(g['df.residual']).toBe(30);
    expect(g['df.null']).toBe(31);
  });
});
