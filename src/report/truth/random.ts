// Truth checks of the random-effect and class-effect extensions of the model notebooks: the LA frailty
// (02), the random FSM slope (03), and the classification-error-corrected class effects (02, 03).
// Each returns TruthCheck rows that join the notebook's one truth report.
import { frailtyRecovery } from '../../survival/frailtyTruth';
import type { CoxFrailtyFit } from '../../survival/frailty';
import { classEffectTruthCheck } from '../../classeffects/truth';
import type { LcaFit } from '../../lca/index';
import type { TidyRow } from '../../core/result';
import { plainTable } from '../../display/sdc';
import { formatEstimate } from '../../core/numberStyle';
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
  /** Correlations of the random effects (intercept first). */
  readonly randomCorrelation?: readonly (readonly number[])[];
  /** Predicted random effects per term (intercept first), lme4's ranef(). */
  readonly ranef?: ReadonlyArray<{ readonly ids: ArrayLike<unknown>; readonly values: ArrayLike<number> }>;
}

/** The generating random slope: the national effect, and per group the deviation from it (truth.json). */
export interface RandomSlopeTruth {
  readonly effect: number;
  /** Realised SDs of the drawn group intercepts and slopes and their correlation (0, 0, 0 for one effect everywhere). */
  readonly sdIntercept: number;
  readonly sdSlope: number;
  readonly corr: number;
  /** group → its true slope deviation (empty for one effect everywhere) */
  readonly slopes: Readonly<Record<string, number>>;
}

const sdOf = (v: ArrayLike<number>) => {
  let m = 0; for (let i = 0; i < v.length; i++) m += v[i] / v.length;
  let s = 0; for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2 / v.length;
  return Math.sqrt(s);
};
function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0; for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Recovery of a random slope (R: lme4 `(1 + x | g)`) against the generating one: the fixed effect `term`
 * within 3 SE of the truth, and, where the groups' slopes vary, the slope SD and the intercept–slope
 * correlation each within 3 approximate SEs of the realised values, and the predicted group slopes
 * correlated with the true ones. The SEs follow from the number of groups G and the reliability λ of
 * the group estimates (λ = var of the predicted effects / fitted variance, 1 when each group's effect is
 * known exactly): SE(SD) ≈ SD / (λ √(2G)) (the variance of G normal effects, inflated by the sampling
 * variance of each group's estimate), SE(ρ) ≈ (1 − ρ²) / (√G √(λ₀ λ₁)) (Fisher's large-sample SE,
 * disattenuated); the predicted slopes correlate with the true ones at about √λ, SE (1 − λ) / √G.
 * Where the truth is one effect everywhere (sdSlope 0), the slope SD must stay below a quarter of it.
 * Errors: throws when `term` is not a coefficient of the fit, or a group of the fit has no true slope.
 */
export function randomSlopeTruthChecks(fit: RandomSlopeFitLike, term: string, truth: RandomSlopeTruth, label: string): TruthCheck[] {
  const j = fit.names.indexOf(term);
  if (j < 0) throw new Error(`randomSlopeTruthChecks: no coefficient "${term}" (have ${fit.names.join(', ')})`);
  const [sdInt, sdSlope] = [fit.randomSd?.[0] ?? NaN, fit.randomSd?.[1] ?? NaN];
  const national = withinCheck(`${label}: national effect within 3 SE of the truth`, fit.coef[j], truth.effect, 3 * fit.se[j], 2);
  if (!(truth.sdSlope > 0)) {
    return [national, atMostCheck(`${label}: SD of the slope (truth 0) below a quarter of the effect`, sdSlope, Math.abs(truth.effect) / 4, 2)];
  }
  const [re0, re1] = [fit.ranef?.[0], fit.ranef?.[1]];
  if (!re0 || !re1) throw new Error('randomSlopeTruthChecks: the fit has no predicted random effects (ranef)');
  const ids = Array.from(re1.ids, String);
  const trueSlopes = ids.map((g) => {
    const v = truth.slopes[g];
    if (typeof v !== 'number') throw new Error(`randomSlopeTruthChecks: group "${g}" has no true slope in truth.json`);
    return v;
  });
  const G = ids.length;
  const reliability = (re: ArrayLike<number>, sd: number) => Math.min(1, Math.max(0.05, (sdOf(re) / sd) ** 2));
  const [lam0, lam1] = [reliability(re0.values, sdInt), reliability(re1.values, sdSlope)];
  const rho = fit.randomCorrelation?.[0]?.[1] ?? NaN;
  const seSd = truth.sdSlope / (lam1 * Math.sqrt(2 * G));
  const seRho = (1 - truth.corr ** 2) / (Math.sqrt(G) * Math.sqrt(lam0 * lam1));
  const r = pearson(re1.values, trueSlopes);
  return [
    national,
    withinCheck(`${label}: SD of the slope against the realised SD (${G} groups)`, sdSlope, truth.sdSlope, 3 * seSd, 2),
    withinCheck(`${label}: correlation of intercept and slope against the realised one`, rho, truth.corr, 3 * seRho, 2),
    atLeastCheck(`${label}: correlation of predicted and true group slopes`, r, Math.sqrt(lam1) - 3 * (1 - lam1) / Math.sqrt(G), 2),
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
  const f3 = (x: number) => (Number.isFinite(x) ? formatEstimate(x, 3) : 'NaN');
  const minus = (ci: string) => ci.replace(/(^|\s)-/g, '$1−');
  const rows = res.rows.map((r) => ({
    term: String(r.term).replace(/^class(?=\d)/, ''), truth: f3(r.truth),
    modal: f3(r.modal), 'modal 95% CI': minus(r['modal 95% CI']), corrected: f3(r.corrected), 'corrected 95% CI': minus(r['corrected 95% CI']),
    'modal covers': r['modal covers'], 'corrected covers': r['corrected covers'],
  }));
  return { checks, detail: { caption, table: plainTable(rows) } };
}

/**
 * truth.json's FSM gap in Attainment 8 and its variation by LA (attainment.ks4_att8: fsm; laFsmSlopes,
 * laFsmSlopeRealised, by LA in truth.las order). A set without LA slopes gives one gap everywhere.
 */
export function trueFsmSlope(truth: unknown, attainment: TruthBlock): RandomSlopeTruth {
  const effect = truthNumber(truthBlock(attainment, 'ks4_att8'), 'fsm', 'attainment.ks4_att8');
  const realised = (attainment.laFsmSlopeRealised as Record<string, { sdIntercept: number; sdSlope: number; corr: number }> | undefined)?.ks4_att8;
  const draws = (attainment.laFsmSlopes as Record<string, number[]> | undefined)?.ks4_att8;
  const las = (truth as { las?: string[] }).las;
  if (!realised || !draws || !Array.isArray(las)) return { effect, sdIntercept: 0, sdSlope: 0, corr: 0, slopes: {} };
  return { effect, ...realised, slopes: Object.fromEntries(las.map((l, i) => [l, draws[i]])) };
}
