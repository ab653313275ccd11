/**
 * Runs EM starts on worker threads (one per core) or in-thread, with optional pre-runs.
 *
 * Why this shape: the tslab kernel, tsx and vitest load our .ts differently, so a worker
 * cannot simply be pointed at a .ts file. We bundle ./worker.ts with esbuild (a dependency
 * of tsx) at run time into CommonJS and start it with `eval: true`. The call stays
 * synchronous: the main thread blocks on Atomics.wait while workers claim tasks from a
 * shared counter and write results into shared memory. Any failure (no esbuild, no repo
 * root, worker crash, startup timeout) falls back to in-thread starts with a warning.
 * Both paths run the same runTask code on the same data, so results are identical.
 */
import { reportProgress, type ProgressCallback } from '../../core/progress';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EmOptions, LcaData, StartResult, WorkFactory } from '../em/em';
import { makeWork } from '../em/work';
import { runChunksHere } from '../em/estep';
import { ES_DONE, ES_ERROR, ES_GEN, ES_LENGTH, ES_NEXT, ES_ACCUM, ES_STOP, ES_HELPED, claimChunks } from './estepProtocol';
import { CTRL_DONE, CTRL_ERROR, CTRL_LENGTH, CTRL_STARTED, type WorkerPayload, readRecord, recordLength, runTask } from './startTasks';

/** 'auto': workers when the job is big enough; a number forces that many; false = in-thread. */
export type WorkerMode = 'auto' | number | false;

export interface StartsJob {
  K: number;
  seed: number;
  indices: number[];
  em: EmOptions;
  preRun: { iterations: number; keep: number } | null;
}

let cachedCode: string | null = null;
let cachedError: string | null = null;

