/**
 * Start tasks shared by the in-thread and worker-thread paths: one task = one EM start
 * (random, or continued from parameters after a pre-run), with its result written into a
 * flat Float64Array record. Both paths call runTask, so results are bit-identical.
 */
import { type EmOptions, type LcaData, type LcaParams, type StartResult, type WorkFactory, randomStart, runEm } from '../em/em';

export const CTRL_NEXT = 0;
export const CTRL_DONE = 1;
export const CTRL_ERROR = 2;
export const CTRL_STARTED = 3;
export const CTRL_LENGTH = 4;

export interface WorkerPayload {
  data: LcaData;
  K: number;
  seed: number;
  em: EmOptions;
  /** start index of each task */
  tasks: number[];
  /** per task a record to continue from (pre-run), or null for random starts */
  initParams: SharedArrayBuffer | ArrayBuffer | null;
  results: SharedArrayBuffer | ArrayBuffer;
  control: SharedArrayBuffer | ArrayBuffer;
  errorText: SharedArrayBuffer | ArrayBuffer;
}

const HEADER = 5; // logLik, iterations, converged (1; 2 = abandoned), maxDecrease, newtonFailed

export function recordLength(data: LcaData, K: number): number {
  const T = data.catOffset[data.nItems];
  const D = data.covariates ? data.nCov * (K - 1) : 0;
  return HEADER + K + K * T + D;
}

export function readParams(rec: Float64Array, data: LcaData, K: number): LcaParams {
  const T = data.catOffset[data.nItems];
  const D = data.covariates ? data.nCov * (K - 1) : 0;
  const shares = rec.slice(HEADER, HEADER + K);
  const probs = rec.slice(HEADER + K, HEADER + K + K * T);
  const beta = D ? rec.slice(HEADER + K + K * T, HEADER + K + K * T + D) : data.covariates ? new Float64Array(0) : null;
  return { nClasses: K, shares, probs, beta };
}

/** A start's result as stored in shared memory (the start index is the task's). */
export type TaskRecord = Omit<StartResult, 'index'>;

export function readRecord(buf: SharedArrayBuffer | ArrayBuffer, t: number, data: LcaData, K: number): TaskRecord {
  const L = recordLength(data, K);
  const rec = new Float64Array(buf, t * L * 8, L);
  return { logLik: rec[0], iterations: rec[1], converged: rec[2] === 1, abandoned: rec[2] === 2, maxDecrease: rec[3], newtonFailed: rec[4] === 1, params: readParams(rec, data, K) };
}

export function writeRecord(buf: SharedArrayBuffer | ArrayBuffer, t: number, data: LcaData, K: number, r: TaskRecord): void {
  const L = recordLength(data, K);
  const rec = new Float64Array(buf, t * L * 8, L);
  rec[0] = r.logLik;
  rec[1] = r.iterations;
  rec[2] = r.converged ? 1 : r.abandoned ? 2 : 0;
  rec[3] = r.maxDecrease;
  rec[4] = r.newtonFailed ? 1 : 0;
  rec.set(r.params.shares, HEADER);
  rec.set(r.params.probs, HEADER + K);
  if (r.params.beta) rec.set(r.params.beta, HEADER + K + r.params.probs.length);
}

/** Run task t of the payload and store its record. */
export function runTask(p: WorkerPayload, t: number, workFactory: WorkFactory | null = null): void {
  let params: LcaParams;
  let prior: TaskRecord | null = null;
  if (p.initParams) {
    prior = readRecord(p.initParams, t, p.data, p.K);
    params = prior.params;
  } else params = randomStart(p.data, p.K, p.seed, p.tasks[t], p.em.startMethod ?? 'polca');
  const r = runEm(p.data, params, p.em, workFactory);
  writeRecord(p.results, t, p.data, p.K, {
    logLik: r.logLik,
    iterations: r.iterations + (prior ? prior.iterations : 0),
    converged: r.converged,
    abandoned: r.abandoned,
    maxDecrease: Math.max(r.maxDecrease, prior ? prior.maxDecrease : 0),
    newtonFailed: r.newtonFailed || (prior ? prior.newtonFailed : false),
    params,
  });
}
