/**
 * Progress for long operations (ingest, LCA starts, bootstrap, national Cox): the library's
 * long-running functions take an `onProgress` callback of type ProgressCallback; in a notebook,
 * `progressDisplay(label)` gives one that shows an updating bar in the cell (a Jupyter display_data
 * with a display_id, then update_display_data), at most one redraw a second.
 *
 * The updates reach Jupyter while a synchronous fit runs: tslab's zeromq (6.x) hands each message to
 * libzmq at once, and libzmq's own I/O thread sends it, so the event loop need not run (checked under
 * `jupyter_client` against the registered kernel: updates arrive 0.3 s apart during a blocking loop).
 * The final state is a fixed one-line summary (no timings), so an executed notebook is the same from
 * run to run; the headless runner keeps only that final state.
 *
 * A `transient` display (for steps that are long only at national scale: ingest, Cox fits) draws
 * nothing until the work has run for `showAfterMs`, and clears itself when done (as tqdm's
 * leave=False), so a fast fit leaves no output and a slow one leaves an empty display, which the
 * headless runner drops: saved outputs do not depend on how long the step took.
 */
import * as tslabJupyter from 'tslab/dist/jupyter';
import { escapeHtml } from './format';
import { formatEstimate, formatWhole } from '../src/core/numberStyle';

/** Reported by a long operation: `done` of `total` units (starts, rows, replicates), with an optional stage. */
export interface ProgressEvent {
  readonly done: number;
  readonly total: number;
  readonly stage?: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;

/**
 * A progress callback drawing one updating bar. Call it with ProgressEvents (the library's
 * onProgress), or as `(step, done, total)` (loadStudyData's ingest progress); `part(i, n)` gives the
 * callback for the i-th (0-based) of n consecutive operations sharing the one bar (e.g. one LCA fit
 * per K), which is finished when the last part reports done ≥ total.
 */
export interface ProgressDisplay {
  (event: ProgressEvent): void;
  (step: string, done: number, total: number): void;
  part(index: number, of: number): ProgressCallback;
}

let displayCounter = 0;

function html(content: string): string {
  return `<div class="csc-progress" style="font-family:monospace;font-size:0.85em">${content}</div>`;
}

/** The running state: bar, stage, counts and elapsed time. */
export function progressBundle(label: string, e: ProgressEvent, fraction: number, seconds: number, part = ''): Record<string, string> {
  const frac = Math.min(1, Math.max(0, fraction));
  const stage = e.stage ? ` · ${e.stage}` : '';
  const text = `${label}${stage}: ${formatWhole(e.done)} / ${formatWhole(e.total)}${part} (${Math.round(frac * 100)}%) · ${formatEstimate(seconds, 1)} s`;
  return { 'text/plain': text, 'text/html': html(`<progress value="${frac}" max="1" style="width:20em;vertical-align:middle"></progress> ${escapeHtml(text)}`) };
}

/** The final state: deterministic, so saved outputs do not change from run to run. */
export function progressDoneBundle(label: string): Record<string, string> {
  const text = `${label}: finished`;
  return { 'text/plain': text, 'text/html': html(`✓ ${escapeHtml(text)}`) };
}

/** The cleared state of a transient display: empty, dropped from saved outputs by the runner. */
export function progressClearedBundle(): Record<string, string> {
  return { 'text/plain': '', 'text/html': '' };
}

/** Whether a display bundle is empty (a cleared transient progress display). */
export function isClearedBundle(data: Record<string, unknown>): boolean {
  const values = Object.values(data);
  return values.length > 0 && values.every((v) => v === '' || (Array.isArray(v) && v.join('') === ''));
}

export interface ProgressDisplayOptions {
  /** minimum time between redraws in ms (default 1000; the final state is always drawn) */
  minIntervalMs?: number;
  /** draw only once the work has run this long, and clear the display when done (default false) */
  transient?: boolean;
  /** with `transient`: how long the work must run before the bar appears, ms (default 2000) */
  showAfterMs?: number;
}

/**
 * A ProgressDisplay that draws an updating progress bar in the current cell.
 * @param label what is running, e.g. "LCA selection, K = 10–13"
 * @param options minimum time between redraws in ms (a number, as before), or ProgressDisplayOptions
 */
export function progressDisplay(label: string, options: number | ProgressDisplayOptions = {}): ProgressDisplay {
  const o = typeof options === 'number' ? { minIntervalMs: options } : options;
  const minIntervalMs = o.minIntervalMs ?? 1000;
  const transient = o.transient === true;
  const showAfterMs = transient ? o.showAfterMs ?? 2000 : 0;
  const id = `csc-progress-${process.pid}-${++displayCounter}`;
  const started = Date.now();
  let last = -Infinity;
  let shown = false;
  let finished = false;
  const onEvent = (e: ProgressEvent, index: number, of: number): void => {
    if (finished) return;
    const now = Date.now();
    const partFrac = e.total > 0 ? Math.min(1, Math.max(0, e.done / e.total)) : 0;
    const final = e.done >= e.total && index >= of - 1;
    if (!final && now - last < minIntervalMs) return;
    if (transient && !shown && (final || now - started < showAfterMs)) {
      finished = final;
      return;
    }
    const write = tslabJupyter.lastWriteDisplayData;
    if (typeof write !== 'function') return;
    last = now;
    const data = final ? (transient ? progressClearedBundle() : progressDoneBundle(label))
      : progressBundle(label, e, (index + partFrac) / of, (now - started) / 1000, of > 1 ? ` (part ${index + 1} of ${of})` : '');
    write({ data: data as never, metadata: {} as never, transient: { display_id: id } as never }, shown);
    shown = true;
    finished = final;
  };
  const cb = ((a: ProgressEvent | string, done?: number, total?: number) => {
    if (typeof a === 'string') onEvent({ done: done ?? 0, total: total ?? 0, stage: a }, 0, 1);
    else onEvent(a, 0, 1);
  }) as ProgressDisplay;
  cb.part = (index: number, of: number) => (e: ProgressEvent) => onEvent(e, index, of);
  return cb;
}
