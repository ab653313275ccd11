// The chunk-claiming protocol of the E-step threads, run on one thread: every chunk is claimed
// exactly once, the counters say so, and the chunk statistics add up to the whole-data E-step.
import { describe, expect, it } from 'vitest';
import { claimChunks, ES_DONE, ES_HELPED, ES_LENGTH, ES_NEXT } from '../../../src/lca/parallel/estepProtocol';
import { fillTables, makeScratch, makeWork } from '../../../src/lca/em/work';
import { posteriorAt } from '../../../src/lca/em/em';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { createRng } from '../../../src/core/random';
import type { LcaParams } from '../../../src/lca/types';

function setup() {
  const r = createRng(3);
  const n = 40_000; // several chunks
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: 4 }, (_, j) => (r.nextFloat() < (i % 3 === 0 ? 0.8 : 0.2) + 0.02 * j ? 1 : 0)));
  const p = prepareLcaData(codeRows(rows), { eStep: 'dense', compress: false });
  const params: LcaParams = { nClasses: 2, shares: Float64Array.from([0.35, 0.65]), probs: Float64Array.from([0.2, 0.8, 0.25, 0.75, 0.2, 0.8, 0.3, 0.7, 0.8, 0.2, 0.75, 0.25, 0.8, 0.2, 0.7, 0.3]), beta: null };
  const w = makeWork(p.data, 2, p.useSparse);
  fillTables(p.data, params, w);
  return { p, params, w };
}

describe('claimChunks', () => {
  it('runs every chunk once and sums to the whole-data log-likelihood', () => {
    const { p, params, w } = setup();
    expect(w.nChunks).toBeGreaterThan(1);
    const ctrl = new Int32Array(ES_LENGTH);
    const ran = claimChunks(p.data, w, ctrl, makeScratch(2), false);
    expect(ran).toBe(w.nChunks);
    expect(ctrl[ES_DONE]).toBe(w.nChunks);
    expect(ctrl[ES_NEXT]).toBe(w.nChunks + 1); // the failed claim that ends the loop
    expect(ctrl[ES_HELPED]).toBe(0); // not a helper thread
    const ll = w.chunks.reduce((s, c) => s + c.ll[0], 0);
    expect(ll).toBeCloseTo(posteriorAt(p.data, params, p.useSparse, new Float64Array(p.data.nRows * 2)), 8);
  });

  it('a helper thread counts its chunks, and a late claim after the E-step finds nothing', () => {
    const { p, w } = setup();
    const ctrl = new Int32Array(ES_LENGTH);
    ctrl[ES_NEXT] = w.nChunks - 2; // another thread already took all but two
    expect(claimChunks(p.data, w, ctrl, makeScratch(2), true)).toBe(2);
    expect(ctrl[ES_HELPED]).toBe(2);
    expect(claimChunks(p.data, w, ctrl, makeScratch(2), true)).toBe(0);
    expect(ctrl[ES_DONE]).toBe(2);
  });
});
