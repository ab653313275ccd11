// The worker-thread body (src/lca/parallel/worker), bundled as ./parallel bundles it and run in a
// real worker thread: it claims every start from the shared counter, writes the same records as
// the in-thread runTask (bit for bit), and a failing task sets the error flag with its message
// instead of hanging the caller.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { CTRL_DONE, CTRL_ERROR, CTRL_LENGTH, CTRL_NEXT, CTRL_STARTED, readRecord, recordLength, runTask, type WorkerPayload } from '../../../src/lca/parallel/startTasks';
import type { EmOptions } from '../../../src/lca/em/em';
import { codeRows, prepareLcaData } from '../../../src/lca/prepare';
import { simulateLca } from '../../../src/lca/simulate';

const code = buildSync({
  entryPoints: [join(__dirname, '../../../src/lca/parallel/worker.ts')], bundle: true, format: 'cjs', platform: 'node', target: 'node20', write: false,
}).outputFiles[0].text;

const sim = simulateLca(600, [0.6, 0.4], [[[0.8, 0.2], [0.7, 0.3], [0.9, 0.1]], [[0.2, 0.8], [0.3, 0.7], [0.4, 0.6]]], 5, 0.05);
const data = prepareLcaData(codeRows({ codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems }), {}).data;
const em: EmOptions = { maxIter: 200, tol: 1e-10, paramTol: null, relTol: 0, accelerate: false, useSparse: false, trace: false };
const K = 2; const L = recordLength(data, K);

function payload(tasks: number[], initParams: SharedArrayBuffer | null = null): WorkerPayload {
  return {
    data, K, seed: 3, em, tasks, initParams,
    results: new SharedArrayBuffer(tasks.length * L * 8), control: new SharedArrayBuffer(CTRL_LENGTH * 4), errorText: new SharedArrayBuffer(512),
  };
}
const run = (p: WorkerPayload) => new Promise<number>((resolve, reject) => {
  const w = new Worker(code, { eval: true, workerData: p });
  w.on('error', reject);
  w.on('exit', resolve);
});

describe('LCA start worker', () => {
  it('runs every start and writes the records runTask writes in-thread', async () => {
    const p = payload([0, 1, 2]);
    expect(await run(p)).toBe(0);
    const ctrl = new Int32Array(p.control as SharedArrayBuffer);
    expect([ctrl[CTRL_STARTED], ctrl[CTRL_DONE], ctrl[CTRL_ERROR]]).toEqual([1, 1, 0]);
    expect(ctrl[CTRL_NEXT]).toBeGreaterThanOrEqual(3);
    const local = { ...payload([0, 1, 2]), results: new ArrayBuffer(3 * L * 8), control: new ArrayBuffer(CTRL_LENGTH * 4) };
    for (let t = 0; t < 3; t++) runTask(local, t);
    for (let t = 0; t < 3; t++) {
      const a = readRecord(p.results, t, data, K); const b = readRecord(local.results, t, data, K);
      expect(a.logLik).toBe(b.logLik);
      expect(a.iterations).toBe(b.iterations);
      expect(Array.from(a.params.probs)).toEqual(Array.from(b.params.probs));
    }
  });
  it('a task that throws sets the error flag and leaves its message for the caller, and still counts as done', async () => {
    const p = payload([0], new SharedArrayBuffer(8)); // a pre-run record far too short to read
    await run(p);
    const ctrl = new Int32Array(p.control as SharedArrayBuffer);
    expect(ctrl[CTRL_ERROR]).toBe(1);
    expect(ctrl[CTRL_DONE]).toBe(1);
    const text = new TextDecoder().decode(new Uint8Array(p.errorText as SharedArrayBuffer).slice()).replace(/\0+$/, '');
    expect(text).toMatch(/RangeError/);
  });
});
