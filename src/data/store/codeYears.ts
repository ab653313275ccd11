/**
 * The CIN code lists of each census year, as SQL over the store's staged CIN rows. Every row of an
 * NPD-style CSV or Parquet extract (and of the synthetic set) carries its census year, and its codes
 * are checked against the lists of that year's schema, as the XML reader checks a return's codes
 * against its own schema year. The one source of the lists is codes.ts CIN_CODE_LISTS (the schema
 * year of census year Y is the latest at or before Y; before the first, the first, as cinSchemaYearFor).
 */
import { CIN_CODE_LISTS, CIN_SCHEMA_YEARS, type CinCodeLists } from '../codes';
import { lit } from './db';
import type { Rule } from './rules';
import { sqlList } from './sql';

type ListKey = 'referralSource' | 'primaryNeed' | 'closureReason' | 'cppCategory' | 'ethnicity' | 'factors';

/**
 * Staged single-code CIN fields with the CIN_CODE_LISTS list each is checked against and its name in
 * messages. Sex is not here: an extract's sex column is checked against both codings in every year,
 * because NPD extracts recode it (a 2016 extract can carry M/F), unlike a return's <GenderCurrent>.
 */
export const YEAR_CHECKED_FIELDS: ReadonlyArray<[field: string, key: ListKey, what: string]> = Object.freeze([
  ['referral_source', 'referralSource', 'referral source'],
  ['primary_need', 'primaryNeed', 'primary need code'],
  ['closure_reason', 'closureReason', 'reason for closure'],
  ['cpp_initial_category', 'cppCategory', 'initial category of abuse'],
  ['cpp_latest_category', 'cppCategory', 'latest category of abuse'],
  ['ethnicity', 'ethnicity', 'ethnicity code'],
]);

const listOf = (y: number, key: ListKey): ReadonlyArray<string> => (CIN_CODE_LISTS[y] as CinCodeLists)[key];

/** [first census year, list] for each run of schema years with the same list, latest first */
function runs(key: ListKey): Array<[number, ReadonlyArray<string>]> {
  const out: Array<[number, ReadonlyArray<string>]> = [];
  for (const y of CIN_SCHEMA_YEARS) {
    const l = listOf(y, key);
    const last = out[out.length - 1];
    if (last && last[1].length === l.length && l.every((c) => last[1].includes(c))) continue;
    out.push([y, l]);
  }
  return out.reverse();
}

/** every code some schema year lists for `key` */
export function anyYearCodes(key: ListKey): string[] {
  return [...new Set(CIN_SCHEMA_YEARS.flatMap((y) => listOf(y, key)))];
}

/**
 * SQL: `expr(list)` for the `key` list of census year `cy`, as one CASE branch per run of schema years
 * with the same list, so that each branch's list (or pattern) is a constant DuckDB compiles once.
 */
export function byCensusYear(key: ListKey, cy: string, expr: (list: ReadonlyArray<string>) => string): string {
  const r = runs(key);
  if (r.length === 1) return expr(r[0][1]);
  return `CASE ${r.slice(0, -1).map(([y, l]) => `WHEN ${cy} >= ${y} THEN ${expr(l)}`).join(' ')} ELSE ${expr(r[r.length - 1][1])} END`;
}

/** SQL: true when the upper-cased code `code` is in the `key` list of census year `cy` */
export function inYearList(key: ListKey, cy: string, code: string): string {
  return byCensusYear(key, cy, (l) => `list_contains(${sqlList(l)}, ${code})`);
}

/**
 * The census years in which a code is valid, as a phrase: 'in census years 2021 on', 'in census years
 * to 2020', 'in census years 2022 to 2023', 'in every census year' or 'in no census year (no CIN schema
 * held lists it)'. Schema year Y covers census years Y to the next schema year less one; the first also
 * covers every earlier year, the last every later one.
 */
export function validCensusYears(key: ListKey, code: string): string {
  const spans: Array<[number | null, number | null]> = [];
  CIN_SCHEMA_YEARS.forEach((y, i) => {
    if (!listOf(y, key).includes(code)) return;
    const from = i === 0 ? null : y, to = i === CIN_SCHEMA_YEARS.length - 1 ? null : CIN_SCHEMA_YEARS[i + 1] - 1;
    const last = spans[spans.length - 1];
    if (last && last[1] !== null && from !== null && last[1] + 1 === from) last[1] = to;
    else spans.push([from, to]);
  });
  if (!spans.length) return 'in no census year (no CIN schema held lists it)';
  if (spans[0][0] === null && spans[0][1] === null) return 'in every census year';
  return 'in census years ' + spans.map(([a, b]) => (a === null ? `to ${b}` : b === null ? `${a} on` : a === b ? `${a}` : `${a} to ${b}`)).join(', ');
}

