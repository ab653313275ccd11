// Generated E-step kernels (src/lca/em/kernels): the unrolled sparse and blocked loops give the
// same posteriors as the dense E-step for every K they are generated for, and K above the
// unrolling limit falls back to array loops with the same numbers.
import { describe, expect, it } from 'vitest';
import { kernels } from '../../../src/lca/em/kernels';
import { posteriorAt } from '../../../src/lca/em/em';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { createRng } from '../../../src/core/random';
import type { LcaParams } from '../../../src/lca/types';

function randomParams(K: number, J: number, seed: number): LcaParams {
  const r = createRng(seed);
  const shares = Float64Array.from({ length: K }, () => 0.5 + r.nextFloat());
  const s = shares.reduce((a, b) => a + b, 0);
  for (let k = 0; k < K; k++) shares[k] /= s;
  const probs = new Float64Array(K * 2 * J);
  for (let t = 0; t < K * J; t++) { const p = 0.05 + 0.9 * r.nextFloat(); probs[2 * t] = 1 - p; probs[2 * t + 1] = p; }
  return { nClasses: K, shares, probs, beta: null };
}

describe('kernels', () => {
  const r = createRng(2);
  const J = 11; const n = 400;
  const rows = Array.from({ length: n }, () => Array.from({ length: J }, () => (r.nextFloat() < 0.05 ? null : r.nextFloat() < 0.3 ? 1 : 0)));
  const coded = codeRows(rows);
  for (const K of [2, 3, 5, 7, 25]) {
    it(`K = ${K}: sparse and blocked posteriors equal the dense ones`, () => {
      expect(kernels(K) === null).toBe(K > 24);
      const params = randomParams(K, J, K);
      const dense = prepareLcaData(coded, { eStep: 'dense' });
      const ref = new Float64Array(dense.data.nRows * K);
      const llRef = posteriorAt(dense.data, params, false, ref);
      for (const mode of ['sparse', 'blocked'] as const) {
        const p = prepareLcaData(coded, { eStep: mode });
        const out = new Float64Array(p.data.nRows * K);
        expect(posteriorAt(p.data, params, true, out)).toBeCloseTo(llRef, 9);
        for (let t = 0; t < out.length; t++) expect(out[t]).toBeCloseTo(ref[t], 12);
      }
    });
  }
});
