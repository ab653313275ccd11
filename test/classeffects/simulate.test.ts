// Class-outcome simulation (src/classeffects/simulate), checked against its known truth: within
// the true classes, a normal outcome has mean γ_k + β z and SD σ; a Cox outcome has the
// exponential hazard rate·exp(γ_k + β z) (censoring aside: the event share matches
// ∫ P(T ≤ C) for uniform C, computed in closed form).
import { describe, expect, it } from 'vitest';
import { simulateClassOutcome } from '../../src/classeffects/simulate';
import { SIM_SHARES, SIM_ITEM_PROBS } from '../helpers/classEffectsSim';

describe('simulateClassOutcome', () => {
  it('normal: y - gamma_class - beta z is N(0, sigma^2) in the true classes', () => {
    const g = [0, 1, -0.8]; const n = 20_000;
    const s = simulateClassOutcome(n, { shares: SIM_SHARES, itemProbs: SIM_ITEM_PROBS, classEffects: g, zEffect: 0.5, outcome: 'normal', sigma: 2, seed: 3 });
    // residual of y - gamma_k - 0.5 z must be N(0, 4): mean within 4 SE, variance within 5%
    let s1 = 0; let s2 = 0;
    for (let i = 0; i < n; i++) { const e = s.y[i] - g[s.classes[i]] - 0.5 * s.z[i]; s1 += e; s2 += e * e; }
    expect(Math.abs(s1 / n)).toBeLessThan(4 * 2 / Math.sqrt(n));
    expect(Math.abs(s2 / n / 4 - 1)).toBeLessThan(0.05);
    expect(Array.from(s.event).every((v) => v === 1)).toBe(true);
  });
  it('cox: the event share per class equals P(T <= C) for T ~ Exp(rate e^eta), C ~ U(0, cmax), averaged over z', () => {
    const g = [0, 0.7, -0.5]; const n = 60_000; const cmax = 2;
    const s = simulateClassOutcome(n, { shares: SIM_SHARES, itemProbs: SIM_ITEM_PROBS, classEffects: g, zEffect: 0, outcome: 'cox', censorMax: cmax, seed: 4 });
    for (let k = 0; k < 3; k++) {
      let m = 0; let ev = 0;
      for (let i = 0; i < n; i++) if (s.classes[i] === k) { m++; ev += s.event[i]; }
      const lam = Math.exp(g[k]);
      const p = 1 - (1 - Math.exp(-lam * cmax)) / (lam * cmax); // E_C[1 - e^{-lam C}]
      expect(Math.abs(ev / m - p)).toBeLessThan(4 * Math.sqrt(p * (1 - p) / m));
    }
    expect(s.y.every((t) => t > 0 && t <= cmax)).toBe(true);
  });
});
