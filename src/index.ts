// The library's public surface: matrix-level estimators and table-level wrappers for notebooks.
export * from './core/index';
export * from './formula/index';
export * from './data/index';
export * from './lca/index';
export * from './survival/index';
export * from './regression/index';
export * from './display/index';
export * from './regression/count/index';
export * from './inequality/index';
export * from './classeffects/index';
