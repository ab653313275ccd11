/**
 * Ground-truth parameters of the synthetic data. Everything here is written to truth.json;
 * the coding matches the columns the analysis tables expose (see FACTORS.md).
 * Item probabilities are designed by hand (shape) and then scaled per factor group so that the
 * mixture reproduces DfE's 2016 factor prevalence among assessments with factors.
 */
import { HARMONISED_FACTORS, FACTOR_GROUPING } from '../codes';

export const DEMAND_CLASS_LABELS: ReadonlyArray<string> = Object.freeze([
  'No factors identified', // class 0: assessments recorded with code 21 only (not an LCA class)
  'Domestic abuse and violence',
  'Parental mental health complexities',
  'Disability',
  'Child mental health',
  'Risks outside the home',
  'Risks in and outside the home',
  'Complex domestic abuse / risks at home',
  'Concerns about another person',
  'Single-factor physical abuse',
  'Single-factor sexual abuse',
  'Neglect',
  'Emotional abuse',
]);
export const N_CLASSES = 12;

/** class shares among assessments with factors, 2014/15 to 2019/20 (sum 1; index 0 = class 1) */
export const CLASS_SHARES = [0.197, 0.184, 0.06, 0.07, 0.06, 0.04, 0.10, 0.05, 0.06, 0.035, 0.08, 0.064];
/** 2020/21 (first pandemic year): more domestic abuse, fewer disability and outside-home assessments */
export const PANDEMIC_SHARE_MULTIPLIERS = [1.3, 1.0, 0.8, 1.0, 0.75, 1.0, 1.15, 1.0, 1.0, 1.0, 1.0, 1.0];
/** Class shares for 2020/21: the 2014–20 shares times PANDEMIC_SHARE_MULTIPLIERS, renormalised to sum to 1. */
export function pandemicShares(): number[] {
  const w = CLASS_SHARES.map((s, i) => s * PANDEMIC_SHARE_MULTIPLIERS[i]);
  const tot = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / tot);
}

/** DfE 2016 prevalence targets (grouped factors, among assessments with factors). */
export const PREVALENCE_TARGETS: Readonly<Record<string, number>> = Object.freeze({
  domestic_violence: 0.496, mental_health: 0.366, drugs: 0.193, emotional_abuse: 0.193, alcohol: 0.184,
  neglect: 0.175, physical_abuse: 0.14, self_harm: 0.043, cse: 0.039, missing: 0.027, gangs_cce: 0.012,
});

/** Hand-designed item-probability shapes per class (harmonised items; unlisted items get the floor). */
const SHAPES: Array<Record<string, number>> = [
  /* 1 DV */ { '3B': 0.95, '3A': 0.55, '3C': 0.05, '17A': 0.06, '4B': 0.03 },
  /* 2 PMH */ { '4B': 0.95, '3B': 0.1, '1B': 0.15, '2B': 0.15, '16A': 0.04, '5B': 0.1, '6B': 0.15 },
  /* 3 Disability */ { '5A': 0.75, '6A': 0.7, '4A': 0.05, '7A': 0.03, '14A': 0.05 },
  /* 4 Child MH */ { '4A': 0.95, '15A': 0.45, '14A': 0.1, '4B': 0.05 },
  /* 5 outside */ { '14A': 0.75, '2A': 0.6, '1A': 0.35, '10A': 0.35, '11A': 0.35, '13': 0.2, '4A': 0.08 },
  /* 6 in+outside */ { '3B': 0.8, '3A': 0.5, '2B': 0.4, '1B': 0.35, '4B': 0.3, '10A': 0.35, '11A': 0.3, '14A': 0.6, '4A': 0.35, '15A': 0.3, '16A': 0.35, '17A': 0.35, '2A': 0.3 },
  /* 7 complex DV */ { '3B': 0.95, '3A': 0.55, '1B': 0.75, '2B': 0.75, '4B': 0.5, '16A': 0.55, '17A': 0.5 },
  /* 8 another person */ { '3C': 0.7, '4C': 0.6, '1C': 0.5, '2C': 0.5, '20': 0.3, '5C': 0.1, '6C': 0.15 },
  /* 9 physical */ { '18': 0.97 },
  /* 10 sexual */ { '19': 0.97, '11A': 0.03 },
  /* 11 neglect */ { '16A': 0.95, '4B': 0.05, '2B': 0.08, '1B': 0.06, '17A': 0.1, '3B': 0.08 },
  /* 12 emotional */ { '17A': 0.95, '3B': 0.12, '20': 0.2, '4B': 0.05 },
];
/** floor for unlisted items: rare codes rarer still */
const RARE = new Set(['7A', '8', '9A', '12A', '22A', '23A']);
function floorFor(item: string): number {
  return RARE.has(item) ? 0.002 : 0.005;
}

