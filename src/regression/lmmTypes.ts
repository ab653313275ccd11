/** Input and result types of fitLmm (./lmm) and its random-slopes option (./lmmSlopes), apart so neither file imports the other's types. */
import type { FitBase, RegressionInputBase } from './fitBase';
/** The randomSlopes option of fitLmm. */
export interface RandomSlopesInput {
  /**
   * Columns whose slopes vary by group (n values for one column, or n rows × k), fitted with a
   * random intercept and an unstructured (correlated) covariance, as lme4's (1 + z | g).
   */
  readonly randomSlopes?: ArrayLike<ArrayLike<number>> | ArrayLike<number>;
  /** Names of the randomSlopes columns (default z1, z2, ...). */
  readonly randomSlopeNames?: readonly string[];
}
export interface FitLmmInput extends RegressionInputBase, RandomSlopesInput {
  /**
   * Group ids per row: one array (one level), or [outer, inner] (inner nested in outer, e.g.
   * [la, school]). Inner groups are identified by the (outer, inner) pair, as lme4's (1 | la/school).
   */
  readonly groups: ArrayLike<unknown> | readonly ArrayLike<unknown>[];
  /** Names of the grouping levels, for output (default 'group' / ['outer', 'inner']). */
  readonly groupNames?: readonly string[];
  readonly reml?: boolean;
}

export interface VarianceComponent {
  readonly group: string;
  readonly variance: number;
  readonly sd: number;
  /** Relative covariance factor σ_group / σ_residual. */
  readonly theta: number | null;
}

export interface LmmFit extends FitBase {
  readonly model: 'lmm';
  readonly reml: boolean;
  /** REML criterion (REML) or deviance (ML) = −2 logLik. */
  readonly deviance: number;
  readonly theta: readonly number[];
  readonly sigma: number;
  /** Group levels outer → inner, then 'Residual'. */
  readonly varianceComponents: readonly VarianceComponent[];
  /** Share of total variance between outer groups; with two levels also 'inner' = (σ²_outer + σ²_inner)/total. */
  readonly icc: Readonly<Record<string, number>>;
  readonly nGroups: readonly number[];
  /** Conditional modes (BLUPs) per level: group ids (sorted) and values. */
  readonly ranef: readonly { readonly level: string; readonly ids: readonly unknown[]; readonly values: Float64Array }[];
  readonly dfLogLik: number;
  readonly evaluations: number;
}
