/**
 * FROZEN copy of the in-JS analysis tables before they moved into the store's SQL (issue 11), kept
 * only so `npm run bench -- data` can compare against them in the same run. Do not use elsewhere.
 *
 * Analysis tables built from a loaded StudyData: the assessment x factor matrix for LCA, the
 * episode-level survival tables (re-referral, repeat CPP, re-entry to care), and the pupil-level
 * linked table for the attainment models. Column coding matches truth.json on synthetic data.
 * These run once per notebook on arrays pulled out of arquero; no per-row arquero calls.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { DataError } from '../../src/data/errors';
import { parseDay, dayFromCivil, birthdayDay, isoFromDay } from '../../src/data/dates';
import { HARMONISED_FACTORS, GROUPED_FACTORS, factorLabels, harmoniseFactors } from '../../src/data/codes';
import type { LcaMatrixOptions, LcaMatrix, SurvivalOptions, SurvivalTables, PupilLinkedOptions, PupilLinked } from '../../src/data/types';
import type { LegacyStudyData as StudyData } from './load';

const DAYS_PER_YEAR = 365.25;
const DAYS_PER_MONTH = 365.25 / 12;
const STATUS_NAMES = ['end_of_data', 'rereferral', 'aged_18'];
const EXPOSURE_NAMES = ['none', 'CIN', 'CPP', 'CLA'];

/** ISO date strings -> day numbers (NaN for blank/invalid) in one typed pass */
function daysOf(values: ArrayLike<unknown>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) { const d = dayOf(values[i]); out[i] = d === null ? NaN : d; }
  return out;
}

function col<T = unknown>(t: ColumnTable, name: string, what: string): T[] {
  if (!t.columnNames().includes(name)) throw new DataError(`${what}: expected column '${name}' in the table; columns present: ${t.columnNames().join(', ')}`);
  return t.array(name) as unknown as T[];
}
function dayOf(s: unknown): number | null {
  if (s === null || s === undefined || s === '') return null;
  const d = parseDay(String(s));
  return d === null || Number.isNaN(d) ? null : d;
}
function classLookup(classes: ColumnTable | undefined, what: string): Map<string, number | string> | null {
  if (!classes) return null;
  const ids = col<string>(classes, 'assessment_id', what);
  const cls = col<number | string>(classes, 'class', what);
  const m = new Map<string, number | string>();
  for (let i = 0; i < ids.length; i++) m.set(ids[i], cls[i]);
  return m;
}

/**
 * Assessment x factor indicator matrix. One row per assessment (in the chosen census years) with at
 * least one harmonised factor (unless keepEmpty); one 0/1 column per item. Item columns are named
 * 'f_<code>' for harmonised codes (f_3B, f_18, ...) and by theme for grouped (domestic_violence, ...).
 */
export function buildLcaMatrix(data: StudyData, options: LcaMatrixOptions = {}): LcaMatrix {
  const grouping = options.grouping ?? 'harmonised';
  if (grouping !== 'harmonised' && grouping !== 'grouped') throw new DataError(`buildLcaMatrix: grouping must be 'harmonised' or 'grouped', got '${grouping}'`);
  const codes = grouping === 'grouped' ? GROUPED_FACTORS : HARMONISED_FACTORS;
  const items = codes.map((c) => (grouping === 'grouped' ? c : 'f_' + c));
  const pos = new Map(codes.map((c, j) => [c, j] as [string, number]));
  const a = data.assessments;
  const what = 'buildLcaMatrix (data.assessments)';
  const ids = col<string>(a, 'assessment_id', what), eps = col<string>(a, 'episode_id', what), kids = col<string>(a, 'child_id', what);
  const las = col<string>(a, 'la', what), years = col<number>(a, 'census_year', what), facs = col<string>(a, 'factors', what);
  const tcs = col<number | null>(a, 'true_class', what);
  const keepYears = options.years ? new Set(options.years) : null;
  const n = ids.length;
  const keep: number[] = [];
  const rowsItems: number[][] = [];
  let droppedYear = 0, droppedEmpty = 0;
  for (let i = 0; i < n; i++) {
    if (keepYears && !keepYears.has(years[i])) { droppedYear++; continue; }
    const { items: its } = harmoniseFactors(facs[i] ? facs[i].split(';') : [], grouping);
    if (its.length === 0 && !options.keepEmpty) { droppedEmpty++; continue; }
    keep.push(i);
    rowsItems.push(its.map((c) => pos.get(c) as number));
  }
  const m = keep.length;
  const cols: Record<string, unknown> = {
    assessment_id: keep.map((i) => ids[i]), episode_id: keep.map((i) => eps[i]), child_id: keep.map((i) => kids[i]),
    la: keep.map((i) => las[i]), census_year: keep.map((i) => years[i]), true_class: keep.map((i) => tcs[i]),
  };
  const mats = codes.map(() => new Int32Array(m));
  rowsItems.forEach((js, r) => { for (const j of js) mats[j][r] = 1; });
  items.forEach((name, j) => { cols[name] = mats[j]; });
  const labels: Record<string, string> = {};
  items.forEach((name, j) => { labels[name] = factorLabels[codes[j]]; });
  return Object.freeze({
    table: aq.table(cols as Record<string, unknown[]>), items, labels,
    flow: { assessments_read: n, dropped_other_years: droppedYear, dropped_no_factor: droppedEmpty, kept: m },
  });
}

