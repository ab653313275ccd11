// A fit reduced to what a report reads. Table-level fits carry their design (the n × p matrix and
// the kept rows' cluster, strata and id columns), and Cox fits their sorted working copy of the
// data (for residuals, cox.zph and prediction): at national scale each fit held 1–2 GB after it
// was shown, and a notebook's dozen fits held 14 GB. The copy keeps every number the result
// protocol reports and drops the rest, so the originals can be garbage-collected.
import type { Design } from '../formula/index';

/** A design without its row-level arrays (x, y, rowIndex, extra): names, terms, factors, dropped counts. */
export type DesignSummary = Omit<Design, 'x' | 'y' | 'rowIndex' | 'extra'>;

/** Fields dropped from the fit itself: rowIndex (per kept row); design is replaced by its DesignSummary. */
export type ReportedFit<T> = Omit<T, 'design' | 'rowIndex'> & (T extends { design: Design } ? { readonly design: DesignSummary } : unknown);

/** What reportOnly needs of a fit (exported so notebook declarations of its result can name it). */
export interface Reportable {
  tidy(): readonly object[];
  glance(): object;
  summary?(): readonly object[];
}

/**
 * The fit's reporting surface, frozen: tidy(), glance() and summary() as evaluated now (each call
 * returns fresh row objects), every non-function field (coefficients, vcov, tests, warnings, spec,
 * frailties, ...), the design without its row-level arrays, and no methods that close over the
 * fitted data. Use it for fits that are only shown and checked afterwards (modelTable, sideBySide,
 * truth checks). Not accepted by coxZph, predict or residuals, which need the data the original
 * keeps: run those on the original before dropping it.
 */
export function reportOnly<T extends Reportable>(fit: T): ReportedFit<T> {
  const tidy = fit.tidy();
  const glance = fit.glance();
  const summary = typeof fit.summary === 'function' ? fit.summary() : null;
  const rows = (r: readonly object[]) => () => r.map((x) => ({ ...x }));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fit)) {
    if (typeof v === 'function' || k === 'rowIndex') continue;
    out[k] = v;
  }
  const design = (fit as { design?: Design }).design;
  if (design && typeof design === 'object' && 'x' in design) {
    const { x: _x, y: _y, rowIndex: _r, extra: _e, ...rest } = design;
    out.design = Object.freeze(rest);
  }
  out.tidy = rows(tidy);
  out.glance = () => ({ ...glance });
  if (summary) out.summary = rows(summary);
  return Object.freeze(out) as ReportedFit<T>;
}
