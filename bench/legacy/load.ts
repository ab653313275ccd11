/**
 * The previous in-JS loader, kept only so `npm run bench -- data` can compare the DuckDB store with it
 * in the same run. Not part of the library.
 *
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
import { DataError } from '../../src/data/errors';
import { readCsvRows } from './csv';
import type { CsvRow } from './csv';
import { parseDay, isoFromDay, dayFromCivil, civilFromDay, censusYearOfDay } from '../../src/data/dates';
import {
  CIN_FACTOR_CODES, FACTOR_HARMONISATION, REFERRAL_SOURCE_CODES, PRIMARY_NEED_CODES, CLOSURE_REASON_CODES, CPP_CATEGORY_CODES,
  ETHNICITY_CODES, GENDER_CODES, SSDA903_RNE_CODES, SSDA903_LS_CODES, SSDA903_CIN_CODES, SSDA903_PLACE_CODES, SSDA903_REC_CODES,
  ethnicGroup,
} from '../../src/data/codes';
import { ensureSynthetic } from '../../src/data/synth/generate';
import type { StudySource, ExtractMapping, PartialExtractMapping, DataFlowRow, FactorLayout, BirthLayout, SyntheticTruth } from '../../src/data/types';
import * as path from 'path';

/** the loaded data as the legacy loader returned it: every table exported eagerly to arquero */
export interface LegacyStudyData {
  cin: ColumnTable; assessments: ColumnTable; cpp: ColumnTable; cla: ColumnTable; ks2: ColumnTable; ks4: ColumnTable; pupils: ColumnTable;
  exclusions: ColumnTable; warnings: ColumnTable; s47?: ColumnTable; cinPlans?: ColumnTable; dataFlow: DataFlowRow[]; endOfData: string; truth?: SyntheticTruth;
}

import { NPD_MAPPING } from '../../src/data/mapping';

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

const SEX_OUT: Record<string, string> = { '1': 'M', '2': 'F', '0': 'U', '9': 'U', M: 'M', F: 'F', U: 'U' };

// ---------------------------------------------------------------- public entry
/** Load a study dataset; see StudySource. Throws DataError for missing files/columns, empty or non-UTF-8 files. */
export function loadStudyDataLegacy(source: StudySource): LegacyStudyData {
  if (source.kind === 'synthetic') {
    const dir = ensureSynthetic({ scale: source.scale ?? 'small', seed: source.seed ?? 1, dir: source.dir });
    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as SyntheticTruth;
    const files = { cin: path.join(dir, 'cin.csv'), cla: path.join(dir, 'cla.csv'), ks2: path.join(dir, 'ks2.csv'), ks4: path.join(dir, 'ks4.csv'), pupils: path.join(dir, 'pupils.csv') };
    const data = loadExtracts(files, NPD_MAPPING, truth.endOfData);
    return Object.freeze({ ...data, truth });
  }
  if (source.kind === 'extracts') {
    if (!source.files || !source.files.cin) throw new DataError("loadStudyData: extracts source needs files.cin (path to the CIN extract)");
    return Object.freeze(loadExtracts(source.files as { cin: string }, mergeMapping(source.mapping), source.endOfData));
  }
  if (source.kind === 'cin-xml') {
    if (!Array.isArray(source.files) || source.files.length === 0) throw new DataError('loadStudyData: cin-xml source needs files: [path, ...]');
    const ledger = new Ledger();
    const store = new CinStore();
    for (const f of source.files) readCinXml(f, store, ledger);
    return Object.freeze(assemble(store, null, ledger, source.endOfData, null));
  }
  throw new DataError(`loadStudyData: unknown source kind '${(source as { kind: string }).kind}' (expected synthetic, extracts or cin-xml)`);
}

function mergeMapping(partial?: PartialExtractMapping): ExtractMapping {
  const m = JSON.parse(JSON.stringify(NPD_MAPPING)) as ExtractMapping;
  if (!partial) return m;
  for (const k of Object.keys(partial) as Array<keyof ExtractMapping>) Object.assign(m[k], partial[k]);
  return m;
}