/**
 * Survival tables. Re-referral: one row per closed episode (closure on or before endOfData, child not
 * adopted/died at closure: RC1/RC2 leave the risk set and are counted in flow). Time runs from closure
 * to the next referral of the same child (event_type 1), censored at end of data (0) or at the 18th
 * birthday (2, the competing 'aged out' end). Columns: see FACTORS.md.
 */
export function buildSurvivalEpisodes(data: StudyData, options: SurvivalOptions = {}): SurvivalTables {
  const endDay = dayOf(options.endOfData ?? data.endOfData);
  if (endDay === null) throw new DataError(`buildSurvivalEpisodes: endOfData '${options.endOfData ?? data.endOfData}' is not a valid date`);
  const c = data.cin;
  const what = 'buildSurvivalEpisodes (data.cin)';
  const epId = col<string>(c, 'episode_id', what), kid = col<string>(c, 'child_id', what), la = col<string>(c, 'la', what);
  const pmr = col<string | null>(c, 'pmr', what);
  const ref = col<string>(c, 'referral_date', what).map(dayOf) as number[];
  const clo = col<string | null>(c, 'closure_date', what).map(dayOf);
  const rc = col<string | null>(c, 'closure_reason', what), path = col<string>(c, 'pathway', what);
  const dob = col<string | null>(c, 'dob', what).map(dayOf), sex = col<string>(c, 'sex', what), eg = col<string>(c, 'ethnic_group', what);
  const idaci = col<number | null>(c, 'idaci_decile', what), tc = col<number | null>(c, 'true_class', what), epn = col<number>(c, 'episode_number', what);
  const n = epId.length;
  // latest assessment per episode, for joining LCA classes
  const lookup = classLookup(options.classes, 'buildSurvivalEpisodes (options.classes)');
  const classByEpisode = new Map<string, number | string>();
  if (lookup) {
    const aIds = data.assessments.array('assessment_id') as unknown as string[];
    const aEp = data.assessments.array('episode_id') as unknown as string[];
    for (let i = 0; i < aIds.length; i++) { const k = lookup.get(aIds[i]); if (k !== undefined) classByEpisode.set(aEp[i], k); }
  }
  // children's episodes are contiguous and in referral order (loader sorts by LA, child, referral date)
  const out: Record<string, unknown[]> = {};
  const names = ['episode_id', 'child_id', 'pmr', 'la', 'episode_number', 'prior_referrals', 'closure_date', 'next_referral_date', 'time_days', 'time_months',
    'time_years', 'event', 'event_type', 'status', 'pathway', 'true_class', 'class', 'age_at_closure', 'sex', 'ethnic_group', 'idaci_decile'] as const;
  for (const k of names) out[k] = [];
  const o = out as Record<(typeof names)[number], unknown[]>;
  const flow = { episodes: n, open_at_end: 0, closed_after_end: 0, adopted_or_died: 0, closed_on_or_after_18: 0, rows: 0, events: 0 };
  for (let i = 0; i < n; i++) {
    const cl = clo[i];
    if (cl === null) { flow.open_at_end++; continue; }
    if (cl > endDay) { flow.closed_after_end++; continue; }
    if (rc[i] === 'RC1' || rc[i] === 'RC2') { flow.adopted_or_died++; continue; }
    const d18 = dob[i] !== null ? birthdayDay(dob[i] as number, 18) : Infinity;
    if (cl >= d18) { flow.closed_on_or_after_18++; continue; }
    let next: number | null = null;
    for (let j = i + 1; j < n && kid[j] === kid[i] && la[j] === la[i]; j++) if (ref[j] > cl) { next = ref[j]; break; }
    let stop: number, type: number;
    if (next !== null && next <= endDay && next < d18) { stop = next; type = 1; }
    else if (d18 <= endDay) { stop = d18; type = 2; }
    else { stop = endDay; type = 0; }
    const t = stop - cl;
    o.episode_id.push(epId[i]); o.child_id.push(kid[i]); o.pmr.push(pmr[i]); o.la.push(la[i]); o.episode_number.push(epn[i]); o.prior_referrals.push(epn[i] - 1);
    o.closure_date.push(iso(cl)); o.next_referral_date.push(next !== null ? iso(next) : null); o.time_days.push(t); o.time_months.push(t / DAYS_PER_MONTH);
    o.time_years.push(t / DAYS_PER_YEAR); o.event.push(type === 1 ? 1 : 0); o.event_type.push(type); o.status.push(STATUS_NAMES[type]); o.pathway.push(path[i]);
    o.true_class.push(tc[i]); o.class.push(lookup ? classByEpisode.get(epId[i]) ?? null : null);
    o.age_at_closure.push(dob[i] !== null ? (cl - (dob[i] as number)) / DAYS_PER_YEAR : null); o.sex.push(sex[i]); o.ethnic_group.push(eg[i]); o.idaci_decile.push(idaci[i]);
    flow.rows++;
    if (type === 1) flow.events++;
  }
  return Object.freeze({ episodes: aq.table(out), repeatCpp: repeatCppTable(data, endDay), careReentry: careReentryTable(data, endDay), flow });
}

