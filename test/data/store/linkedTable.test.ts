/**
 * linkedRows on hand-built store tables: each KS4 result gets the pupil's highest CSC level before
 * the test day (1 June), the true and demand class of the latest referral before it, the number of
 * referrals before it, and whether a pupil record exists; the match report counts CIN children in
 * the loaded cohort by month/year of birth.
 */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { linkedRows } from '../../../src/data/store/linkedTable';

async function store(): Promise<Store> {
  const s = await Store.open(':memory:');
  // episodes: _ekey, pmr, referral date, true class, episode number, birth year/month
  await s.exec(`CREATE TABLE cin AS SELECT * FROM (VALUES
      (1, 'P1', DATE '2018-01-01', 3, 1, 2003, 1),
      (2, 'P2', DATE '2019-07-01', 4, 1, 2003, 2),
      (3, 'P3', DATE '2016-01-01', 5, 1, 2003, 3),
      (4, 'P3', DATE '2018-01-01', 7, 2, 2003, 3),
      (5, '',   DATE '2018-01-01', 2, 1, 2003, 4),
      (6, 'P9', DATE '2018-01-01', 2, 1, 1990, 4)
    ) v(_ekey, pmr, _ref, true_class, episode_number, birth_year, birth_month)`);
  await s.exec(`CREATE TABLE cpp AS SELECT * FROM (VALUES (1, DATE '2018-03-01'), (2, DATE '2019-08-01')) v(_ekey, cpp_start)`);
  await s.exec(`CREATE TABLE cla AS SELECT * FROM (VALUES ('P3', DATE '2017-05-01'), ('P2', DATE '2020-01-01')) v(pmr, _decom)`);
  await s.exec(`CREATE TABLE ks4 AS SELECT * FROM (VALUES
      ('P1', 2019, 'LA1', 'S1', 30.0, -1.0), ('P2', 2019, 'LA1', 'S1', 50.0, 0.2),
      ('P3', 2019, 'LA2', 'S2', 20.0, -1.5), ('P4', 2019, 'LA2', 'S2', 45.0, 0.0)
    ) v(pmr, academic_year, la, school, att8, p8)`);
  await s.exec(`CREATE TABLE pupils AS SELECT * FROM (VALUES
      ('P1', 'F', 'WBRI', 'White', 1, 'N', 0, 2), ('P2', 'M', 'WBRI', 'White', 0, 'K', 0, 7),
      ('P3', 'M', 'BAFR', 'Black', 1, 'E', 1, 1)
    ) v(pmr, sex, ethnicity, ethnic_group, fsm, sen, eal, idaci_decile)`);
  await s.exec(`CREATE TABLE assessments AS SELECT * FROM (VALUES (4, 40, DATE '2018-01-10'), (4, 41, DATE '2018-02-10'), (1, 10, DATE '2018-01-05')) v(_ekey, assessment_id, assessment_date)`);
  await s.exec(`CREATE TEMP TABLE classes AS SELECT * FROM (VALUES ('40', 'c1'), ('41', 'c7'), ('10', 'c3')) v(assessment_id, class)`);
  return s;
}

const col = (r: { columns: Record<string, unknown> }, name: string) => Array.from(r.columns[name] as ArrayLike<unknown>);

describe('linkedRows (KS4)', () => {
  it('exposure is the highest level before 1 June; classes from the latest referral before it; counts and pupil records', async () => {
    const s = await store();
    try {
      const r = await linkedRows(s, 4, 'classes');
      expect(r.n).toBe(4);
      expect(col(r, 'pmr')).toEqual(['P1', 'P2', 'P3', 'P4']);
      // P1: referral then CPP before the test → CPP; P2: everything after the test → none;
      // P3: in care since 2017 → CLA; P4: no CSC history and no pupil record
      expect(col(r, 'csc_exposure')).toEqual(['CPP', 'none', 'CLA', 'none']);
      expect(col(r, 'true_class')).toEqual([3, 0, 7, 0]);
      // the demand class of an episode is that of its latest classified assessment (41 → c7, not 40 → c1)
      expect(col(r, 'demand_class')).toEqual(['c3', null, 'c7', null]);
      expect(col(r, 'referrals_before')).toEqual([1, 0, 2, 0]);
      expect(col(r, 'pupil_record')).toEqual([1, 1, 1, 0]);
      expect(col(r, 'fsm')).toEqual([1, 0, 1, NaN]); // integer columns carry a missing value as NaN
      expect(col(r, 'att8')).toEqual([30, 50, 20, 45]);
      // cohort of KS4 2019 (born Sep 2002 – Aug 2003), first episodes only: P1, P2, P3 and the one
      // without a PMR (P3's second episode and P9, born 1990, are not); 3 with a PMR; all 3 matched
      expect(r.matchReport.map((m) => m.n)).toEqual([4, 3, 3, 3]);
      expect(r.matchReport[2].rate).toBeCloseTo(3 / 4, 12);
      expect(r.matchReport[3].rate).toBeCloseTo(3 / 4, 12);
    } finally { s.close(); }
  });

  it('without a class table every demand class is missing and nothing else changes', async () => {
    const s = await store();
    try {
      const r = await linkedRows(s, 4, null);
      expect(col(r, 'demand_class')).toEqual([null, null, null, null]);
      expect(col(r, 'csc_exposure')).toEqual(['CPP', 'none', 'CLA', 'none']);
    } finally { s.close(); }
  });
});