/** SQL: the text of validCensusYears for the upper-cased code `code`, over the `codes` whose validity varies by year */
function validYearsSql(key: ListKey, code: string, codes: ReadonlyArray<string>): string {
  const whens = codes.filter((c) => CIN_SCHEMA_YEARS.some((y) => !listOf(y, key).includes(c)))
    .map((c) => `WHEN ${lit(c)} THEN ${lit(validCensusYears(key, c))}`);
  const none = lit(validCensusYears(key, ''));
  return whens.length ? `CASE ${code} ${whens.join(' ')} ELSE ${none} END` : none;
}

/** SQL: the schema year whose lists census year `cy` uses */
function schemaYearSql(cy: string): string {
  return `CASE ${[...CIN_SCHEMA_YEARS].reverse().slice(0, -1).map((y) => `WHEN ${cy} >= ${y} THEN ${y}`).join(' ')} ELSE ${CIN_SCHEMA_YEARS[0]} END`;
}

/** the sentence for a code outside its row's census year list (SQL) */
function message(what: string, key: ListKey, code: string, codes: ReadonlyArray<string>): string {
  return `'${what} ''' || ${code} || ''' is not in the code list of census year ' || cy || ' (CIN schema ' || ${schemaYearSql('cy')} || '); it is valid ' ||
    ${validYearsSql(key, code, codes)} || ': the value is dropped, the row kept'`;
}

/**
 * One rule per YEAR_CHECKED_FIELDS field whose list changes between schema years: a code that some
 * year lists but the row's census year does not. Its value is dropped (the row is kept), as the XML
 * reader drops it. Codes no year lists are cin.ts's code_list rules; rows with no usable census year
 * are excluded by census_year_format.
 */
export function schemaYearRules(): Rule[] {
  return YEAR_CHECKED_FIELDS.filter(([, key]) => runs(key).length > 1).map(([f, key, what]): Rule => ({
    rule: 'code_list_schema_year', action: 'value_dropped', field: f, value: f,
    where: `cy IS NOT NULL AND list_contains(${sqlList(anyYearCodes(key))}, upper(${f})) AND NOT ${inYearList(key, 'cy', `upper(${f})`)}`,
    message: message(what, key, `upper(${f})`, anyYearCodes(key)),
  }));
}

/**
 * SQL: true when `factors` is a ';'-list (possibly empty) of upper-case codes all in the factor list of
 * census year `cy`: one constant pattern per run of schema years. The common case, so rows it accepts
 * skip the per-code work (the findings below, buildCin's cleaning).
 */
export function factorsAllInYearList(cy: string): string {
  return byCensusYear('factors', cy, (codes) => {
    const code = `(?:${codes.map((c) => c.replace(/[^A-Za-z0-9]/g, (x) => '\\' + x)).join('|')})`;
    return `regexp_full_match(coalesce(factors, ''), ${lit(`(?:${code}(?:;${code})*)?`)})`;
  });
}

/**
 * SQL inserting one finding per assessment-factor code of a cin_t row that needs one (value dropped):
 * code_list when codes.ts knows no such factor code (`known`: FACTOR_HARMONISATION), code_list_schema_year
 * when it is known but not in the list of the row's census year (18A in 2021, 24A in 2019).
 */
export function factorCodeFindings(known: ReadonlyArray<string>): string {
  return `INSERT INTO findings SELECT 'cin', file, line, 'factors', code, CASE WHEN is_known THEN 'code_list_schema_year' ELSE 'code_list' END, 'value_dropped',
      CASE WHEN is_known THEN ${message('assessment factor code', 'factors', 'upper(code)', known)} ELSE 'assessment factor code ''' || code || ''' not in any CIN schema code list' END, child_id
    FROM (SELECT *, list_contains(${sqlList(known)}, upper(code)) AS is_known
      FROM (SELECT file, line, child_id, cy, trim(unnest(string_split(factors, ';'))) AS code FROM cin_t
        WHERE coalesce(factors, '') <> '' AND NOT coalesce(${factorsAllInYearList('cy')}, false)))
    WHERE code <> '' AND (NOT is_known OR (cy IS NOT NULL AND NOT ${inYearList('factors', 'cy', 'upper(code)')}))`;
}
