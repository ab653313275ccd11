/**
 * Three-step class effects in a Cox model, by simulation: indicators from a 3-class model with
 * moderate separation (relative entropy ≈ 0.75), exponential survival with log hazard
 * γ_class + 0.5 z, uniform censoring; step 1 a fitted LCA per replicate. Modal assignment is
 * attenuated; BCH weights on the class-expanded data, with the cluster (per unit) sandwich,
 * recover γ with near-nominal coverage.
 */
import { describe, expect, it } from 'vitest';
import { fitCox } from '../../src/survival/index';
import { fitCoxClassEffects, simulateClassOutcome } from '../../src/classeffects/index';
import { SIM_SHARES, SIM_ITEM_PROBS, step1, expectBchRecoversModalAttenuates } from '../helpers/classEffectsSim';

const gamma = [0, 0.7, -0.5];
const shares = SIM_SHARES;
const itemProbs = SIM_ITEM_PROBS;

describe('fitCoxClassEffects', () => {
  const s = simulateClassOutcome(900, { shares, itemProbs, classEffects: gamma, zEffect: 0.5, outcome: 'cox', seed: 11 });
  const fit = step1(s);
  const strata = Array.from({ length: 900 }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
  const child = Array.from({ length: 900 }, (_, i) => Math.floor(i / 3));

  it('modal equals fitCox on modal dummies with the same strata, cluster and ties', () => {
    const a = fitCoxClassEffects({ time: s.y, event: s.event, x: Array.from(s.z, (v) => [v]), names: ['z'], posterior: fit.posterior, method: 'modal', strata, cluster: child });
    const x = Array.from({ length: 900 }, (_, i) => [fit.modal[i] === 1 ? 1 : 0, fit.modal[i] === 2 ? 1 : 0, s.z[i]]);
    const b = fitCox({ time: s.y, event: s.event, x, names: ['class2', 'class3', 'z'], strata, cluster: child, ties: 'breslow' });
    a.coef.forEach((v, j) => expect(v).toBeCloseTo(b.coef[j], 10));
    a.se.forEach((v, j) => expect(v).toBeCloseTo(b.se[j], 10));
    expect(a.varianceType).toBe('robust-cluster');
    expect(a.n).toBe(900);
  });

  it('BCH without expansion equals the fit of the expanded rows (strata, child cluster; Breslow and Efron)', () => {
    for (const ties of ['breslow', 'efron'] as const) {
      const common = { time: s.y, event: s.event, x: Array.from(s.z, (v) => [v]), names: ['z'], posterior: fit.posterior, method: 'bch' as const, strata, cluster: child, ties };
      const a = fitCoxClassEffects(common);
      const b = fitCoxClassEffects({ ...common, expand: true });
      expect(a.names).toEqual(b.names);
      a.coef.forEach((v, j) => expect(Math.abs(v - b.coef[j])).toBeLessThan(1e-10 * Math.max(1, Math.abs(b.coef[j]))));
      a.se.forEach((v, j) => expect(Math.abs(v - b.se[j])).toBeLessThan(1e-10 * b.se[j]));
      expect(a.strataLevels).toEqual(b.strataLevels);
      expect(a.nCluster).toBe(b.nCluster);
      expect(a.nExpanded).toBe(b.nExpanded);
      expect(a.warnings).toEqual(b.warnings);
    }
  });

  it('reports progress of the Newton iterations (modal and BCH copies), ending at done = total', () => {
    for (const method of ['modal', 'bch'] as const) {
      const events: { done: number; total: number }[] = [];
      const f = fitCoxClassEffects({ time: s.y, event: s.event, x: Array.from(s.z, (v) => [v]), names: ['z'], posterior: fit.posterior, method, strata, cluster: child, onProgress: (e) => events.push(e) });
      expect(events.length, method).toBeGreaterThanOrEqual(f.iterations);
      expect(events[events.length - 1].done).toBe(events[events.length - 1].total);
    }
  });

  it('BCH counts units and events, not copies, and clusters copies within the unit', () => {
    const a = fitCoxClassEffects({ time: s.y, event: s.event, x: Array.from(s.z, (v) => [v]), names: ['z'], posterior: fit.posterior, method: 'bch', strata });
    let ev = 0;
    for (let i = 0; i < 900; i++) ev += s.event[i];
    expect(a.n).toBe(900);
    expect(a.nEvent).toBe(ev);
    expect(a.nExpanded).toBe(2700);
    expect(a.nCluster).toBe(900);
    expect(a.glance().logLik).toBeNull();
  });

  it('simulation: BCH is unbiased with near-nominal 95% coverage; modal is attenuated', () => {
    expectBchRecoversModalAttenuates({
      reps: 80, n: 1500, seed0: 900, gamma, outcome: 'cox', censorMax: 2, modalCoverMax: 0.8,
      fit: (sim, posterior, method) => fitCoxClassEffects({ time: sim.y, event: sim.event, x: Array.from(sim.z, (v) => [v]), names: ['z'], posterior, method }).tidy(),
    });
  }, 60_000);
});

describe('fitCoxClassEffects strata names', () => {
  it('reports the strata by name although they are passed to fitCox as codes', () => {
    const s = simulateClassOutcome(300, { shares, itemProbs, classEffects: gamma, zEffect: 0.5, outcome: 'cox', seed: 4 });
    const fit = step1(s);
    const strata = Array.from({ length: 300 }, (_, i) => (i % 2 ? 'LA2' : 'LA1'));
    const a = fitCoxClassEffects({ time: s.y, event: s.event, posterior: fit.posterior, method: 'bch', strata });
    expect(a.strataLevels).toEqual(['LA1', 'LA2']);
  });
});
