/**
 * Emits one Jupyter display_data message with several MIME representations at once.
 *
 * tslab's public `display` API sends one MIME type per message, but a figure must travel as one
 * display_data carrying plotly JSON + HTML (+ the PNG added later by the runner), so that every
 * viewer picks the richest representation it supports. We therefore call tslab's process-wide
 * `lastWriteDisplayData` (set by both the real kernel and the headless runner before each cell).
 * Tests and non-kernel callers can install their own sink with `setDisplaySink`.
 */
import * as tslabJupyter from 'tslab/dist/jupyter';

export interface DisplayBundle {
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

type Sink = (bundle: DisplayBundle) => void;
let customSink: Sink | null = null;

/** Routes display output somewhere other than the tslab kernel (tests); null restores the default. */
export function setDisplaySink(sink: Sink | null): void {
  customSink = sink;
}

export function emitDisplay(bundle: DisplayBundle): void {
  if (customSink) {
    customSink(bundle);
    return;
  }
  const write = tslabJupyter.lastWriteDisplayData;
  if (typeof write !== 'function') {
    throw new Error('kernel-helpers: no display target — call show()/plot() from a tslab notebook cell (or install a sink with setDisplaySink)');
  }
  write({ data: bundle.data as never, metadata: (bundle.metadata ?? {}) as never, transient: {} as never }, false);
}
