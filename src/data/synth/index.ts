export { ensureSynthetic, syntheticDir, generateSynthetic } from './generate';
export { DEMAND_CLASS_LABELS } from './params';
export { readPupilTruth, pupilTruthFor, EXPOSURE_LEVELS, type PupilTruth } from './pupilTruth';
