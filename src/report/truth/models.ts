// Truth checks for the model notebooks: the generating specification is refitted with the true class
// and its coefficients compared with truth.json (coverage of the 95% CI at about the nominal rate), and
// raw rates/means are compared with the generator's calibration targets. Means go through protectMean,
// so a check never shows a mean of a group below the disclosure threshold.
import type { TableLike } from '../../formula/design';
import { cox } from '../../survival/table';
import { kmAtTimes, type KmCurve } from '../../survival/km';
import type { CoxTies } from '../../survival/coxcore';
import { ols } from '../../regression/table';
import { protectMean } from '../../display/protect/magnitude';
import type { SdcRules } from '../../display/sdc';
import { coverageRows, coverageShareCheck, withinCheck, truthReport, type TruthReport, type TrueEffects } from './table';
import { truthBlock, truthLevels, truthNumber } from './read';
import { numericWhere, subsetTable } from './subset';
import { classEffectsTruthChecks, frailtyTruthChecks, randomSlopeTruthChecks, trueFsmSlope, type ClassEffectsTruthInput, type RandomSlopeFitLike } from './random';
import type { CoxFrailtyFit } from '../../survival/frailty';
import { generatingFit, linkageBias, trueInputs, type LinkageComparison, type PupilTruthLike, type TrueInputs } from './linkage';
import { levelLabel } from '../dictionary';
import { CSC_DICTIONARY } from '../dictionaries';

/** The CIN-only group of the attainment checks, as tables name it ("Child in need", not the code CIN). */
const CIN_ONLY = levelLabel('csc_exposure', 'CIN', CSC_DICTIONARY);

export interface RereferralTruthInput {
  /** Survival episodes (one row per closure) with true_class, pathway, sex, ethnic_group, la, time_years, event. */
  readonly episodes: TableLike;
  /** The overall Kaplan–Meier curve of re-referral (time in years). */
  readonly overall: KmCurve;
  readonly ties?: CoxTies;
  /** A shared gamma frailty by LA (`cox(... + frailty(la))`), checked against truth.json's laLogFrailty. */
  readonly frailty?: Pick<CoxFrailtyFit, 'theta' | 'frailtyLevels' | 'frailties'>;
  /** Modal and BCH-corrected class effects, checked against rereferralCox.trueClass. */
  readonly classEffects?: ClassEffectsTruthInput;
}

/**
 * Notebook 02: refits `Surv(time_years, event) ~ true_class + pathway + age_at_closure + sex + ethnic_group +
 * idaci_decile + prior_referrals + strata(la)` (R: coxph) and asserts ≥ 80% of the true log-HRs lie in their
 * 95% CIs, and that 1 − S(1 year) = 0.30 ± 0.05 and 1 − S(6 years) = 0.59 ± 0.06 (the calibration targets).
 * With `frailty`, adds the LA frailty recovery (frailtyTruthChecks); with `classEffects`, the corrected
 * class effects (classEffectsTruthChecks) and their table.
 */
