// Count-model table front end: offset() is the only special glm/glmm read; others are errors naming model and term.
import { describe, it, expect } from 'vitest';
import * as aq from 'arquero';

describe('count models reject specials other than offset()', () => {
  it('glm and glmm name the model and the term', async () => {
    const { glm, glmm } = await import('../../../src/index');
    const t = aq.table({ y: [1, 0, 3, 2, 5, 4, 2, 1], x: [1, 2, 3, 4, 5, 6, 7, 8], g: ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'] });
    expect(() => glm(t, 'y ~ x + strata(g)')).toThrow(/glm: the formula term 'strata\(g\)' is not supported by glm/);
    expect(() => glm(t, 'y ~ x + frailty(g)')).toThrow(/glm: the formula term 'frailty\(g\)' is not supported by glm/);
    expect(() => glm(t, 'y ~ x + cluster(g)')).toThrow(/glm: .*cluster\(g\).*options\.cluster/);
    expect(() => glmm(t, 'y ~ x + frailty(g) + (1 | g)')).toThrow(/glmm: the formula term 'frailty\(g\)'/);
  });
});
