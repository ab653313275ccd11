/**
 * Loaders: NPD-style CSV extracts through a column mapping, LA CIN census XML returns, and the
 * synthetic folder (which is NPD-style CSV plus truth.json). Every input row is either kept,
 * merged as a duplicate of the same episode from another census year, or listed in `exclusions`
 * with its source, file, row and reason; dataFlow accounts for each file
 * (rows_read = rows_analysed + rows_excluded + duplicates_merged).
 * Value-level problems (an unknown factor or referral-source code) keep the row, drop the value and
 * are listed in `exclusions` with action 'value_dropped' (they do not count as excluded rows).
 */
import * as fs from 'fs';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { XMLParser } from 'fast-xml-parser';
import { DataError } from './errors';
import { readCsvRows } from './csv';
import type { CsvRow } from './csv';
import { parseDay, isoFromDay, dayFromCivil, civilFromDay, censusYearOfDay } from './dates';
import {
  CIN_FACTOR_CODES, FACTOR_HARMONISATION, REFERRAL_SOURCE_CODES, PRIMARY_NEED_CODES, CLOSURE_REASON_CODES, CPP_CATEGORY_CODES,
  ETHNICITY_CODES, GENDER_CODES, SSDA903_RNE_CODES, SSDA903_LS_CODES, SSDA903_CIN_CODES, SSDA903_PLACE_CODES, SSDA903_REC_CODES,
  ethnicGroup,
} from './codes';
import { ensureSynthetic } from './synth/generate';
import type { StudySource, StudyData, ExtractMapping, PartialExtractMapping, DataFlowRow, FactorLayout, BirthLayout, SyntheticTruth } from './types';
import * as path from 'path';

/** Default mapping: the NPD-style column names the synthetic generator writes. */
export const NPD_MAPPING: ExtractMapping = Object.freeze({
  cin: {
    census_year: 'CIN_AcademicYear', la: 'CIN_LA', child_id: 'CIN_LAchildID_Anon', pmr: 'CIN_PupilMatchingRefAnonymous',
    sex: 'CIN_Gender', ethnicity: 'CIN_Ethnicity', disabilities: 'CIN_Disabilities', idaci_decile: 'CIN_IDACI_Decile', referral_date: 'CIN_CINreferralDate',
    referral_source: 'CIN_ReferralSource', primary_need: 'CIN_PrimaryNeedCode', closure_date: 'CIN_CINclosureDate',
    closure_reason: 'CIN_ReasonForClosure', referral_nfa: 'CIN_ReferralNFA', assessment_date: 'CIN_AssessmentActualStartDate',
    authorisation_date: 'CIN_AssessmentAuthorisationDate', cin_plan_start: 'CIN_CINPlanStartDate', cin_plan_end: 'CIN_CINPlanEndDate',
    s47_date: 'CIN_S47ActualStartDate', icpc_date: 'CIN_DateOfInitialCPC', cpp_start: 'CIN_CPPstartDate', cpp_end: 'CIN_CPPendDate',
    cpp_initial_category: 'CIN_InitialCategoryOfAbuse', cpp_latest_category: 'CIN_LatestCategoryOfAbuse',
    n_previous_cpp: 'CIN_NumberOfPreviousCPP', true_class: 'SYN_TrueClass',
    factors: { style: 'list', column: 'CIN_FactorsIdentifiedAtAssessment', delimiter: ';' },
    birth: { style: 'month-year', month: 'CIN_MonthOfBirth', year: 'CIN_YearOfBirth' },
  },
  cla: { la: 'LA', child_id: 'CHILD', pmr: 'PMR', sex: 'SEX', dob: 'DOB', ethnicity: 'ETHNIC', decom: 'DECOM', rne: 'RNE', ls: 'LS', cin: 'CIN', place: 'PLACE', dec: 'DEC', rec: 'REC' },
  ks2: { pmr: 'KS2_PupilMatchingRefAnonymous', academic_year: 'KS2_AcademicYear', la: 'KS2_LA', school: 'KS2_URN', read_score: 'KS2_READSCORE', maths_score: 'KS2_MATSCORE', writing_ta: 'KS2_WRITTA' },
  ks4: { pmr: 'KS4_PupilMatchingRefAnonymous', academic_year: 'KS4_AcademicYear', la: 'KS4_LA', school: 'KS4_URN', att8: 'KS4_ATT8', p8: 'KS4_P8SCORE' },
  pupils: {
    pmr: 'PupilMatchingRefAnonymous', sex: 'Gender', ethnicity: 'EthnicGroupMajor', fsm: 'FSMeligible', sen: 'SENprovision', eal: 'EAL',
    idaci_decile: 'IDACI_decile', la: 'LA', birth: { style: 'month-year', month: 'MonthOfBirth', year: 'YearOfBirth' },
  },
}) as unknown as ExtractMapping;

const REQUIRED: Record<keyof ExtractMapping, string[]> = {
  cin: ['census_year', 'la', 'child_id', 'sex', 'referral_date'],
  cla: ['la', 'child_id', 'decom'],
  ks2: ['pmr', 'academic_year'],
  ks4: ['pmr', 'academic_year'],
  pupils: ['pmr'],
};

// ---------------------------------------------------------------- bookkeeping
interface Exclusion { source: string; file: string; row: number | null; field: string | null; value: string | null; reason: string; action: string }
class Ledger {
  exclusions: Exclusion[] = [];
  flow: DataFlowRow[] = [];
  exclude(source: string, file: string, row: number | null, field: string | null, value: string | null, reason: string, action = 'row_excluded'): void {
    this.exclusions.push({ source, file, row, field, value, reason, action });
  }
  table(): ColumnTable {
    const cols: Record<string, unknown[]> = { source: [], file: [], row: [], field: [], value: [], reason: [], action: [] };
    for (const e of this.exclusions) for (const k of Object.keys(cols)) cols[k].push((e as unknown as Record<string, unknown>)[k]);
    return aq.table(cols);
  }
}

