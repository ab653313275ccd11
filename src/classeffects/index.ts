// Class effects in outcome models (three-step, BCH) and the saved demand typology of notebook 01.
export { classExpand, classDesign, classificationError, modalClasses, type ClassExpansion, type ClassEffectMethod } from './expand';
export { fitCoxClassEffects, type CoxClassEffectsInput, type CoxClassEffectsFit } from './cox';
export { fitOlsClassEffects, type OlsClassEffectsInput, type OlsClassEffectsFit } from './ols';
export { simulateClassOutcome, type ClassOutcomeSimOptions, type ClassOutcomeSim } from './simulate';
