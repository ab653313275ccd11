/**
 * truth.json of a synthetic set: the generating parameters (classes, prevalences, pathways, CPP
 * categories, re-referral Cox model, referral rates, attainment model), the realised area draws,
 * the achievable ARI, counts and the population estimands (population.ts).
 */
import { HARMONISED_FACTORS, FACTOR_GROUPING } from '../codes';
import { adjustedRandIndexFromTable } from '../ari';
import type { SyntheticScale, SyntheticTruth } from '../types';
import {
  DEMAND_CLASS_LABELS, PANDEMIC_SHARE_MULTIPLIERS, groupPrevalence, PREVALENCE_TARGETS, PATHWAY_LEVELS, PATHWAY_PROBS,
  CPP_CATEGORIES, CPP_CATEGORY_TARGETS, REREFERRAL_COX, REFERRAL_RATE, ATTAINMENT, STUDY_WINDOW,
} from './params';
import { GENERATOR_VERSION } from './folder';
import type { SynthRun } from './state';
import { OUTCOMES } from './areas';

/**
 * Per outcome with an LA-varying FSM gap: the SDs of the drawn LA intercepts and slopes and their
 * correlation (population formulas, divisor n), the realised values a random-slope fit estimates.
 */
export function realisedSlopes(laRe: Record<string, number[]>, laFsm: Record<string, number[]>): Record<string, { sdIntercept: number; sdSlope: number; corr: number }> {
  const out: Record<string, { sdIntercept: number; sdSlope: number; corr: number }> = {};
  for (const o of OUTCOMES) {
    const a = laRe[o], b = laFsm[o], n = a.length;
    const ma = a.reduce((s, x) => s + x, 0) / n, mb = b.reduce((s, x) => s + x, 0) / n;
    let saa = 0, sbb = 0, sab = 0;
    for (let l = 0; l < n; l++) { saa += (a[l] - ma) ** 2; sbb += (b[l] - mb) ** 2; sab += (a[l] - ma) * (b[l] - mb); }
    if (sbb === 0) continue;
    out[o] = { sdIntercept: Math.sqrt(saa / n), sdSlope: Math.sqrt(sbb / n), corr: sab / Math.sqrt(saa * sbb) };
  }
  return out;
}

/** The truth object for a finished run; `inequality` is what PopulationTally.write returned. */
export function buildTruth(run: SynthRun, scale: SyntheticScale, seed: number, inequality: unknown): SyntheticTruth {
  const { model, tallies, counts } = run;
  const { laNames, laLogFrailty, laRateMult, laRe, laFsm } = run.areas;
  const itemProbs = model.itemProbs;
  const groupsOf = HARMONISED_FACTORS.map((f) => FACTOR_GROUPING[f]);
  const groups = Object.keys(PREVALENCE_TARGETS);
  return {
    scale, seed, generator: GENERATOR_VERSION,
    endOfData: STUDY_WINDOW.end, window: STUDY_WINDOW, censusYears: STUDY_WINDOW.censusYears,
    las: laNames,
    classes: {
      labels: DEMAND_CLASS_LABELS.slice(1),
      note: 'class k = labels[k-1]; true_class 0 in the tables = assessment with no factors (code 21) or no assessment',
      shares: model.sharesPre,
      sharesPandemic2021: model.sharesPandemic,
      pandemicShareMultipliers: PANDEMIC_SHARE_MULTIPLIERS,
      items: HARMONISED_FACTORS.map((c) => 'f_' + c),
      itemCodes: HARMONISED_FACTORS,
      itemNote: 'items are the buildLcaMatrix column names (harmonised grouping); itemProbabilities[k-1][j] = P(item j present | class k)',
      itemProbabilities: itemProbs,
      lcaSampleCounts: tallies.lcaClassCounts.slice(1),
      expectedAriTrueParameters: adjustedRandIndexFromTable(tallies.confusion),
      expectedAriNote: 'ARI between true class and the modal class under the true parameters (period-specific shares) over the LCA sample: the best a perfectly estimated 12-class LCA can do on these data',
    },
    prevalence: {
      targets: PREVALENCE_TARGETS,
      model: Object.fromEntries(groups.map((g) => [g, groupPrevalence(itemProbs, groupsOf, g, model.sharesPre)])),
      population: 'grouped factor present, among assessments with at least one factor, 2014/15-2019/20 mix',
    },
    pathways: { levels: PATHWAY_LEVELS, probabilitiesByClass: PATHWAY_PROBS, counts: Object.fromEntries(PATHWAY_LEVELS.map((p, i) => [p, tallies.pathwayCounts[i]])) },
    cpp: {
      categories: CPP_CATEGORIES, targets: CPP_CATEGORY_TARGETS, probabilitiesByClass: model.cppProbs,
      initialCategoryCounts: Object.fromEntries(CPP_CATEGORIES.map((c, i) => [c, tallies.cppCatCounts[i]])),
      initialCategoryOpenAt31March2019: Object.fromEntries(CPP_CATEGORIES.map((c, i) => [c, tallies.cppCatOpen2019[i]])),
    },
    rereferralCox: {
      ...REREFERRAL_COX,
      laLogFrailty: Object.fromEntries(laNames.map((n, l) => [n, laLogFrailty[l]])),
      timeScale: 'years since closure; table columns time_days / 365.25',
      coding: 'true_class factor ref 1; pathway factor ref NFA; age_at_closure years (closure - dob)/365.25; sex ref F; ethnic_group ref White; idaci_decile linear (1 = most deprived); prior_referrals count of earlier referrals of the child in the data',
      targets: { within12Months: 0.3, within6Years: 0.59 },
    },
    referralRate: { ...REFERRAL_RATE, laRateMultiplier: Object.fromEntries(laNames.map((n, l) => [n, laRateMult[l]])) },
    attainment: {
      ...ATTAINMENT,
      laRandomEffects: laRe,
      laFsmSlopes: laFsm,
      laFsmSlopeRealised: realisedSlopes(laRe, laFsm),
      pupilTruthFile: 'pupil_truth.csv: per KS result, the CSC exposure and true class the generator used (before linkage loses CIN records without a PMR)',
      coding: 'csc_exposure factor ref none (highest of CIN < CPP < CLA reached before the test date: KS2 10 May, KS4 1 June); true_class factor ref 0 (class of the latest referral before the test; 0 = none/no factors); fsm 0/1; sen factor ref N; eal 0/1; idaci_decile linear; the FSM gap of LA l is fsm + laFsmSlopes[outcome][l] (laFsmSlope: SD and correlation with the LA intercept; laFsmSlopeRealised: the drawn values\' SDs and correlation). KS2 scores rounded and clamped to 80-120, Att8 clamped to 0-90 (one decimal), P8 to -5..5 (two decimals): effects hold for the latent score, so a linear model on the observed score is attenuated where many pupils sit at a bound (counts.*_clamped; Att8 at 0 is common for CIN pupils with an EHCP). KS2 reading/maths and P8 recover the effects within sampling error at small scale; Att8 effects of large negative terms (csc_exposure, sen E, true_class 3) come out a few percent smaller.',
      targets: { ks2RwmExpected: { cin: 0.35, all: 0.65 }, ks4Att8: { cin: 18.8, cla: 19.1, all: 46.7 }, ks4P8: { cin: -1.45 } },
    },
    counts,
    referralsByCensusYear: tallies.referralsByYear,
    referralsByMonth: Object.fromEntries(Object.entries(tallies.referralsByMonth2020).sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    inequality,
  };
}
