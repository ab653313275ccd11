/**
 * The survival tables, built by SQL in the store: re-referral after closure (one row per closed
 * episode), repeat child protection plans, and re-entry to care (SSDA903 episodes collapsed into
 * periods of care with a window over each child's episodes). The next event is found with an ASOF
 * join (the first later start of the same child), so no table is ever walked row by row in JS.
 * Time runs from the end (closure, CPP end, leaving care) to the next start (event_type 1), censored
 * at the end of data (0) or ended by a competing event (2: the 18th birthday; for re-referral also
 * 3: entry to care and 4: adoption, see REREFERRAL_STATUS).
 */
import { lit } from './db';
import type { Store } from './db';
import { readColumns } from './columns';
import type { Column } from './columns';

export interface Rows { n: number; columns: Record<string, Column> }

// as DOUBLE: a bare 365.25 would be a DECIMAL in DuckDB and divide differently from JS
const DAYS_PER_YEAR = '365.25::DOUBLE';
const DAYS_PER_MONTH = '30.4375::DOUBLE';

/** 18th birthday as the civil date (year + 18, month, day), 29 February rolling on to 1 March */
const d18 = (dob: string): string => `(make_date(year(${dob}) + 18, month(${dob}), 1) + (day(${dob}) - 1)::INTEGER)`;
/** ISO text of a DATE (its VARCHAR form: the same as strftime '%Y-%m-%d' for years 1-9999, and cheaper) */
const iso = (d: string): string => `CAST(CAST(${d} AS DATE) AS VARCHAR)`;

/** stop day and event type from the end day, the next start, the 18th birthday (NULL: none) and the end of data */
function outcome(end: string, next: string, b18: string, eod: string): { stop: string; type: string } {
  const type = `CASE WHEN ${next} IS NOT NULL AND ${next} <= ${eod} AND (${b18} IS NULL OR ${next} < ${b18}) THEN 1 WHEN ${b18} IS NOT NULL AND ${b18} <= ${eod} THEN 2 ELSE 0 END`;
  const stop = `CASE ${type} WHEN 1 THEN ${next} WHEN 2 THEN ${b18} ELSE ${eod} END`;
  void end;
  return { stop, type };
}

/** One code of the re-referral status (event_type), its label in `status`, and its count's key in `flow`. */
export interface RereferralStatus { readonly code: number; readonly status: string; readonly flowKey: string; readonly meaning: string }

/**
 * The multi-state coding of how follow-up after a closure ends (event_type; R's
 * `Surv(time, factor(status))` with 0 as censoring). 1 is the event of interest; 2-4 compete:
 * after them a CIN referral after this closure either cannot happen or is not the same event.
 */
export const REREFERRAL_STATUS: readonly RereferralStatus[] = Object.freeze([
  { code: 0, status: 'end_of_data', flowKey: 'censored_end_of_data', meaning: 'censored: still at risk at the end of the data' },
  { code: 1, status: 'rereferral', flowKey: 'events', meaning: 're-referral (next CIN referral of the child)' },
  { code: 2, status: 'aged_18', flowKey: 'aged_18', meaning: 'competing: turned 18' },
  { code: 3, status: 'entered_care', flowKey: 'entered_care', meaning: 'competing: entered care (SSDA903 period starting after closure)' },
  { code: 4, status: 'adopted', flowKey: 'adopted_after_closure', meaning: 'competing: adopted (SSDA903 period open at closure ending E11/E12)' },
].map((x) => Object.freeze(x)));

/**
 * Periods of care per child from the SSDA903 episodes (an episode starting on or before the
 * previous one's DEC continues the period), keyed by the CIN child key: _ckey, st, en, rec. LA and
 * child id are compared as text: the two tables' LA columns are separate ENUMs (empty when there is no
 * SSDA903 file).
 */
