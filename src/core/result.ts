// The one result protocol every fitted object follows (in the style of broom and R's summary):
// tidy() one row per estimate, glance() one row of fit statistics, summary(), warnings, the spec
// it was fitted with and the variance type of its standard errors.

/** A row of a tidy or glance table: R-like column names (term, estimate, std.error, ...). */
export type TidyRow = Record<string, number | string | null>;

export interface FitProtocol {
  /** One row per estimate, R/broom column names (term, estimate, std.error, statistic, p.value, conf.low, conf.high). */
  tidy(): TidyRow[];
  /** One row of fit statistics; always has nobs (N) and df.residual (null where a model has none). */
  glance(): TidyRow;
  /** What R's summary() shows, as rows. */
  summary(): unknown;
  /** Everything the estimator noticed: non-convergence, degenerate variances and their causes, R defaults applied. */
  readonly warnings: readonly string[];
  /** What was fitted (formula / options), as plain data. */
  readonly spec: unknown;
  /** Which variance the standard errors use ('model', 'robust', 'HC1', 'cluster-HC1', 'none', ...). */
  readonly varianceType: string;
}
