// Parallel random starts (src/lca/parallel/parallel + worker): starts run on worker threads must
// give exactly the numbers of the same starts run in this thread (each start is seeded by its
// index, so the thread that runs it must not matter), with and without a pre-run stage.
import { describe, expect, it } from 'vitest';
import { executeStarts, type StartsJob } from '../../../src/lca/parallel/parallel';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { simulateLca } from '../../../src/lca/simulate';

describe('executeStarts', () => {
  it('gives identical start results on 2 worker threads and in-thread, and uses the workers', () => {
    const yes = [[0.9, 0.8, 0.2, 0.1, 0.7], [0.2, 0.9, 0.8, 0.3, 0.2], [0.1, 0.1, 0.2, 0.9, 0.9]];
    const sim = simulateLca(3000, [0.5, 0.3, 0.2], yes.map((c) => c.map((q) => [1 - q, q])), 4);
    const p = prepareLcaData(codeRows(sim), { eStep: 'dense', compress: false });
    const em = { maxIter: 300, tol: 1e-10, paramTol: null, relTol: 0, accelerate: true, useSparse: p.useSparse, trace: false };
    for (const preRun of [null, { iterations: 5, keep: 2 }]) {
      const job: StartsJob = { K: 3, seed: 17, indices: [0, 1, 2, 3], em, preRun };
      const serial = executeStarts(p.data, job, false);
      const threads = executeStarts(p.data, job, 2);
      expect(serial.workersUsed).toBe(0);
      expect(threads.workersUsed).toBe(2);
      expect(threads.results.map((r) => r.index)).toEqual(serial.results.map((r) => r.index));
      threads.results.forEach((r, t) => {
        const s = serial.results[t];
        expect(r.logLik).toBe(s.logLik);
        expect(r.iterations).toBe(s.iterations);
        expect(Array.from(r.params.probs)).toEqual(Array.from(s.params.probs));
      });
      expect(threads.totalIterations).toBe(serial.totalIterations);
    }
  });
});