const carePeriodsSql = `WITH e AS (SELECT la::VARCHAR AS la, child_id::VARCHAR AS child_id, _decom AS st, dec::VARCHAR::DATE AS en, rec::VARCHAR AS rec FROM cla),
    g AS (SELECT *, CASE WHEN lag(en) OVER w IS NULL OR st > lag(en) OVER w THEN 1 ELSE 0 END AS starts FROM e WINDOW w AS (PARTITION BY la, child_id ORDER BY st)),
    n AS (SELECT *, sum(starts) OVER (PARTITION BY la, child_id ORDER BY st ROWS UNBOUNDED PRECEDING) AS period FROM g),
    p AS (SELECT la, child_id, min(st) AS st, arg_max_null(en, st) AS en, arg_max_null(rec, st) AS rec FROM n GROUP BY la, child_id, period),
    k AS (SELECT DISTINCT la::VARCHAR AS la, child_id, _ckey FROM _surv_c)
  SELECT k._ckey, p.st, p.en, p.rec FROM p JOIN k ON k.la = p.la AND k.child_id = p.child_id`;

/**
 * Re-referral: closed episodes (closure on or before the end of data, not adopted/died at closure
 * (RC1/RC2, counted in flow.adopted_or_died), closed before 18). Time runs from closure to the first
 * of (REREFERRAL_STATUS, event_type / status):
 * - 1 rereferral: the child's next CIN referral after closure;
 * - 3 entered_care: the start of an SSDA903 period of care after closure. A looked-after child is a
 *   child in need by definition (Children Act 1989 s.22 with s.17(10)), so CIN activity after entry
 *   to care is the care journey, not a return to CIN services after a closed case; and the child is
 *   not at the risk faced by children at home, so censoring here would assume what is false
 *   (independent censoring). A referral on the day care starts counts as re-referral (1).
 * - 4 adopted: a period of care open at closure (started on or before it, DEC after it) ending with
 *   an adoption (REC E11/E12). Adoption by anyone else (not looked after) is not in these data.
 * - 2 aged_18: the 18th birthday (services for children end; it wins a tie with any of the above).
 * - 0 end_of_data: censored.
 * Leaving the LA after closure is not recorded in the CIN census or SSDA903 and is not coded (such
 * children stay at risk and are, in effect, censored at the end of the data). Output: the rows and
 * flow: episodes = open_at_end + closed_after_end + adopted_or_died + closed_on_or_after_18 + rows,
 * rows = censored_end_of_data + events + aged_18 + entered_care + adopted_after_closure.
 * `classTable` is a TEMP table (assessment_id, class) or null: each episode takes the class of its
 * latest classified assessment.
 */
