// Start tasks of the LCA (src/lca/parallel/startTasks): a record written to shared memory reads
// back bit for bit, and runTask from a record continues EM exactly as one longer in-thread run.
import { describe, expect, it } from 'vitest';
import { readRecord, recordLength, runTask, writeRecord, type WorkerPayload } from '../../../src/lca/parallel/startTasks';
import { randomStart, runEm, type EmOptions } from '../../../src/lca/em/em';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { simulateLca } from '../../../src/lca/simulate';

const sim = simulateLca(800, [0.6, 0.4], [[[0.8, 0.2], [0.7, 0.3], [0.9, 0.1], [0.3, 0.7]], [[0.2, 0.8], [0.3, 0.7], [0.4, 0.6], [0.6, 0.4]]], 3, 0.05);
const data = prepareLcaData(codeRows({ codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems }), {}).data;
const em = (maxIter: number): EmOptions => ({ maxIter, tol: 1e-12, paramTol: null, relTol: 0, accelerate: false, useSparse: false, trace: false });

describe('start task records', () => {
  it('write then read returns the same numbers (K shares, K x T probabilities, header)', () => {
    const K = 2;
    const L = recordLength(data, K);
    expect(L).toBe(5 + K + K * data.catOffset[data.nItems]);
    const buf = new ArrayBuffer(3 * L * 8);
    const params = randomStart(data, K, 7, 1, 'polca');
    const rec = { logLik: -1234.5, iterations: 17, converged: true, maxDecrease: 1e-9, newtonFailed: false, params };
    writeRecord(buf, 2, data, K, rec);
    const back = readRecord(buf, 2, data, K);
    expect(back.logLik).toBe(-1234.5);
    expect(back.iterations).toBe(17);
    expect(back.converged).toBe(true);
    expect(Array.from(back.params.shares)).toEqual(Array.from(params.shares));
    expect(Array.from(back.params.probs)).toEqual(Array.from(params.probs));
    expect(back.params.beta).toBeNull();
  });
  it('runTask continuing a 5-iteration pre-run equals one 25-iteration run from the same start', () => {
    const K = 2; const L = recordLength(data, K);
    const start = randomStart(data, K, 11, 0, 'polca');
    const one = { ...start, shares: start.shares.slice(), probs: start.probs.slice() };
    const long = runEm(data, one, em(25));
    const pre = { ...start, shares: start.shares.slice(), probs: start.probs.slice() };
    const r5 = runEm(data, pre, em(5));
    const init = new ArrayBuffer(L * 8);
    writeRecord(init, 0, data, K, { logLik: r5.logLik, iterations: r5.iterations, converged: r5.converged, maxDecrease: r5.maxDecrease, newtonFailed: r5.newtonFailed, params: pre });
    const payload: WorkerPayload = {
      data, K, seed: 11, em: em(20), tasks: [0], initParams: init, results: new ArrayBuffer(L * 8),
      control: new ArrayBuffer(32), errorText: new ArrayBuffer(8),
    };
    runTask(payload, 0);
    const got = readRecord(payload.results, 0, data, K);
    expect(got.iterations).toBe(long.iterations);
    expect(got.logLik).toBe(long.logLik);
    expect(Array.from(got.params.probs)).toEqual(Array.from(one.probs));
  });
});