export function rereferralTruthChecks(truth: unknown, input: RereferralTruthInput): TruthReport {
  if (truth === undefined) return truthReport(null);
  const t = truthBlock(truth, 'rereferralCox');
  const w = 'rereferralCox';
  const trueClass = truthLevels(t, 'trueClass', w);
  const base = trueClass['1'] ?? 0;
  const effects: TrueEffects = {
    true_class_f: Object.fromEntries(Object.entries(trueClass).map(([k, v]) => [k, v - base])),
    pathway: truthLevels(t, 'pathway', w), sex: truthLevels(t, 'sex', w), ethnic_group: truthLevels(t, 'ethnicGroup', w),
    age_at_closure: truthNumber(t, 'ageAtClosurePerYear', w), idaci_decile: truthNumber(t, 'idaciDecilePerDecile', w),
    prior_referrals: truthNumber(t, 'priorReferralsPerReferral', w),
  };
  const tc = input.episodes.array('true_class');
  const sub = subsetTable(input.episodes, (i) => Number(tc[i]) > 0, { true_class_f: (i) => String(tc[i]) });
  const fit = cox(sub, {
    formula: 'Surv(time_years, event) ~ true_class_f + pathway + age_at_closure + sex + ethnic_group + idaci_decile + prior_referrals + strata(la)',
    factors: { true_class_f: '1', pathway: 'NFA', sex: 'F', ethnic_group: 'White' }, ties: input.ties ?? 'efron',
  });
  const coverage = coverageRows(fit.tidy(), effects);
  const at = kmAtTimes(input.overall, [1, 6]);
  const checks = [
    coverageShareCheck('share of true log-HRs inside their 95% CI', coverage),
    withinCheck('re-referred within 12 months', 1 - at.surv[0], 0.30, 0.05, 3),
    withinCheck('re-referred within 6 years', 1 - at.surv[1], 0.59, 0.06, 3),
  ];
  if (input.frailty) checks.push(...frailtyTruthChecks(input.frailty, t.laLogFrailty));
  const classes = input.classEffects && classEffectsTruthChecks(truth, ['rereferralCox', 'trueClass'], input.classEffects,
    'True log hazard ratios of the demand classes against modal and BCH-corrected estimates (95% CI)');
  if (classes) checks.push(...classes.checks);
  return truthReport(checks, coverage, 'Log hazard ratios', {
    coverage: 'True log hazard ratios against estimates (95% CI)', details: classes ? [classes.detail] : [],
  });
}

export interface AttainmentTruthInput {
  /** KS2 pupils (read_score, rwm_expected, csc_exposure, true_class, fsm, sen, eal, idaci_decile, school). */
  readonly ks2: TableLike;
  /** KS4 pupils (att8, p8, and the same covariates). */
  readonly ks4: TableLike;
  readonly rules?: Partial<SdcRules>;
  /** M3 with a random FSM slope by LA (`lmm(... + (1 + fsm | la))`): the gap, slope SD, correlation and LA slopes against truth.json. */
  readonly randomSlope?: RandomSlopeFitLike;
  /** Modal and BCH-corrected class effects on Progress 8, checked against attainment.ks4_p8.true_class. */
  readonly classEffects?: ClassEffectsTruthInput;
  /**
   * Each KS result's true CSC exposure and class (pupilTruthFor(dataSource), from the generator's
   * pupil_truth.csv). Required with a truth: the coverage check fits the generating specification on them.
   */
  readonly pupilTruth?: PupilTruthLike;
}

function attainmentEffects(block: Record<string, unknown>, key: string): TrueEffects {
  const b = truthBlock(block, key);
  const w = `attainment.${key}`;
  return {
    csc_exposure: truthLevels(b, 'csc_exposure', w), true_class_f: truthLevels(b, 'true_class', w), sen: truthLevels(b, 'sen', w),
    fsm: truthNumber(b, 'fsm', w), eal: truthNumber(b, 'eal', w), idaci_decile: truthNumber(b, 'idaci_decile', w),
  };
}

/**
 * Notebook 03: refits KS2 reading and KS4 Progress 8 on the generating covariates with the TRUE CSC
 * exposure and class of each pupil (OLS, school-clustered SEs; R: lm + sandwich::vcovCL) and asserts
 * ≥ 80% coverage of the true effects: a test of the estimator on what it can identify. The same fits on
 * the linked exposure (what the analysis sees, where CIN records without a PMR leave a child at 'none')
 * give the linkage bias of the CSC gaps (also for Attainment 8): a table, a diagnostic coverage share,
 * and `linkageSentence`; an asserted check that linked exposure differs from the truth only by missing
 * linkage. Also the calibration targets for raw attainment. Attainment 8 is clamped at 0, which
 * attenuates large negative effects, so its coefficients are not covered. With `randomSlope`, adds the
 * FSM slope recovery (randomSlopeTruthChecks); with `classEffects`, the corrected class effects.
 * Errors: a truth without `pupilTruth`.
 */
