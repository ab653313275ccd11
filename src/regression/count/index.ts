/** Count models: Poisson / negative binomial GLMs and the Poisson random-intercept GLMM. */
export { fitGlm } from './glm';
export type { FitGlmInput, GlmFit, GlmVcovType } from './glm';
export { fitGlmm } from './glmm';
export type { FitGlmmInput, GlmmFit } from './glmm';
export { glm, glmm } from './table';
export type { GlmTableOptions, GlmmTableOptions } from './table';
export type { CountFamily } from './family';
export type { CountResult, TidyOptions } from './result';
