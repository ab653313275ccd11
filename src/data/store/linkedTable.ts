/**
 * The pupil-level table for one key stage, built by SQL in the store: each KS result joined to the
 * pupil characteristics (by PMR) and to the pupil's CSC history before the test date (KS2: 10 May,
 * KS4: 1 June of the academic year). History events per PMR: a referral (level 1, with the episode's
 * true class and demand class), a CPP start (level 2), an entry to care (level 3).
 */
import type { Store } from './db';
import { readColumns } from './columns';
import type { Column } from './columns';
import type { LinkageMeasure } from '../types';

export interface LinkedRows { n: number; columns: Record<string, Column>; matchReport: LinkageMeasure[] }

/** `classTable`: TEMP table (assessment_id, class) or null; an episode's demand class is that of its latest classified assessment */
export async function linkedRows(store: Store, ks: 2 | 4, classTable: string | null): Promise<LinkedRows> {
  const t = `ks${ks}`;
  const testDay = ks === 2 ? `make_date(academic_year::INTEGER, 5, 10)` : `make_date(academic_year::INTEGER, 6, 1)`;
  const outcomes = ks === 2
    ? `k.read_score, k.maths_score, k.writing_ta::VARCHAR AS writing_ta,
       CASE WHEN k.read_score IS NULL OR k.maths_score IS NULL OR coalesce(k.writing_ta::VARCHAR, '') = '' THEN NULL
            WHEN k.read_score >= 100 AND k.maths_score >= 100 AND k.writing_ta::VARCHAR IN ('EXS', 'GDS') THEN 1 ELSE 0 END::INTEGER AS rwm_expected`
    : 'k.att8, k.p8';
  const demand = classTable
    ? `(SELECT a._ekey, arg_max_null(c.class, a.assessment_date::VARCHAR) AS class FROM assessments a JOIN ${classTable} c ON c.assessment_id = a.assessment_id::VARCHAR GROUP BY 1)`
    : `(SELECT NULL::BIGINT AS _ekey, NULL::VARCHAR AS class WHERE false)`;
  const sql = `WITH ep AS (SELECT rowid AS r, _ekey, pmr::VARCHAR AS pmr, _ref AS d, true_class FROM cin WHERE coalesce(pmr::VARCHAR, '') <> '' AND _ref IS NOT NULL),
    hist AS (
      SELECT ep.pmr, ep.d, 1 AS level, ep.true_class AS tc, dm.class AS dc, ep.r AS r FROM ep LEFT JOIN ${demand} dm USING (_ekey)
      UNION ALL SELECT ep.pmr, p.cpp_start::VARCHAR::DATE, 2, NULL, NULL, NULL FROM cpp p JOIN ep ON ep._ekey = p._ekey WHERE p.cpp_start IS NOT NULL
      UNION ALL SELECT pmr::VARCHAR, _decom, 3, NULL, NULL, NULL FROM cla WHERE coalesce(pmr::VARCHAR, '') <> '' AND _decom IS NOT NULL),
    k AS (SELECT rowid AS r, *, ${testDay} AS test FROM ${t}),
    -- the latest referral before the test gives the classes; ties go to the first episode in the store's order
    h AS (SELECT k.r, max(h.level) AS level, count(*) FILTER (h.level = 1) AS nref,
        arg_max_null(h.tc, h.key) FILTER (h.level = 1) AS tcls,
        arg_max_null(h.dc, h.key) FILTER (h.level = 1) AS dcls
      FROM k JOIN (SELECT *, date_diff('day', DATE '1970-01-01', d)::BIGINT * 100000000 - coalesce(r, 0) AS key FROM hist) h ON h.pmr = k.pmr::VARCHAR AND h.d < k.test GROUP BY k.r)
    SELECT k.pmr::VARCHAR AS pmr, k.academic_year::INTEGER AS academic_year, k.la, k.school, ${outcomes},
      pu.sex, pu.ethnicity, pu.ethnic_group, pu.fsm::INTEGER AS fsm, pu.sen, pu.eal::INTEGER AS eal, pu.idaci_decile::INTEGER AS idaci_decile,
      CASE coalesce(h.level, 0) WHEN 0 THEN 'none' WHEN 1 THEN 'CIN' WHEN 2 THEN 'CPP' ELSE 'CLA' END AS csc_exposure,
      CASE WHEN coalesce(h.level, 0) = 0 THEN 0 ELSE coalesce(h.tcls, 0) END::INTEGER AS true_class, h.dcls AS demand_class,
      coalesce(h.nref, 0)::INTEGER AS referrals_before, (pu.pmr IS NOT NULL)::INTEGER AS pupil_record
    FROM k LEFT JOIN h USING (r) LEFT JOIN pupils pu ON pu.pmr::VARCHAR = k.pmr::VARCHAR ORDER BY k.r`;
  const { n, columns } = await readColumns(store, sql);
  const withPupil = (columns.pupil_record as Int32Array).reduce((s, v) => s + v, 0);
  // CIN children whose month/year of birth puts them in a loaded KS cohort (each child's first episode)
  const m = await store.rows(`WITH y AS (SELECT DISTINCT academic_year FROM ${t}),
      c AS (SELECT birth_year, birth_month, pmr::VARCHAR AS pmr FROM cin WHERE episode_number = 1 AND birth_year IS NOT NULL AND birth_month IS NOT NULL),
      cc AS (SELECT c.* FROM c WHERE (CASE WHEN birth_month >= 9 THEN birth_year + ${ks === 2 ? 12 : 17} ELSE birth_year + ${ks === 2 ? 11 : 16} END) IN (SELECT academic_year FROM y))
    SELECT count(*)::INTEGER AS in_cohort, count(*) FILTER (coalesce(pmr, '') <> '')::INTEGER AS with_pmr,
      count(*) FILTER (coalesce(pmr, '') <> '' AND pmr IN (SELECT pmr::VARCHAR FROM ${t}))::INTEGER AS matched FROM cc`);
  const inCohort = Number(m[0].in_cohort), withPmr = Number(m[0].with_pmr), matched = Number(m[0].matched);
  const matchReport = [
    { measure: `CIN children in a loaded KS${ks} cohort (by month/year of birth)`, n: inCohort, rate: 1 },
    { measure: 'of whom with a pupil matching reference recorded', n: withPmr, rate: inCohort ? withPmr / inCohort : 0 },
    { measure: `of whom matched to a KS${ks} record`, n: matched, rate: inCohort ? matched / inCohort : 0 },
    { measure: `KS${ks} records with a pupil characteristics record`, n: withPupil, rate: n ? withPupil / n : 0 },
  ];
  return { n, columns, matchReport };
}