export async function rereferralRows(store: Store, endOfData: string, classTable: string | null): Promise<{ rows: Rows; flow: Record<string, number> }> {
  const eod = `${lit(endOfData)}::DATE`;
  await store.exec(`CREATE OR REPLACE TEMP TABLE _surv_c AS SELECT rowid AS r, _ekey, _ckey, episode_id::VARCHAR AS episode_id, child_id::VARCHAR AS child_id, pmr::VARCHAR AS pmr, la,
      episode_number, _ref AS ref, _clo AS clo, closure_reason, pathway, true_class, sex, ethnic_group, idaci_decile, dob::VARCHAR::DATE AS dob,
      ${d18('dob::VARCHAR::DATE')} AS b18
    FROM cin`);
  await store.exec(`CREATE OR REPLACE TEMP TABLE _surv_care AS ${carePeriodsSql}`);
  const f = await store.rows(`SELECT count(*)::INTEGER AS episodes, count(*) FILTER (clo IS NULL)::INTEGER AS open_at_end,
      count(*) FILTER (clo > ${eod})::INTEGER AS closed_after_end,
      count(*) FILTER (clo <= ${eod} AND closure_reason IN ('RC1', 'RC2'))::INTEGER AS adopted_or_died,
      count(*) FILTER (clo <= ${eod} AND closure_reason NOT IN ('RC1', 'RC2') AND clo >= b18)::INTEGER AS closed_on_or_after_18
    FROM (SELECT clo, coalesce(closure_reason::VARCHAR, '') AS closure_reason, b18 FROM _surv_c)`);
  // each candidate end, NULL when it is not observed by the end of data or not before the 18th birthday
  const seen = (d: string): string => `CASE WHEN ${d} <= ${eod} AND (c.b18 IS NULL OR ${d} < c.b18) THEN ${d} END`;
  const type = `CASE WHEN nref IS NOT NULL AND (ncare IS NULL OR nref <= ncare) AND (nadopt IS NULL OR nref <= nadopt) THEN 1
      WHEN ncare IS NOT NULL AND (nadopt IS NULL OR ncare <= nadopt) THEN 3 WHEN nadopt IS NOT NULL THEN 4 WHEN b18 IS NOT NULL AND b18 <= ${eod} THEN 2 ELSE 0 END`;
  const cls = classTable
    ? `LEFT JOIN (SELECT a._ekey, arg_max_null(k.class, a.assessment_date::VARCHAR) AS class FROM assessments a JOIN ${classTable} k ON k.assessment_id = a.assessment_id::VARCHAR GROUP BY 1) k ON k._ekey = o._ekey`
    : '';
  // the ASOF joins run on narrow rows (row id, child key, dates); the wide columns join back by row id
  const rows = await readColumns(store, `WITH c AS (SELECT r, _ckey, ref, clo, b18 FROM _surv_c WHERE clo IS NOT NULL AND clo <= ${eod} AND coalesce(closure_reason::VARCHAR, '') NOT IN ('RC1', 'RC2') AND (b18 IS NULL OR clo < b18)),
      j AS (SELECT c.*, nx.ref AS next, ${seen('nx.ref')} AS nref FROM c ASOF LEFT JOIN _surv_c nx ON nx._ckey = c._ckey AND nx.ref > greatest(c.clo, c.ref)),
      jc AS (SELECT c.*, ${seen('pc.st')} AS ncare FROM j c ASOF LEFT JOIN _surv_care pc ON pc._ckey = c._ckey AND pc.st > c.clo),
      ja AS (SELECT c.*, ${seen("CASE WHEN pa.en > c.clo AND pa.rec IN ('E11', 'E12') THEN pa.en END")} AS nadopt FROM jc c ASOF LEFT JOIN _surv_care pa ON pa._ckey = c._ckey AND pa.st <= c.clo),
      t AS (SELECT r, next, nref, ncare, nadopt, ${type} AS event_type FROM ja),
      o AS (SELECT w.*, t.next, t.event_type, (CASE t.event_type WHEN 1 THEN t.nref WHEN 3 THEN t.ncare WHEN 4 THEN t.nadopt WHEN 2 THEN w.b18 ELSE ${eod} END) - w.clo AS t
        FROM t JOIN _surv_c w ON w.r = t.r)
    SELECT o.episode_id, o.child_id, o.pmr, o.la, o.episode_number::INTEGER AS episode_number, (o.episode_number - 1)::INTEGER AS prior_referrals,
      ${iso('o.clo')} AS closure_date, ${iso('o.next')} AS next_referral_date, o.t::INTEGER AS time_days, o.t / ${DAYS_PER_MONTH} AS time_months,
      o.t / ${DAYS_PER_YEAR} AS time_years, (o.event_type = 1)::INTEGER AS event, o.event_type::INTEGER AS event_type,
      CASE o.event_type ${REREFERRAL_STATUS.map((x) => `WHEN ${x.code} THEN '${x.status}'`).join(' ')} END AS status, o.pathway, o.true_class::INTEGER AS true_class,
      ${classTable ? 'k.class' : 'NULL::VARCHAR'} AS class, (o.clo - o.dob) / ${DAYS_PER_YEAR} AS age_at_closure, o.sex, o.ethnic_group, o.idaci_decile::INTEGER AS idaci_decile
    FROM o ${cls} ORDER BY o.r`);
  await store.exec('DROP TABLE _surv_c');
  await store.exec('DROP TABLE _surv_care');
  const flow: Record<string, number> = { ...(f[0] as Record<string, number>), rows: rows.n };
  for (const x of REREFERRAL_STATUS) flow[x.flowKey] = 0;
  const et = rows.columns.event_type as Int32Array;
  const byCode = REREFERRAL_STATUS.map((x) => x.flowKey);
  for (let i = 0; i < rows.n; i++) flow[byCode[et[i]]]++;
  for (const k of Object.keys(flow)) flow[k] = Number(flow[k]);
  return { rows, flow };
}

