/**
 * Result protocol for count fits: tidy() (R/broom columns, optionally exponentiated to rate
 * ratios), glance() (one row), summary(), warnings, spec and variance type.
 */
import { pNormTwoSided, qNorm } from '../../core/distributions';
import { usableVariance } from '../../core/guard';

export type Row = Record<string, number | string | null>;

export interface TidyOptions {
  /** exp(estimate) and exp(CI): incidence rate ratios, as broom's `exponentiate = TRUE`. */
  readonly exponentiate?: boolean;
  readonly level?: number;
}

export interface CountResult {
  readonly names: readonly string[];
  readonly coef: Float64Array;
  readonly se: Float64Array;
  /** Row-major p × p covariance of the coefficients, of type `varianceType`. */
  readonly vcov: Float64Array;
  readonly varianceType: string;
  readonly level: number;
  readonly warnings: readonly string[];
  tidy(options?: TidyOptions): Row[];
  glance(): Row;
  summary(): { readonly coefficients: Row[]; readonly glance: Row; readonly warnings: readonly string[] };
}

/**
 * Wald z rows (statistic = estimate / SE, normal p-values and CIs, as summary.glm / glmer). An SE
 * that is zero or not finite gives NaN SE, statistic, p and CI (core/guard's rule), never p = 0.
 */
export function waldRows(names: readonly string[], coef: Float64Array, se: Float64Array, options: TidyOptions = {}, defaultLevel = 0.95): Row[] {
  const level = options.level ?? defaultLevel;
  const crit = qNorm(1 - (1 - level) / 2);
  const tr = options.exponentiate ? Math.exp : (v: number) => v;
  return names.map((term, j) => {
    const b = coef[j]; const s = usableVariance(se[j]) ? se[j] : NaN; const z = b / s;
    return {
      term, estimate: tr(b), 'std.error': s, statistic: z, 'p.value': pNormTwoSided(z),
      'conf.low': tr(b - crit * s), 'conf.high': tr(b + crit * s),
    };
  });
}

/** Standard errors √diag(V) of a p × p row-major covariance (NaN where the variance is negative or NaN). */
export function seFromVcov(V: Float64Array, p: number): Float64Array {
  const se = new Float64Array(p);
  for (let j = 0; j < p; j++) se[j] = Math.sqrt(V[j * p + j]);
  return se;
}