function iso(d: number): string {
  return isoFromDay(d);
}

/** time from the end of a CPP to the start of the child's next CPP (event 1), censored at end of data (0) or 18 (2) */
function repeatCppTable(data: StudyData, endDay: number): ColumnTable {
  const what = 'buildSurvivalEpisodes (data.cpp)';
  const p = data.cpp;
  const ep = col<string>(p, 'episode_id', what), kid = col<string>(p, 'child_id', what), la = col<string>(p, 'la', what);
  const st = col<string>(p, 'cpp_start', what).map(dayOf) as number[], en = col<string | null>(p, 'cpp_end', what).map(dayOf);
  const cat = col<string | null>(p, 'initial_category', what);
  const info = episodeInfo(data);
  const ck = ep.map((_, i) => la[i] + kid[i]);
  const idx = Array.from({ length: ep.length }, (_, i) => i).sort((a, b) => (ck[a] < ck[b] ? -1 : ck[a] > ck[b] ? 1 : st[a] - st[b]));
  const names = ['cpp_id', 'child_id', 'la', 'cpp_end', 'time_days', 'time_months', 'event', 'event_type', 'initial_category', 'true_class', 'age_at_end', 'sex', 'ethnic_group', 'idaci_decile', 'previous_cpps'];
  const out: Record<string, unknown[]> = {};
  for (const k of names) out[k] = [];
  const ids = col<string>(p, 'cpp_id', what);
  const outCols = names.map((k) => out[k]);
  let prevKey = ''; let count = 0;
  for (let q = 0; q < idx.length; q++) {
    const i = idx[q];
    const key = la[i] + '|' + kid[i];
    count = key === prevKey ? count + 1 : 0;
    prevKey = key;
    const e = en[i];
    if (e === null || e > endDay) continue;
    const inf = info.get(ep[i]);
    const d18 = inf && inf.dob !== null ? birthdayDay(inf.dob, 18) : Infinity;
    if (e >= d18) continue;
    let next: number | null = null;
    for (let r = q + 1; r < idx.length && la[idx[r]] === la[i] && kid[idx[r]] === kid[i]; r++) if (st[idx[r]] > e) { next = st[idx[r]]; break; }
    let stop: number, type: number;
    if (next !== null && next <= endDay && next < d18) { stop = next; type = 1; } else if (d18 <= endDay) { stop = d18; type = 2; } else { stop = endDay; type = 0; }
    const row = [ids[i], kid[i], la[i], iso(e), stop - e, (stop - e) / DAYS_PER_MONTH, type === 1 ? 1 : 0, type, cat[i], inf?.trueClass ?? null,
      inf && inf.dob !== null ? (e - inf.dob) / DAYS_PER_YEAR : null, inf?.sex ?? null, inf?.ethnicGroup ?? null, inf?.idaci ?? null, count];
    for (let j = 0; j < names.length; j++) outCols[j].push(row[j]);
  }
  return aq.table(out);
}

