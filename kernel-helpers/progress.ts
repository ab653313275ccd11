/**
 * Progress for long operations (ingest, LCA starts, bootstrap, national Cox): the library's
 * long-running functions take an `onProgress` callback of type ProgressCallback; in a notebook,
 * `progressDisplay(label)` gives one that shows an updating bar in the cell (Jupyter
 * update_display_data; the headless runner keeps the last state), at most 4 updates a second.
 */
import * as tslabJupyter from 'tslab/dist/jupyter';
import { escapeHtml } from './format';

/** Reported by a long operation: `done` of `total` units (starts, rows, replicates), with an optional stage. */
export interface ProgressEvent {
  readonly done: number;
  readonly total: number;
  readonly stage?: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;

let displayCounter = 0;

function bundle(label: string, e: ProgressEvent, seconds: number): Record<string, string> {
  const frac = e.total > 0 ? Math.min(1, Math.max(0, e.done / e.total)) : 0;
  const pct = Math.round(frac * 100);
  const stage = e.stage ? ` · ${e.stage}` : '';
  const text = `${label}${stage}: ${e.done.toLocaleString('en-GB')} / ${e.total.toLocaleString('en-GB')} (${pct}%) · ${seconds.toFixed(1)} s`;
  const html = `<div class="csc-progress" style="font-family:monospace;font-size:0.85em">` +
    `<progress value="${frac}" max="1" style="width:20em;vertical-align:middle"></progress> ${escapeHtml(text)}</div>`;
  return { 'text/plain': text, 'text/html': html };
}

/**
 * A ProgressCallback that draws an updating progress bar in the current cell.
 * @param label what is running, e.g. "LCA starts"
 * @param minIntervalMs minimum time between redraws (the final state is always drawn)
 */
export function progressDisplay(label: string, minIntervalMs = 250): ProgressCallback {
  const id = `csc-progress-${process.pid}-${++displayCounter}`;
  const started = Date.now();
  let last = -Infinity;
  let shown = false;
  return (e: ProgressEvent) => {
    const now = Date.now();
    const final = e.done >= e.total;
    if (!final && now - last < minIntervalMs) return;
    last = now;
    const write = tslabJupyter.lastWriteDisplayData;
    if (typeof write !== 'function') return;
    write({ data: bundle(label, e, (now - started) / 1000) as never, metadata: {} as never, transient: { display_id: id } as never }, shown);
    shown = true;
  };
}