function loadExtracts(files: { cin: string; cla?: string; ks2?: string; ks4?: string; pupils?: string }, mapping: ExtractMapping, endOfData?: string): LegacyStudyData {
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

function readCinCsv(file: string, map: ExtractMapping['cin'], ledger: Ledger): CinStore {
  const what = 'CIN extract';
  const records = new CinStore();
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
    toRecord(file, line, {
      censusYear: f.text(at[0]), la: f.text(at[1]), childId: f.text(at[2]), pmr: f.text(at[3]), sex: f.text(at[4]), ethnicity: f.text(at[5]),
      disabilities: f.text(at[6]), idaci: f.text(at[7]), referral: f.text(at[8]), referralSource: f.text(at[9]), primaryNeed: f.text(at[10]),
      closure: f.text(at[11]), closureReason: f.text(at[12]), referralNfa: f.text(at[13]), planStart: f.text(at[14]),
      planEnd: f.text(at[15]), s47: f.text(at[16]), icpc: f.text(at[17]), trueClass: f.text(at[18]),
      assessment: f.text(at[19]), auth: f.text(at[20]), factors,
      cppStart: f.text(at[21]), cppEnd: f.text(at[22]), cppInitial: f.text(at[23]), cppLatest: f.text(at[24]), cppPrevious: f.text(at[25]),
    }, { birthYear, birthMonth, dob }, ledger, records);
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

// ---------------------------------------------------------------- CIN episodes as columns
/** Growable Float64 column; NaN stands for a missing value. */
class F64 {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) { const d = new Float64Array(this.data.length * 2); d.set(this.data); this.data = d; }
    this.data[this.length++] = v;
  }
}
const nn = (v: number | null): number => (v === null ? NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * All validated CIN rows, one index per row, held as columns: millions of retained row objects
 * are what made loading slow (every young-generation collection copied them) and large.
 * Assessments and CPPs are flat columns pointing back to their row (aRow, cRow).
 */
class CinStore {
  files: string[] = [];
  fileIndex = new F64(); row = new F64(); censusYear = new F64(); firstYear = new F64();
  la: string[] = []; childId: string[] = []; pmr: string[] = []; sex: string[] = []; ethnicity: string[] = []; disabilities: string[] = [];
  referralSource: string[] = []; primaryNeed: string[] = []; closureReason: string[] = [];
  birthYear = new F64(); birthMonth = new F64(); dob = new F64(); idaci = new F64(); referral = new F64(); closure = new F64();
  referralNfa = new F64(); planStart = new F64(); planEnd = new F64(); s47 = new F64(); icpc = new F64(); trueClass = new F64();
  aRow = new F64(); aStart = new F64(); aAuth = new F64(); aFactors: string[] = [];
  cRow = new F64(); cStart = new F64(); cEnd = new F64(); cInitial: string[] = []; cLatest: string[] = []; cPrevious = new F64();
  get size(): number { return this.la.length; }
  fileId(file: string): number {
    const last = this.files.length - 1;
    if (last >= 0 && this.files[last] === file) return last;
    const i = this.files.indexOf(file);
    if (i >= 0) return i;
    this.files.push(file);
    return this.files.length - 1;
  }
}

/** assessments validated for the current row before it is committed (reused, never retained) */
const pendingA = { start: [] as number[], auth: [] as number[], factors: [] as string[] };
const pendingFactorCodes: string[] = [];
const pendingC = { start: [] as number[], end: [] as number[], initial: [] as string[], latest: [] as string[], previous: [] as number[] };

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
function toRecord(file: string, row: number, r: RawCin, birth: { birthYear: number | null; birthMonth: number | null; dob: number | null }, ledger: Ledger, store: CinStore): CinStore | null {
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
  pendingA.start.length = 0; pendingA.auth.length = 0; pendingA.factors.length = 0;
  const rawA = r.assessmentsList ?? (r.assessment ? [{ start: r.assessment, auth: r.auth ?? '', factors: r.factors ?? [] }] : []);
  if (!r.assessmentsList && !r.assessment && r.factors && r.factors.length) dropCin(ledger, file, row, 'factors', r.factors.join(';'), 'factors without an assessment start date');
  for (const a of rawA) {
    const start = optionalDate(ledger, file, row, 'assessment_date', a.start); if (start === REJECTED) return null;
    if (start === null) continue;
    const auth = optionalDate(ledger, file, row, 'authorisation_date', a.auth); if (auth === REJECTED) return null;
    if (start < referral || start > upper) return excludeCin(ledger, file, row, 'assessment_date', a.start, 'assessment starts outside its referral episode');
    if (auth !== null && auth < start) return excludeCin(ledger, file, row, 'authorisation_date', a.auth, 'assessment authorised before it started');
    const facs = pendingFactorCodes;
    facs.length = 0;
    for (const c0 of a.factors) {
      const c = c0.toUpperCase();
      if (!(c in FACTOR_HARMONISATION)) dropCin(ledger, file, row, 'factors', c0, 'assessment factor code not in any CIN schema code list');
      else if (facs.indexOf(c) < 0) facs.push(c);
    }
    pendingA.start.push(start); pendingA.auth.push(nn(auth)); pendingA.factors.push(facs.length === 1 ? facs[0] : facs.join(';'));
  }
  pendingC.start.length = 0; pendingC.end.length = 0; pendingC.initial.length = 0; pendingC.latest.length = 0; pendingC.previous.length = 0;
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
    pendingC.start.push(start); pendingC.end.push(nn(end)); pendingC.initial.push(initial); pendingC.latest.push(latest);
    pendingC.previous.push(prev !== null && Number.isFinite(prev) ? prev : NaN);
  }
  const tc = r.trueClass === '' ? null : Number(r.trueClass);
  let idaci: number | null = r.idaci === undefined || r.idaci === '' ? null : Number(r.idaci);
  if (idaci !== null && !(Number.isInteger(idaci) && idaci >= 1 && idaci <= 10)) { dropCin(ledger, file, row, 'idaci_decile', r.idaci ?? '', 'IDACI decile not an integer 1-10'); idaci = null; }
  // commit the row
  const k = store.size;
  const S = store;
  S.fileIndex.push(S.fileId(file)); S.row.push(row); S.censusYear.push(cy); S.firstYear.push(cy);
  S.la.push(r.la); S.childId.push(r.childId); S.pmr.push(r.pmr); S.sex.push(sex); S.ethnicity.push(ethnicity); S.disabilities.push(r.disabilities);
  S.referralSource.push(referralSource); S.primaryNeed.push(primaryNeed); S.closureReason.push(closureReason);
  S.birthYear.push(nn(birth.birthYear)); S.birthMonth.push(nn(birth.birthMonth)); S.dob.push(nn(birth.dob)); S.idaci.push(nn(idaci));
  S.referral.push(referral); S.closure.push(nn(closure)); S.referralNfa.push(referralNfa === null ? NaN : referralNfa ? 1 : 0);
  S.planStart.push(nn(planStart)); S.planEnd.push(nn(planEnd)); S.s47.push(nn(s47)); S.icpc.push(nn(icpc));
  S.trueClass.push(tc !== null && Number.isFinite(tc) ? tc : NaN);
  for (let j = 0; j < pendingA.start.length; j++) { S.aRow.push(k); S.aStart.push(pendingA.start[j]); S.aAuth.push(pendingA.auth[j]); S.aFactors.push(pendingA.factors[j]); }
  for (let j = 0; j < pendingC.start.length; j++) {
    S.cRow.push(k); S.cStart.push(pendingC.start[j]); S.cEnd.push(pendingC.end[j]); S.cInitial.push(pendingC.initial[j]); S.cLatest.push(pendingC.latest[j]); S.cPrevious.push(pendingC.previous[j]);
  }
  return store;
}

