// Group-specific coefficients (src/regression/coefByGroup), as lme4's coef(fit)$g: the fixed
// effect plus the group's BLUP of the same term, in the fit's level order.
import { describe, expect, it } from 'vitest';
import { coefByGroup } from '../../src/regression/coefByGroup';

const fit = {
  names: ['(Intercept)', 'fsm'],
  coef: [100, -3],
  ranef: [
    { level: 'la (Intercept)', ids: ['LA1', 'LA2'], values: [1.5, -1.5] },
    { level: 'la fsm', ids: ['LA1', 'LA2'], values: [0.25, -0.75] },
  ],
} as unknown as Parameters<typeof coefByGroup>[0];

describe('coefByGroup (coef.merMod)', () => {
  it('adds the BLUP of the term to its fixed effect', () => {
    expect(coefByGroup(fit, 'fsm')).toEqual([
      { group: 'LA1', estimate: -2.75, fixed: -3, ranef: 0.25 },
      { group: 'LA2', estimate: -3.75, fixed: -3, ranef: -0.75 },
    ]);
    expect(coefByGroup(fit, '(Intercept)').map((r) => r.estimate)).toEqual([101.5, 98.5]);
  });
  it('names what is missing', () => {
    expect(() => coefByGroup(fit, 'eal')).toThrow("coefByGroup: no random effect for 'eal' (random terms: la (Intercept), la fsm)");
    expect(() => coefByGroup(fit, 'fsm', 'fsm1')).toThrow("coefByGroup: no fixed effect 'fsm1' (coefficients: (Intercept), fsm)");
  });
});
