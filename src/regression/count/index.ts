/** Count models: Poisson / negative binomial GLMs and the Poisson random-intercept and random-slope GLMMs. */
export { fitGlm } from './glm';
export type { FitGlmInput, GlmFit, GlmVcovType } from './glm';
export { fitGlmm } from './glmm';
export type { FitGlmmInput, GlmmFit } from './glmm';
export { fitGlmmSlopes } from './glmmSlopes';
export type { FitGlmmSlopesInput, GlmmSlopesFit } from './glmmSlopes';
export { glm, glmm, glmmSlopes } from './table';
export type { GlmTableOptions, GlmmTableOptions, GlmmSlopesTableOptions } from './table';
export type { CountFamily } from './family';
export type { CountResult, TidyOptions } from './result';
