export { ensureSynthetic, syntheticDir, generateSynthetic } from './generate';
export { DEMAND_CLASS_LABELS } from './params';
