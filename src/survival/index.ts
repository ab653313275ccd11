// Survival engine: Cox regression, Kaplan–Meier, log-rank, diagnostics and prediction.
export { fitCox, type CoxInput, type CoxFit, type CoxTest, type CoxConcordance } from './cox';
export type { CoxTies } from './coxcore';
