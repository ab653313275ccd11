import { describe, expect, it } from 'vitest';
import { fitLca, simulateLca } from '../../src/lca/index';
import { classEffectShift, classEffectTruthCheck } from '../../src/classeffects/index';

const present = [[0.9, 0.9, 0.1, 0.1, 0.1, 0.1], [0.1, 0.1, 0.9, 0.9, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1, 0.9, 0.9]];
const shares = [0.2, 0.3, 0.5];
const sim = simulateLca(3000, shares, present.map((c) => c.map((p) => [1 - p, p])), 8);
// sorted by share: fitted class 1 ↔ true class 3, 2 ↔ 2, 3 ↔ 1
const fit = fitLca({ codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems }, { classes: 3, starts: 4, seed: 2, workers: false });

describe('classEffectTruthCheck', () => {
  const truth = { classes: { itemProbabilities: present }, outcome: { effect: { '1': 0.4, '2': 0.1, '3': -0.2 } } };
  const row = (term: string, est: number, se: number) => ({ term, estimate: est, 'conf.low': est - 2 * se, 'conf.high': est + 2 * se });
  it('matches classes by profile and differences the true effects against the reference class', () => {
    // fitted classes 2 and 3 are true 2 and 1: truths 0.1 − (−0.2) = 0.3 and 0.4 − (−0.2) = 0.6
    const modal = [row('classB', 0.2, 0.02), row('classC', 0.5, 0.02)];
    const corrected = [row('classB', 0.29, 0.02), row('classC', 0.61, 0.02)];
    const r = classEffectTruthCheck(fit, { truth, effects: ['outcome', 'effect'], classLabels: ['A', 'B', 'C'], modal, corrected });
    expect(r.rows.map((x) => x.truth)).toEqual([0.30000000000000004, 0.6000000000000001].map((v) => expect.closeTo(v, 12)) as unknown as number[]);
    expect(r.rows.map((x) => x['modal covers'])).toEqual(['no', 'no']);
    expect(r.rows.map((x) => x['corrected covers'])).toEqual(['yes', 'yes']);
    expect(r.checks[0].pass).toBe(true);
    const bad = classEffectTruthCheck(fit, { truth, effects: ['outcome', 'effect'], classLabels: ['A', 'B', 'C'], modal, corrected: modal });
    expect(bad.checks[0].pass).toBe(false);
  });
  it('names a missing truth path', () => {
    expect(() => classEffectTruthCheck(fit, { truth, effects: ['outcome', 'nope'], classLabels: ['A', 'B', 'C'], modal: [], corrected: [] })).toThrow(/outcome\.nope/);
  });
  it('classEffectShift reports mean absolute effects and the largest move', () => {
    const r = classEffectShift([row('classB', 0.2, 1), row('classC', -0.5, 1)], [row('classB', 0.3, 1), row('classC', -0.5, 1)], ['classB', 'classC']);
    expect(r.meanAbsModal).toBeCloseTo(0.35, 12);
    expect(r.meanAbsCorrected).toBeCloseTo(0.4, 12);
    expect(r.largest.term).toBe('classB');
    expect(r.sentence).toMatch(/larger/);
  });
});
