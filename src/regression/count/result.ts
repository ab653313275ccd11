/**
 * Result protocol for count fits: tidy() (R/broom columns, optionally exponentiated to rate
 * ratios), glance() (one row), summary(), warnings, spec and variance type.
 */
import { pNormTwoSided, qNorm } from '../../core/distributions';
import { degenerateMessage, guardedSe, usableVariance } from '../../core/guard';

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

/**
 * Standard errors √diag(V) of a p × p row-major covariance, through core/guard: NaN where the
 * variance is zero, negative, infinite or NaN. With `named`, the terms whose variance is zero,
 * negative or infinite get one warning (a NaN variance was already named by the guard that set it);
 * `reference` (p × p, e.g. the model-based variance of a robust V) also flags a variance at
 * ZERO_VARIANCE_RTOL of its diagonal.
 */
export function seFromVcov(V: Float64Array, p: number, named?: { names: readonly string[]; warnings: string[]; who: string; reference?: Float64Array }): Float64Array {
  const se = new Float64Array(p);
  const bad: string[] = [];
  const ref = named?.reference;
  for (let j = 0; j < p; j++) {
    const v = V[j * p + j];
    // A robust variance at rounding level of the model-based one (fitted = observed: every score
    // residual 0) is no precision, as guardVariance's reference rule.
    se[j] = guardedSe(v, named ? named.names[j] : String(j), Number.isNaN(v) ? [] : bad, ref ? ref[j * p + j] : undefined);
  }
  if (named && bad.length) named.warnings.push(degenerateMessage(named.who, { kind: 'zero-variance', terms: bad }));
  return se;
}