/** item probabilities [class][item], calibrated to PREVALENCE_TARGETS; deterministic */
export function itemProbabilities(): number[][] {
  const items = HARMONISED_FACTORS;
  const p = SHAPES.map((shape) => items.map((it) => shape[it] ?? floorFor(it)));
  const groupsOf = items.map((it) => FACTOR_GROUPING[it]);
  // iterative proportional scaling per targeted group, clamped to [0.002, 0.97]
  for (let iter = 0; iter < 200; iter++) {
    let maxErr = 0;
    for (const g of Object.keys(PREVALENCE_TARGETS)) {
      const prev = groupPrevalence(p, groupsOf, g, CLASS_SHARES);
      const ratio = PREVALENCE_TARGETS[g] / prev;
      maxErr = Math.max(maxErr, Math.abs(prev - PREVALENCE_TARGETS[g]));
      // scale on the odds-of-absence scale would be nicer; plain scaling keeps the designed shape
      for (let k = 0; k < p.length; k++) {
        for (let j = 0; j < items.length; j++) {
          if (groupsOf[j] === g) p[k][j] = Math.min(0.97, Math.max(0.002, p[k][j] * Math.pow(ratio, 0.7)));
        }
      }
    }
    if (maxErr < 1e-6) break;
  }
  return p.map((row) => row.map((x) => Math.round(x * 1e6) / 1e6));
}

/** P(any item of group g) in the mixture, assuming local independence */
export function groupPrevalence(p: number[][], groupsOf: ReadonlyArray<string>, g: string, shares: ReadonlyArray<number>): number {
  let tot = 0;
  for (let k = 0; k < p.length; k++) {
    let none = 1;
    for (let j = 0; j < groupsOf.length; j++) if (groupsOf[j] === g) none *= 1 - p[k][j];
    tot += shares[k] * (1 - none);
  }
  return tot;
}

/** pathway probabilities [NFA, CIN plan, CPP, care] for class 0..12 */
export const PATHWAY_LEVELS = ['NFA', 'CIN plan', 'CPP', 'care'] as const;
export const PATHWAY_PROBS: number[][] = [
  [0.92, 0.07, 0.005, 0.005],
  [0.45, 0.35, 0.15, 0.05], [0.40, 0.38, 0.15, 0.07], [0.35, 0.60, 0.02, 0.03], [0.50, 0.42, 0.03, 0.05],
  [0.45, 0.40, 0.07, 0.08], [0.30, 0.35, 0.20, 0.15], [0.25, 0.35, 0.28, 0.12], [0.50, 0.35, 0.12, 0.03],
  [0.50, 0.30, 0.15, 0.05], [0.45, 0.30, 0.20, 0.05], [0.25, 0.35, 0.28, 0.12], [0.40, 0.35, 0.20, 0.05],
];