/** One CIN episode as read from one census-year row (CSV) or one CINdetails element (XML). */
interface CinRecord {
  row: number; file: string; censusYear: number;
  la: string; childId: string; pmr: string; sex: string; ethnicity: string; birthYear: number | null; birthMonth: number | null; dob: number | null;
  disabilities: string; idaci: number | null; referral: number; referralSource: string; primaryNeed: string; closure: number | null; closureReason: string;
  referralNfa: boolean | null; planStart: number | null; planEnd: number | null; s47: number | null; icpc: number | null;
  assessments: Array<{ start: number; auth: number | null; factors: string[] }>;
  cpps: Array<{ start: number; end: number | null; initial: string; latest: string; previous: number | null }>;
  trueClass: number | null;
}

const SEX_OUT: Record<string, string> = { '1': 'M', '2': 'F', '0': 'U', '9': 'U', M: 'M', F: 'F', U: 'U' };

// ---------------------------------------------------------------- public entry
/** Load a study dataset; see StudySource. Throws DataError for missing files/columns, empty or non-UTF-8 files. */
export function loadStudyData(source: StudySource): StudyData {
  if (source.kind === 'synthetic') {
    const dir = ensureSynthetic({ scale: source.scale ?? 'small', seed: source.seed ?? 1, dir: source.dir });
    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as SyntheticTruth;
    const files = { cin: path.join(dir, 'cin.csv'), cla: path.join(dir, 'cla.csv'), ks2: path.join(dir, 'ks2.csv'), ks4: path.join(dir, 'ks4.csv'), pupils: path.join(dir, 'pupils.csv') };
    const data = loadExtracts(files, NPD_MAPPING, truth.endOfData);
    return Object.freeze({ ...data, truth });
  }
  if (source.kind === 'extracts') {
    if (!source.files || !source.files.cin) throw new DataError("loadStudyData: extracts source needs files.cin (path to the CIN extract)");
    return Object.freeze(loadExtracts(source.files, mergeMapping(source.mapping), source.endOfData));
  }
  if (source.kind === 'cin-xml') {
    if (!Array.isArray(source.files) || source.files.length === 0) throw new DataError('loadStudyData: cin-xml source needs files: [path, ...]');
    const ledger = new Ledger();
    const records: CinRecord[] = [];
    for (const f of source.files) readCinXml(f, records, ledger);
    return Object.freeze(assemble(records, null, ledger, source.endOfData, null));
  }
  throw new DataError(`loadStudyData: unknown source kind '${(source as { kind: string }).kind}' (expected synthetic, extracts or cin-xml)`);
}

function mergeMapping(partial?: PartialExtractMapping): ExtractMapping {
  const m = JSON.parse(JSON.stringify(NPD_MAPPING)) as ExtractMapping;
  if (!partial) return m;
  for (const k of Object.keys(partial) as Array<keyof ExtractMapping>) Object.assign(m[k], partial[k]);
  return m;
}

function loadExtracts(files: { cin: string; cla?: string; ks2?: string; ks4?: string; pupils?: string }, mapping: ExtractMapping, endOfData?: string): StudyData {
  const ledger = new Ledger();
  const records = readCinCsv(files.cin, mapping.cin, ledger);
  const cla = files.cla ? readSimple('cla', files.cla, mapping.cla, ledger) : null;
  const out = assemble(records, cla, ledger, endOfData, files);
  const mk = (k: 'ks2' | 'ks4' | 'pupils'): ColumnTable => (files[k] ? readSimple(k, files[k] as string, mapping[k], ledger) : emptyTable(k));
  return { ...out, ks2: mk('ks2'), ks4: mk('ks4'), pupils: mk('pupils'), exclusions: ledger.table(), dataFlow: ledger.flow };
}

// ---------------------------------------------------------------- CSV: CIN
function resolveColumns(what: string, file: string, header: string[], mapping: Record<string, unknown>, required: string[], extra: string[] = []): Map<string, number> {
  const idx = new Map<string, number>();
  const missing: string[] = [];
  const pos = new Map(header.map((h, i) => [h, i] as [string, number]));
  for (const [field, col] of Object.entries(mapping)) {
    if (typeof col !== 'string') continue;
    const i = pos.get(col);
    if (i === undefined) { if (required.includes(field)) missing.push(`'${col}' (field ${field})`); }
    else idx.set(field, i);
  }
  for (const col of extra) {
    const i = pos.get(col);
    if (i === undefined) missing.push(`'${col}'`);
    else idx.set('@' + col, i);
  }
  if (missing.length) {
    throw new DataError(`${what}: expected column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found in the header; columns present: ${header.join(', ')}. Pass a mapping to loadStudyData if the extract names them differently`, { file, row: 1 });
  }
  return idx;
}

function birthColumns(b: BirthLayout): string[] {
  return b.style === 'date' ? [b.column] : [b.month, b.year];
}

function parseCensusYear(s: string): number {
  const t = s.trim();
  let m = /^(\d{4})$/.exec(t);
  if (m) return +m[1];
  m = /^(\d{4})[/-](\d{2}|\d{4})$/.exec(t);
  if (m) return +m[1] + 1;
  return NaN;
}

