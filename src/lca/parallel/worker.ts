/**
 * Worker-thread body for parallel EM, bundled at run time by ./parallel (esbuild, CommonJS)
 * and started with `new Worker(code, { eval: true })`, so it works the same under tsx, vitest
 * and the tslab kernel. Two kinds of work:
 *  - starts: claim EM starts from a shared counter, run them with the same code as the
 *    in-thread path, and write results into shared memory;
 *  - estep: help the thread running one EM with the row chunks of each E-step.
 */
import { workerData } from 'node:worker_threads';
import { runTask, type WorkerPayload, CTRL_NEXT, CTRL_DONE, CTRL_ERROR, CTRL_STARTED } from './startTasks';
import { ES_DONE, ES_ERROR, serveChunks } from './estepProtocol';
import type { Work } from '../em/work';
import type { LcaData } from '../types';

interface EStepPayload {
  kind: 'estep';
  data: LcaData;
  work: Work;
  control: SharedArrayBuffer;
}

function serveStarts(payload: WorkerPayload): void {
  const ctrl = new Int32Array(payload.control);
  Atomics.add(ctrl, CTRL_STARTED, 1);
  try {
    for (;;) {
      const t = Atomics.add(ctrl, CTRL_NEXT, 1);
      if (t >= payload.tasks.length) break;
      runTask(payload, t);
    }
  } catch (e) {
    Atomics.store(ctrl, CTRL_ERROR, 1);
    const msg = new Uint8Array(payload.errorText);
    const bytes = new TextEncoder().encode(String(e instanceof Error ? e.stack ?? e.message : e)).subarray(0, msg.length);
    msg.set(bytes);
  } finally {
    Atomics.add(ctrl, CTRL_DONE, 1);
    Atomics.notify(ctrl, CTRL_DONE);
  }
}

const payload = workerData as WorkerPayload | EStepPayload;
if ('kind' in payload && payload.kind === 'estep') {
  const ctrl = new Int32Array(payload.control);
  try {
    serveChunks(payload.data, payload.work, ctrl);
  } catch {
    Atomics.store(ctrl, ES_ERROR, 1);
    Atomics.add(ctrl, ES_DONE, 1);
    Atomics.notify(ctrl, ES_DONE);
  }
} else serveStarts(payload as WorkerPayload);
