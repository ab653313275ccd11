/**
 * The named rules for an LA's own SSDA903 return, as SQL over the staged header (`h`) and episodes
 * (`e`) tables that the store's CSV ingest builds (file, line, one trimmed VARCHAR per field).
 * Dates are d/m/y as the DfE return writes them (`pdate`/`baddate` from the store's macros).
 */
import type { Rule } from '../store/rules';
import { sqlList } from '../store/sql';
import {
  ETHNICITY_CODES, SSDA903_SEX_CODES, SSDA903_RNE_CODES, SSDA903_LS_CODES, SSDA903_CIN_CODES, SSDA903_PLACE_CODES, SSDA903_REC_CODES,
} from '../codes';

/** Every rule the SSDA903 reader can fire (beyond the CSV line rules of the store), with what it means. */
export const SSDA903_RULES = Object.freeze({
  missing_id: 'CHILD is blank; the row is excluded (nothing links it to a child)',
  missing_date: 'DECOM (episode start) is blank; the episode is excluded',
  date_format: 'a date that is not d/m/y (dd/mm/yyyy) as the SSDA903 return writes it, or not a calendar day; dates are never guessed: the episode is excluded (a bad DOB is dropped, the child kept)',
  date_order: 'DEC (episode end) before DECOM (episode start); the episode is excluded',
  code_list: 'a code not in the SSDA903 code list (SEX, ETHNIC, RNE, LS, CIN, PLACE, REC); the value is dropped, the row kept',
  duplicate_record: 'a repeated row: an identical copy is merged; a copy that disagrees (same CHILD and DECOM, other values) is excluded, the first line is kept',
  child_conflicting_details: 'a CHILD with two header rows that disagree (SEX, DOB, ETHNIC or UPN); the later row is excluded',
  unknown_child: 'an episode whose CHILD has no row in the header file (warning: kept; sex and DOB unknown)',
  overlapping_episodes: "an episode starting before the child's previous episode ended (or while it is open); warning",
  impossible_age: "a header DOB that makes the child unborn at, or older than 25 at, one of its care episodes; a warning on the header line (the store excludes those episodes)",
});
export type Ssda903Rule = keyof typeof SSDA903_RULES;

const codeRule = (field: string, column: string, list: ReadonlyArray<string>, what: string): Rule => ({
  rule: 'code_list', action: 'warning', field: column, where: `coalesce(${field}, '') <> '' AND NOT list_contains(${sqlList(list)}, ${field})`, value: field,
  message: `'${column} code ''' || ${field} || ''' for CHILD ' || coalesce(child_id, '?') || ' is not in the SSDA903 ${what} code list; the value is dropped'`,
});

const dateRule = (field: string, column: string, action: 'excluded' | 'warning', consequence: string): Rule => ({
  rule: 'date_format', action, field: column, where: `baddate(${field})`, value: field,
  message: `'${column} ''' || ${field} || ''' for CHILD ' || coalesce(child_id, '?') || ' is not a d/m/y date (dd/mm/yyyy) that exists; it is not guessed: ${consequence}'`,
});

export const HEADER_RULES: Rule[] = [
  { rule: 'missing_id', action: 'excluded', field: 'CHILD', where: `coalesce(child_id, '') = ''`, value: `''`, message: `'header line ' || line || ' has no CHILD; the row is excluded'` },
  dateRule('dob', 'DOB', 'warning', 'the date of birth is dropped'),
  codeRule('sex', 'SEX', SSDA903_SEX_CODES, 'SEX (1 male, 2 female)'),
  codeRule('ethnicity', 'ETHNIC', Object.keys(ETHNICITY_CODES), 'ETHNIC'),
];

export const EPISODE_RULES: Rule[] = [
  { rule: 'missing_id', action: 'excluded', field: 'CHILD', where: `coalesce(child_id, '') = ''`, value: `''`, message: `'episodes line ' || line || ' has no CHILD; the episode is excluded'` },
  { rule: 'missing_date', action: 'excluded', field: 'DECOM', where: `coalesce(decom, '') = ''`, value: `''`, message: `'CHILD ' || coalesce(child_id, '?') || ': DECOM (episode start) is blank; the episode is excluded'` },
  dateRule('decom', 'DECOM', 'excluded', 'the episode is excluded'),
  dateRule('dec', 'DEC', 'excluded', 'the episode is excluded (a blank DEC would read as still in care)'),
  {
    rule: 'date_order', action: 'excluded', field: 'DEC', where: `pdate(dec) < pdate(decom)`, value: 'dec',
    message: `'CHILD ' || child_id || ': DEC ' || dec || ' is before DECOM ' || decom || ' (episode ends before it starts); the episode is excluded'`,
  },
  codeRule('rne', 'RNE', SSDA903_RNE_CODES, 'RNE (reason for new episode)'),
  codeRule('ls', 'LS', SSDA903_LS_CODES, 'LS (legal status)'),
  codeRule('cin', 'CIN', SSDA903_CIN_CODES, 'CIN (category of need)'),
  codeRule('place', 'PLACE', SSDA903_PLACE_CODES, 'PLACE (placement type)'),
  codeRule('rec', 'REC', SSDA903_REC_CODES, 'REC (reason episode ceased)'),
];