// ---------------------------------------------------------------- XML: LA CIN census returns
const XML_ARRAYS = new Set(['Child', 'CINdetails', 'Assessments', 'AssessmentFactors', 'CINPlanDates', 'Section47', 'ChildProtectionPlans', 'Disability', 'CPPreviewDate', 'Source']);

function readCinXml(file: string, store: CinStore, ledger: Ledger): void {
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
      toRecord(file, ordinal, raw, birth, ledger, store);
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
  const fields = Object.keys(map).filter((k) => typeof map[k] === 'string');
  const extras = source === 'pupils' ? ['birth_year', 'birth_month', 'dob', 'ethnic_group', 'source_row'] : source === 'cla' ? ['ethnic_group', 'source_row'] : ['source_row'];
  const outCols = [...fields, ...extras];
  const cols: Record<string, unknown[]> = {};
  for (const c of outCols) cols[c] = [];
  const fieldCols = fields.map((k) => cols[k]);
  const extraCols = extras.map((k) => cols[k]);
  const nFields = fields.length;
  // one reused value slot per mapped field instead of an object per row
  const vals: unknown[] = new Array(nFields).fill('');
  const extraVals: unknown[] = new Array(extras.length).fill(null);
  const F = (k: string): number => fields.indexOf(k);
  const iChild = F('child_id'), iLa = F('la'), iDecom = F('decom'), iDec = F('dec'), iDob = F('dob'), iSex = F('sex'), iEth = F('ethnicity');
  const iPmr = F('pmr'), iYear = F('academic_year'), iRead = F('read_score'), iMaths = F('maths_score'), iAtt8 = F('att8'), iP8 = F('p8');
  const iFsm = F('fsm'), iEal = F('eal'), iIdaci = F('idaci_decile'), iSen = F('sen');
  const claChecks = CLA_CODE_CHECKS.map(([k, list]) => [F(k), k, list] as [number, string, ReadonlyArray<string>]).filter(([j]) => j >= 0);
  const seen = new Map<string, number>();
  let read = 0, excluded = 0, dup = 0;
  let fieldAt: number[] = [];
  let birthDateCol = -1, birthYearCol = -1, birthMonthCol = -1;
  const ex = (line: number, field: string, value: string, reason: string): void => { excluded++; ledger.exclude(source, file, line, field, value, reason); };
  const str = (j: number): string => (j < 0 ? '' : (vals[j] as string));
  const FLAG_TRUE = /^(1|true|y|yes)$/i;
  readCsvRows(file, what, (header) => {
    const idx = resolveColumns(what, file, header, map, REQUIRED[source], birth ? birthColumns(birth) : []);
    fieldAt = fields.map((k) => idx.get(k) ?? -1);
    if (birth?.style === 'date') birthDateCol = idx.get('@' + birth.column) ?? -1;
    else if (birth?.style === 'month-year') { birthYearCol = idx.get('@' + birth.year) ?? -1; birthMonthCol = idx.get('@' + birth.month) ?? -1; }
  }, (f, line) => {
    read++;
    for (let j = 0; j < nFields; j++) vals[j] = f.text(fieldAt[j]);
    let key: string;
    if (source === 'cla') {
      if (str(iChild) === '') return ex(line, 'child_id', '', 'missing child identifier (CHILD)');
      const decom = parseDay(str(iDecom));
      if (decom === null || Number.isNaN(decom)) return ex(line, 'decom', str(iDecom), 'DECOM (episode start) missing or not a valid date');
      const dec = parseDay(str(iDec));
      if (dec !== null && Number.isNaN(dec)) return ex(line, 'dec', str(iDec), 'DEC is not a valid date');
      if (dec !== null && dec < decom) return ex(line, 'dec', str(iDec), 'DEC (episode end) before DECOM (episode start)');
      for (const [j, k, list] of claChecks) {
        const v = str(j).toUpperCase();
        if (v !== '' && !list.includes(v)) { ledger.exclude(source, file, line, k, v, `${k.toUpperCase()} code not in the SSDA903 code list`, 'value_dropped'); vals[j] = ''; }
        else vals[j] = v;
      }
      if (iSex >= 0) vals[iSex] = SEX_OUT[str(iSex).toUpperCase()] ?? 'U';
      vals[iDecom] = isoFromDay(decom);
      if (iDec >= 0) vals[iDec] = dec === null ? null : isoFromDay(dec);
      if (iDob >= 0) { const dob = parseDay(str(iDob)); vals[iDob] = dob !== null && Number.isFinite(dob) ? isoFromDay(dob) : null; }
      extraVals[0] = ethnicGroup(str(iEth));
      key = `${iLa >= 0 ? vals[iLa] : undefined}|${vals[iChild]}|${vals[iDecom]}`;
    } else {
      if (str(iPmr) === '') return ex(line, 'pmr', '', 'missing pupil matching reference');
      if (source !== 'pupils') {
        const y = parseCensusYear(str(iYear));
        if (!Number.isFinite(y)) return ex(line, 'academic_year', str(iYear), 'academic year is not a year');
        vals[iYear] = y;
      }
      if (source === 'ks2') {
        for (const [j, k] of [[iRead, 'read_score'], [iMaths, 'maths_score']] as Array<[number, string]>) {
          if (j < 0) continue;
          const v = vals[j] === '' ? null : Number(vals[j]);
          if (v !== null && !(v >= 80 && v <= 120)) return ex(line, k, String(vals[j]), 'KS2 scaled score outside 80-120');
          vals[j] = v;
        }
        key = `${vals[iPmr]}|${vals[iYear]}`;
      } else if (source === 'ks4') {
        const a = iAtt8 < 0 || vals[iAtt8] === '' ? null : Number(vals[iAtt8]);
        if (a !== null && !(a >= 0 && a <= 90)) return ex(line, 'att8', String(vals[iAtt8]), 'Attainment 8 outside 0-90');
        const p = iP8 < 0 || vals[iP8] === '' ? null : Number(vals[iP8]);
        if (p !== null && !Number.isFinite(p)) return ex(line, 'p8', String(vals[iP8]), 'Progress 8 is not a number');
        if (iAtt8 >= 0) vals[iAtt8] = a;
        if (iP8 >= 0) vals[iP8] = p;
        key = `${vals[iPmr]}|${vals[iYear]}`;
      } else {
        let by: number | null = null, bm: number | null = null, dob: number | null = null;
        if (birth?.style === 'month-year') {
          const yv = f.text(birthYearCol), mv = f.text(birthMonthCol);
          if (yv !== '' && mv !== '') { by = +yv; bm = +mv; if (bm >= 1 && bm <= 12) dob = dayFromCivil(by, bm, 1); }
        } else if (birth?.style === 'date') {
          const d = f.day(birthDateCol);
          if (d !== null && Number.isFinite(d)) { dob = d; const c = civilFromDay(d); by = c[0]; bm = c[1]; }
        }
        for (const j of [iFsm, iEal]) if (j >= 0) vals[j] = vals[j] === '' ? null : FLAG_TRUE.test(String(vals[j])) ? 1 : 0;
        if (iIdaci >= 0) {
          const d = vals[iIdaci] === '' ? null : Number(vals[iIdaci]);
          if (d !== null && !(Number.isInteger(d) && d >= 1 && d <= 10)) return ex(line, 'idaci_decile', String(vals[iIdaci]), 'IDACI decile not an integer 1-10');
          vals[iIdaci] = d;
        }
        if (iSen >= 0) {
          const v = str(iSen).toUpperCase();
          const mapped = SEN_MAP[v];
          if (mapped === undefined) { ledger.exclude(source, file, line, 'sen', v, 'SEN provision not N/K/E (or legacy A/P/S)', 'value_dropped'); vals[iSen] = null; }
          else vals[iSen] = mapped;
        }
        if (iSex >= 0) vals[iSex] = SEX_OUT[str(iSex).toUpperCase()] ?? 'U';
        extraVals[0] = by; extraVals[1] = bm; extraVals[2] = dob === null ? null : isoFromDay(dob); extraVals[3] = ethnicGroup(str(iEth));
        key = vals[iPmr] as string;
      }
    }
    if (seen.has(key)) { dup++; return; }
    seen.set(key, line);
    extraVals[extraVals.length - 1] = line;
    for (let j = 0; j < nFields; j++) fieldCols[j].push(vals[j] ?? null);
    for (let j = 0; j < extraVals.length; j++) extraCols[j].push(extraVals[j] ?? null);
  });
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
function assemble(S: CinStore, cla: ColumnTable | null, ledger: Ledger, endOfData: string | undefined, files: { cin: string } | null): LegacyStudyData {
  // deduplicate episodes across census years: key (LA, child, referral date); the latest census year wins,
  // an earlier year fills fields the latest left blank; same-year repeats are exact duplicates.
  const nRows = S.size;
  const byKey = new Map<string, number>();
  const dupsByFile = new Map<string, number>();
  const cy = S.censusYear.data, closure = S.closure.data, trueClass = S.trueClass.data, idaci = S.idaci.data, firstYear = S.firstYear.data;
  // assessment / CPP index lists, materialised only for rows that absorbed a duplicate
  const aFirst = new Int32Array(nRows + 1), cFirst = new Int32Array(nRows + 1);
  { const ar = S.aRow.data; let j = 0; for (let k = 0; k <= nRows; k++) { while (j < S.aRow.length && ar[j] < k) j++; aFirst[k] = j; } }
  { const cr = S.cRow.data; let j = 0; for (let k = 0; k <= nRows; k++) { while (j < S.cRow.length && cr[j] < k) j++; cFirst[k] = j; } }
  const aLists = new Map<number, number[]>(), cLists = new Map<number, number[]>();
  const listOf = (lists: Map<number, number[]>, first: Int32Array, k: number): number[] => {
    const l = lists.get(k);
    if (l) return l;
    const out: number[] = [];
    for (let j = first[k]; j < first[k + 1]; j++) out.push(j);
    return out;
  };
  const mergeInto = (lists: Map<number, number[]>, first: Int32Array, starts: Float64Array, late: number, early: number): void => {
    const into = listOf(lists, first, late);
    for (const j of listOf(lists, first, early)) {
      let present = false;
      for (const b of into) if (starts[b] === starts[j]) { present = true; break; }
      if (!present) into.push(j);
    }
    lists.set(late, into);
    lists.delete(early);
  };
  for (let k = 0; k < nRows; k++) {
    const key = `${S.la[k]}|${S.childId[k]}|${S.referral.data[k]}`;
    const prev = byKey.get(key);
    if (prev === undefined) { byKey.set(key, k); continue; }
    const file = S.files[S.fileIndex.data[k]];
    dupsByFile.set(file, (dupsByFile.get(file) ?? 0) + 1);
    const late = cy[k] >= cy[prev] ? k : prev, early = late === k ? prev : k;
    if (Number.isNaN(closure[late])) { closure[late] = closure[early]; S.closureReason[late] = S.closureReason[late] || S.closureReason[early]; }
    if (S.pmr[late] === '') S.pmr[late] = S.pmr[early];
    mergeInto(aLists, aFirst, S.aStart.data, late, early);
    mergeInto(cLists, cFirst, S.cStart.data, late, early);
    if (Number.isNaN(trueClass[late])) trueClass[late] = trueClass[early];
    if (Number.isNaN(idaci[late])) idaci[late] = idaci[early];
    firstYear[late] = Math.min(firstYear[early], firstYear[late]);
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
  const episodes = Array.from(byKey.values());
  byKey.clear();
  const ref = S.referral.data;
  episodes.sort((a, b) => {
    const la = S.la[a], lb = S.la[b];
    if (la !== lb) return la < lb ? -1 : 1;
    const ca = S.childId[a], cb = S.childId[b];
    if (ca !== cb) return ca < cb ? -1 : 1;
    return ref[a] - ref[b];
  });
  let maxYear = 0;
  for (let k = 0; k < nRows; k++) if (cy[k] > maxYear) maxYear = cy[k];
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
  const aIdx = (k: number): ArrayLike<number> => aLists.get(k) ?? rangeOf(aFirst, k);
  const cIdx = (k: number): ArrayLike<number> => cLists.get(k) ?? rangeOf(cFirst, k);
  let nA = 0, nC = 0;
  for (const k of episodes) {
    const al = aLists.get(k), cl = cLists.get(k);
    nA += al ? al.length : aFirst[k + 1] - aFirst[k];
    nC += cl ? cl.length : cFirst[k + 1] - cFirst[k];
  }
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
  const iso = (d: number): string | null => (Number.isNaN(d) ? null : isoFromDay(d));
  const aStart = S.aStart.data, aAuth = S.aAuth.data, cStart = S.cStart.data, cEnd = S.cEnd.data, cPrev = S.cPrevious.data;
  const noCare: number[] = [];
  const order: number[] = [];
  const sortByStart = (idx: ArrayLike<number>, starts: Float64Array): number[] => {
    order.length = 0;
    for (let j = 0; j < idx.length; j++) order.push(idx[j]);
    if (order.length > 1) order.sort((x, y) => starts[x] - starts[y] || 0); // stable: equal starts keep their order
    return order;
  };
  let prevChild = '';
  let epNo = 0;
  let ai = 0, ci = 0;
  for (let e = 0; e < nEp; e++) {
    const k = episodes[e];
    const la = S.la[k], childId = S.childId[k];
    const childKey = `${la}|${childId}`;
    epNo = childKey === prevChild ? epNo + 1 : 1;
    prevChild = childKey;
    const referral = ref[k];
    const referralIso = isoFromDay(referral);
    const episodeId = `${la}|${childId}|${referralIso}`;
    const upper = Number.isNaN(closure[k]) ? endDay : closure[k];
    let firstCare = Infinity;
    for (const d of careStarts.get(childKey) ?? noCare) if (d >= referral && d <= upper && d < firstCare) firstCare = d;
    const inCare = firstCare !== Infinity;
    const aList = aIdx(k), cList = cIdx(k);
    const pathway = inCare ? 'care' : cList.length ? 'CPP' : !Number.isNaN(S.planStart.data[k]) ? 'CIN plan' : 'NFA';
    const pmr = S.pmr[k] || null;
    const tc = orNull(trueClass[k]);
    const nfa = S.referralNfa.data[k];
    ec.episode_id[e] = episodeId; ec.child_id[e] = childId; ec.pmr[e] = pmr; ec.la[e] = la; ec.sex[e] = S.sex[k];
    ec.ethnicity[e] = S.ethnicity[k] || null; ec.ethnic_group[e] = ethnicGroup(S.ethnicity[k]); ec.birth_year[e] = orNull(S.birthYear.data[k]); ec.birth_month[e] = orNull(S.birthMonth.data[k]);
    ec.dob[e] = iso(S.dob.data[k]); ec.disabilities[e] = S.disabilities[k] || null; ec.idaci_decile[e] = orNull(idaci[k]); ec.referral_date[e] = referralIso;
    ec.referral_source[e] = S.referralSource[k] || null; ec.primary_need[e] = S.primaryNeed[k] || null; ec.closure_date[e] = iso(closure[k]);
    ec.closure_reason[e] = S.closureReason[k] || null; ec.referral_nfa[e] = Number.isNaN(nfa) ? null : nfa === 1;
    ec.first_census_year[e] = firstYear[k]; ec.last_census_year[e] = cy[k];
    ec.n_assessments[e] = aList.length; ec.cin_plan_start[e] = iso(S.planStart.data[k]); ec.cin_plan_end[e] = iso(S.planEnd.data[k]); ec.s47_date[e] = iso(S.s47.data[k]);
    ec.icpc_date[e] = iso(S.icpc.data[k]); ec.n_cpp[e] = cList.length; ec.care_start[e] = inCare ? isoFromDay(firstCare) : null; ec.pathway[e] = pathway;
    ec.true_class[e] = tc; ec.episode_number[e] = epNo; ec.source_row[e] = S.row.data[k];
    const as = sortByStart(aList, aStart);
    for (let j = 0; j < as.length; j++, ai++) {
      const a = as[j];
      ac.assessment_id[ai] = `${episodeId}#A${j + 1}`; ac.episode_id[ai] = episodeId; ac.child_id[ai] = childId; ac.pmr[ai] = pmr; ac.la[ai] = la;
      ac.assessment_date[ai] = isoFromDay(aStart[a]); ac.authorisation_date[ai] = iso(aAuth[a]); ac.census_year[ai] = censusYearOfDay(aStart[a]);
      ac.factors[ai] = S.aFactors[a]; ac.true_class[ai] = tc;
    }
    const cs = sortByStart(cList, cStart);
    for (let j = 0; j < cs.length; j++, ci++) {
      const c = cs[j];
      cc.cpp_id[ci] = `${episodeId}#P${j + 1}`; cc.episode_id[ci] = episodeId; cc.child_id[ci] = childId; cc.la[ci] = la; cc.cpp_start[ci] = isoFromDay(cStart[c]);
      cc.cpp_end[ci] = iso(cEnd[c]); cc.initial_category[ci] = S.cInitial[c] || null; cc.latest_category[ci] = S.cLatest[c] || null; cc.n_previous_cpp[ci] = orNull(cPrev[c]);
    }
  }
  return {
    cin: aq.table(ec), assessments: aq.table(ac), cpp: aq.table(cc), cla: cla ?? emptyTable('cla'),
    ks2: emptyTable('ks2'), ks4: emptyTable('ks4'), pupils: emptyTable('pupils'),
    exclusions: ledger.table(), warnings: aq.table({}), dataFlow: ledger.flow, endOfData: isoFromDay(endDay),
  };
  void files;
}

/** indices first[k] .. first[k+1]-1 as a small array-like view */
function rangeOf(first: Int32Array, k: number): number[] {
  const out: number[] = [];
  for (let j = first[k]; j < first[k + 1]; j++) out.push(j);
  return out;
}
