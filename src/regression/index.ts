/**
 * Regression engine. Matrix level: fitOls, fitLogit, fitLmm (+ anovaNested, lrTest).
 * Table level (arquero table + formula / ModelSpec): ols, logit, lmm, stages, margins.
 * See each module's header for conventions; all results are frozen and carry their options.
 */
export type { TidyRow, VcovType, CoefTable, FitBase } from './fitBase';
export * from './ols';
export * from './logit';
export * from './lmm';
export { fitLmmSlopes, splitRandomSlopes, type LmmSlopesFit, type RandomSlopesInput } from './lmmSlopes';
export { coefByGroup } from './coefByGroup';
export { ols, logit, lmm, splitRandomIntercepts, getFitContext } from './table';
export type { TableFitOptions, LmmTableOptions, TableFitInfo, TableOlsFit, TableLogitFit, TableLmmFit, TableFit } from './table';
export { stages, type StagesOptions, type StagesResult } from './stages';
export { margins } from './margins';
export type { MarginsOptions } from './margins';
export { fitGlance, lmmRandomRows } from './glance';
