/**
 * Known-truth checks of class effects on synthetic data: the estimated classes are matched to the
 * generating classes by their item profiles (alignClasses), and each class term's true value is
 * the generating effect of its matched class minus that of the reference class's match.
 */
import { alignClasses, type LcaFit } from '../lca/index';
import type { TidyRow } from '../core/result';
import { formatEstimate } from '../core/numberStyle';

export interface ClassEffectTruthRow {
  term: string;
  truth: number;
  modal: number;
  'modal 95% CI': string;
  corrected: number;
  'corrected 95% CI': string;
  'modal covers': 'yes' | 'no';
  'corrected covers': 'yes' | 'no';
}

/**
 * Rows comparing the modal and the corrected fit's class terms with the truth.
 * Inputs: the LCA fit; trueItemProbs[class][item] (probability of "present", binary items in the
 * fit's item order); trueEffects keyed by true class label (1-based, as truth.json); the class
 * terms and both fits' tidy rows. Throws when the fit's K differs from the truth's.
 */
export function classEffectTruthRows(fit: LcaFit, o: {
  trueItemProbs: number[][]; trueEffects: Record<string, number>; classLabels: string[]; referenceClass?: number;
  modal: TidyRow[]; corrected: TidyRow[]; digits?: number;
}): ClassEffectTruthRow[] {
  const K = fit.nClasses;
  if (o.trueItemProbs.length !== K) throw new Error(`classEffectTruthRows: the fit has ${K} classes, the truth ${o.trueItemProbs.length}`);
  const perm = alignClasses(fit, o.trueItemProbs.map((c) => c.map((p) => [1 - p, p])));
  const trueOf = new Array<number>(K);
  perm.forEach((est, t) => { trueOf[est] = t; });
  const ref = o.referenceClass ?? 0;
  const eff = (e: number) => {
    const v = o.trueEffects[String(trueOf[e] + 1)];
    if (typeof v !== 'number') throw new Error(`classEffectTruthRows: no true effect for class ${trueOf[e] + 1}`);
    return v;
  };
  const dg = o.digits ?? 3;
  const ci = (r: TidyRow) => `${formatEstimate(r['conf.low'] as number, dg)} to ${formatEstimate(r['conf.high'] as number, dg)}`;
  const covers = (r: TidyRow, t: number): 'yes' | 'no' => ((r['conf.low'] as number) <= t && t <= (r['conf.high'] as number) ? 'yes' : 'no');
  const out: ClassEffectTruthRow[] = [];
  for (let e = 0; e < K; e++) {
    if (e === ref) continue;
    const term = `class${o.classLabels[e]}`;
    const m = o.modal.find((r) => r.term === term);
    const c = o.corrected.find((r) => r.term === term);
    if (!m || !c) throw new Error(`classEffectTruthRows: term ${term} missing from a fit`);
    const t = eff(e) - eff(ref);
    out.push({
      term, truth: t, modal: m.estimate as number, 'modal 95% CI': ci(m), corrected: c.estimate as number, 'corrected 95% CI': ci(c),
      'modal covers': covers(m, t), 'corrected covers': covers(c, t),
    });
  }
  return out;
}

export interface ClassEffectTruthCheck {
  rows: ClassEffectTruthRow[];
  checks: Array<{ check: string; value: string; target: string; pass: boolean }>;
}

function pick(obj: unknown, path: string[], what: string): unknown {
  let o: unknown = obj;
  for (const k of path) {
    if (!o || typeof o !== 'object' || !(k in (o as Record<string, unknown>))) throw new Error(`classEffectTruthCheck: truth.json has no ${path.join('.')} (${what})`);
    o = (o as Record<string, unknown>)[k];
  }
  return o;
}

/**
 * Truth check of class effects on synthetic data (truth.json as loaded, untyped): the true class
 * profiles are classes.itemProbabilities, the true effects `effects` (a path such as
 * ['rereferralCox', 'trueClass'] or ['attainment', 'ks4_p8', 'true_class']). Passes when at least
 * `minCoverage` (default 0.8) of the corrected 95% CIs cover the truth; the modal share is shown too.
 */
export function classEffectTruthCheck(fit: LcaFit, o: {
  truth: unknown; effects: string[]; classLabels: string[]; referenceClass?: number; modal: TidyRow[]; corrected: TidyRow[]; minCoverage?: number;
}): ClassEffectTruthCheck {
  const trueItemProbs = pick(o.truth, ['classes', 'itemProbabilities'], 'true class profiles') as number[][];
  const trueEffects = pick(o.truth, o.effects, 'true class effects') as Record<string, number>;
  const rows = classEffectTruthRows(fit, { trueItemProbs, trueEffects, classLabels: o.classLabels, referenceClass: o.referenceClass, modal: o.modal, corrected: o.corrected });
  const share = (key: 'modal covers' | 'corrected covers') => rows.filter((r) => r[key] === 'yes').length / rows.length;
  const mae = (key: 'modal' | 'corrected') => rows.reduce((a, r) => a + Math.abs(r[key] - r.truth), 0) / rows.length;
  const min = o.minCoverage ?? 0.8;
  const checks = [
    { check: 'share of true class effects inside the corrected 95% CIs', value: formatEstimate(share('corrected covers'), 2), target: `≥ ${formatEstimate(min, 2)}`, pass: share('corrected covers') >= min },
    { check: 'share inside the modal-assignment 95% CIs (for comparison)', value: formatEstimate(share('modal covers'), 2), target: '(none)', pass: true },
    { check: 'mean |estimate − truth|, corrected vs modal', value: `${formatEstimate(mae('corrected'), 3)} vs ${formatEstimate(mae('modal'), 3)}`, target: '(none)', pass: true },
  ];
  return { rows, checks };
}
