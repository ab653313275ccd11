export { fitLca, fitPrepared, predictLca, lcaSummary, permuteParams } from './fit';
export type { LcaFit, LcaOptions, LcaPrediction, LcaStartValues } from './fit';
export type { LcaRowsInput, LcaCodedInput } from './prepare';
export type { WorkerMode } from './parallel';
export { alignClasses, permuteClasses, permuteColumns } from './align';
export { simulateLca, codesToRows, adjustedRandIndex } from './simulate';
export type { LcaSimulation } from './simulate';
export { compareLca, bootstrapLrt, lcaGlance } from './compare';
export type { LcaCompareOptions, LcaComparison, BootstrapLrtOptions, BootstrapLrtResult } from './compare';
