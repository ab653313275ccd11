/**
 * The survival tables, built by SQL in the store: re-referral after closure (one row per closed
 * episode), repeat child protection plans, and re-entry to care (SSDA903 episodes collapsed into
 * periods of care with a window over each child's episodes). The next event is found with an ASOF
 * join (the first later start of the same child), so no table is ever walked row by row in JS.
 * Time runs from the end (closure, CPP end, leaving care) to the next start (event_type 1), censored
 * at the end of data (0) or at the 18th birthday (2, the competing 'aged out' end).
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

/**
 * Re-referral: closed episodes (closure on or before the end of data, not adopted/died at closure
 * (RC1/RC2), closed before 18). `classTable` is a TEMP table (assessment_id, class) or null: each
 * episode takes the class of its latest classified assessment.
 */
export async function rereferralRows(store: Store, endOfData: string, classTable: string | null): Promise<{ rows: Rows; flow: Record<string, number> }> {
  const eod = `${lit(endOfData)}::DATE`;
  await store.exec(`CREATE OR REPLACE TEMP TABLE _surv_c AS SELECT rowid AS r, _ekey, _ckey, episode_id::VARCHAR AS episode_id, child_id::VARCHAR AS child_id, pmr::VARCHAR AS pmr, la,
      episode_number, _ref AS ref, _clo AS clo, closure_reason, pathway, true_class, sex, ethnic_group, idaci_decile, dob::VARCHAR::DATE AS dob,
      ${d18('dob::VARCHAR::DATE')} AS b18
    FROM cin`);
  const f = await store.rows(`SELECT count(*)::INTEGER AS episodes, count(*) FILTER (clo IS NULL)::INTEGER AS open_at_end,
      count(*) FILTER (clo > ${eod})::INTEGER AS closed_after_end,
      count(*) FILTER (clo <= ${eod} AND closure_reason IN ('RC1', 'RC2'))::INTEGER AS adopted_or_died,
      count(*) FILTER (clo <= ${eod} AND closure_reason NOT IN ('RC1', 'RC2') AND clo >= b18)::INTEGER AS closed_on_or_after_18
    FROM (SELECT clo, coalesce(closure_reason::VARCHAR, '') AS closure_reason, b18 FROM _surv_c)`);
  const { stop, type } = outcome('c.clo', 'nx.ref', 'c.b18', eod);
  const cls = classTable
    ? `LEFT JOIN (SELECT a._ekey, arg_max_null(k.class, a.assessment_date::VARCHAR) AS class FROM assessments a JOIN ${classTable} k ON k.assessment_id = a.assessment_id::VARCHAR GROUP BY 1) k ON k._ekey = o._ekey`
    : '';
  const rows = await readColumns(store, `WITH c AS (SELECT * FROM _surv_c WHERE clo IS NOT NULL AND clo <= ${eod} AND coalesce(closure_reason::VARCHAR, '') NOT IN ('RC1', 'RC2') AND (b18 IS NULL OR clo < b18)),
      o AS (SELECT c.*, nx.ref AS next, ${type} AS event_type, (${stop}) - c.clo AS t
        FROM c ASOF LEFT JOIN _surv_c nx ON nx._ckey = c._ckey AND nx.ref > greatest(c.clo, c.ref))
    SELECT o.episode_id, o.child_id, o.pmr, o.la, o.episode_number::INTEGER AS episode_number, (o.episode_number - 1)::INTEGER AS prior_referrals,
      ${iso('o.clo')} AS closure_date, ${iso('o.next')} AS next_referral_date, o.t::INTEGER AS time_days, o.t / ${DAYS_PER_MONTH} AS time_months,
      o.t / ${DAYS_PER_YEAR} AS time_years, (o.event_type = 1)::INTEGER AS event, o.event_type::INTEGER AS event_type,
      CASE o.event_type WHEN 1 THEN 'rereferral' WHEN 2 THEN 'aged_18' ELSE 'end_of_data' END AS status, o.pathway, o.true_class::INTEGER AS true_class,
      ${classTable ? 'k.class' : 'NULL::VARCHAR'} AS class, (o.clo - o.dob) / ${DAYS_PER_YEAR} AS age_at_closure, o.sex, o.ethnic_group, o.idaci_decile::INTEGER AS idaci_decile
    FROM o ${cls} ORDER BY o.r`);
  await store.exec('DROP TABLE _surv_c');
  const flow = { ...(f[0] as Record<string, number>), rows: rows.n, events: 0 };
  const ev = rows.columns.event as Int32Array;
  for (let i = 0; i < rows.n; i++) flow.events += ev[i];
  for (const k of Object.keys(flow)) flow[k as keyof typeof flow] = Number(flow[k as keyof typeof flow]);
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