/** CPP initial category targets (31 March 2019) and class-specific shapes, raked to the targets */
export const CPP_CATEGORIES = ['NEG', 'EMO', 'PHY', 'SAB', 'MUL'] as const;
export const CPP_CATEGORY_TARGETS = [0.48, 0.35, 0.08, 0.04, 0.04];
const CPP_SHAPES: number[][] = [
  [3, 1, 0.5, 0.2, 0.3],
  [1, 3, 0.3, 0.05, 0.3], [2, 1.5, 0.3, 0.05, 0.3], [3, 0.5, 0.5, 0.1, 0.2], [1.5, 1.5, 0.5, 0.2, 0.3],
  [1.5, 1, 0.5, 0.8, 0.4], [1.5, 1.5, 0.5, 0.3, 0.6], [1.5, 2, 0.4, 0.05, 0.5], [1.5, 1.5, 0.5, 0.5, 0.3],
  [0.5, 0.3, 5, 0.05, 0.3], [0.3, 0.3, 0.1, 5, 0.3], [5, 0.8, 0.2, 0.05, 0.3], [0.5, 5, 0.3, 0.05, 0.3],
];
/** CPP category probabilities [class 0..12][category], raked so that the CPP-weighted mix hits the targets */
export function cppCategoryProbabilities(): number[][] {
  const shares = [0.02, ...CLASS_SHARES.map((s) => s * 0.98)];
  const cppW = shares.map((s, k) => s * PATHWAY_PROBS[k][2]);
  const f = [1, 1, 1, 1, 1];
  let probs: number[][] = [];
  for (let iter = 0; iter < 500; iter++) {
    probs = CPP_SHAPES.map((row) => {
      const w = row.map((x, c) => x * f[c]);
      const t = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / t);
    });
    const wt = cppW.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 5; c++) {
      let m = 0;
      for (let k = 0; k < probs.length; k++) m += (cppW[k] / wt) * probs[k][c];
      f[c] *= CPP_CATEGORY_TARGETS[c] / m;
    }
  }
  return probs.map((row) => row.map((x) => Math.round(x * 1e6) / 1e6));
}

/**
 * Re-referral Cox model: hazard in years since closure
 *   h(t | x) = h0(t) * exp(x'beta) * frailty_LA,  h0 Weibull: H0(t) = (t / scale)^shape.
 * Coding exactly as buildSurvivalEpisodes exposes it:
 *   true_class (factor, reference 1), pathway (factor, reference 'NFA'), age_at_closure (years),
 *   sex (factor, reference 'F'), ethnic_group (factor, reference 'White'), idaci_decile (1 = most
 *   deprived, linear), prior_referrals (count, linear); LA log-frailty ~ N(0, sd^2).
 */
export const REREFERRAL_COX = {
  baseline: { shape: 0.56, scaleYears: 3.2 },
  trueClass: { 0: -0.2, 1: 0, 2: 0.05, 3: -0.3, 4: 0.0, 5: 0.2, 6: 0.5, 7: 0.25, 8: 0.45, 9: -0.4, 10: -0.5, 11: 0.15, 12: 0.0 } as Record<number, number>,
  pathway: { NFA: 0, 'CIN plan': -0.15, CPP: -0.05, care: -0.4 } as Record<string, number>,
  ageAtClosurePerYear: -0.03,
  sex: { F: 0, M: 0.05 } as Record<string, number>,
  ethnicGroup: { White: 0, Mixed: 0.05, Asian: -0.2, Black: -0.1, Other: -0.15, Unknown: 0 } as Record<string, number>,
  idaciDecilePerDecile: -0.04,
  priorReferralsPerReferral: 0.12,
  laLogFrailtySd: 0.25,
};

/** First-referral process: rate per child-year = base * exp(idaci * (decile - 1)) * LA multiplier. */
export const REFERRAL_RATE = {
  basePerYear: 0.106, // calibrated so that the national scale gives ~650k referrals a year
  idaciLogRatePerDecile: -0.26, // decile 1 vs 10: exp(0.26 * 9) = 10.4 times
  laLogRateSd: 0.2,
  pandemicDip: { from: '2020-04-01', to: '2020-06-30', keepProbability: 0.7 },
  assessmentProbability: 0.92,
  factorsGivenAssessment: 0.86,
};

/**
 * Attainment models (linear, Gaussian), coding exactly as buildPupilLinked exposes it:
 *   csc_exposure (factor, reference 'none'; levels none/CIN/CPP/CLA = highest level before the test),
 *   true_class (factor, reference 0 = none/no factors), fsm (0/1), sen (factor, ref 'N'; K support, E EHCP),
 *   eal (0/1), idaci_decile (linear), LA and school random intercepts, residual.
 * laFsmSlope: the FSM gap varies by LA (lme4's `(1 + fsm | la)`): LA l's gap is fsm + b_l, with b_l normal,
 *   SD `sd`, correlated `corr` with the LA intercept (sd.la). Only Attainment 8 varies: notebook 03's random
 *   slope model is fitted to it; the other outcomes keep one gap so their coverage checks are unchanged.
 */
