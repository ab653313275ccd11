export * from './distributions';
export * from './matrix';
export { reportProgress, type ProgressEvent, type ProgressCallback } from './progress';