/** SQL: later header rows of a CHILD, identical (merged) or disagreeing (excluded) with the first kept row */
export function headerDuplicateSql(table: string, excluded: string): string {
  return `WITH k AS (SELECT *, row_number() OVER (PARTITION BY child_id ORDER BY line) AS n,
      first_value(line) OVER (PARTITION BY child_id ORDER BY line) AS first_line,
      first_value(coalesce(sex, '') || '|' || coalesce(dob, '') || '|' || coalesce(ethnicity, '') || '|' || coalesce(upn, '')) OVER (PARTITION BY child_id ORDER BY line) AS first_vals
      FROM ${table} WHERE line NOT IN (${excluded}))
    SELECT 'cla', file, line, 'CHILD', child_id,
      CASE WHEN first_vals = coalesce(sex, '') || '|' || coalesce(dob, '') || '|' || coalesce(ethnicity, '') || '|' || coalesce(upn, '') THEN 'duplicate_record' ELSE 'child_conflicting_details' END,
      CASE WHEN first_vals = coalesce(sex, '') || '|' || coalesce(dob, '') || '|' || coalesce(ethnicity, '') || '|' || coalesce(upn, '') THEN 'merged' ELSE 'excluded' END,
      CASE WHEN first_vals = coalesce(sex, '') || '|' || coalesce(dob, '') || '|' || coalesce(ethnicity, '') || '|' || coalesce(upn, '')
        THEN 'CHILD ' || child_id || ' repeats its header row of line ' || first_line || ' exactly; merged'
        ELSE 'CHILD ' || child_id || ' has a second header row that disagrees with line ' || first_line || ' (SEX|DOB|ETHNIC|UPN ' || first_vals || ' there, ' ||
          coalesce(sex, '') || '|' || coalesce(dob, '') || '|' || coalesce(ethnicity, '') || '|' || coalesce(upn, '') || ' here); this row is excluded, line ' || first_line || ' is kept' END,
      child_id
    FROM k WHERE n > 1`;
}

/** SQL: later episode rows with the same CHILD and DECOM as an earlier kept row */
export function episodeDuplicateSql(table: string, excluded: string): string {
  const vals = `coalesce(rne, '') || '|' || coalesce(ls, '') || '|' || coalesce(cin, '') || '|' || coalesce(place, '') || '|' || coalesce(dec, '') || '|' || coalesce(rec, '')`;
  return `WITH k AS (SELECT *, row_number() OVER w AS n, first_value(line) OVER w AS first_line, first_value(${vals}) OVER w AS first_vals, ${vals} AS vals
      FROM ${table} WHERE line NOT IN (${excluded}) WINDOW w AS (PARTITION BY child_id, pdate(decom) ORDER BY line))
    SELECT 'cla', file, line, 'DECOM', decom, 'duplicate_record', CASE WHEN vals = first_vals THEN 'merged' ELSE 'excluded' END,
      CASE WHEN vals = first_vals THEN 'CHILD ' || child_id || ': episode starting ' || decom || ' repeats line ' || first_line || ' exactly; merged'
        ELSE 'CHILD ' || child_id || ': a second episode starting ' || decom || ' disagrees with line ' || first_line || ' (RNE|LS|CIN|PLACE|DEC|REC ' || first_vals || ' there, ' || vals || ' here); this row is excluded, line ' || first_line || ' is kept' END,
      child_id
    FROM k WHERE n > 1`;
}

/** SQL: kept episodes that start before the child's previous episode ended (or while it is open) */
export function overlapSql(table: string, dropped: string): string {
  return `WITH k AS (SELECT *, pdate(decom) AS s, pdate(dec) AS d FROM ${table} WHERE line NOT IN (${dropped})),
    o AS (SELECT *, lag(line) OVER w AS prev_line, lag(d) OVER w AS prev_end, lag(dec) OVER w AS prev_dec,
      max(coalesce(d, DATE '9999-12-31')) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS open_until
      FROM k WINDOW w AS (PARTITION BY child_id ORDER BY s, line))
    SELECT 'cla', file, line, 'DECOM', decom, 'overlapping_episodes', 'warning',
      'CHILD ' || child_id || ': episode starting ' || decom || ' (line ' || line || ') begins before an earlier episode ended (' ||
      CASE WHEN open_until = DATE '9999-12-31' THEN 'an earlier episode has no DEC' ELSE 'open until ' || strftime(open_until, '%d/%m/%Y') END || '; previous episode line ' || prev_line || ')',
      child_id
    FROM o WHERE open_until IS NOT NULL AND s < open_until`;
}

/**
 * SQL: header rows whose DOB makes the child unborn at, or older than 25 at, one of its care episodes
 * (DOB 02/11/1817, or after DECOM): a warning on the header line and its DOB, the line where the
 * wrong date is. The store then excludes those episodes (impossible_age), naming the episode lines.
 */
export function impossibleDobSql(h: string, e: string, keptH: string, keptE: string): string {
  return `SELECT 'cla', h.file, h.line, 'DOB', h.dob, 'impossible_age', 'warning',
      'CHILD ' || h.child_id || ': DOB ' || h.dob || ' makes the child ' || CASE WHEN pdate(h.dob) > min(pdate(e.decom)) THEN 'unborn at its first care episode (DECOM ' || strftime(min(pdate(e.decom)), '%d/%m/%Y') || ')'
        ELSE 'aged ' || date_diff('year', pdate(h.dob), max(pdate(e.decom))) || ' at its last care episode (DECOM ' || strftime(max(pdate(e.decom)), '%d/%m/%Y') || '), outside 0-25' END ||
      ': the date of birth is wrong; episodes at an impossible age are excluded (episodes lines ' || string_agg(e.line::VARCHAR, ', ' ORDER BY e.line) || ')', h.child_id
    FROM ${h} h JOIN ${e} e ON e.child_id = h.child_id
    WHERE h.line IN (${keptH}) AND e.line IN (${keptE}) AND pdate(h.dob) IS NOT NULL AND pdate(e.decom) IS NOT NULL
      AND (pdate(h.dob) > pdate(e.decom) OR date_diff('day', pdate(h.dob), pdate(e.decom)) > 25 * 365.25)
    GROUP BY h.file, h.line, h.dob, h.child_id`;
}