export const ATTAINMENT = {
  ks2_read: {
    intercept: 105.8, csc_exposure: { none: 0, CIN: -2.2, CPP: -2.7, CLA: -2.2 } as Record<string, number>,
    true_class: { 0: 0, 1: 0, 2: -0.5, 3: -2, 4: -1, 5: -3.5, 6: -4, 7: -1, 8: -0.5, 9: 0, 10: -0.5, 11: -1.5, 12: -0.5 } as Record<number, number>,
    fsm: -2.5, sen: { N: 0, K: -6, E: -11 } as Record<string, number>, eal: -1, idaci_decile: 0.25,
    sd: { la: 0.8, school: 1.5, residual: 5.5 },
    laFsmSlope: { sd: 0, corr: 0 },
  },
  ks2_maths: {
    intercept: 105.8, csc_exposure: { none: 0, CIN: -2.2, CPP: -2.7, CLA: -2.2 } as Record<string, number>,
    true_class: { 0: 0, 1: 0, 2: -0.5, 3: -2, 4: -1, 5: -3.5, 6: -4, 7: -1, 8: -0.5, 9: 0, 10: -0.5, 11: -1.5, 12: -0.5 } as Record<number, number>,
    fsm: -2.5, sen: { N: 0, K: -6, E: -11 } as Record<string, number>, eal: 0.5, idaci_decile: 0.25,
    sd: { la: 0.8, school: 1.5, residual: 5.5 },
    laFsmSlope: { sd: 0, corr: 0 },
  },
  ks4_att8: {
    intercept: 52.2, csc_exposure: { none: 0, CIN: -24.5, CPP: -25.5, CLA: -24 } as Record<string, number>,
    true_class: { 0: 0, 1: 0, 2: -1, 3: -3, 4: -2, 5: -7, 6: -8, 7: -2, 8: -1, 9: 0, 10: -1, 11: -3, 12: -1 } as Record<number, number>,
    fsm: -8, sen: { N: 0, K: -12, E: -25 } as Record<string, number>, eal: 1.5, idaci_decile: 0.6,
    sd: { la: 1.5, school: 3, residual: 13 },
    laFsmSlope: { sd: 1.5, corr: -0.3 },
  },
  ks4_p8: {
    intercept: 0.15, csc_exposure: { none: 0, CIN: -1.15, CPP: -1.25, CLA: -1.05 } as Record<string, number>,
    true_class: { 0: 0, 1: 0, 2: -0.05, 3: -0.1, 4: -0.15, 5: -0.5, 6: -0.55, 7: -0.1, 8: -0.05, 9: 0, 10: -0.05, 11: -0.2, 12: -0.05 } as Record<number, number>,
    fsm: -0.45, sen: { N: 0, K: -0.45, E: -0.9 } as Record<string, number>, eal: 0.4, idaci_decile: 0.02,
    sd: { la: 0.1, school: 0.25, residual: 1.0 },
    laFsmSlope: { sd: 0, corr: 0 },
  },
  /** pupil-level shared ability loading between KS2 reading, writing and maths residuals */
  ks2SharedResidualShare: 0.6,
  writingThresholdShift: 0.0,
};

export const STUDY_WINDOW = { start: '2014-04-01', end: '2021-03-31', censusYears: [2015, 2016, 2017, 2018, 2019, 2020, 2021] };
export const KS2_YEARS = [2015, 2016, 2017, 2018, 2019];
export const KS4_YEARS = [2015, 2016, 2017, 2018, 2019, 2020, 2021];

/**
 * population per scale: children born 1997-09-01..2021-03-31; national ~ 650k births a year. 'regional'
 * is a tenth of national with the same 152 LAs: big enough to show how time and memory grow with n, small
 * enough to iterate on before a national run.
 */
export const SCALE_POPULATION: Record<string, number> = { tiny: 25_000, small: 250_000, regional: 1_530_000, national: 15_300_000 };
export const N_LAS = 152;
export const SCHOOLS_PER_LA: Record<string, { primary: number; secondary: number }> = {
  tiny: { primary: 2, secondary: 1 }, small: { primary: 6, secondary: 3 }, regional: { primary: 11, secondary: 3 }, national: { primary: 110, secondary: 22 },
};