function readCinCsv(file: string, map: ExtractMapping['cin'], ledger: Ledger): CinRecord[] {
  const what = 'CIN extract';
  const records: CinRecord[] = [];
  let idx = new Map<string, number>();
  let flagCols: Array<[string, number]> = [];
  const layout: FactorLayout = map.factors;
  const birth: BirthLayout = map.birth;
  let read = 0;
  const CIN_FIELDS = ['census_year', 'la', 'child_id', 'pmr', 'sex', 'ethnicity', 'disabilities', 'idaci_decile', 'referral_date', 'referral_source', 'primary_need',
    'closure_date', 'closure_reason', 'referral_nfa', 'cin_plan_start', 'cin_plan_end', 's47_date', 'icpc_date', 'true_class', 'assessment_date', 'authorisation_date',
    'cpp_start', 'cpp_end', 'cpp_initial_category', 'cpp_latest_category', 'n_previous_cpp'];
  const at = new Int32Array(CIN_FIELDS.length).fill(-1);
  let factorCol = -1, birthDateCol = -1, birthYearCol = -1, birthMonthCol = -1;
  const FLAG_TRUE = /^(1|true|y|yes)$/i;
  readCsvRows(file, what, (header) => {
    const extra = [...birthColumns(birth), ...(layout.style === 'list' ? [layout.column] : [])];
    idx = resolveColumns(what, file, header, map, REQUIRED.cin, extra);
    CIN_FIELDS.forEach((k, j) => { at[j] = idx.get(k) ?? -1; });
    if (layout.style === 'list') factorCol = idx.get('@' + layout.column) ?? -1;
    if (birth.style === 'date') birthDateCol = idx.get('@' + birth.column) ?? -1;
    else { birthYearCol = idx.get('@' + birth.year) ?? -1; birthMonthCol = idx.get('@' + birth.month) ?? -1; }
    if (layout.style === 'flags') {
      const cols = layout.columns ?? Object.fromEntries(Object.keys(CIN_FACTOR_CODES).map((c) => [c, (layout.prefix ?? '') + c]));
      flagCols = Object.entries(cols).map(([code, col]) => [code, header.indexOf(col)] as [string, number]).filter(([, i]) => i >= 0);
      if (flagCols.length === 0) throw new DataError(`${what}: factor flag columns not found (looked for ${Object.values(cols).slice(0, 5).join(', ')}, ...)`, { file, row: 1 });
    }
  }, (f: CsvRow, line) => {
    read++;
    let factors: string[] = [];
    if (layout.style === 'list') {
      const list = f.text(factorCol);
      if (list !== '') for (const part of list.split(layout.delimiter)) { const c = part.trim(); if (c !== '') factors.push(c); }
    } else for (const [code, i] of flagCols) if (FLAG_TRUE.test(f.text(i))) factors.push(code);
    let birthYear: number | null = null; let birthMonth: number | null = null; let dob: number | null = null;
    if (birth.style === 'date') {
      dob = f.day(birthDateCol);
      if (dob !== null && Number.isFinite(dob)) { const d = civilFromDay(dob); birthYear = d[0]; birthMonth = d[1]; }
    } else {
      const y = f.text(birthYearCol); const m = f.text(birthMonthCol);
      if (y !== '' && m !== '') { birthYear = +y; birthMonth = +m; if (birthMonth >= 1 && birthMonth <= 12 && birthYear > 1900) dob = dayFromCivil(birthYear, birthMonth, 1); }
    }
    const rec = toRecord(file, line, {
      censusYear: f.text(at[0]), la: f.text(at[1]), childId: f.text(at[2]), pmr: f.text(at[3]), sex: f.text(at[4]), ethnicity: f.text(at[5]),
      disabilities: f.text(at[6]), idaci: f.text(at[7]), referral: f.text(at[8]), referralSource: f.text(at[9]), primaryNeed: f.text(at[10]),
      closure: f.text(at[11]), closureReason: f.text(at[12]), referralNfa: f.text(at[13]), planStart: f.text(at[14]),
      planEnd: f.text(at[15]), s47: f.text(at[16]), icpc: f.text(at[17]), trueClass: f.text(at[18]),
      assessment: f.text(at[19]), auth: f.text(at[20]), factors,
      cppStart: f.text(at[21]), cppEnd: f.text(at[22]), cppInitial: f.text(at[23]), cppLatest: f.text(at[24]), cppPrevious: f.text(at[25]),
    }, { birthYear, birthMonth, dob }, ledger);
    if (rec) records.push(rec);
  });
  ledger.flow.push({ source: 'cin', file, rows_read: read, duplicates_merged: 0, rows_excluded: 0, rows_analysed: 0 });
  return records;
}

interface RawCin {
  censusYear: string; la: string; childId: string; pmr: string; sex: string; ethnicity: string; disabilities: string; idaci?: string; referral: string;
  referralSource: string; primaryNeed: string; closure: string; closureReason: string; referralNfa: string; planStart: string; planEnd: string;
  s47: string; icpc: string; trueClass: string; assessment?: string; auth?: string; factors?: string[];
  cppStart?: string; cppEnd?: string; cppInitial?: string; cppLatest?: string; cppPrevious?: string;
  assessmentsList?: Array<{ start: string; auth: string; factors: string[] }>;
  cppList?: Array<{ start: string; end: string; initial: string; latest: string; previous: string }>;
}

/** Per-row failure of toRecord: the exclusion has been logged; the row is dropped. */
const REJECTED = -Infinity;
function excludeCin(ledger: Ledger, file: string, row: number, field: string, value: string, reason: string): null {
  ledger.exclude('cin', file, row, field, value, reason);
  return null;
}
function dropCin(ledger: Ledger, file: string, row: number, field: string, value: string, reason: string): void {
  ledger.exclude('cin', file, row, field, value, reason, 'value_dropped');
}
/** optional date: null when blank, REJECTED (exclusion logged) when not a date */
function optionalDate(ledger: Ledger, file: string, row: number, field: string, s: string): number | null {
  const d = parseDay(s);
  if (d !== null && Number.isNaN(d)) { excludeCin(ledger, file, row, field, s, `${field} is not a valid date`); return REJECTED; }
  return d;
}

