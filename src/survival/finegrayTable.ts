// Table-level Fine–Gray: the same survival formula front end as cox(), with the status column
// holding 0 (censored) and one code per cause; `cause` picks the event of interest.
import type { TableLike } from '../formula/index';
import type { Label } from '../core/groups';
import { fitFineGray, type FineGrayFit } from './finegray';
import { extendCoxFit } from './cox';
import { survTableInputs, tableFitInfo, type CoxTableSpec, type TableFitInfo } from './table';

export interface FineGrayTableSpec extends Omit<CoxTableSpec, 'strata' | 'weights' | 'entry'> {
  /** The event type of interest (R's finegray etype), a value of the status column. */
  cause: Label;
  /** Status value meaning censored (default 0). */
  censorValue?: Label;
  /**
   * Group times onto this grid (rounded up to a multiple, e.g. 1/12 for months when time is in
   * years) before the expansion. finegray() writes a row per competing subject and later censoring
   * time, so distinct daily times on tens of thousands of episodes give tens of millions of rows;
   * on 67k episodes a monthly grid gives 0.64M rows against 12.8M for days. Default: times as given.
   */
  timeGrid?: number;
}

export type FineGrayTableFit = FineGrayFit & TableFitInfo<FineGrayTableSpec>;

/**
 * Fine–Gray subdistribution-hazard model from a table, as R's
 * `fg <- finegray(Surv(time, factor(status)) ~ ., data = d, etype = cause)` followed by
 * `coxph(Surv(fgstart, fgstop, fgstatus) ~ x + cluster(id), weights = fgwt, data = fg)`.
 * Formula: `Surv(time, status) ~ covariates [+ cluster(id)]`, one row per subject; status is 0
 * (or `censorValue`) for censored, `cause` for the event of interest, anything else competes.
 * Output: FineGrayFit (log subdistribution hazard ratios, robust SEs as coxph reports them on
 * finegray() data, the Aalen–Johansen cumulative incidence) with the design and row bookkeeping.
 * Failure: strata(), frailty(), offset() or (1 | g) terms, and counting-process Surv(start, stop,
 * event) are errors naming finegray and the term; fitFineGray's input errors.
 */
export function finegray(table: TableLike, spec: FineGrayTableSpec): FineGrayTableFit {
  if (typeof spec !== 'object' || spec === null || spec.cause === undefined) throw new Error("finegray: give { formula, cause }, e.g. { formula: 'Surv(time, status) ~ x', cause: 1 }");
  const t = survTableInputs(table, spec, 'finegray', ['cluster']);
  const { sc, design } = t;
  if (sc.entry) throw new Error('finegray: Surv(start, stop, event) is not supported; finegray() takes one row per subject, Surv(time, status)');
  const time = t.num(sc.time);
  if (spec.timeGrid !== undefined) {
    const u = spec.timeGrid;
    if (!(u > 0)) throw new Error(`finegray: timeGrid must be positive (got ${u})`);
    for (let i = 0; i < time.length; i++) time[i] = Math.ceil(time[i] / u - 1e-9) * u;
  }
  const fit = fitFineGray({
    time,
    status: design.extra[sc.event] as Label[],
    cause: spec.cause,
    censorValue: spec.censorValue,
    x: t.x,
    names: t.names,
    terms: t.terms,
    cluster: sc.cluster ? (design.extra[sc.cluster] as Label[]) : undefined,
    ties: spec.ties,
    eps: spec.eps,
    iterMax: spec.iterMax,
    onProgress: spec.onProgress,
  });
  return extendCoxFit(fit, tableFitInfo(design, spec));
}
