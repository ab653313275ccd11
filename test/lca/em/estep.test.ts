/**
 * The chunked, product-space E-step (src/lca/em/) and its threads:
 *  - E-step threads give bit-identical fits to one thread;
 *  - the product path agrees with a log-space likelihood written out here, also when rows
 *    underflow (so that they must fall back to log space);
 *  - SQUAREM reaches plain EM's maximum, never lowers ℓ between cycles, and where plain EM is
 *    slow (overlapping classes) it needs fewer E-steps.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { fitLca, simulateLca } from '../../../src/lca/index';
import { chunkCount, makeWork } from '../../../src/lca/em/work';
import { eStep } from '../../../src/lca/em/estep';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { eStepThreads } from '../../../src/lca/parallel/parallel';

function randomProbs(K: number, J: number, seed: number, lo = 0.05, hi = 0.95): number[][][] {
  const rng = createRng(seed);
  return Array.from({ length: K }, () =>
    Array.from({ length: J }, () => {
      const p = lo + (hi - lo) * rng.nextFloat();
      return [1 - p, p];
    }),
  );
}

/** Σ_i log Σ_k π_k Π_j p_kj(y_ij), summed in log space with log-sum-exp (missing items skipped). */
function logLikDirect(codes: Int16Array, n: number, J: number, shares: number[], probs: number[][][]): number {
  let ll = 0;
  const lk = new Float64Array(shares.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < shares.length; k++) {
      let s = Math.log(shares[k]);
      for (let j = 0; j < J; j++) {
        const y = codes[i * J + j];
        if (y >= 0) s += Math.log(probs[k][j][y]);
      }
      lk[k] = s;
    }
    const m = Math.max(...lk);
    let t = 0;
    for (let k = 0; k < shares.length; k++) t += Math.exp(lk[k] - m);
    ll += m + Math.log(t);
  }
  return ll;
}

