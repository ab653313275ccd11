export * from './common';
export * from './ols';
export * from './logit';
export * from './lmm';
