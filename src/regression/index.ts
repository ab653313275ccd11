export * from './common';
export * from './ols';
