// Class effects in outcome models (three-step, BCH) and the saved demand typology of notebook 01.
export { classExpand, classDesign, checkExpansionSize, MAX_EXPANDED_CELLS, classificationError, modalClasses, type ClassExpansion, type ClassEffectMethod } from './expand';
export { fitCoxClassEffects, type CoxClassEffectsInput, type CoxClassEffectsFit } from './cox';
export { fitOlsClassEffects, type OlsClassEffectsInput, type OlsClassEffectsFit } from './ols';
export { simulateClassOutcome, type ClassOutcomeSimOptions, type ClassOutcomeSim } from './simulate';
export {
  lcaMatrixFingerprint, demandTypology, DEMAND_TYPOLOGY_DEFAULTS, typologyFitOptions, typologyMatrixOptions, writeDemandTypology, readDemandTypology, lcaFitFromTypology, loadDemandClasses,
  type DemandTypology, type DemandTypologySettings, type DemandClasses, type LcaMatrixCodes,
} from './typology';
export { lcaRowClasses, withModalClass, coxClassEffects, olsClassEffects, type ClassEffectsTableSpec } from './table';
export { linkPupilClasses, linkDemandClasses } from './link';
export { coxClassExpanded } from './coxExpanded';
export { classEffectTruthRows, classEffectTruthCheck, type ClassEffectTruthRow, type ClassEffectTruthCheck } from './truth';
export { classEffectShift, type ClassEffectShift } from './compare';
export { demandClassCounts } from './counts';
