/** Checks against the synthetic data's known truth: one call per notebook, a compact pass/fail table. */
export {
  truthReport, naturalCompare, withinCheck, rangeCheck, atLeastCheck, atMostCheck, equalCheck, coverageCheck, coverageRows,
  coverageShareCheck, trueEffectOf, type TruthCheck, type TruthReport, type TruthSection, type TruthCaptions, type CoverageRow, type TrueEffects,
} from './table';
export { lcaTruthChecks, type LcaTruthInput } from './lca';
export { rereferralTruthChecks, attainmentTruthChecks, type RereferralTruthInput, type AttainmentTruthInput } from './models';
export { inequalityTruthChecks, type InequalityTruthInput } from './inequality';
export { subsetTable } from './subset';
export {
  frailtyTruthChecks, randomSlopeTruthChecks, classEffectsTruthChecks, type RandomSlopeFitLike, type RandomSlopeTruth, type ClassEffectsTruthInput,
} from './random';
export { truthBundle } from './bundle';
