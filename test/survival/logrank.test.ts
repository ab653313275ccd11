// The G-rho tests of src/survival/logrank against R's survdiff on survival::aml. R 4.2, survival 3.5:
//   survdiff(Surv(time, status) ~ x, data = aml)            # chisq 3.3963886989776
//   survdiff(Surv(time, status) ~ x, data = aml, rho = 1)   # chisq 2.77927954475177
//   st <- rep(c("a", "b"), length.out = 23)
//   survdiff(Surv(time, status) ~ x + strata(st), data = aml)   # chisq 2.72075937326547
import { describe, expect, it } from 'vitest';
import { logRank } from '../../src/survival/logrank';
import { AML } from './fixtures/small';


describe('logRank (survdiff)', () => {
  it('log-rank: chisq, observed, expected and variance as survdiff', () => {
    const r = logRank({ time: AML.time, event: AML.status, group: AML.x });
    expect(r.groups).toEqual(['Maintained', 'Nonmaintained']);
    expect(r.chisq).toBeCloseTo(3.3963886989776, 11);
    expect(r.df).toBe(1);
    expect(r.observed).toEqual([7, 11]);
    expect(r.expected[0]).toBeCloseTo(10.68933599230072, 11);
    expect(r.expected[1]).toBeCloseTo(7.31066400769928, 11);
    expect(r.variance[0][0]).toBeCloseTo(4.00755074593873, 11);
    expect(r.variance[0][1]).toBeCloseTo(-4.00755074593873, 11);
    expect(r.p).toBeCloseTo(0.0653393220405, 9); // pchisq(3.3963886989776, 1, lower.tail = FALSE)
  });
  it('Peto-Peto (rho = 1) as survdiff(rho = 1)', () => {
    const r = logRank({ time: AML.time, event: AML.status, group: AML.x, rho: 1 });
    expect(r.chisq).toBeCloseTo(2.77927954475177, 11);
    expect(r.expected[0]).toBeCloseTo(6.14285714285714, 11);
    expect(r.expected[1]).toBeCloseTo(4.88405797101449, 11);
  });
  it('stratified log-rank sums over strata, as survdiff with strata()', () => {
    const st = AML.time.map((_, i) => (i % 2 === 0 ? 'a' : 'b'));
    const r = logRank({ time: AML.time, event: AML.status, group: AML.x, strata: st });
    expect(r.chisq).toBeCloseTo(2.72075937326547, 11);
    expect(r.expected[0]).toBeCloseTo(4.48354978354978 + 5.87319624819625, 11);
  });
  it('a group never at risk at an event time is left out of the test, as survdiff does', () => {
    // d <- data.frame(time = c(aml$time, 1, 2), status = c(aml$status, 0, 0), g = c(as.character(aml$x), "Zlate", "Zlate"))
    // survdiff(Surv(time, status) ~ g, data = d)   # chisq 3.3963886989776 on 1 df, exp 0 for Zlate
    const r = logRank({ time: [...AML.time, 1, 2], event: [...AML.status, 0, 0], group: [...AML.x, 'Zlate', 'Zlate'] });
    expect(r.expected[2]).toBe(0);
    expect(r.df).toBe(1);
    expect(r.chisq).toBeCloseTo(3.3963886989776, 11);
    expect(r.p).toBeCloseTo(0.0653393220405052, 9);
    expect(r.warnings).toEqual(['logRank: group Zlate has no expected events (never at risk at an event time) and is left out of the test, as survdiff does']);
  });
  it('fewer than two groups with expected events: no test (NaN with a warning; survdiff prints chisq 0 on 0 df)', () => {
    const r = logRank({ time: [5, 6, 7, 1, 2], event: [1, 1, 0, 0, 0], group: ['a', 'a', 'a', 'b', 'b'] });
    expect(r.df).toBe(0);
    expect(r.chisq).toBeNaN();
    expect(r.p).toBeNaN();
    expect(r.warnings).toEqual(['logRank: fewer than 2 groups have expected events (a); there is nothing to compare, so chisq and p are NaN']);
  });
});
