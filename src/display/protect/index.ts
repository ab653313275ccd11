export * from './magnitude';
export * from './model';
export * from './auto';
export * from './histogram';
