export * from './distributions';
export * from './matrix';
