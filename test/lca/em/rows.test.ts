// Row-wise E-step (src/lca/em/rows) where products of many small probabilities underflow: the
// log-space fallback must still give Bayes' rule, computed here in log space by hand.
import { describe, expect, it } from 'vitest';
import { posteriorAt } from '../../../src/lca/em/em';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { createRng } from '../../../src/core/random';
import type { LcaParams } from '../../../src/lca/types';

describe('eStepRows with underflowing products', () => {
  it('dense and sparse posteriors equal log-space Bayes on 300 rare items (products ~1e-500)', () => {
    const J = 300; const K = 2; const n = 60;
    const r = createRng(5);
    const rows = Array.from({ length: n }, (_, i) => Array.from({ length: J }, () => (r.nextFloat() < (i % 2 ? 0.9 : 0.1) ? 1 : 0)));
    const coded = codeRows(rows);
    const probs = new Float64Array(K * 2 * J);
    for (let j = 0; j < J; j++) { probs[2 * j] = 0.02; probs[2 * j + 1] = 0.98; probs[2 * J + 2 * j] = 0.97; probs[2 * J + 2 * j + 1] = 0.03; }
    const params: LcaParams = { nClasses: K, shares: Float64Array.from([0.4, 0.6]), probs, beta: null };
    let llHand = 0;
    const tauHand = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      const lj = [0, 1].map((k) => Math.log(params.shares[k]) + rows[i].reduce((s: number, y, j) => s + Math.log(probs[k * 2 * J + 2 * j + y]), 0));
      const m = Math.max(...lj); const tot = lj.reduce((s, v) => s + Math.exp(v - m), 0);
      llHand += m + Math.log(tot);
      lj.forEach((v, k) => (tauHand[i * K + k] = Math.exp(v - m) / tot));
    }
    for (const mode of ['dense', 'sparse'] as const) {
      const p = prepareLcaData(coded, { eStep: mode, compress: false });
      const out = new Float64Array(n * K);
      const ll = posteriorAt(p.data, params, p.useSparse, out);
      expect(Number.isFinite(ll)).toBe(true);
      expect(ll).toBeCloseTo(llHand, 6);
      for (let t = 0; t < out.length; t++) expect(out[t]).toBeCloseTo(tauHand[t], 12);
    }
  });
});
