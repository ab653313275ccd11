/**
 * The assessment x factor matrix, built by SQL in the store: each assessment's factor codes are
 * harmonised through a lookup table (code -> item position, from codes.ts), folded into one bit mask
 * per assessment, and handed over as one Uint8Array (0/1) per item. Ids and codes travel as strings.
 */
import { lit } from './db';
import type { Store } from './db';
import { readColumns } from './columns';
import type { Column } from './columns';
import { FACTOR_HARMONISATION, FACTOR_GROUPING } from '../codes';

export interface LcaRows { n: number; columns: Record<string, Column>; flow: Record<string, number> }

/**
 * `codes` are the items in column order (harmonised codes or grouped themes); `names` their column
 * names. Rows keep the store's assessment order (LA, child, referral, assessment date).
 */
export async function lcaRows(store: Store, opts: { grouping: 'harmonised' | 'grouped'; codes: readonly string[]; names: readonly string[]; years?: number[]; keepEmpty?: boolean }): Promise<LcaRows> {
  const pos = new Map(opts.codes.map((c, j) => [c, j] as [string, number]));
  const lookup: string[] = [];
  for (const [raw, h] of Object.entries(FACTOR_HARMONISATION)) {
    if (h === null) continue;
    const j = pos.get(opts.grouping === 'grouped' ? FACTOR_GROUPING[h] : h);
    if (j !== undefined) lookup.push(`(${lit(raw)}, ${j})`);
  }
  const yearFilter = opts.years ? `WHERE census_year IN (${opts.years.length ? opts.years.map((y) => Number(y)).join(', ') : 'NULL'})` : '';
  const counts = await store.rows(`SELECT count(*)::INTEGER AS n, count(*) FILTER (${yearFilter ? yearFilter.slice(6) : 'true'})::INTEGER AS in_years FROM assessments`);
  const n = Number(counts[0].n), inYears = Number(counts[0].in_years);
  const bits = opts.codes.map((_, j) => `((coalesce(m.mask, 0) >> ${j}) & 1)::UTINYINT AS ${JSON.stringify(opts.names[j])}`).join(', ');
  const sql = `WITH a AS (SELECT rowid AS r, * FROM assessments ${yearFilter}),
    lookup(code, j) AS (VALUES ${lookup.join(', ')}),
    m AS (SELECT u.r, bit_or(1::BIGINT << l.j) AS mask
      FROM (SELECT r, upper(trim(unnest(string_split(factors::VARCHAR, ';')))) AS code FROM a WHERE coalesce(factors::VARCHAR, '') <> '') u
      JOIN lookup l USING (code) GROUP BY u.r)
    SELECT a.assessment_id::VARCHAR AS assessment_id, a.episode_id::VARCHAR AS episode_id, a.child_id::VARCHAR AS child_id, a.la, a.census_year::INTEGER AS census_year,
      a.true_class::INTEGER AS true_class, ${bits}
    FROM a LEFT JOIN m USING (r) ${opts.keepEmpty ? '' : 'WHERE m.mask IS NOT NULL'} ORDER BY a.r`;
  const { n: kept, columns } = await readColumns(store, sql);
  return { n: kept, columns, flow: { assessments_read: n, dropped_other_years: n - inYears, dropped_no_factor: inYears - kept, kept } };
}