/** Validate one raw episode; returns null (and logs the exclusion) if the row cannot be used. */
function toRecord(file: string, row: number, r: RawCin, birth: { birthYear: number | null; birthMonth: number | null; dob: number | null }, ledger: Ledger): CinRecord | null {
  if (r.childId === '') return excludeCin(ledger, file, row, 'child_id', '', 'missing child identifier');
  if (r.la === '') return excludeCin(ledger, file, row, 'la', '', 'missing local authority');
  const cy = parseCensusYear(r.censusYear);
  if (!Number.isFinite(cy)) return excludeCin(ledger, file, row, 'census_year', r.censusYear, 'census year is not a year (expected YYYY or YYYY/YY)');
  const referral = parseDay(r.referral);
  if (referral === null) return excludeCin(ledger, file, row, 'referral_date', '', 'missing referral date');
  if (Number.isNaN(referral)) return excludeCin(ledger, file, row, 'referral_date', r.referral, 'referral date is not a valid date');
  const closure = optionalDate(ledger, file, row, 'closure_date', r.closure); if (closure === REJECTED) return null;
  if (closure !== null && closure < referral) return excludeCin(ledger, file, row, 'closure_date', r.closure, 'closure date before referral date');
  const planStart = optionalDate(ledger, file, row, 'cin_plan_start', r.planStart); if (planStart === REJECTED) return null;
  const planEnd = optionalDate(ledger, file, row, 'cin_plan_end', r.planEnd); if (planEnd === REJECTED) return null;
  if (planStart !== null && planEnd !== null && planEnd < planStart) return excludeCin(ledger, file, row, 'cin_plan_end', r.planEnd, 'CIN plan end before CIN plan start');
  const s47 = optionalDate(ledger, file, row, 's47_date', r.s47); if (s47 === REJECTED) return null;
  const icpc = optionalDate(ledger, file, row, 'icpc_date', r.icpc); if (icpc === REJECTED) return null;
  const sex = SEX_OUT[r.sex.toUpperCase()];
  if (sex === undefined) return excludeCin(ledger, file, row, 'sex', r.sex, `gender code not in the CIN code list (${Object.keys(GENDER_CODES).join(', ')})`);
  let ethnicity = r.ethnicity.toUpperCase();
  if (ethnicity !== '' && !(ethnicity in ETHNICITY_CODES)) { dropCin(ledger, file, row, 'ethnicity', r.ethnicity, 'ethnicity code not in the CIN code list'); ethnicity = ''; }
  let referralSource = r.referralSource.toUpperCase();
  if (referralSource !== '' && !REFERRAL_SOURCE_CODES.includes(referralSource)) { dropCin(ledger, file, row, 'referral_source', r.referralSource, 'referral source not in the CIN code list'); referralSource = ''; }
  let primaryNeed = r.primaryNeed.toUpperCase();
  if (primaryNeed !== '' && !(primaryNeed in PRIMARY_NEED_CODES)) { dropCin(ledger, file, row, 'primary_need', r.primaryNeed, 'primary need code not in N0-N9'); primaryNeed = ''; }
  let closureReason = r.closureReason.toUpperCase();
  if (closureReason !== '' && !(closureReason in CLOSURE_REASON_CODES)) { dropCin(ledger, file, row, 'closure_reason', r.closureReason, 'reason for closure not in RC1-RC9'); closureReason = ''; }
  const nfaText = r.referralNfa.toLowerCase();
  const referralNfa = nfaText === '' ? null : nfaText === 'true' || nfaText === '1' ? true : nfaText === 'false' || nfaText === '0' ? false : null;
  if (nfaText !== '' && referralNfa === null) dropCin(ledger, file, row, 'referral_nfa', r.referralNfa, 'ReferralNFA is not true/false/1/0');
  const upper = closure ?? Infinity;
  const assessments: CinRecord['assessments'] = [];
  const rawA = r.assessmentsList ?? (r.assessment ? [{ start: r.assessment, auth: r.auth ?? '', factors: r.factors ?? [] }] : []);
  if (!r.assessmentsList && !r.assessment && r.factors && r.factors.length) dropCin(ledger, file, row, 'factors', r.factors.join(';'), 'factors without an assessment start date');
  for (const a of rawA) {
    const start = optionalDate(ledger, file, row, 'assessment_date', a.start); if (start === REJECTED) return null;
    if (start === null) continue;
    const auth = optionalDate(ledger, file, row, 'authorisation_date', a.auth); if (auth === REJECTED) return null;
    if (start < referral || start > upper) return excludeCin(ledger, file, row, 'assessment_date', a.start, 'assessment starts outside its referral episode');
    if (auth !== null && auth < start) return excludeCin(ledger, file, row, 'authorisation_date', a.auth, 'assessment authorised before it started');
    const factors: string[] = [];
    for (const c0 of a.factors) {
      const c = c0.toUpperCase();
      if (!(c in FACTOR_HARMONISATION)) dropCin(ledger, file, row, 'factors', c0, 'assessment factor code not in any CIN schema code list');
      else if (!factors.includes(c)) factors.push(c);
    }
    assessments.push({ start, auth, factors });
  }
  const cpps: CinRecord['cpps'] = [];
  const rawC = r.cppList ?? (r.cppStart ? [{ start: r.cppStart, end: r.cppEnd ?? '', initial: r.cppInitial ?? '', latest: r.cppLatest ?? '', previous: r.cppPrevious ?? '' }] : []);
  for (const c of rawC) {
    const start = optionalDate(ledger, file, row, 'cpp_start', c.start); if (start === REJECTED) return null;
    if (start === null) continue;
    const end = optionalDate(ledger, file, row, 'cpp_end', c.end); if (end === REJECTED) return null;
    if (end !== null && end < start) return excludeCin(ledger, file, row, 'cpp_end', c.end, 'CPP end date before CPP start date');
    if (start < referral || start > upper) return excludeCin(ledger, file, row, 'cpp_start', c.start, 'CPP starts outside its referral episode');
    let initial = c.initial.toUpperCase(); let latest = c.latest.toUpperCase();
    if (initial !== '' && !(initial in CPP_CATEGORY_CODES)) { dropCin(ledger, file, row, 'cpp_initial_category', c.initial, 'category of abuse not in NEG/EMO/PHY/SAB/MUL'); initial = ''; }
    if (latest !== '' && !(latest in CPP_CATEGORY_CODES)) { dropCin(ledger, file, row, 'cpp_latest_category', c.latest, 'category of abuse not in NEG/EMO/PHY/SAB/MUL'); latest = ''; }
    const prev = c.previous === '' ? null : Number(c.previous);
    cpps.push({ start, end, initial, latest, previous: prev !== null && Number.isFinite(prev) ? prev : null });
  }
  const tc = r.trueClass === '' ? null : Number(r.trueClass);
  let idaci: number | null = r.idaci === undefined || r.idaci === '' ? null : Number(r.idaci);
  if (idaci !== null && !(Number.isInteger(idaci) && idaci >= 1 && idaci <= 10)) { dropCin(ledger, file, row, 'idaci_decile', r.idaci ?? '', 'IDACI decile not an integer 1-10'); idaci = null; }
  return {
    row, file, censusYear: cy, la: r.la, childId: r.childId, pmr: r.pmr, sex, ethnicity, birthYear: birth.birthYear, birthMonth: birth.birthMonth,
    dob: birth.dob, disabilities: r.disabilities, idaci, referral, referralSource, primaryNeed, closure, closureReason, referralNfa,
    planStart, planEnd, s47, icpc, assessments, cpps, trueClass: tc !== null && Number.isFinite(tc) ? tc : null,
  };
}

