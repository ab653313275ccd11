/**
 * Worker-thread body for parallel EM starts. Bundled at run time by ./parallel (esbuild,
 * CommonJS) and started with `new Worker(code, { eval: true })`, so it works the same under
 * tsx, vitest and the tslab kernel. It claims tasks from a shared counter, runs EM with the
 * same code as the in-thread path, and writes results into shared memory.
 */
import { workerData } from 'node:worker_threads';
import { runTask, type WorkerPayload, CTRL_NEXT, CTRL_DONE, CTRL_ERROR, CTRL_STARTED } from './tasks';

const payload = workerData as WorkerPayload;
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