export function attainmentTruthChecks(truth: unknown, input: AttainmentTruthInput): TruthReport & { linkageSentence: string } {
  if (truth === undefined) return { ...truthReport(null), linkageSentence: '' };
  if (!input.pupilTruth) throw new Error('attainmentTruthChecks: pupilTruth missing (pupilTruthFor(dataSource) reads the synthetic set\'s pupil_truth.csv)');
  const a = truthBlock(truth, 'attainment');
  const in2 = trueInputs(input.ks2, input.pupilTruth, 2);
  const in4 = trueInputs(input.ks4, input.pupilTruth, 4);
  const compare = (table: TableLike, outcome: string, label: string, ks: 2 | 4, inputs: TrueInputs): LinkageComparison => (
    { outcome: label, keyStage: ks, inputs, onTrue: generatingFit(table, outcome, inputs), onLinked: generatingFit(table, outcome) });
  const comparisons = [
    compare(input.ks4, 'att8', 'KS4 Attainment 8', 4, in4),
    compare(input.ks4, 'p8', 'KS4 Progress 8', 4, in4),
    compare(input.ks2, 'read_score', 'KS2 reading', 2, in2),
  ];
  const [, p8, read] = comparisons;
  const fx2 = attainmentEffects(a, 'ks2_read'), fx4 = attainmentEffects(a, 'ks4_p8');
  const coverage = [...coverageRows(read.onTrue.tidy(), fx2, 'KS2 reading'), ...coverageRows(p8.onTrue.tidy(), fx4, 'KS4 Progress 8')];
  const linkedCoverage = [...coverageRows(read.onLinked.tidy(), fx2, 'KS2 reading'), ...coverageRows(p8.onLinked.tidy(), fx4, 'KS4 Progress 8')];
  const linkage = linkageBias(comparisons, { 'KS4 Attainment 8': 2, 'KS2 reading': 2 });
  const linkedShare = coverageShareCheck('on linked exposure (linkage bias included): share of true effects inside their 95% CI', linkedCoverage);
  const mean = (t: TableLike, col: string, cinOnly: boolean) => {
    const g = t.array('csc_exposure');
    return protectMean(numericWhere(t, col, (i) => !cinOnly || g[i] === 'CIN'), input.rules) ?? NaN;
  };
  const checks = [
    coverageShareCheck('share of true effects inside their 95% CI (true exposure and class)', coverage),
    { ...linkedShare, asserted: false },
    ...linkage.checks,
    withinCheck(`KS4 Attainment 8, ${CIN_ONLY}`, mean(input.ks4, 'att8', true), 18.8, 2, 1),
    withinCheck('KS4 Attainment 8, all pupils', mean(input.ks4, 'att8', false), 46.7, 2, 1),
    withinCheck(`KS4 Progress 8, ${CIN_ONLY}`, mean(input.ks4, 'p8', true), -1.45, 0.2, 2),
    withinCheck(`KS2 % at expected standard RWM, ${CIN_ONLY}`, 100 * mean(input.ks2, 'rwm_expected', true), 35, 5, 1),
    withinCheck('KS2 % at expected standard RWM, all pupils', 100 * mean(input.ks2, 'rwm_expected', false), 65, 5, 1),
  ];
  if (input.randomSlope) checks.push(...randomSlopeTruthChecks(input.randomSlope, 'fsm1', trueFsmSlope(truth, a), 'random FSM slope by LA'));
  const classes = input.classEffects && classEffectsTruthChecks(truth, ['attainment', 'ks4_p8', 'true_class'], input.classEffects,
    'True Progress 8 effects of the demand classes against modal and BCH-corrected estimates (95% CI)');
  if (classes) checks.push(...classes.checks);
  const report = truthReport(checks, coverage, 'Effects in points of the outcome (KS2 scaled score, Progress 8)', {
    coverage: 'True effects against estimates on the true exposure and class (95% CI, school-clustered)',
    details: [linkage.detail, ...(classes ? [classes.detail] : [])],
  });
  return { ...report, linkageSentence: linkage.sentence };
}