// ---------------------------------------------------------------- XML: LA CIN census returns
const XML_ARRAYS = new Set(['Child', 'CINdetails', 'Assessments', 'AssessmentFactors', 'CINPlanDates', 'Section47', 'ChildProtectionPlans', 'Disability', 'CPPreviewDate', 'Source']);

function readCinXml(file: string, records: CinRecord[], ledger: Ledger): void {
  if (!fs.existsSync(file)) throw new DataError(`CIN census XML return not found: expected a file at ${file}`, { file });
  const bytes = fs.readFileSync(file);
  if (bytes.length === 0) throw new DataError('CIN census XML return is empty (0 bytes)', { file });
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); }
  catch { throw new DataError('CIN census XML return is not valid UTF-8; re-save it as UTF-8', { file }); }
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (name) => XML_ARRAYS.has(name) });
  let doc: Record<string, unknown>;
  try { doc = parser.parse(text, true) as Record<string, unknown>; }
  catch (e) { throw new DataError(`CIN census XML return is not well-formed XML: ${(e as Error).message}`, { file }); }
  const msg = doc.Message as Record<string, any> | undefined;
  if (!msg) throw new DataError("CIN census XML return: expected root element <Message> (DfE CIN schema)", { file });
  const header = (msg.Header ?? {}) as Record<string, any>;
  const cd = header.CollectionDetails ?? {};
  const yearText = String(cd.Year ?? '');
  const refDate = parseDay(String(cd.ReferenceDate ?? ''));
  const censusYear = yearText !== '' ? +yearText : refDate !== null && Number.isFinite(refDate) ? censusYearOfDay(refDate) : NaN;
  if (!Number.isFinite(censusYear)) throw new DataError('CIN census XML return: Header/CollectionDetails needs Year or ReferenceDate to place the return in a census year', { file, field: 'Header/CollectionDetails/Year' });
  const sources = (header.Source ?? []) as Array<Record<string, any>>;
  const la = sources.length && sources[0].LEA !== undefined ? String(sources[0].LEA) : '';
  if (la === '') throw new DataError('CIN census XML return: Header/Source/LEA (3-digit LA code) is missing', { file, field: 'Header/Source/LEA' });
  const children = (msg.Children?.Child ?? []) as Array<Record<string, any>>;
  if (children.length === 0) throw new DataError('CIN census XML return has no <Child> elements under <Children>', { file, field: 'Children/Child' });
  let read = 0;
  let ordinal = 0;
  const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v).trim());
  for (const child of children) {
    const ids = child.ChildIdentifiers ?? {};
    const chars = child.ChildCharacteristics ?? {};
    const dob = parseDay(s(ids.PersonBirthDate) || s(ids.ExpectedPersonBirthDate));
    const dobOk = dob !== null && Number.isFinite(dob) ? dob : null;
    const birth = { birthYear: dobOk !== null ? +isoFromDay(dobOk).slice(0, 4) : null, birthMonth: dobOk !== null ? +isoFromDay(dobOk).slice(5, 7) : null, dob: dobOk };
    const disab = ((chars.Disabilities?.Disability ?? []) as unknown[]).map(s).join(';');
    for (const det of (child.CINdetails ?? []) as Array<Record<string, any>>) {
      ordinal++;
      read++;
      const raw: RawCin = {
        censusYear: String(censusYear), la, childId: s(ids.LAchildID), pmr: s(ids.UPN), sex: s(ids.GenderCurrent), ethnicity: s(chars.Ethnicity),
        disabilities: disab, referral: s(det.CINreferralDate), referralSource: s(det.ReferralSource), primaryNeed: s(det.PrimaryNeedCode),
        closure: s(det.CINclosureDate), closureReason: s(det.ReasonForClosure), referralNfa: s(det.ReferralNFA),
        planStart: s((det.CINPlanDates ?? [])[0]?.CINPlanStartDate),
        planEnd: s((det.CINPlanDates ?? []).length ? det.CINPlanDates[det.CINPlanDates.length - 1].CINPlanEndDate : ''),
        s47: s((det.Section47 ?? [])[0]?.S47ActualStartDate), icpc: s(det.DateOfInitialCPC) || s((det.Section47 ?? [])[0]?.DateOfInitialCPC), trueClass: '',
        assessmentsList: ((det.Assessments ?? []) as Array<Record<string, any>>).map((a) => ({
          start: s(a.AssessmentActualStartDate), auth: s(a.AssessmentAuthorisationDate),
          factors: ((a.FactorsIdentifiedAtAssessment?.AssessmentFactors ?? []) as unknown[]).map(s),
        })),
        cppList: ((det.ChildProtectionPlans ?? []) as Array<Record<string, any>>).map((c) => ({
          start: s(c.CPPstartDate), end: s(c.CPPendDate), initial: s(c.InitialCategoryOfAbuse), latest: s(c.LatestCategoryOfAbuse), previous: s(c.NumberOfPreviousCPP),
        })),
      };
      const rec = toRecord(file, ordinal, raw, birth, ledger);
      if (rec) records.push(rec);
    }
  }
  ledger.flow.push({ source: 'cin', file, rows_read: read, duplicates_merged: 0, rows_excluded: 0, rows_analysed: 0 });
}

