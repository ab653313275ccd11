/**
 * Publication tables from fitted models (modelsummary / gtsummary style): labels from a data
 * dictionary, reference rows, N / events / rows dropped under each model, one number style,
 * staged models side by side; HTML, text, CSV and Word (.docx) output.
 */
export { labelTerm, labelTerms, variableLabel, levelLabel, dictionaryLabels, type DataDictionary, type VariableEntry, type TermLabel } from './dictionary';
export { modelResult, type ModelResult, type TermRow, type FactorLevels } from './adapter';
export { frailtyTable, type FrailtyTableOptions, type FrailtyFitLike } from './frailtyTable';
export { modelStatRows } from './modelStats';
export { modelTable, MODEL_DF_FLAG, type ModelTableOptions, type PublicationTable, type TableRow } from './modelTable';
export { formatEstimate, formatP, formatCount, starsFor, STARS_LEGEND } from './format';
export { tableHtml, tableText, tableCsv } from './render';
export { tableDocx, writeDocx } from './docx';
export { publicationBundle, sectionsBundle, type TableSection } from './bundle';
export { invarianceReport, periodLabels, type InvarianceReport } from './invariance';
export { sampleSummary, trueClassesTable, randomSlopeSummary, type RandomSlopeSummaryFit } from './describe';
export { wideCoefTable, type WideTableOptions } from './wide';
export { CSC_DICTIONARY } from './dictionaries';
export { labelMargins, varianceComponentsTable, labelGroups, type VarianceComponentsFit } from './labelRows';
export * from './truth/index';
