// Recovery of the generating latent classes (notebook 01): the K chosen by BIC, agreement of modal with
// true classes (adjusted Rand index), and, as diagnostics, the largest share and item-probability gaps.
import { adjustedRandIndex } from '../../data/ari';
import { alignClasses, type LcaFit } from '../../lca/index';
import { atLeastCheck, atMostCheck, equalCheck, truthReport, type TruthCheck, type TruthReport } from './table';
import { truthArray, truthBlock, truthNumber } from './read';

export interface LcaTruthInput {
  /** Every fit over the K range (the BIC choice is made among them). */
  readonly fits: readonly LcaFit[];
  /** The solution reported (BIC's or a chosen K). */
  readonly fit: LcaFit;
  /**
   * The fit the selection rule chose (lcaSelectK: lowest BIC among converged, replicated fits). Absent: the
   * lowest BIC over `fits`.
   */
  readonly selected?: LcaFit;
  /** Item names in the fitted order (`f_` prefixes are ignored when matching the truth's items). */
  readonly items: readonly string[];
  /** True class per analysed assessment (1-based), in the fit's row order. */
  readonly trueClass: ArrayLike<unknown>;
}

/**
 * Truth checks for the LCA. Asserted: BIC picks the true K (when the true K is in the range tried), the
 * reported fit converged and its best log-likelihood was reached by at least 2 starts, and the
 * adjusted Rand index of modal vs true class reaches min(0.9, the ARI the true parameters achieve − 0.03).
 * `truth` is `data.truth` (undefined on real data: every check skipped).
 */
export function lcaTruthChecks(truth: unknown, input: LcaTruthInput): TruthReport {
  if (truth === undefined) return truthReport(null);
  const classes = truthBlock(truth, 'classes');
  const probs = truthArray<number[]>(classes, 'itemProbabilities', 'classes');
  const trueK = truthArray<string>(classes, 'labels', 'classes').length;
  const tried = input.fits.map((f) => f.nClasses);
  const best = input.selected ?? input.fits.reduce((a, b) => (b.bic < a.bic ? b : a));
  const replicated = input.fit.bestLogLikReplicated;
  const checks: TruthCheck[] = [
    tried.includes(trueK) ? equalCheck('K chosen by BIC', best.nClasses, trueK) : equalCheck(`K chosen by BIC (true K ${trueK} not tried)`, best.nClasses, trueK, false),
    equalCheck('chosen fit converged', String(input.fit.converged), 'true'),
    { check: 'best log-likelihood replicated by starts', value: `${replicated.count} of ${replicated.total}`, target: '≥ 2', pass: replicated.count >= 2, asserted: true },
  ];
  const ari = adjustedRandIndex(Array.from(input.fit.modal, (k) => k + 1), Array.from(input.trueClass, Number));
  const target = Math.min(0.9, truthNumber(classes, 'expectedAriTrueParameters', 'classes') - 0.03);
  checks.push(atLeastCheck('adjusted Rand index, modal vs true class', ari, target, 3));
  const bare = (items: readonly string[]) => items.map((i) => i.replace(/^f_/, '')).join();
  if (input.fit.nClasses === trueK && bare(input.items) === bare(truthArray<string>(classes, 'items', 'classes'))) {
    const trueProbs = probs.map((cls) => cls.map((p) => [1 - p, p]));
    const perm = alignClasses(input.fit, trueProbs);
    const counts = truthArray<number>(classes, 'lcaSampleCounts', 'classes');
    const total = counts.reduce((a, b) => a + b, 0);
    const shareGap = Math.max(...counts.map((c, k) => Math.abs(input.fit.shares[perm[k]] - c / total)));
    checks.push(atMostCheck('largest |share − sample share of true class|', shareGap, 0.02, 4, false));
    const probGap = Math.max(...probs.map((cls, k) => Math.max(...cls.map((p, j) => Math.abs(input.fit.itemProbs[perm[k]][j][1] - p)))));
    checks.push(atMostCheck('largest |item probability − truth|', probGap, 0.06, 4, false));
  }
  return truthReport(checks);
}