// ---------------------------------------------------------------- simple sources (cla, ks2, ks4, pupils)
const CLA_CODE_CHECKS: Array<[string, ReadonlyArray<string>]> = [['rne', SSDA903_RNE_CODES], ['ls', SSDA903_LS_CODES], ['cin', SSDA903_CIN_CODES], ['place', SSDA903_PLACE_CODES], ['rec', SSDA903_REC_CODES]];
const SEN_MAP: Record<string, string | undefined> = Object.assign(Object.create(null) as Record<string, string>, { N: 'N', K: 'K', E: 'E', S: 'E', A: 'K', P: 'K', '': 'N' });
function readSimple(source: 'cla' | 'ks2' | 'ks4' | 'pupils', file: string, map: Record<string, unknown>, ledger: Ledger): ColumnTable {
  const what = { cla: 'SSDA903 (CLA) extract', ks2: 'KS2 extract', ks4: 'KS4 extract', pupils: 'pupil characteristics extract' }[source];
  const birth = (map as { birth?: BirthLayout }).birth;
  let idx = new Map<string, number>();
  const cols: Record<string, unknown[]> = {};
  const fields = Object.keys(map).filter((k) => typeof map[k] === 'string');
  const outCols = source === 'pupils' ? [...fields, 'birth_year', 'birth_month', 'dob', 'ethnic_group', 'source_row'] : source === 'cla' ? [...fields, 'ethnic_group', 'source_row'] : [...fields, 'source_row'];
  for (const c of outCols) cols[c] = [];
  const seen = new Map<string, number>();
  let read = 0, excluded = 0, dup = 0;
  let fieldAt: number[] = [];
  let onRow: (f: CsvRow, line: number) => void = () => undefined;
  readCsvRows(file, what, (header) => {
    idx = resolveColumns(what, file, header, map, REQUIRED[source], birth ? birthColumns(birth) : []);
    fieldAt = fields.map((k) => idx.get(k) ?? -1);
    onRow = simpleRowReader();
  }, (f, line) => onRow(f, line));
  // built after the header so the per-row closure sees resolved column positions
  function simpleRowReader(): (f: CsvRow, line: number) => void {
    const nFields = fields.length;
    return (f, line) => {
    read++;
    const get = (k: string): string => { const i = idx.get(k); return i === undefined ? '' : f.text(i); };
    const ex = (field: string, value: string, reason: string): void => { excluded++; ledger.exclude(source, file, line, field, value, reason); };
    const rec: Record<string, unknown> = {};
    for (let j = 0; j < nFields; j++) rec[fields[j]] = f.text(fieldAt[j]);
    let key: string;
    if (source === 'cla') {
      if (rec.child_id === '') return ex('child_id', '', 'missing child identifier (CHILD)');
      const decom = parseDay(rec.decom as string);
      if (decom === null || Number.isNaN(decom)) return ex('decom', rec.decom as string, 'DECOM (episode start) missing or not a valid date');
      const dec = parseDay(rec.dec as string);
      if (dec !== null && Number.isNaN(dec)) return ex('dec', rec.dec as string, 'DEC is not a valid date');
      if (dec !== null && dec < decom) return ex('dec', rec.dec as string, 'DEC (episode end) before DECOM (episode start)');
      for (const [k, list] of CLA_CODE_CHECKS) {
        const v = String(rec[k] ?? '').toUpperCase();
        if (v !== '' && !list.includes(v)) { ledger.exclude(source, file, line, k, v, `${k.toUpperCase()} code not in the SSDA903 code list`, 'value_dropped'); rec[k] = ''; }
        else if (k in rec) rec[k] = v;
      }
      rec.sex = SEX_OUT[String(rec.sex ?? '').toUpperCase()] ?? 'U';
      rec.decom = isoFromDay(decom); rec.dec = dec === null ? null : isoFromDay(dec);
      const dob = parseDay(rec.dob as string);
      rec.dob = dob !== null && Number.isFinite(dob) ? isoFromDay(dob) : null;
      rec.ethnic_group = ethnicGroup(String(rec.ethnicity ?? ''));
      key = `${rec.la}|${rec.child_id}|${rec.decom}`;
    } else {
      if (rec.pmr === '') return ex('pmr', '', 'missing pupil matching reference');
      if (source !== 'pupils') {
        const y = parseCensusYear(rec.academic_year as string);
        if (!Number.isFinite(y)) return ex('academic_year', rec.academic_year as string, 'academic year is not a year');
        rec.academic_year = y;
      }
      if (source === 'ks2') {
        for (const k of ['read_score', 'maths_score']) {
          if (!(k in rec)) continue;
          const v = rec[k] === '' ? null : Number(rec[k]);
          if (v !== null && !(v >= 80 && v <= 120)) return ex(k, String(rec[k]), 'KS2 scaled score outside 80-120');
          rec[k] = v;
        }
        key = `${rec.pmr}|${rec.academic_year}`;
      } else if (source === 'ks4') {
        const a = rec.att8 === '' || rec.att8 === undefined ? null : Number(rec.att8);
        if (a !== null && !(a >= 0 && a <= 90)) return ex('att8', String(rec.att8), 'Attainment 8 outside 0-90');
        const p = rec.p8 === '' || rec.p8 === undefined ? null : Number(rec.p8);
        if (p !== null && !Number.isFinite(p)) return ex('p8', String(rec.p8), 'Progress 8 is not a number');
        rec.att8 = a; rec.p8 = p;
        key = `${rec.pmr}|${rec.academic_year}`;
      } else {
        let by: number | null = null, bm: number | null = null, dob: number | null = null;
        if (birth?.style === 'month-year') {
          const yv = get('@' + birth.year), mv = get('@' + birth.month);
          if (yv !== '' && mv !== '') { by = +yv; bm = +mv; if (bm >= 1 && bm <= 12) dob = dayFromCivil(by, bm, 1); }
        } else if (birth?.style === 'date') {
          const d = parseDay(get('@' + birth.column));
          if (d !== null && Number.isFinite(d)) { dob = d; by = +isoFromDay(d).slice(0, 4); bm = +isoFromDay(d).slice(5, 7); }
        }
        rec.birth_year = by; rec.birth_month = bm; rec.dob = dob === null ? null : isoFromDay(dob);
        for (const k of ['fsm', 'eal']) if (k in rec) rec[k] = rec[k] === '' ? null : /^(1|true|y|yes)$/i.test(String(rec[k])) ? 1 : 0;
        if ('idaci_decile' in rec) {
          const d = rec.idaci_decile === '' ? null : Number(rec.idaci_decile);
          if (d !== null && !(Number.isInteger(d) && d >= 1 && d <= 10)) return ex('idaci_decile', String(rec.idaci_decile), 'IDACI decile not an integer 1-10');
          rec.idaci_decile = d;
        }
        if ('sen' in rec) {
          const v = String(rec.sen).toUpperCase();
          const mapped = SEN_MAP[v];
          if (mapped === undefined) { ledger.exclude(source, file, line, 'sen', v, 'SEN provision not N/K/E (or legacy A/P/S)', 'value_dropped'); rec.sen = null; }
          else rec.sen = mapped;
        }
        rec.sex = SEX_OUT[String(rec.sex ?? '').toUpperCase()] ?? 'U';
        rec.ethnic_group = ethnicGroup(String(rec.ethnicity ?? ''));
        key = String(rec.pmr);
      }
    }
    if (seen.has(key)) { dup++; return; }
    seen.set(key, line);
    rec.source_row = line;
    for (const c of outCols) cols[c].push(rec[c] ?? null);
    };
  }
  ledger.flow.push({ source, file, rows_read: read, duplicates_merged: dup, rows_excluded: excluded, rows_analysed: read - dup - excluded });
  return aq.table(cols);
}

