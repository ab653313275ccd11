/**
 * Analysis tables built by SQL in the study store and handed over column by column (numbers as typed
 * arrays, no per-row JS objects): the assessment x factor matrix for LCA, the episode-level survival
 * tables (re-referral, repeat CPP, re-entry to care), and the pupil-level linked table for the
 * attainment models. Column coding matches truth.json on synthetic data; see FACTORS.md.
 * The SQL lives in store/lcaTable.ts, store/survivalTables.ts and store/linkedTable.ts.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { DataError } from './errors';
import { parseDay, isoFromDay } from './dates';
import { HARMONISED_FACTORS, GROUPED_FACTORS, factorLabels } from './codes';
import { storeOf } from './store/handle';
import type { Store } from './store/db';
import { lcaRows } from './store/lcaTable';
import { rereferralRows, repeatCppRows, careReentryRows } from './store/survivalTables';
import { linkedRows } from './store/linkedTable';
import type { StudyData, LcaMatrixOptions, LcaMatrix, SurvivalOptions, SurvivalTables, PupilLinkedOptions, PupilLinked } from './types';

const table = (cols: Record<string, unknown>): ColumnTable => aq.table(cols as Record<string, ArrayLike<unknown>>);

/**
 * A class column keeps null for 'no class' (as the classes table gave it), also when the classes are
 * numbers; with `levels` (labels staged as codes, see stageClasses) each code goes back to its label.
 */
function classColumn(cols: Record<string, unknown>, name: string, levels: readonly string[] | null): void {
  const c = cols[name];
  if (!(c instanceof Float64Array || c instanceof Int32Array)) return;
  cols[name] = levels ? Array.from(c, (v) => (Number.isNaN(v) ? null : levels[v])) : Array.from(c, (v) => (Number.isNaN(v) ? null : v));
}

let classSeq = 0;

interface StagedClasses { name: string; levels: string[] | null }

/**
 * An LCA class table (assessment_id, class) into a TEMP table of the store, so the join to episodes
 * happens in SQL. Text labels are staged as integer codes into `levels` (decoded by classColumn):
 * millions of long labels as VARCHAR filled DuckDB's memory limit in the joins at national scale.
 * Returns the table's name (drop it after use) or null when no classes were given.
 */