/** time from the end of a CPP to the start of the child's next CPP; previous_cpps counts the child's earlier plans */
export async function repeatCppRows(store: Store, endOfData: string): Promise<Rows> {
  const eod = `${lit(endOfData)}::DATE`;
  const { stop, type } = outcome('p.en', 'nx.st', 'p.b18', eod);
  return readColumns(store, `WITH s AS (SELECT p.rowid AS r, p.cpp_id::VARCHAR AS cpp_id, p.child_id::VARCHAR AS child_id, p.la, p.cpp_start::VARCHAR::DATE AS st, p.cpp_end::VARCHAR::DATE AS en,
        p.initial_category, e.true_class, e.sex, e.ethnic_group, e.idaci_decile, e.dob::VARCHAR::DATE AS dob, ${d18('e.dob::VARCHAR::DATE')} AS b18, e._ckey
      FROM cpp p JOIN cin e ON e._ekey = p._ekey),
    q AS (SELECT *, row_number() OVER (PARTITION BY _ckey ORDER BY st, r) - 1 AS previous_cpps FROM s),
    p AS (SELECT * FROM q WHERE en IS NOT NULL AND en <= ${eod} AND (b18 IS NULL OR en < b18)),
    o AS (SELECT p.*, ${type} AS event_type, (${stop}) - p.en AS t FROM p ASOF LEFT JOIN s nx ON nx._ckey = p._ckey AND nx.st > greatest(p.en, p.st))
    SELECT cpp_id, child_id, la, ${iso('en')} AS cpp_end, t::INTEGER AS time_days, t / ${DAYS_PER_MONTH} AS time_months, (event_type = 1)::INTEGER AS event,
      event_type::INTEGER AS event_type, initial_category, true_class::INTEGER AS true_class, (en - dob) / ${DAYS_PER_YEAR} AS age_at_end, sex, ethnic_group,
      idaci_decile::INTEGER AS idaci_decile, previous_cpps::INTEGER AS previous_cpps
    FROM o ORDER BY la::VARCHAR || child_id, st, r`);
}

/**
 * Periods of care from SSDA903 episodes: an episode starting on or before the previous episode's end
 * (DEC) continues the period; a period ends with the DEC and reason (REC) of its last episode. Time
 * from leaving care to the next period's start; adoptions and deaths (E11, E12, E2) are not at risk.
 */
export async function careReentryRows(store: Store, endOfData: string): Promise<Rows> {
  const eod = `${lit(endOfData)}::DATE`;
  const { stop, type } = outcome('p.en', 'p.next', 'p.b18', eod);
  return readColumns(store, `WITH e AS (SELECT la, child_id::VARCHAR AS child_id, _decom AS st, dec::VARCHAR::DATE AS en, rec::VARCHAR AS rec, dob::VARCHAR::DATE AS dob, sex, ethnic_group,
        la::VARCHAR || child_id::VARCHAR AS ck FROM cla),
    g AS (SELECT *, CASE WHEN lag(ck) OVER w IS DISTINCT FROM ck OR lag(en) OVER w IS NULL OR st > lag(en) OVER w THEN 1 ELSE 0 END AS starts
      FROM e WINDOW w AS (ORDER BY ck, st)),
    n AS (SELECT *, sum(starts) OVER (ORDER BY ck, st ROWS UNBOUNDED PRECEDING) AS period FROM g),
    per AS (SELECT period, arg_min_null(la, st) AS la, arg_min_null(child_id, st) AS child_id, arg_min_null(ck, st) AS ck, min(st) AS st, arg_max_null(en, st) AS en, arg_max_null(rec, st) AS rec,
        arg_min_null(dob, st) AS dob, arg_min_null(sex, st) AS sex, arg_min_null(ethnic_group, st) AS ethnic_group FROM n GROUP BY period),
    pn AS (SELECT *, CASE WHEN lead(ck) OVER (ORDER BY period) = ck THEN lead(st) OVER (ORDER BY period) END AS next FROM per),
    p AS (SELECT *, ${d18('dob')} AS b18 FROM pn WHERE en IS NOT NULL AND en <= ${eod} AND coalesce(rec, '') NOT IN ('E11', 'E12', 'E2')),
    o AS (SELECT *, ${type} AS event_type, (${stop}) - en AS t FROM p WHERE b18 IS NULL OR en < b18 - 1)
    SELECT child_id, la, ${iso('st')} AS period_start, ${iso('en')} AS care_end, rec AS reason_ceased, t::INTEGER AS time_days, t / ${DAYS_PER_MONTH} AS time_months,
      (event_type = 1)::INTEGER AS event, event_type::INTEGER AS event_type, (en - dob) / ${DAYS_PER_YEAR} AS age_at_exit, sex, ethnic_group
    FROM o ORDER BY period`);
}
