// Survival engine: Cox regression, Kaplan–Meier, log-rank, diagnostics and prediction.
export { fitCox, type CoxInput, type CoxFit, type CoxTest, type CoxConcordance } from './cox';
export type { CoxTies } from './coxcore';
export {
  kaplanMeier, kmMedian, kmAtTimes, survivalCi,
  type KmInput, type KmCurve, type KmResult, type KmAtTimes, type ConfType,
} from './km';
export { logRank, type LogRankInput, type LogRankResult } from './logrank';
export { baseHazard, survivalCurve, martingaleResiduals, scoreResiduals, type BaseHazard, type SurvivalCurve } from './predict';
export { coxZph, type ZphResult, type ZphRow, type ZphTransform } from './zph';
export { pwpData, fitPwp, type PwpInput, type PwpData, type PwpTimescale } from './recurrent';
export { cumulativeIncidence, type CumIncInput, type CumIncResult } from './competing';
export { cumulativeIncidenceSe } from './competingSe';
export { fitCoxFrailty, type CoxFrailtyInput, type CoxFrailtyFit } from './frailty';
export { frailtyRecovery, type FrailtyRecovery } from './frailtyTruth';
export { fitFineGray, finegrayData, type FineGrayInput, type FineGrayFit, type FineGrayData } from './finegray';
export { cox, km, type CoxTableSpec, type CoxTableFit, type CoxFrailtyTableFit, type CoxTableResult, type FrailtyTerm, type KmTableSpec } from './table';
export { finegray, type FineGrayTableSpec, type FineGrayTableFit } from './finegrayTable';
export { reportOnly, type ReportedFit, type DesignSummary } from './reportOnly';
