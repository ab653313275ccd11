import { plainTable, type ProtectedTable } from '../display/sdc';
import { formatEstimate } from '../core/numberStyle';
// Small descriptive helpers the notebooks show: a sample's size, mean and SD, and the synthetic data's
// true demand classes.

/** n, mean and SD (n − 1 denominator, R's `sd`) of a sample, by the two-pass algorithm. NaN SD when n < 2. */
export function sampleSummary(x: ArrayLike<number>): { draws: number; mean: number; sd: number } {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  return { draws: n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

interface TruthClasses {
  labels: string[]; shares: number[]; sharesPandemic2021: number[]; expectedAriTrueParameters: number;
}

/**
 * The generating demand classes of truth.json (`classes`: labels, shares before and in 2020/21, best
 * achievable ARI), one row per class; null on real data (no truth). Errors: throws naming a missing field.
 */
export function trueClassesTable(truth: unknown): { rows: Array<Record<string, string | number>>; note: string } | null {
  if (truth === undefined || truth === null) return null;
  const c = (truth as { classes?: Partial<TruthClasses> }).classes;
  for (const key of ['labels', 'shares', 'sharesPandemic2021', 'expectedAriTrueParameters'] as const) {
    if (c?.[key] === undefined) throw new Error(`truth.json: classes.${key} missing (regenerate the synthetic data)`);
  }
  const t = c as TruthClasses;
  return {
    rows: t.labels.map((label, k) => ({ class: k + 1, label, 'share 2014/15-2019/20': t.shares[k], 'share 2020/21': t.sharesPandemic2021[k] })),
    note: `Best achievable ARI with the true parameters: ${formatEstimate(t.expectedAriTrueParameters, 3)}`,
  };
}

/** The parts of a random-slope fit (R: lme4 `(1 + x | g)`) its summary row reads. */
export interface RandomSlopeSummaryFit {
  readonly names: readonly string[];
  readonly coef: ArrayLike<number>;
  readonly sigma: number;
  readonly randomSd?: readonly number[];
  readonly randomCorrelation?: ReadonlyArray<ReadonlyArray<number>>;
  readonly warnings: readonly string[];
}

/**
 * One row summarising a correlated random intercept and slope: the fixed effect `term` (column
 * `effectLabel`), the SDs of the group intercepts and slopes, their correlation and the residual SD
 * (lme4's `VarCorr`); the fit's warnings become the table note. Errors: throws when `term` is not a coefficient.
 */
export function randomSlopeSummary(fit: RandomSlopeSummaryFit, term: string, effectLabel: string, slopeLabel: string): ProtectedTable {
  const j = fit.names.indexOf(term);
  if (j < 0) throw new Error(`randomSlopeSummary: no coefficient "${term}" (have ${fit.names.join(', ')})`);
  const [sdIntercept, sdSlope] = fit.randomSd ?? [NaN, NaN];
  return plainTable([{
    [effectLabel]: fit.coef[j], 'SD of LA intercepts': sdIntercept, [`SD of the ${slopeLabel}`]: sdSlope,
    'correlation (intercept, slope)': fit.randomCorrelation?.[0][1] ?? NaN, 'residual SD': fit.sigma,
  }], fit.warnings.map((w) => `note: ${w}`).join(' '));
}
