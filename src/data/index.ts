/**
 * Data layer (issues 3, 11): code lists and factor harmonisation, the seeded synthetic national
 * dataset with known truth, the DuckDB store (src/data/store/) that ingests NPD-style CSV extracts
 * (column mapping), LA CIN census XML returns (any schema year) and SSDA903 returns once and checks
 * them by named rules, and the analysis tables the notebooks use.
 *
 *   const data = await loadStudyData({ kind: 'synthetic', scale: 'small', seed: 1 }); // store next to the data; reopened while inputs are unchanged
 *   const data = await loadStudyData(source, { store: ':memory:' });                   // no store file
 *
 *   const lca  = await buildLcaMatrix(data, { grouping: 'harmonised' });   // { table, items, labels, flow }, built by SQL in the store
 *   const surv = await buildSurvivalEpisodes(data);                        // { episodes, repeatCpp, careReentry, flow }
 *   const ks4  = await buildPupilLinked(data, { keyStage: 4 });            // { table, matchReport }
 *   const cin  = await data.table('cin', ['episode_id', 'sex']);           // a store table, read when asked
 *
 * Real data: loadStudyData({ kind: 'extracts', files: { cin, cla, ks2, ks4, pupils }, mapping, censusYears, dateFormat }),
 * ({ kind: 'cin-xml', files: ['return.xml'], ssda903?: { header, episodes } }) or ({ kind: 'ssda903', files: { header, episodes } }).
 * Bad input throws DataError (file, row, field) or lands in data.exclusions / data.warnings (rule,
 * physical line, field, value, message); data.dataFlow accounts for every row against physical lines.
 * Column meanings and the factor harmonisation: src/data/FACTORS.md.
 */
export * from './types';
export { DataError } from './errors';
export { findRepoRoot } from './paths';
export {
  CIN_FACTOR_CODES, FACTOR_HARMONISATION, HARMONISED_FACTORS, FACTOR_GROUPING, GROUPED_FACTORS, factorLabels,
  FACTOR_CODES_BY_SCHEMA, REFERRAL_SOURCE_CODES, PRIMARY_NEED_CODES, CLOSURE_REASON_CODES, CPP_CATEGORY_CODES,
  ETHNICITY_CODES, GENDER_CODES, DISABILITY_CODES, SSDA903_RNE_CODES, SSDA903_LS_CODES, SSDA903_CIN_CODES,
  SSDA903_PLACE_CODES, SSDA903_REC_CODES, harmoniseFactors, ethnicGroup,
} from './codes';
export { ensureSynthetic, syntheticDir, generateSynthetic, DEMAND_CLASS_LABELS } from './synth/index';
export { loadStudyData, NPD_MAPPING } from './load';
export type { LoadOptions } from './load';
export { RULES as VALIDATION_RULES } from './store/rules';
export { buildLcaMatrix, buildSurvivalEpisodes, buildPupilLinked } from './tables';
export { REREFERRAL_STATUS, type RereferralStatus } from './store/survivalTables';
export { childCovariates, type ChildCovariates } from './childCovariates';
export { referralCounts } from './summaries';
export type { ReferralCountOptions } from './summaries';
export { adjustedRandIndex, adjustedRandIndexFromTable } from './ari';
export { parseDay, isoFromDay, dayFromCivil, censusYearOfDay } from './dates';