function episodeInfo(data: StudyData): Map<string, { dob: number | null; sex: string; ethnicGroup: string; idaci: number | null; trueClass: number | null }> {
  const c = data.cin;
  const ids = c.array('episode_id') as unknown as string[];
  const dob = c.array('dob') as unknown as Array<string | null>, sex = c.array('sex') as unknown as string[], eg = c.array('ethnic_group') as unknown as string[];
  const idaci = c.array('idaci_decile') as unknown as Array<number | null>, tc = c.array('true_class') as unknown as Array<number | null>;
  const m = new Map<string, { dob: number | null; sex: string; ethnicGroup: string; idaci: number | null; trueClass: number | null }>();
  for (let i = 0; i < ids.length; i++) m.set(ids[i], { dob: dayOf(dob[i]), sex: sex[i], ethnicGroup: eg[i], idaci: idaci[i], trueClass: tc[i] });
  return m;
}

/** care periods from SSDA903 episodes: contiguous episodes (next DECOM = previous DEC) form one period */
function careReentryTable(data: StudyData, endDay: number): ColumnTable {
  const t = data.cla;
  const names = ['child_id', 'la', 'period_start', 'care_end', 'reason_ceased', 'time_days', 'time_months', 'event', 'event_type', 'age_at_exit', 'sex', 'ethnic_group'];
  const out: Record<string, unknown[]> = {};
  for (const k of names) out[k] = [];
  if (t.numRows() === 0 || !t.columnNames().includes('decom')) return aq.table(out);
  const kid = t.array('child_id') as unknown as string[], la = t.array('la') as unknown as string[];
  const decom = (t.array('decom') as unknown as string[]).map(dayOf) as number[];
  const dec = (t.array('dec') as unknown as Array<string | null>).map(dayOf);
  const rec = t.array('rec') as unknown as Array<string | null>;
  const dob = (t.array('dob') as unknown as Array<string | null>).map(dayOf), sex = t.array('sex') as unknown as string[];
  const eg = t.array('ethnic_group') as unknown as string[];
  const ck = kid.map((k, i) => la[i] + k);
  const idx = Array.from({ length: kid.length }, (_, i) => i).sort((a, b) => (ck[a] < ck[b] ? -1 : ck[a] > ck[b] ? 1 : decom[a] - decom[b]));
  // collapse to periods
  const periods: Array<{ i: number; start: number; end: number | null; rec: string | null }> = [];
  for (const i of idx) {
    const last = periods.length ? periods[periods.length - 1] : null;
    if (last && kid[last.i] === kid[i] && la[last.i] === la[i] && last.end !== null && decom[i] <= last.end) { last.end = dec[i]; last.rec = rec[i]; }
    else periods.push({ i, start: decom[i], end: dec[i], rec: rec[i] });
  }
  for (let q = 0; q < periods.length; q++) {
    const p = periods[q];
    if (p.end === null || p.end > endDay) continue;
    if (p.rec === 'E11' || p.rec === 'E12' || p.rec === 'E2') continue; // adopted or died: not at risk of re-entry
    const d18 = dob[p.i] !== null ? birthdayDay(dob[p.i] as number, 18) : Infinity;
    if (p.end >= d18 - 1) continue;
    const nq = periods[q + 1];
    const next = nq && kid[nq.i] === kid[p.i] && la[nq.i] === la[p.i] ? nq.start : null;
    let stop: number, type: number;
    if (next !== null && next <= endDay && next < d18) { stop = next; type = 1; } else if (d18 <= endDay) { stop = d18; type = 2; } else { stop = endDay; type = 0; }
    const row = [kid[p.i], la[p.i], iso(p.start), iso(p.end), p.rec, stop - p.end, (stop - p.end) / DAYS_PER_MONTH, type === 1 ? 1 : 0, type,
      dob[p.i] !== null ? (p.end - (dob[p.i] as number)) / DAYS_PER_YEAR : null, sex[p.i], eg[p.i]];
    for (let j = 0; j < names.length; j++) out[names[j]].push(row[j]);
  }
  return aq.table(out);
}

