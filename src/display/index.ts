// Public API of src/display: disclosure control, table rendering and plotly figure builders.
export * from './sdc';
export * from './km';
export * from './cif';
export * from './html';
export * from './figures';
export * from './check';
export * from './aggregate';
export * from './protect/index';