describe('chunked E-step', () => {
  // enough distinct patterns for several chunks: 40k rows × 24 items of middling prevalence
  const sim = simulateLca(40_000, [0.4, 0.35, 0.25], randomProbs(3, 24, 5), 6, 0.02);
  const input = { codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems };

  it('uses several chunks on this data', () => {
    const f = fitLca(input, { classes: 3, starts: 1, seed: 1, maxIter: 0, workers: false });
    expect(chunkCount(f.nPatterns)).toBeGreaterThan(2);
  });

  it('helper threads take chunks of the E-step', () => {
    const coded = codeRows(input);
    const prep = prepareLcaData(coded, {});
    const warnings: string[] = [];
    const factory = eStepThreads(2, prep.data, warnings);
    expect(factory).not.toBeNull();
    const w = (factory as NonNullable<typeof factory>)(prep.data, 3, prep.useSparse);
    const params = { nClasses: 3, shares: new Float64Array([0.4, 0.35, 0.25]), probs: new Float64Array(3 * prep.data.catOffset[prep.data.nItems]).fill(0.5), beta: null };
    const one = makeWork(prep.data, 3, prep.useSparse);
    const want = eStep(prep.data, params, one, true, null);
    try {
      // the helper needs a moment to start; until then the EM thread does every chunk
      let got = NaN;
      for (let r = 0; r < 2000 && (w.runner?.helperChunks() ?? 0) === 0; r++) got = eStep(prep.data, params, w, true, null);
      expect(w.runner?.helperChunks()).toBeGreaterThan(0);
      got = eStep(prep.data, params, w, true, null);
      expect(got).toBe(want);
      expect(Array.from(w.counts)).toEqual(Array.from(one.counts));
      expect(Array.from(w.classTotal)).toEqual(Array.from(one.classTotal));
    } finally {
      w.runner?.close();
    }
    expect(warnings).toEqual([]);
  });

  it('E-step threads give bit-identical fits to one thread', () => {
    for (const accelerate of [false, true]) {
      const one = fitLca(input, { classes: 3, starts: 1, seed: 4, workers: false, accelerate, tol: 1e-9 });
      const two = fitLca(input, { classes: 3, starts: 1, seed: 4, workers: 2, accelerate, tol: 1e-9 });
      expect(two.warnings.filter((w) => /thread/.test(w))).toEqual([]);
      expect(two.logLik).toBe(one.logLik);
      expect(two.iterations).toBe(one.iterations);
      expect(two.itemProbs).toEqual(one.itemProbs);
      expect(two.shares).toEqual(one.shares);
    }
  });

  it('dense, sparse and blocked E-steps match a log-space likelihood and its class totals, also when rows underflow', () => {
    // Two classes with opposite items at 1e-90: a row endorsing all six items has class products
    // near 1e-270 (each factor is relative to the most likely class of its table entry), so the
    // product path must hand it to log space; the other rows stay on the product path.
    const K = 2;
    const J = 6;
    const tiny = 1e-90;
    const probs = [
      Array.from({ length: J }, (_, j) => (j < 3 ? [0.5, 0.5] : [1 - tiny, tiny])),
      Array.from({ length: J }, (_, j) => (j < 3 ? [1 - tiny, tiny] : [0.5, 0.5])),
    ];
    const shares = [0.6, 0.4];
    const rowsList: number[][] = [];
    for (let i = 0; i < 400; i++) {
      const cls = i % 5 < 3 ? 0 : 1;
      rowsList.push(Array.from({ length: J }, (_, j) => ((cls === 0) === j < 3 ? (i >> (j % 3)) & 1 : 0)));
    }
    for (let i = 0; i < 5; i++) rowsList.push([1, 1, 1, 1, 1, 1]);
    const codes = Int16Array.from(rowsList.flat());
    const n = rowsList.length;
    // log-space reference: ℓ and Σ_i τ_ik
    let wantLL = 0;
    const wantTotal = [0, 0];
    for (const r of rowsList) {
      const lk = shares.map((sh, k) => Math.log(sh) + r.reduce((a, y, j) => a + Math.log(probs[k][j][y]), 0));
      const m = Math.max(...lk);
      const z = lk.reduce((a, v) => a + Math.exp(v - m), 0);
      wantLL += m + Math.log(z);
      for (let k = 0; k < K; k++) wantTotal[k] += Math.exp(lk[k] - m) / z;
    }
    // the all-ones row really is below the product floor: its class log-likelihoods, each taken
    // relative to the per-entry maxima (log 0.5 per endorsed item), are about −620 and −414
    const allOnes = shares.map((sh, k) => Math.log(sh) + probs[k].reduce((a, p) => a + Math.log(p[1]) - Math.log(0.5), 0));
    expect(Math.max(...allOnes)).toBeLessThan(Math.log(1e-250));
    const T = 2 * J;
    const params = { nClasses: K, shares: Float64Array.from(shares), probs: new Float64Array(K * T), beta: null };
    for (let k = 0; k < K; k++) for (let j = 0; j < J; j++) for (let c = 0; c < 2; c++) params.probs[k * T + 2 * j + c] = probs[k][j][c];
    for (const mode of ['dense', 'sparse', 'blocked'] as const) {
      const prep = prepareLcaData(codeRows({ codes, nRows: n, nItems: J }), { eStep: mode });
      const w = makeWork(prep.data, K, prep.useSparse);
      // accumulate = true runs the generated kernels (sparse, blocked) that EM uses
      const ll = eStep(prep.data, params, w, true, null);
      expect(Math.abs(ll - wantLL) / Math.abs(wantLL)).toBeLessThan(1e-12);
      for (let k = 0; k < K; k++) expect(Math.abs(w.classTotal[k] - wantTotal[k]) / wantTotal[k]).toBeLessThan(1e-12);
      // and the posterior pass that the fit reports
      const post = new Float64Array(prep.data.nRows * K);
      const ll2 = eStep(prep.data, params, makeWork(prep.data, K, prep.useSparse), false, post);
      expect(Math.abs(ll2 - wantLL) / Math.abs(wantLL)).toBeLessThan(1e-12);
    }
  });

  it('SQUAREM reaches plain EM’s maximum with fewer E-steps where EM is slow, and ℓ never falls between cycles', () => {
    // overlapping classes (item probabilities 0.25–0.75): the case acceleration is for; on well
    // separated classes plain EM converges in a few dozen iterations and SQUAREM gains nothing
    const slow = simulateLca(6000, [0.45, 0.35, 0.2], randomProbs(3, 24, 31, 0.25, 0.75), 32);
    const data = { codes: slow.codes, nRows: slow.nRows, nItems: slow.nItems };
    const sv = { itemProbs: fitLca(data, { classes: 3, starts: 1, seed: 9, maxIter: 0, workers: false }).itemProbs };
    const plain = fitLca(data, { classes: 3, startValues: sv, workers: false, tol: 1e-10, maxIter: 20000, accelerate: false });
    const fast = fitLca(data, { classes: 3, startValues: sv, workers: false, tol: 1e-10, maxIter: 20000, accelerate: true, trace: true });
    expect(fast.converged).toBe(true);
    expect(Math.abs(fast.logLik - plain.logLik)).toBeLessThan(1e-6 * Math.abs(plain.logLik) * 1e-3);
    for (let k = 0; k < 3; k++)
      for (let j = 0; j < 24; j++) expect(Math.abs(fast.itemProbs[k][j][1] - plain.itemProbs[k][j][1])).toBeLessThan(1e-4);
    // a SQUAREM cycle is 3 EM maps and at most 5 E-steps: compare E-steps, not maps
    expect((fast.iterations * 5) / 3).toBeLessThan(plain.iterations);
    const tr = fast.trace as number[];
    // up to rounding of the sum over rows, as in the plain-EM monotonicity tests
    for (let t = 1; t < tr.length; t++) expect(tr[t] - tr[t - 1]).toBeGreaterThanOrEqual(-1e-12 * Math.abs(tr[t]));
  });
});
