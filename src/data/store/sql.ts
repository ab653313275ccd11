/**
 * SQL building blocks shared by the checks: the declared date format, census-year text, code lists as
 * SQL lists, and the ethnic-group coding (the same as codes.ts ethnicGroup).
 */
import { Store, lit } from './db';

/** Date formats a mapping may declare. Dates in any other format are refused, never guessed. */
export type DateFormat = 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY';

const FORMATS: Record<DateFormat, { re: string; strp: string }> = {
  // ISO: a cast, not try_strptime: on text the pattern admits they give the same date or NULL (a day that does
  // not exist, year 0000), and the cast took a third less time on the small ingest, which types every date three times
  'YYYY-MM-DD': { re: '\\d{4}-\\d{2}-\\d{2}', strp: '' },
  'DD/MM/YYYY': { re: '\\d{1,2}/\\d{1,2}/\\d{4}', strp: '%d/%m/%Y' },
  'MM/DD/YYYY': { re: '\\d{1,2}/\\d{1,2}/\\d{4}', strp: '%m/%d/%Y' },
};

export async function createMacros(store: Store, dateFormat: DateFormat): Promise<void> {
  const f = FORMATS[dateFormat];
  if (!f) throw new Error(`dateFormat must be one of ${Object.keys(FORMATS).join(', ')}`);
  await store.exec(`CREATE OR REPLACE TEMP MACRO pdate(s) AS CASE WHEN s IS NULL OR s = '' THEN NULL
      WHEN regexp_full_match(s, ${lit(f.re)}) THEN ${f.strp ? `try_strptime(s, ${lit(f.strp)})::DATE` : 'TRY_CAST(s AS DATE)'} END`);
  await store.exec(`CREATE OR REPLACE TEMP MACRO baddate(s) AS s IS NOT NULL AND s <> '' AND pdate(s) IS NULL`);
  // why a date was refused, for the message
  await store.exec(`CREATE OR REPLACE TEMP MACRO datewhy(s) AS ' is not a date in the declared format ${dateFormat}' ||
      CASE WHEN regexp_matches(s, '\\d[T ]\\d{1,2}:\\d{2}') THEN ' (it is a date-time with a time of day' || CASE WHEN regexp_matches(s, '(Z|[+-]\\d{2}:?\\d{2})$') THEN ' and a time zone offset' ELSE '' END || '; the date part is not guessed)'
           WHEN regexp_full_match(s, '\\d{1,2}/\\d{1,2}/\\d{4}') THEN ${dateFormat === 'YYYY-MM-DD'
             ? `' (day/month order is ambiguous and is not guessed: declare dateFormat ''DD/MM/YYYY'' (d/m/y) or ''MM/DD/YYYY'' (m/d/y) in the mapping)'`
             // the order is declared: a value that fits the pattern but is no calendar day read that way (09/16/2017 as d/m/y) is written in the other order or mistyped
             : `' (read as ${dateFormat} it is no calendar day: ' || CASE WHEN TRY_CAST(split_part(s, '/', ${dateFormat === 'DD/MM/YYYY' ? 2 : 1}) AS INTEGER) > 12 THEN 'month ' || split_part(s, '/', ${dateFormat === 'DD/MM/YYYY' ? 2 : 1}) || ' does not exist, so it may be written in the other day/month order' ELSE 'that day does not exist in that month' END || '; it is not guessed)'`}
           ELSE '' END`);
  await store.exec(`CREATE OR REPLACE TEMP MACRO cyear(s) AS CASE WHEN regexp_full_match(s, '\\d{4}') THEN s::INTEGER
      WHEN regexp_full_match(s, '\\d{4}[/-](\\d{2}|\\d{4})') THEN left(s, 4)::INTEGER + 1 END`);
  // census (collection) year of a date: the year ending 31 March
  await store.exec(`CREATE OR REPLACE TEMP MACRO cy_of(d) AS year(d) + CASE WHEN month(d) >= 4 THEN 1 ELSE 0 END`);
  await store.exec(`CREATE OR REPLACE TEMP MACRO eth_group(c) AS CASE WHEN upper(coalesce(c, '')) IN ('CHNE', 'OOTH') THEN 'Other'
      WHEN upper(coalesce(c, '')) IN ('REFU', 'NOBT', '') THEN 'Unknown'
      WHEN upper(c)[1] = 'W' THEN 'White' WHEN upper(c)[1] = 'M' THEN 'Mixed' WHEN upper(c)[1] = 'A' THEN 'Asian' WHEN upper(c)[1] = 'B' THEN 'Black' ELSE 'Unknown' END`);
  await store.exec(`CREATE OR REPLACE TEMP MACRO sex_mfu(s) AS CASE upper(s) WHEN '1' THEN 'M' WHEN '2' THEN 'F' WHEN '0' THEN 'U' WHEN '9' THEN 'U' WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN 'U' THEN 'U' END`);
  // distinct list elements in first-seen order
  await store.exec(`CREATE OR REPLACE TEMP MACRO uniq_in_order(l) AS list_filter(l, (x, i) -> list_position(l, x) = i)`);
  // a DATE's text form is already ISO 'YYYY-MM-DD' (years 1-9999, all pdate can give) and half the cost of strftime
  await store.exec(`CREATE OR REPLACE TEMP MACRO iso(d) AS CAST(CAST(d AS DATE) AS VARCHAR)`);
}

/** a code list as an SQL list literal */
export function sqlList(codes: Iterable<string>): string {
  return `[${Array.from(codes, (c) => lit(c)).join(', ')}]`;
}
