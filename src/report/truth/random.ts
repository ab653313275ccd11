// Truth checks of the random-effect and class-effect extensions of the model notebooks: the LA frailty
// (02), the random FSM slope (03), and the classification-error-corrected class effects (02, 03).
// Each returns TruthCheck rows that join the notebook's one truth report.
import { frailtyRecovery } from '../../survival/frailtyTruth';
import type { CoxFrailtyFit } from '../../survival/frailty';
import { classEffectTruthCheck } from '../../classeffects/truth';
import type { LcaFit } from '../../lca/index';
import type { TidyRow } from '../../core/result';
import { plainTable } from '../../display/sdc';
import { atLeastCheck, atMostCheck, rangeCheck, withinCheck, type TruthCheck, type TruthSection } from './table';
import { truthBlock, truthNumber, type TruthBlock } from './read';

/**
 * θ of a shared gamma frailty against the variance of the true LA relative hazards (ratio in 0.5–1.5),
 * and the correlation of estimated and true log-frailties (≥ 0.6). `trueLogFrailty` is truth.json's
 * rereferralCox.laLogFrailty (LA → log relative hazard). Errors: throws when a fitted LA has no truth.
 */
export function frailtyTruthChecks(
  fit: Pick<CoxFrailtyFit, 'theta' | 'frailtyLevels' | 'frailties'>, trueLogFrailty: unknown,
): TruthCheck[] {
  if (typeof trueLogFrailty !== 'object' || trueLogFrailty === null) {
    throw new Error('truth.json rereferralCox: "laLogFrailty" missing (regenerate the synthetic data)');
  }
  const r = frailtyRecovery(fit, trueLogFrailty as Record<string, number>);
  return [
    rangeCheck('LA frailty: θ / variance of the true LA relative hazards', r.thetaRatio, 0.5, 1.5, 2),
    atLeastCheck('LA frailty: correlation of estimated and true log-frailties', r.correlation, 0.6, 2),
  ];
}

/** The parts of a random-slope fit (R: lme4 `(1 + x | g)`) the slope checks read. */
export interface RandomSlopeFitLike {
  readonly names: readonly string[];
  readonly coef: ArrayLike<number>;
  readonly se: ArrayLike<number>;
  /** SDs of the random intercept and slope, in that order. */
  readonly randomSd?: readonly number[];
}

/**
 * A random slope where the generator has one gap for every group (true slope SD 0): the fixed effect
 * `term` within 3 SE of `trueEffect`, and the slope SD below a quarter of |trueEffect|.
 * Errors: throws when `term` is not a coefficient of the fit.
 */
export function randomSlopeTruthChecks(fit: RandomSlopeFitLike, term: string, trueEffect: number, label: string): TruthCheck[] {
  const j = fit.names.indexOf(term);
  if (j < 0) throw new Error(`randomSlopeTruthChecks: no coefficient "${term}" (have ${fit.names.join(', ')})`);
  const sdSlope = fit.randomSd?.[1] ?? NaN;
  return [
    withinCheck(`${label}: national effect within 3 SE of the truth`, fit.coef[j], trueEffect, 3 * fit.se[j], 2),
    atMostCheck(`${label}: SD of the slope (truth 0) below a quarter of the effect`, sdSlope, Math.abs(trueEffect) / 4, 2),
  ];
}

/** The classification-error-corrected class effects of a notebook, with the LCA fit they came from. */
export interface ClassEffectsTruthInput {
  readonly fit: LcaFit;
  readonly classLabels: string[];
  readonly modal: TidyRow[];
  readonly corrected: TidyRow[];
}

/**
 * Class effects (modal and BCH-corrected) against the generating class effects at `path` in truth.json
 * (each estimated class matched to a generating class by its factor profile; src/classeffects/truth.ts).
 * The corrected coverage is asserted (≥ 0.8); the modal coverage and the mean errors are diagnostics.
 */
export function classEffectsTruthChecks(truth: unknown, path: string[], input: ClassEffectsTruthInput, caption: string): {
  checks: TruthCheck[]; detail: TruthSection;
} {
  const res = classEffectTruthCheck(input.fit, {
    truth, effects: path, classLabels: input.classLabels, modal: input.modal, corrected: input.corrected,
  });
  const checks = res.checks.map((c, i) => ({
    ...c, check: `class effects: ${c.check}`, asserted: i === 0, target: c.target === '(none)' ? '—' : c.target,
  }));
  // Terms are named by class ("class02. Neglect"): shown as the class label alone; numbers to 3 decimals.
  const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3).replace(/^-/, '−') : 'NaN');
  const minus = (ci: string) => ci.replace(/(^|\s)-/g, '$1−');
  const rows = res.rows.map((r) => ({
    term: String(r.term).replace(/^class(?=\d)/, ''), truth: f3(r.truth),
    modal: f3(r.modal), 'modal 95% CI': minus(r['modal 95% CI']), corrected: f3(r.corrected), 'corrected 95% CI': minus(r['corrected 95% CI']),
    'modal covers': r['modal covers'], 'corrected covers': r['corrected covers'],
  }));
  return { checks, detail: { caption, table: plainTable(rows) } };
}

/** truth.json attainment.ks4_att8.fsm: the generator's one FSM gap in Attainment 8 points. */
export function trueFsmGap(attainment: TruthBlock): number {
  return truthNumber(truthBlock(attainment, 'ks4_att8'), 'fsm', 'attainment.ks4_att8');
}
