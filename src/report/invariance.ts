// The pandemic comparison of notebook 01 as tables: measurement invariance of the demand classes across
// two periods (multi-group LCA, src/lca/multigroup.ts) and the shift in class shares, shown only when the
// fits nest as they must.
import type { LcaMultiGroupResult } from '../lca/multigroup';
import { plainTable } from '../display/sdc';
import { formatCount, formatEstimate, pInProse } from '../display/numbers';
import { wideCoefTable } from './wide';
import { sectionsBundle, type TableSection } from './bundle';

/** Period label of each row: `pandemic` for census year `pandemicYear` (year ending 31 March), else `before`. */
export function periodLabels(
  censusYears: ArrayLike<unknown>, pandemicYear: number, labels: { before: string; pandemic: string } = { before: '2015–2020', pandemic: '2020/21' },
): { groups: string[]; levels: [string, string] } {
  return { groups: Array.from(censusYears, (y) => (Number(y) === pandemicYear ? labels.pandemic : labels.before)), levels: [labels.before, labels.pandemic] };
}

export interface InvarianceReport {
  /** False when the fits do not nest (ℓ(free) ≥ ℓ(invariant) ≥ ℓ(pooled) fails beyond 1e-6·|ℓ|): nothing but the fit table is shown. */
  readonly usable: boolean;
  readonly sections: readonly TableSection[];
  /** Why the comparison is not shown (skipped, or not usable); null when usable. */
  readonly message: string | null;
  readonly bundle: { data: Record<string, string>; metadata: Record<string, unknown> } | null;
}

/**
 * Tables of a multi-group LCA against its pooled K-class fit: the model table with the LR test of
 * measurement invariance in its caption, and the shift in each class's share (invariant model, with its
 * 95% CI), one row per class labelled `k. classLabels[k − 1]`. `mg` null means the comparison was skipped.
 * The invariant model nests the pooled fit (equal shares across groups), so its log-likelihood cannot be
 * below the pooled fit's; if it is, the multi-group EM did not converge to a usable solution and its
 * tests and share shifts are not shown.
 */
export function invarianceReport(
  mg: LcaMultiGroupResult | null, pooled: { logLik: number; nClasses: number }, classLabels: readonly string[],
  periods: { before: string; pandemic: string } = { before: '2015–2020', pandemic: '2020/21' },
): InvarianceReport {
  if (mg === null) return { usable: false, sections: [], message: 'Pandemic comparison skipped (runPandemicComparison = false).', bundle: null };
  const tol = 1e-6 * Math.abs(pooled.logLik);
  const usable = mg.invariant.logLik >= pooled.logLik - tol && mg.free.logLik >= mg.invariant.logLik - tol;
  if (!usable) {
    const sections = [{ caption: 'Multi-group fits (not usable, see below)', table: plainTable(mg.table) }];
    const message = `NOT USABLE: the invariant model's log-likelihood (${formatEstimate(mg.invariant.logLik, 1)}) is below the pooled ${pooled.nClasses}-class fit's ` +
      `(${formatEstimate(pooled.logLik, 1)}), which it nests: the multi-group fit did not converge to a sensible solution, so the LR test and share shifts ` +
      'are not shown.';
    return { usable, sections, message, bundle: sectionsBundle(sections) };
  }
  const term = `shift in share, ${periods.pandemic} − ${periods.before}`;
  const sections = [
    { caption: `Measurement invariance: LR = ${formatEstimate(mg.lrt.statistic, 1)} on ${formatCount(mg.lrt.df)} df, ${pInProse(mg.lrt.pValue)}`, table: plainTable(mg.table) },
    {
      caption: `Change in class shares in ${periods.pandemic} (invariant model)`,
      table: wideCoefTable(mg.shareDifferences.map((r) => ({ ...r, term })), {
        exponentiate: false, digits: 3, groupHeading: 'demand class', groupLabel: (k) => `${k}. ${classLabels[Number(k) - 1]}`,
        note: 'Invariant model (item probabilities equal across periods, shares free); shift with its 95% CI.',
      }),
    },
  ];
  return { usable, sections, message: null, bundle: sectionsBundle(sections) };
}