async function stageClasses(store: Store, classes: ColumnTable | undefined, what: string): Promise<StagedClasses | null> {
  if (!classes) return null;
  for (const c of ['assessment_id', 'class']) {
    if (!classes.columnNames().includes(c)) throw new DataError(`${what}: expected column '${c}' in the table; columns present: ${classes.columnNames().join(', ')}`);
  }
  const ids = classes.array('assessment_id') as ArrayLike<unknown>;
  const cls = classes.array('class') as ArrayLike<unknown>;
  let numeric = true;
  for (let i = 0; i < cls.length; i++) if (cls[i] !== null && cls[i] !== undefined && typeof cls[i] !== 'number') { numeric = false; break; }
  const levels: string[] | null = numeric ? null : [];
  const codeOf = new Map<string, number>();
  const name = `_classes_${classSeq++}`;
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${name} (assessment_id VARCHAR, class DOUBLE)`);
  const app = await store.conn.createAppender(name, 'main', 'temp');
  for (let i = 0; i < ids.length; i++) {
    app.appendVarchar(String(ids[i]));
    const v = cls[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) app.appendNull();
    else if (levels === null) app.appendDouble(v as number);
    else {
      const label = String(v);
      let code = codeOf.get(label);
      if (code === undefined) { code = levels.length; levels.push(label); codeOf.set(label, code); }
      app.appendDouble(code);
    }
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
  return { name, levels };
}

async function withClasses<T>(store: Store, classes: ColumnTable | undefined, what: string, f: (t: string | null, levels: string[] | null) => Promise<T>): Promise<T> {
  const t = await stageClasses(store, classes, what);
  try { return await f(t ? t.name : null, t ? t.levels : null); } finally { if (t) await store.exec(`DROP TABLE IF EXISTS ${t.name}`); }
}

/**
 * Assessment x factor indicator matrix. One row per assessment (in the chosen census years) with at
 * least one harmonised factor (unless keepEmpty); one 0/1 column (Uint8Array) per item. Item columns
 * are named 'f_<code>' for harmonised codes (f_3B, f_18, ...) and by theme for grouped (domestic_violence, ...).
 */
export async function buildLcaMatrix(data: StudyData, options: LcaMatrixOptions = {}): Promise<LcaMatrix> {
  const grouping = options.grouping ?? 'harmonised';
  if (grouping !== 'harmonised' && grouping !== 'grouped') throw new DataError(`buildLcaMatrix: grouping must be 'harmonised' or 'grouped', got '${grouping}'`);
  const store = storeOf(data, 'buildLcaMatrix');
  const codes = grouping === 'grouped' ? GROUPED_FACTORS : HARMONISED_FACTORS;
  const items = codes.map((c) => (grouping === 'grouped' ? c : 'f_' + c));
  const r = await lcaRows(store, { grouping, codes, names: items, years: options.years, keepEmpty: options.keepEmpty });
  const labels: Record<string, string> = {};
  items.forEach((name, j) => { labels[name] = factorLabels[codes[j]]; });
  return Object.freeze({ table: table(r.columns), items, labels, flow: r.flow });
}

/**
 * Survival tables. Re-referral: one row per closed episode (closure on or before endOfData, child not
 * adopted/died at closure: RC1/RC2 leave the risk set and are counted in flow). Time runs from closure
 * to the next referral of the same child (event_type 1), censored at end of data (0), or ended by a
 * competing event: the 18th birthday (2), entry to care (3) or adoption (4) (REREFERRAL_STATUS in
 * store/survivalTables.ts; flow counts each). With options.classes, each episode takes the class of
 * its latest classified assessment. Columns: see FACTORS.md.
 */
export async function buildSurvivalEpisodes(data: StudyData, options: SurvivalOptions = {}): Promise<SurvivalTables> {
  const end = options.endOfData ?? data.endOfData;
  const endDay = end ? parseDay(String(end)) : null;
  if (endDay === null || Number.isNaN(endDay)) throw new DataError(`buildSurvivalEpisodes: endOfData '${end}' is not a valid date`);
  const store = storeOf(data, 'buildSurvivalEpisodes');
  const iso = isoFromDay(endDay);
  return withClasses(store, options.classes, 'buildSurvivalEpisodes (options.classes)', async (cls, levels) => {
    const { rows, flow } = await rereferralRows(store, iso, cls);
    classColumn(rows.columns, 'class', levels);
    const cpp = await repeatCppRows(store, iso);
    const care = await careReentryRows(store, iso);
    return Object.freeze({ episodes: table(rows.columns), repeatCpp: table(cpp.columns), careReentry: table(care.columns), flow });
  });
}

/**
 * Pupil-level table for one key stage: each KS result joined to the pupil characteristics (by PMR)
 * and to the child's CSC history before the test (KS2: 10 May, KS4: 1 June of the academic year):
 * csc_exposure = highest of CIN (a referral) < CPP (a plan started) < CLA (care started); true_class =
 * true class of the latest referral before the test (0 = none / no factors); demand_class likewise
 * from options.classes. Match report: how many CIN children of the cohort's age link to a KS record.
 */
export async function buildPupilLinked(data: StudyData, options: PupilLinkedOptions): Promise<PupilLinked> {
  const ks = options?.keyStage;
  if (ks !== 2 && ks !== 4) throw new DataError(`buildPupilLinked: keyStage must be 2 or 4, got ${ks}`);
  const store = storeOf(data, 'buildPupilLinked');
  if (Number(await store.scalar(`SELECT count(*) FROM ks${ks}`)) === 0) throw new DataError(`buildPupilLinked: no KS${ks} records loaded (pass files.ks${ks} to loadStudyData)`);
  return withClasses(store, options.classes, 'buildPupilLinked (options.classes)', async (cls, levels) => {
    const r = await linkedRows(store, ks, cls);
    classColumn(r.columns, 'demand_class', levels);
    return Object.freeze({ table: table(r.columns), matchReport: r.matchReport });
  });
}
