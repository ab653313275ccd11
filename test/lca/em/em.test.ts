// The EM core (src/lca/em/em): posteriors and log-likelihood at fixed parameters by every E-step
// form (dense, sparse, blocked), and one EM iteration, against the definitions computed by hand.
import { describe, expect, it } from 'vitest';
import { posteriorAt, runEm } from '../../../src/lca/em/em';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { simulateLca } from '../../../src/lca/simulate';
import type { LcaParams } from '../../../src/lca/types';
import { emUpdateByHand, posteriorByHand } from './lcaByHand';

const shares = [0.45, 0.35, 0.2];
const probs = [[[0.8, 0.2], [0.7, 0.3], [0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [[0.2, 0.8], [0.3, 0.7], [0.4, 0.6], [0.1, 0.9], [0.5, 0.5]], [[0.5, 0.5], [0.9, 0.1], [0.1, 0.9], [0.5, 0.5], [0.8, 0.2]]];
const sim = simulateLca(1500, shares, probs, 8, 0.08);
const coded = codeRows({ codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems });
const start = (): LcaParams => ({ nClasses: 3, shares: Float64Array.from([0.4, 0.3, 0.3]), probs: Float64Array.from([0.7, 0.3, 0.6, 0.4, 0.8, 0.2, 0.5, 0.5, 0.4, 0.6, 0.3, 0.7, 0.4, 0.6, 0.5, 0.5, 0.2, 0.8, 0.6, 0.4, 0.5, 0.5, 0.8, 0.2, 0.2, 0.8, 0.6, 0.4, 0.7, 0.3]), beta: null });

describe('posteriorAt', () => {
  for (const mode of ['dense', 'sparse', 'blocked'] as const) {
    it(`${mode} E-step: Bayes' rule and the log-likelihood by hand`, () => {
      const p = prepareLcaData(coded, { eStep: mode, weights: Array.from({ length: sim.nRows }, (_, i) => 1 + (i % 3) / 2) });
      expect(p.eStepMode).toBe(mode);
      const out = new Float64Array(p.data.nRows * 3);
      const ll = posteriorAt(p.data, start(), p.useSparse, out);
      const ref = posteriorByHand(p.data, start());
      expect(ll).toBeCloseTo(ref.logLik, 8);
      for (let t = 0; t < out.length; t++) expect(out[t]).toBeCloseTo(ref.tau[t], 12);
    });
  }
});

describe('runEm', () => {
  it('one iteration is the closed-form EM update (dense and sparse)', () => {
    for (const mode of ['dense', 'sparse'] as const) {
      const p = prepareLcaData(coded, { eStep: mode });
      const params = start();
      const want = emUpdateByHand(p.data, start());
      runEm(p.data, params, { maxIter: 1, tol: 0, paramTol: null, relTol: 0, accelerate: false, useSparse: p.useSparse, trace: false });
      for (let k = 0; k < 3; k++) expect(params.shares[k]).toBeCloseTo(want.shares[k], 12);
      for (let t = 0; t < want.probs.length; t++) expect(params.probs[t]).toBeCloseTo(want.probs[t], 12);
    }
  });
  it('the log-likelihood never decreases, and SQUAREM reaches the same optimum', () => {
    const p = prepareLcaData(coded, {});
    const a = start(); const b = start();
    const plain = runEm(p.data, a, { maxIter: 2000, tol: 1e-10, paramTol: null, relTol: 0, accelerate: false, useSparse: p.useSparse, trace: true });
    const fast = runEm(p.data, b, { maxIter: 2000, tol: 1e-10, paramTol: null, relTol: 0, accelerate: true, useSparse: p.useSparse, trace: false });
    const tr = plain.trace!;
    for (let t = 1; t < tr.length; t++) expect(tr[t]).toBeGreaterThanOrEqual(tr[t - 1] - 1e-9);
    expect(plain.converged && fast.converged).toBe(true);
    expect(fast.logLik).toBeCloseTo(plain.logLik, 5);
    expect(fast.iterations).toBeLessThan(plain.iterations);
  });
});
