export { loadStudyData, DataError } from '../../src/data';
export { CIN_HEADER as CIN_HEADER_FOR_TESTS } from '../../src/data/synth/generate';
