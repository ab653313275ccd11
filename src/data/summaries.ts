/**
 * Counts for the data notebook, computed by SQL in the study store (no table is copied into JS):
 * referrals (deduplicated episodes) by census year or by calendar month of referral.
 */
import { DataError } from './errors';
import { lit } from './store/db';
import { storeOf } from './store/handle';
import type { StudyData } from './types';

export interface ReferralCountOptions {
  /** 'census_year' (year ending 31 March, e.g. 2021 = 2020/21) or 'month' ('YYYY-MM') */
  by: 'census_year' | 'month';
  /** months or census years to keep, inclusive, as 'YYYY-MM' (month) or 'YYYY' (census year) */
  from?: string;
  to?: string;
}

/** Referrals per census year or month of referral, in order: [{ census_year | month, referrals }]. Raw counts: protect before showing. */
export async function referralCounts(data: StudyData, options: ReferralCountOptions): Promise<Array<Record<string, string | number>>> {
  const store = storeOf(data, 'referralCounts');
  const key = options.by === 'census_year' ? `(year(_ref) + CASE WHEN month(_ref) >= 4 THEN 1 ELSE 0 END)::VARCHAR` : options.by === 'month' ? `strftime(_ref, '%Y-%m')` : null;
  if (!key) throw new DataError(`referralCounts: by must be 'census_year' or 'month', got '${String(options.by)}'`);
  const where = [options.from ? `k >= ${lit(options.from)}` : '', options.to ? `k <= ${lit(options.to)}` : ''].filter(Boolean).join(' AND ');
  const rows = await store.rows(`SELECT k, count(*)::INTEGER AS n FROM (SELECT ${key} AS k FROM cin WHERE _ref IS NOT NULL) ${where ? `WHERE ${where}` : ''} GROUP BY k ORDER BY k`);
  return rows.map((r) => ({ [options.by]: options.by === 'census_year' ? Number(r.k) : String(r.k), referrals: Number(r.n) }));
}