function emptyTable(source: 'ks2' | 'ks4' | 'pupils' | 'cla'): ColumnTable {
  const map = NPD_MAPPING[source] as Record<string, unknown>;
  const cols: Record<string, unknown[]> = {};
  for (const k of Object.keys(map)) if (typeof map[k] === 'string') cols[k] = [];
  return aq.table(cols);
}

// ---------------------------------------------------------------- assembly: dedup, pathways, tables
function assemble(records: CinRecord[], cla: ColumnTable | null, ledger: Ledger, endOfData: string | undefined, files: { cin: string } | null): StudyData {
  // deduplicate episodes across census years: key (LA, child, referral date); the latest census year wins,
  // an earlier year fills fields the latest left blank; same-year repeats are exact duplicates.
  const byKey = new Map<string, CinRecord>();
  const dupsByFile = new Map<string, number>();
  for (const r of records) {
    const key = `${r.la}|${r.childId}|${r.referral}`;
    const prev = byKey.get(key);
    if (!prev) { byKey.set(key, r); continue; }
    dupsByFile.set(r.file, (dupsByFile.get(r.file) ?? 0) + 1);
    const [late, early] = r.censusYear >= prev.censusYear ? [r, prev] : [prev, r];
    if (late.closure === null) late.closure = early.closure, late.closureReason = late.closureReason || early.closureReason;
    if (late.pmr === '') late.pmr = early.pmr;
    for (const a of early.assessments) if (!late.assessments.some((b) => b.start === a.start)) late.assessments.push(a);
    for (const c of early.cpps) if (!late.cpps.some((b) => b.start === c.start)) late.cpps.push(c);
    if (late.trueClass === null) late.trueClass = early.trueClass;
    if (late.idaci === null) late.idaci = early.idaci;
    (late as CinRecord & { firstYear?: number }).firstYear = Math.min((early as CinRecord & { firstYear?: number }).firstYear ?? early.censusYear, (late as CinRecord & { firstYear?: number }).firstYear ?? late.censusYear);
    byKey.set(key, late);
  }
  // per-file accounting
  const exclByFile = new Map<string, number>();
  for (const e of ledger.exclusions) if (e.source === 'cin' && e.action === 'row_excluded') exclByFile.set(e.file, (exclByFile.get(e.file) ?? 0) + 1);
  for (const f of ledger.flow) if (f.source === 'cin') {
    f.duplicates_merged = dupsByFile.get(f.file) ?? 0;
    f.rows_excluded = exclByFile.get(f.file) ?? 0;
    f.rows_analysed = f.rows_read - f.duplicates_merged - f.rows_excluded;
  }
  const episodes = Array.from(byKey.values()).sort((a, b) => (a.la < b.la ? -1 : a.la > b.la ? 1 : a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : a.referral - b.referral));
  let maxYear = 0;
  for (const r of records) if (r.censusYear > maxYear) maxYear = r.censusYear;
  const end = endOfData ?? (maxYear ? `${maxYear}-03-31` : '2021-03-31');
  const endDay = parseDay(end);
  if (endDay === null || Number.isNaN(endDay)) throw new DataError(`endOfData '${end}' is not a valid ISO date`);

  // care periods by child (from CLA: a new period starts at RNE 'S' or when not contiguous)
  const careStarts = new Map<string, number[]>();
  if (cla) {
    const la = cla.array('la') as string[]; const id = cla.array('child_id') as string[]; const decom = cla.array('decom') as string[];
    for (let i = 0; i < cla.numRows(); i++) {
      const k = `${la[i]}|${id[i]}`;
      const d = parseDay(decom[i]) as number;
      const arr = careStarts.get(k);
      if (arr) arr.push(d); else careStarts.set(k, [d]);
    }
  }
  // columns are filled directly (no per-episode row arrays); dates are shared ISO strings
  const nEp = episodes.length;
  let nA = 0, nC = 0;
  for (const r of episodes) { nA += r.assessments.length; nC += r.cpps.length; }
  const ec = {
    episode_id: new Array<string>(nEp), child_id: new Array<string>(nEp), pmr: new Array<string | null>(nEp), la: new Array<string>(nEp), sex: new Array<string>(nEp),
    ethnicity: new Array<string | null>(nEp), ethnic_group: new Array<string>(nEp), birth_year: new Array<number | null>(nEp), birth_month: new Array<number | null>(nEp),
    dob: new Array<string | null>(nEp), disabilities: new Array<string | null>(nEp), idaci_decile: new Array<number | null>(nEp), referral_date: new Array<string>(nEp),
    referral_source: new Array<string | null>(nEp), primary_need: new Array<string | null>(nEp), closure_date: new Array<string | null>(nEp),
    closure_reason: new Array<string | null>(nEp), referral_nfa: new Array<boolean | null>(nEp), first_census_year: new Array<number>(nEp), last_census_year: new Array<number>(nEp),
    n_assessments: new Array<number>(nEp), cin_plan_start: new Array<string | null>(nEp), cin_plan_end: new Array<string | null>(nEp), s47_date: new Array<string | null>(nEp),
    icpc_date: new Array<string | null>(nEp), n_cpp: new Array<number>(nEp), care_start: new Array<string | null>(nEp), pathway: new Array<string>(nEp),
    true_class: new Array<number | null>(nEp), episode_number: new Array<number>(nEp), source_row: new Array<number>(nEp),
  };
  const ac = {
    assessment_id: new Array<string>(nA), episode_id: new Array<string>(nA), child_id: new Array<string>(nA), pmr: new Array<string | null>(nA), la: new Array<string>(nA),
    assessment_date: new Array<string>(nA), authorisation_date: new Array<string | null>(nA), census_year: new Array<number>(nA), factors: new Array<string>(nA),
    true_class: new Array<number | null>(nA),
  };
  const cc = {
    cpp_id: new Array<string>(nC), episode_id: new Array<string>(nC), child_id: new Array<string>(nC), la: new Array<string>(nC), cpp_start: new Array<string>(nC),
    cpp_end: new Array<string | null>(nC), initial_category: new Array<string | null>(nC), latest_category: new Array<string | null>(nC), n_previous_cpp: new Array<number | null>(nC),
  };
  const iso = (d: number | null): string | null => (d === null ? null : isoFromDay(d));
  const byStart = (a: { start: number }, b: { start: number }): number => a.start - b.start;
  const noCare: number[] = [];
  let prevChild = '';
  let epNo = 0;
  let ai = 0, ci = 0;
  for (let e = 0; e < nEp; e++) {
    const r = episodes[e];
    const childKey = `${r.la}|${r.childId}`;
    epNo = childKey === prevChild ? epNo + 1 : 1;
    prevChild = childKey;
    const episodeId = `${r.la}|${r.childId}|${isoFromDay(r.referral)}`;
    const upper = r.closure ?? endDay;
    let firstCare = Infinity;
    for (const d of careStarts.get(childKey) ?? noCare) if (d >= r.referral && d <= upper && d < firstCare) firstCare = d;
    const inCare = firstCare !== Infinity;
    const pathway = inCare ? 'care' : r.cpps.length ? 'CPP' : r.planStart !== null ? 'CIN plan' : 'NFA';
    if (r.assessments.length > 1) r.assessments.sort(byStart);
    if (r.cpps.length > 1) r.cpps.sort(byStart);
    const pmr = r.pmr || null;
    ec.episode_id[e] = episodeId; ec.child_id[e] = r.childId; ec.pmr[e] = pmr; ec.la[e] = r.la; ec.sex[e] = r.sex;
    ec.ethnicity[e] = r.ethnicity || null; ec.ethnic_group[e] = ethnicGroup(r.ethnicity); ec.birth_year[e] = r.birthYear; ec.birth_month[e] = r.birthMonth;
    ec.dob[e] = iso(r.dob); ec.disabilities[e] = r.disabilities || null; ec.idaci_decile[e] = r.idaci; ec.referral_date[e] = isoFromDay(r.referral);
    ec.referral_source[e] = r.referralSource || null; ec.primary_need[e] = r.primaryNeed || null; ec.closure_date[e] = iso(r.closure);
    ec.closure_reason[e] = r.closureReason || null; ec.referral_nfa[e] = r.referralNfa;
    ec.first_census_year[e] = (r as CinRecord & { firstYear?: number }).firstYear ?? r.censusYear; ec.last_census_year[e] = r.censusYear;
    ec.n_assessments[e] = r.assessments.length; ec.cin_plan_start[e] = iso(r.planStart); ec.cin_plan_end[e] = iso(r.planEnd); ec.s47_date[e] = iso(r.s47);
    ec.icpc_date[e] = iso(r.icpc); ec.n_cpp[e] = r.cpps.length; ec.care_start[e] = inCare ? isoFromDay(firstCare) : null; ec.pathway[e] = pathway;
    ec.true_class[e] = r.trueClass; ec.episode_number[e] = epNo; ec.source_row[e] = r.row;
    for (let j = 0; j < r.assessments.length; j++, ai++) {
      const a = r.assessments[j];
      ac.assessment_id[ai] = `${episodeId}#A${j + 1}`; ac.episode_id[ai] = episodeId; ac.child_id[ai] = r.childId; ac.pmr[ai] = pmr; ac.la[ai] = r.la;
      ac.assessment_date[ai] = isoFromDay(a.start); ac.authorisation_date[ai] = iso(a.auth); ac.census_year[ai] = censusYearOfDay(a.start);
      ac.factors[ai] = a.factors.length === 1 ? a.factors[0] : a.factors.join(';'); ac.true_class[ai] = r.trueClass;
    }
    for (let j = 0; j < r.cpps.length; j++, ci++) {
      const c = r.cpps[j];
      cc.cpp_id[ci] = `${episodeId}#P${j + 1}`; cc.episode_id[ci] = episodeId; cc.child_id[ci] = r.childId; cc.la[ci] = r.la; cc.cpp_start[ci] = isoFromDay(c.start);
      cc.cpp_end[ci] = iso(c.end); cc.initial_category[ci] = c.initial || null; cc.latest_category[ci] = c.latest || null; cc.n_previous_cpp[ci] = c.previous;
    }
  }
  return {
    cin: aq.table(ec), assessments: aq.table(ac), cpp: aq.table(cc), cla: cla ?? emptyTable('cla'),
    ks2: emptyTable('ks2'), ks4: emptyTable('ks4'), pupils: emptyTable('pupils'),
    exclusions: ledger.table(), dataFlow: ledger.flow, endOfData: isoFromDay(endDay),
  };
  void files;
}