/**
 * Pupil-level table for one key stage: each KS result joined to the pupil characteristics (by PMR)
 * and to the child's CSC history before the test (KS2: 10 May, KS4: 1 June of the academic year):
 * csc_exposure = highest of CIN (a referral) < CPP (a plan started) < CLA (care started); true_class =
 * true class of the latest referral before the test (0 = none / no factors); demand_class likewise
 * from options.classes. Match report: how many CIN children of the cohort's age link to a KS record.
 */
export function buildPupilLinked(data: StudyData, options: PupilLinkedOptions): PupilLinked {
  const ks = options?.keyStage;
  if (ks !== 2 && ks !== 4) throw new DataError(`buildPupilLinked: keyStage must be 2 or 4, got ${ks}`);
  const t = ks === 2 ? data.ks2 : data.ks4;
  const what = `buildPupilLinked (data.ks${ks})`;
  if (t.numRows() === 0) throw new DataError(`buildPupilLinked: no KS${ks} records loaded (pass files.ks${ks} to loadStudyData)`);
  const pmr = col<string>(t, 'pmr', what), year = col<number>(t, 'academic_year', what);
  // pupils by PMR
  const pu = data.pupils;
  const pIdx = new Map<string, number>();
  if (pu.numRows()) (pu.array('pmr') as unknown as string[]).forEach((p, i) => pIdx.set(p, i));
  const pcol = (name: string): unknown[] => (pu.columnNames().includes(name) ? (pu.array(name) as unknown as unknown[]) : []);
  const pSex = pcol('sex'), pEth = pcol('ethnicity'), pEg = pcol('ethnic_group'), pFsm = pcol('fsm'), pSen = pcol('sen'), pEal = pcol('eal'), pIdaci = pcol('idaci_decile');
  // CSC history by PMR: [day, level, trueClass, demandClass]
  const hist = new Map<string, Array<[number, number, number | null, number | string | null]>>();
  const push = (p: string | null, d: number | null, level: number, tc: number | null, dc: number | string | null): void => {
    if (!p || d === null) return;
    const a = hist.get(p);
    if (a) a.push([d, level, tc, dc]); else hist.set(p, [[d, level, tc, dc]]);
  };
  const lookup = classLookup(options.classes, 'buildPupilLinked (options.classes)');
  const demandByEpisode = new Map<string, number | string>();
  if (lookup) {
    const aIds = data.assessments.array('assessment_id') as unknown as string[];
    const aEp = data.assessments.array('episode_id') as unknown as string[];
    for (let i = 0; i < aIds.length; i++) { const k = lookup.get(aIds[i]); if (k !== undefined) demandByEpisode.set(aEp[i], k); }
  }
  const c = data.cin;
  const cEp = c.array('episode_id') as unknown as string[], cP = c.array('pmr') as unknown as Array<string | null>;
  const cRef = c.array('referral_date') as unknown as string[], cTc = c.array('true_class') as unknown as Array<number | null>;
  const pmrByEpisode = new Map<string, string | null>();
  for (let i = 0; i < cEp.length; i++) {
    pmrByEpisode.set(cEp[i], cP[i]);
    push(cP[i], dayOf(cRef[i]), 1, cTc[i], demandByEpisode.get(cEp[i]) ?? null);
  }
  const cp = data.cpp;
  const cpEp = cp.array('episode_id') as unknown as string[], cpSt = cp.array('cpp_start') as unknown as string[];
  for (let i = 0; i < cpEp.length; i++) push(pmrByEpisode.get(cpEp[i]) ?? null, dayOf(cpSt[i]), 2, null, null);
  if (data.cla.numRows() && data.cla.columnNames().includes('pmr')) {
    const lp = data.cla.array('pmr') as unknown as Array<string | null>, ld = data.cla.array('decom') as unknown as string[];
    for (let i = 0; i < lp.length; i++) push(lp[i] || null, dayOf(ld[i]), 3, null, null);
  }
  const names = ['pmr', 'academic_year', 'la', 'school', ...(ks === 2 ? ['read_score', 'maths_score', 'writing_ta', 'rwm_expected'] : ['att8', 'p8']),
    'sex', 'ethnicity', 'ethnic_group', 'fsm', 'sen', 'eal', 'idaci_decile', 'csc_exposure', 'true_class', 'demand_class', 'referrals_before', 'pupil_record'];
  const out: Record<string, unknown[]> = {};
  for (const k of names) out[k] = [];
  const tla = t.columnNames().includes('la') ? (t.array('la') as unknown as unknown[]) : [];
  const tsc = t.columnNames().includes('school') ? (t.array('school') as unknown as unknown[]) : [];
  const outcomeCols = ks === 2 ? ['read_score', 'maths_score', 'writing_ta'] : ['att8', 'p8'];
  const oc = outcomeCols.map((k) => (t.columnNames().includes(k) ? (t.array(k) as unknown as unknown[]) : []));
  let withPupil = 0;
  const nOut = pmr.length;
  const cols = names.map((k) => { const a = new Array<unknown>(nOut); out[k] = a; return a; });
  const pupilCols = [pSex, pEth, pEg, pFsm, pSen, pEal, pIdaci];
  const noHist: Array<[number, number, number | null, number | string | null]> = [];
  for (let i = 0; i < nOut; i++) {
    const test = ks === 2 ? dayFromCivil(year[i], 5, 10) : dayFromCivil(year[i], 6, 1);
    let level = 0, latest = -Infinity, tcls: number | null = 0, dcls: number | string | null = null, nref = 0;
    const h = hist.get(pmr[i]) ?? noHist;
    for (let q = 0; q < h.length; q++) {
      const e = h[q];
      const d = e[0], l = e[1];
      if (d >= test) continue;
      if (l > level) level = l;
      if (l === 1) { nref++; if (d > latest) { latest = d; tcls = e[2] ?? 0; dcls = e[3]; } }
    }
    const pi = pIdx.get(pmr[i]);
    if (pi !== undefined) withPupil++;
    let c = 0;
    cols[c++][i] = pmr[i]; cols[c++][i] = year[i]; cols[c++][i] = tla[i] ?? null; cols[c++][i] = tsc[i] ?? null;
    for (let j = 0; j < oc.length; j++) cols[c++][i] = oc[j][i] ?? null;
    if (ks === 2) {
      const r = (oc[0][i] ?? null) as number | null, m = (oc[1][i] ?? null) as number | null, w = (oc[2][i] ?? null) as string | null;
      cols[c++][i] = r === null || m === null || !w ? null : r >= 100 && m >= 100 && (w === 'EXS' || w === 'GDS') ? 1 : 0;
    }
    for (let j = 0; j < pupilCols.length; j++) cols[c++][i] = pi === undefined ? null : pupilCols[j][pi] ?? null;
    cols[c++][i] = EXPOSURE_NAMES[level]; cols[c++][i] = level === 0 ? 0 : tcls; cols[c++][i] = dcls; cols[c++][i] = nref; cols[c++][i] = pi !== undefined ? 1 : 0;
  }
  // match report: CIN children whose birth date puts them in a loaded KS cohort
  const years = new Set(year);
  const cKid = c.array('child_id') as unknown as string[], cLa = c.array('la') as unknown as string[];
  const cBy = c.array('birth_year') as unknown as Array<number | null>, cBm = c.array('birth_month') as unknown as Array<number | null>;
  const ksPmr = new Set(pmr);
  const seen = new Set<string>();
  let inCohort = 0, withPmr = 0, matched = 0;
  for (let i = 0; i < cKid.length; i++) {
    const key = cLa[i] + '|' + cKid[i];
    if (seen.has(key)) continue;
    seen.add(key);
    const by = cBy[i], bm = cBm[i];
    if (by === null || bm === null) continue;
    const ksYear = ks === 2 ? (bm >= 9 ? by + 12 : by + 11) : bm >= 9 ? by + 17 : by + 16;
    if (!years.has(ksYear)) continue;
    inCohort++;
    if (cP[i]) { withPmr++; if (ksPmr.has(cP[i] as string)) matched++; }
  }
  const matchReport = [
    { measure: `CIN children in a loaded KS${ks} cohort (by month/year of birth)`, n: inCohort, rate: 1 },
    { measure: 'of whom with a pupil matching reference recorded', n: withPmr, rate: inCohort ? withPmr / inCohort : 0 },
    { measure: `of whom matched to a KS${ks} record`, n: matched, rate: inCohort ? matched / inCohort : 0 },
    { measure: `KS${ks} records with a pupil characteristics record`, n: withPupil, rate: pmr.length ? withPupil / pmr.length : 0 },
  ];
  return Object.freeze({ table: aq.table(out), matchReport });
}
