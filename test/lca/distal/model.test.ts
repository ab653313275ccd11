// Working parametrisation of the distal outcome models (src/lca/distal/model): θ ↔ natural
// parameters are inverse maps, and the counts of parameters follow the model's definition.
import { describe, expect, it } from 'vitest';
import { naturalFromTheta, newNatural, nOutcomeParams, nThetaParams, setDerived, softmaxInto, thetaFromNatural, type Model } from '../../../src/lca/distal/model';

describe('distal model parametrisation', () => {
  it('normal model with class-specific variances: natural -> theta -> natural is the identity', () => {
    const mod: Model = { K: 3, kind: 'normal', C: 0, common: false };
    const nat = newNatural(mod);
    nat.pi.set([0.2, 0.5, 0.3]); nat.mu.set([-1, 0.4, 2]); nat.s2.set([0.5, 1.2, 3]);
    setDerived(nat, mod);
    const theta = new Float64Array(nThetaParams(mod));
    expect(theta.length).toBe(2 + 3 + 3);
    thetaFromNatural(nat, mod, theta);
    const back = newNatural(mod);
    naturalFromTheta(theta, mod, back);
    for (let k = 0; k < 3; k++) {
      expect(back.pi[k]).toBeCloseTo(nat.pi[k], 14);
      expect(back.mu[k]).toBeCloseTo(nat.mu[k], 14);
      expect(back.s2[k]).toBeCloseTo(nat.s2[k], 14);
      expect(back.logNorm[k]).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * nat.s2[k]), 14);
    }
    expect(nOutcomeParams(mod)).toBe(6);
    expect(nOutcomeParams({ ...mod, common: true })).toBe(4);
  });
  it('categorical model: level probabilities survive the round trip', () => {
    const mod: Model = { K: 2, kind: 'categorical', C: 3, common: false };
    const nat = newNatural(mod);
    nat.pi.set([0.6, 0.4]); nat.p.set([0.2, 0.3, 0.5, 0.7, 0.2, 0.1]);
    setDerived(nat, mod);
    const theta = new Float64Array(nThetaParams(mod));
    expect(theta.length).toBe(1 + 2 * 2);
    thetaFromNatural(nat, mod, theta);
    const back = newNatural(mod);
    naturalFromTheta(theta, mod, back);
    for (let j = 0; j < 6; j++) expect(back.p[j]).toBeCloseTo(nat.p[j], 14);
    expect(nOutcomeParams(mod)).toBe(6);
  });
  it('softmaxInto fixes the first level at logit 0 and does not overflow', () => {
    const out = new Float64Array(3);
    softmaxInto(Float64Array.from([800, 800 + Math.log(2)]), 0, 3, out, 0, 0);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(1 / 3, 12);
    expect(out[2]).toBeCloseTo(2 / 3, 12);
  });
});