/** The folder holding src/lca/parallel/worker.ts to bundle: CSC_OUTCOMES_ROOT, else up from the working directory to the csc-outcomes package.json (no import.meta). */
function findWorkerSourceRoot(): string | null {
  const env = process.env.CSC_OUTCOMES_ROOT;
  if (env && existsSync(join(env, 'src', 'lca', 'parallel', 'worker.ts'))) return env;
  let dir = process.cwd();
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, 'utf8')).name === 'csc-outcomes' && existsSync(join(dir, 'src', 'lca', 'parallel', 'worker.ts'))) return dir;
      } catch {
        /* keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

function workerCode(): string {
  if (cachedCode) return cachedCode;
  if (cachedError) throw new Error(cachedError);
  try {
    const root = findWorkerSourceRoot();
    if (!root) throw new Error('cannot find the csc-outcomes repository root from the working directory');
    const req = createRequire(join(root, 'package.json'));
    const esbuild = req('esbuild') as {
      buildSync(o: Record<string, unknown>): { outputFiles: Array<{ text: string }> };
    };
    const out = esbuild.buildSync({
      entryPoints: [join(root, 'src', 'lca', 'parallel', 'worker.ts')],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      write: false,
    });
    cachedCode = out.outputFiles[0].text;
    return cachedCode;
  } catch (e) {
    cachedError = `worker bundle unavailable: ${e instanceof Error ? e.message : String(e)}`;
    throw new Error(cachedError);
  }
}

function coreCount(): number {
  try {
    return availableParallelism();
  } catch {
    return cpus().length || 1;
  }
}

function chooseWorkers(mode: WorkerMode, data: LcaData, K: number, nTasks: number): number {
  if (mode === false || nTasks < 2) return 0;
  if (typeof mode === 'number') return Math.max(0, Math.min(Math.floor(mode), nTasks));
  const work = data.nRows * (data.sparse ? 4 : data.nItems) * K * nTasks;
  if (work < 4e6) return 0;
  return Math.min(coreCount(), nTasks);
}

function makePayload(data: LcaData, job: StartsJob, tasks: number[], em: EmOptions, init: SharedArrayBuffer | null, shared: boolean): WorkerPayload {
  const L = recordLength(data, job.K);
  const Buf = shared ? SharedArrayBuffer : ArrayBuffer;
  return {
    data,
    K: job.K,
    seed: job.seed,
    em,
    tasks,
    initParams: init,
    results: new Buf(tasks.length * L * 8),
    control: new Buf(CTRL_LENGTH * 4),
    errorText: new Buf(4096),
  };
}

function runInThread(p: WorkerPayload, workFactory: WorkFactory | null): void {
  for (let t = 0; t < p.tasks.length; t++) runTask(p, t, workFactory);
}

/** Rows below which one EM's E-step stays on one thread (thread hand-offs would cost more than they save). */
const MIN_ROWS_FOR_ESTEP_THREADS = 4 * 8192;

/**
 * Threads for the E-step of a single EM run (when there are fewer starts than cores, e.g. one
 * start on the national data): the EM thread and nThreads − 1 helpers split each E-step's row
 * chunks. Returns null when one thread is all that is wanted. Work lives in shared memory;
 * results are bit-identical to a single thread (see ../em/work). If the helpers cannot be
 * started, or one fails, the E-step runs in this thread and a warning is added.
 */
export function eStepThreads(mode: WorkerMode, data: LcaData, warnings: string[]): WorkFactory | null {
  if (mode === false) return null;
  const n = typeof mode === 'number' ? Math.floor(mode) : data.nRows >= MIN_ROWS_FOR_ESTEP_THREADS ? coreCount() : 1;
  if (n < 2) return null;
  return (d: LcaData, K: number, useSparse: boolean) => {
    const w = makeWork(d, K, useSparse, (len) => new Float64Array(new SharedArrayBuffer(Math.max(1, len) * 8), 0, len));
    const helpers = Math.min(n, w.nChunks) - 1;
    if (helpers < 1) return w;
    const control = new SharedArrayBuffer(ES_LENGTH * 4);
    const ctrl = new Int32Array(control);
    const workers: Worker[] = [];
    let broken = false;
    const warnOnce = (msg: string): void => {
      if (!warnings.includes(msg)) warnings.push(msg);
    };
    const stop = (): void => {
      Atomics.store(ctrl, ES_STOP, 1);
      Atomics.add(ctrl, ES_GEN, 1);
      Atomics.notify(ctrl, ES_GEN);
      for (const wk of workers) void wk.terminate();
      workers.length = 0;
    };
    try {
      const code = workerCode();
      const shared = { ...w, runner: null };
      for (let h = 0; h < helpers; h++) workers.push(new Worker(code, { eval: true, workerData: { kind: 'estep', data: d, work: shared, control } }));
      for (const wk of workers) {
        wk.unref();
        // a helper that dies outside its own try (start-up, out of memory) must not take the
        // process with it; the flag makes the next E-step fall back to this thread
        wk.on('error', () => Atomics.store(ctrl, ES_ERROR, 1));
      }
    } catch (e) {
      stop();
      warnOnce(`E-step ran in one thread: ${e instanceof Error ? e.message : String(e)}`);
      return w;
    }
    w.runner = {
      run(accumulate: boolean): void {
        if (broken) {
          runChunksHere(d, w, accumulate);
          return;
        }
        const C = w.nChunks;
        Atomics.store(ctrl, ES_ACCUM, accumulate ? 1 : 0);
        Atomics.store(ctrl, ES_DONE, 0);
        Atomics.store(ctrl, ES_NEXT, 0);
        Atomics.add(ctrl, ES_GEN, 1);
        Atomics.notify(ctrl, ES_GEN);
        const t0 = Date.now();
        const mine = claimChunks(d, w, ctrl, w.scratch, false);
        // a helper that died holding a chunk would never finish it: give up after far longer
        // than a chunk takes here (at least 30 s)
        const perChunk = mine > 0 ? (Date.now() - t0) / mine : 1000;
        const deadline = Date.now() + Math.max(30_000, 50 * perChunk);
        for (;;) {
          const done = Atomics.load(ctrl, ES_DONE);
          if (done >= C || Atomics.load(ctrl, ES_ERROR) === 1 || Date.now() > deadline) break;
          Atomics.wait(ctrl, ES_DONE, done, 1000);
        }
        if (Atomics.load(ctrl, ES_ERROR) === 1 || Atomics.load(ctrl, ES_DONE) < C) {
          // A helper failed or hung: stop them and redo the whole E-step here (same numbers).
          // Helpers still inside a chunk may write for a while after terminate(), so from now on
          // the statistics go into fresh, unshared buffers.
          broken = true;
          stop();
          w.chunks = w.chunks.map((a) => ({
            ll: new Float64Array(1),
            classTotal: new Float64Array(a.classTotal.length),
            counts: new Float64Array(a.counts.length),
            missW: new Float64Array(a.missW.length),
            bmass: new Float64Array(a.bmass.length),
            grad: new Float64Array(a.grad.length),
            info: new Float64Array(a.info.length),
          }));
          warnOnce('an E-step helper thread failed; the E-step continued in one thread');
          runChunksHere(d, w, accumulate);
        }
      },
      close: stop,
      helperChunks: () => Atomics.load(ctrl, ES_HELPED),
    };
    return w;
  };
}

/** Run the payload on nWorkers threads, blocking; throws if the workers fail. */
function runOnWorkers(p: WorkerPayload, nWorkers: number): void {
  const code = workerCode();
  const ctrl = new Int32Array(p.control as SharedArrayBuffer);
  const workers: Worker[] = [];
  try {
    for (let w = 0; w < nWorkers; w++) workers.push(new Worker(code, { eval: true, workerData: p }));
    const startDeadline = Date.now() + 30000;
    for (;;) {
      const done = Atomics.load(ctrl, CTRL_DONE);
      if (done >= nWorkers) break;
      if (Atomics.load(ctrl, CTRL_STARTED) === 0 && Date.now() > startDeadline) throw new Error('worker threads did not start within 30 s');
      Atomics.wait(ctrl, CTRL_DONE, done, 1000);
    }
    if (Atomics.load(ctrl, CTRL_ERROR)) {
      const txt = new TextDecoder().decode(new Uint8Array(p.errorText as SharedArrayBuffer).slice()).replace(/\0+$/, '');
      throw new Error(`a worker failed: ${txt.split('\n')[0]}`);
    }
  } finally {
    for (const w of workers) void w.terminate();
  }
}

function execute(data: LcaData, job: StartsJob, tasks: number[], em: EmOptions, init: SharedArrayBuffer | null, nWorkers: number, warnings: string[], mode: WorkerMode): WorkerPayload {
  if (nWorkers > 0) {
    const p = makePayload(data, job, tasks, em, init, true);
    try {
      runOnWorkers(p, nWorkers);
      return p;
    } catch (e) {
      warnings.push(`starts ran in-thread: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const p = makePayload(data, job, tasks, em, init, true);
  // one start at a time here: give each its E-step threads instead
  runInThread(p, eStepThreads(mode, data, warnings));
  return p;
}

/**
 * Run the random starts of a job; with preRun, every start runs `iterations` EM steps,
 * then only the best `keep` continue to convergence (Mplus-style initial/final stages).
 */
export function executeStarts(data: LcaData, job: StartsJob, mode: WorkerMode, onProgress?: ProgressCallback): { results: StartResult[]; warnings: string[]; workersUsed: number; totalIterations: number } {
  const warnings: string[] = [];
  let dropped = 0;
  const nWorkers = chooseWorkers(mode, data, job.K, job.indices.length);
  let tasks = job.indices.slice();
  let init: SharedArrayBuffer | null = null;
  const usePreRun = !!job.preRun && job.preRun.keep < tasks.length;
  // units: every start's pre-run, then every kept start's final run
  const units = tasks.length + (usePreRun ? job.preRun!.keep : 0);
  reportProgress(onProgress, 0, units, `K = ${job.K}: ${usePreRun ? 'pre-runs' : 'starts'}`);
  if (job.preRun && job.preRun.keep < tasks.length) {
    // pre-runs only rank the starts: the futility bar applies to the final runs
    const preEm: EmOptions = { ...job.em, maxIter: job.preRun.iterations, trace: false, abandonBelow: null };
    const p = execute(data, job, tasks, preEm, null, nWorkers, warnings, mode);
    const recs = tasks.map((index, t) => ({ index, t, rec: readRecord(p.results, t, data, job.K) }));
    recs.sort((a, b) => b.rec.logLik - a.rec.logLik || a.index - b.index);
    const kept = recs.slice(0, job.preRun.keep);
    for (const r of recs.slice(job.preRun.keep)) dropped += r.rec.iterations;
    const L = recordLength(data, job.K);
    init = new SharedArrayBuffer(kept.length * L * 8);
    const dst = new Float64Array(init);
    const src = new Float64Array(p.results);
    kept.forEach((r, t) => dst.set(src.subarray(r.t * L, r.t * L + L), t * L));
    tasks = kept.map((r) => r.index);
    reportProgress(onProgress, job.indices.length, units, `K = ${job.K}: final runs`);
  }
  const final = execute(data, job, tasks, { ...job.em, trace: false }, init, Math.min(nWorkers, tasks.length > 1 ? tasks.length : 0), warnings, mode);
  const results: StartResult[] = tasks.map((index, t) => {
    const r = readRecord(final.results, t, data, job.K);
    return { index, logLik: r.logLik, iterations: r.iterations, converged: r.converged, abandoned: r.abandoned, maxDecrease: r.maxDecrease, newtonFailed: r.newtonFailed, params: r.params };
  });
  const totalIterations = dropped + results.reduce((a, r) => a + r.iterations, 0);
  reportProgress(onProgress, units, units, `K = ${job.K}: done`);
  return { results, warnings, workersUsed: nWorkers, totalIterations };
}
