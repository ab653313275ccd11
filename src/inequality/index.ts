/** Social gradients: rates per 10,000 by deprivation, SII/RII, rate ratios, area panels. */
export { poissonCountCi, rateWithCi, rateRatio, ridits } from './rates';
export type { RateInput, RateRow, RateRatio } from './rates';
export { inequalityIndices } from './indices';
export type { InequalityIndex, InequalityIndices } from './indices';
export { loadAreaPanel, assemblePanel, OUTCOMES } from './panel';
export type { AreaPanel, AssembledPanel, PanelSource, Outcome } from './panel';
export { openAreaPanel, loadAreaPanelOns } from './realPanel';
export type { OnsPanelSource, RealAreaPanel, CountsMapping } from './realPanel';
export { decileRates, protectRates, inequalityByYear, classGradients, laGradients, laSlopes, randomSlopeLrt, coverage } from './gradients';
export type { PanelLike, RandomSlopeFitLike } from './gradients';
export { loadPopulation } from './population';
export type { PopulationMapping, PopulationOptions, PopulationData } from './population';
