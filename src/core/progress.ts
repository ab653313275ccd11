/**
 * Progress of a long operation (LCA starts and model selection, bootstrap replicates, Cox Newton
 * iterations). Every long-running library function takes an optional `onProgress` of this type; the
 * notebooks pass kernel-helpers' `progressDisplay(label)`, the CLI a cli-progress bar. The callback
 * runs synchronously between units of work, so it must be cheap; it never changes a result.
 */
export interface ProgressEvent {
  /** units finished so far (starts, K values, replicates, iterations) */
  readonly done: number;
  /** units in all (for iterations: the iteration limit, an upper bound) */
  readonly total: number;
  /** what is running now, e.g. "K = 12: final starts" */
  readonly stage?: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;

/** Calls `cb` if given; errors thrown by a display callback are not allowed to break a fit. */
export function reportProgress(cb: ProgressCallback | undefined, done: number, total: number, stage?: string): void {
  if (!cb) return;
  try {
    cb(stage === undefined ? { done, total } : { done, total, stage });
  } catch {
    // a failing progress display must not change or abort the computation
  }
}
