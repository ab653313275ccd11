// Public API of src/display: disclosure control, table rendering and plotly figure builders.
export * from './sdc';
export * from './km';
export * from './cif';
export * from './html';
export * from './numbers';
export * from './headers';
export * from './dataFlow';
export * from './figures';
export * from './check';
export { type ColumnSource, columnOf, itemCodes, countLikeColumns } from './columns';
export * from './summaryTables';
export * from './classLabels';
export * from './sideBySide';
export * from './protect/index';
export * from './tableLayout';
