/**
 * CIN episodes in the store: type the staged rows (declared date format), run the named CIN rules,
 * deduplicate copies of an episode across census years (the latest census year's copy wins: a later
 * return supersedes an earlier one), list conflicting copies and stale fallbacks, and build the
 * episode, assessment and CPP tables by SQL. Staged input: TEMP table raw_cin (all VARCHAR).
 */
import { Store, lit } from './db';
import { applyRules, dateRules } from './rules';
import type { Rule } from './rules';
import { sqlList } from './sql';
import { schemaYearRules, factorCodeFindings, factorsAllInYearList, inYearList } from './codeYears';
import {
  FACTOR_HARMONISATION, REFERRAL_SOURCE_CODES, PRIMARY_NEED_CODES, CLOSURE_REASON_CODES, CPP_CATEGORY_CODES, ETHNICITY_CODES, CIN_SEX_TO_MFU,
} from '../codes';

export const CIN_FIELDS = ['census_year', 'la', 'child_id', 'pmr', 'sex', 'ethnicity', 'disabilities', 'idaci_decile', 'referral_date', 'referral_source',
  'primary_need', 'closure_date', 'closure_reason', 'referral_nfa', 'assessment_date', 'authorisation_date', 'cin_plan_start', 'cin_plan_end', 's47_date',
  'icpc_date', 'cpp_start', 'cpp_end', 'cpp_initial_category', 'cpp_latest_category', 'n_previous_cpp', 'true_class', 'factors', 'birth_year', 'birth_month', 'dob'];
const DATES = ['referral_date', 'closure_date', 'assessment_date', 'authorisation_date', 'cin_plan_start', 'cin_plan_end', 's47_date', 'icpc_date', 'cpp_start', 'cpp_end', 'dob'];

/** sub-records of an episode: start field, name, and the fields dropped with it when it starts outside the episode */
const SUB_RECORDS: Array<[string, string, string[]]> = [
  ['assessment_date', 'assessment', ['assessment_date', 'authorisation_date']],
  ['cin_plan_start', 'CIN plan', ['cin_plan_start', 'cin_plan_end']],
  ['s47_date', 'Section 47 enquiry', ['s47_date', 'icpc_date']],
  ['cpp_start', 'child protection plan', ['cpp_start', 'cpp_end']],
];
/** field -> start field of the sub-record it is dropped with (date_outside_episode) */
const DROPPED = new Map(SUB_RECORDS.flatMap(([f, , drop]) => drop.map((x) => [x, f] as [string, string])));
/** the start lies before the referral or after the closure (an episode whose closure precedes its referral is excluded on that ground) */
const outside = (f: string): string => `(d_${f} < d_referral_date OR d_${f} > d_closure_date) AND NOT coalesce(d_closure_date < d_referral_date, false)`;
/** the sub-record is not dropped as outside: only then is its own end-before-start checked */
const inside = (f: string): string => `NOT coalesce(${outside(f)}, false)`;

export interface CinWindow {
  /** declared census years (from, to) if any */
  censusYears?: [number, number];
}

/** Type and check raw_cin as TEMP view cin_t (every staged row, with typed columns) and run the CIN rules. */
export async function checkCin(store: Store, window: CinWindow): Promise<void> {
  const d = (f: string): string => `pdate(${f}) AS d_${f}`;
  // date of birth (d_birth): the date if given, else the 1st of the month of birth
  // a view: each rule reads only its own columns, and only the narrow cin_v is ever materialised
  await store.exec(`CREATE OR REPLACE TEMP VIEW cin_t AS SELECT *, coalesce(d_dob, CASE WHEN bm_n BETWEEN 1 AND 12 AND by_n BETWEEN 1 AND 9999 THEN make_date(by_n, bm_n, 1) END) AS d_birth
    FROM (SELECT *, cyear(census_year) AS cy, ${DATES.map(d).join(', ')}, TRY_CAST(birth_year AS INTEGER) AS by_n, TRY_CAST(birth_month AS INTEGER) AS bm_n FROM raw_cin)`);
  // the extract's own date range, for census years no date could belong to (when no window is declared)
  // the census year we are in: no return can be for a later one (a row whose dates are typed as wrongly as its year, 2098-06-01 in census 2099,
  // would otherwise pass the date test, move the end of follow-up and age every pupil by decades)
  const today = new Date();
  const nowCy = today.getUTCFullYear() + (today.getUTCMonth() >= 3 ? 1 : 0);
  const maxDateCy = Number(await store.scalar(`SELECT max(cy_of(greatest(d_referral_date, d_closure_date, d_assessment_date, d_cpp_start, d_cpp_end, d_cin_plan_start, d_s47_date))) FROM cin_t`)) || 0;
  const sexCodes = sqlList(Object.keys(CIN_SEX_TO_MFU));
  const ep = `la || ' ' || child_id || ' referred ' || referral_date`;
  const rules: Rule[] = [
    { rule: 'missing_id', action: 'excluded', field: 'child_id', where: `coalesce(child_id, '') = ''`, value: `''`, message: `'missing child identifier'` },
    { rule: 'missing_id', action: 'excluded', field: 'la', where: `coalesce(la, '') = ''`, value: `''`, message: `'missing local authority'` },
    { rule: 'census_year_format', action: 'excluded', field: 'census_year', where: `cy IS NULL`, value: 'census_year', message: `'census year ''' || coalesce(census_year, '') || ''' is not a year (expected YYYY or YYYY/YY)'` },
    { rule: 'missing_date', action: 'excluded', field: 'referral_date', where: `coalesce(referral_date, '') = ''`, value: `''`, message: `'missing referral date'` },
    ...dateRules(DATES, 'excluded', true),
    // a blank sex is missing, not a bad code: in an XML return it is blank when the reader dropped a code outside the return's list (its code_list_schema_year finding names the code)
    { rule: 'missing_required', action: 'excluded', field: 'sex', where: `coalesce(sex, '') = ''`, value: `''`,
      message: `CASE WHEN file ILIKE '%.xml' THEN 'child ' || coalesce(child_id, '') || ' has no usable sex (<Sex>/<GenderCurrent> absent, or its code dropped as outside the return''s code list: see the code_list_schema_year finding for this child); sex is required, so the episode is excluded'
        ELSE 'sex (gender) is blank; it is required (0, 1, 2, 9 or F, M, U; 0/9/U for unknown), so the row is excluded' END` },
    { rule: 'code_list', action: 'excluded', field: 'sex', where: `coalesce(sex, '') <> '' AND NOT list_contains(${sexCodes}, upper(sex))`, value: 'sex', message: `'gender code ''' || sex || ''' not in the CIN code list (0, 1, 2, 9 or F, M, U)'` },
    // dates out of order along the episode: referral <= assessment <= authorisation, plan start <= end, CPP start <= end, closure >= referral
    { rule: 'date_order', action: 'excluded', field: 'closure_date', where: `d_closure_date < d_referral_date`, value: 'closure_date', message: `'closure date ' || closure_date || ' before referral date ' || referral_date` },
    { rule: 'date_order', action: 'excluded', field: 'cin_plan_end', where: `d_cin_plan_end < d_cin_plan_start AND ${inside('cin_plan_start')}`, value: 'cin_plan_end', message: `'CIN plan end ' || cin_plan_end || ' before CIN plan start ' || cin_plan_start` },
    // a sub-record (assessment, CIN plan, Section 47, CPP) starting outside its referral episode: that sub-record is
    // not analysed, the episode and its other records are (SUB_RECORDS; the one rule for CSV and XML sources alike)
    ...SUB_RECORDS.map(([f, what]): Rule => ({ rule: 'date_outside_episode', action: 'value_dropped', field: f, where: outside(f), value: f,
      message: `'${what} starting ' || ${f} || ' lies outside its referral episode (' || referral_date || ' to ' || coalesce(closure_date, 'open') || '): the ${what} is not analysed; the episode and its other records are'` })),
    { rule: 'date_order', action: 'excluded', field: 'authorisation_date', where: `d_authorisation_date < d_assessment_date AND ${inside('assessment_date')}`, value: 'authorisation_date', message: `'assessment authorised ' || authorisation_date || ' before it started ' || assessment_date` },
    { rule: 'date_order', action: 'excluded', field: 'cpp_end', where: `d_cpp_end < d_cpp_start AND ${inside('cpp_start')}`, value: 'cpp_end', message: `'CPP end date (cpp_end) ' || cpp_end || ' before CPP start date ' || cpp_start` },
    // a sub-record's end (or its later step) after the episode closed: the closure or that date is wrong; kept, said
    ...([['cpp_end', 'cpp_start', 'CPP end date'], ['cin_plan_end', 'cin_plan_start', 'CIN plan end date'], ['authorisation_date', 'assessment_date', 'assessment authorisation date'],
      ['icpc_date', 's47_date', 'initial child protection conference']] as const).map(([f, start, what]): Rule => ({
      rule: 'date_order', action: 'warning', field: f, where: `d_${f} > d_closure_date AND NOT coalesce(d_closure_date < d_referral_date, false) AND ${inside(start)}`, value: f,
      message: `'${what} ' || ${f} || ' is after the episode closed (' || closure_date || '): dates out of order; kept as given, but the closure date or this date is wrong'` })),
    // an end with no start: the period cannot be placed
    { rule: 'missing_date', action: 'value_dropped', field: 'cpp_end', where: `coalesce(cpp_start, '') = '' AND coalesce(cpp_end, '') <> ''`, value: 'cpp_end',
      message: `'CPP end date ' || cpp_end || ' with no CPP start date: no child protection plan can be placed, so this end date is not analysed'` },
    { rule: 'missing_date', action: 'warning', field: 'cin_plan_end', where: `coalesce(cin_plan_start, '') = '' AND coalesce(cin_plan_end, '') <> ''`, value: 'cin_plan_end',
      message: `'CIN plan end date ' || cin_plan_end || ' with no CIN plan start date: no plan period can be placed (the episode keeps the end date in cin_plan_end)'` },
    { rule: 'date_order', action: 'warning', field: 'icpc_date', where: `d_icpc_date < d_s47_date AND ${inside('s47_date')}`, value: 'icpc_date', message: `'initial child protection conference ' || icpc_date || ' before the Section 47 start ' || s47_date` },
    // ages: born after the referral, or older than 25 at referral
    { rule: 'impossible_age', action: 'excluded', field: 'dob', where: `(by_n IS NOT NULL AND bm_n IS NOT NULL AND by_n * 12 + bm_n > year(d_referral_date) * 12 + month(d_referral_date)) OR d_birth > d_referral_date
        OR (by_n IS NOT NULL AND bm_n IS NULL AND d_birth IS NULL AND by_n > year(d_referral_date))`,
      value: `coalesce(nullif(dob, ''), nullif(birth_month, '') || '/' || birth_year, birth_year)`, message: `'born ' || coalesce(nullif(dob, ''), nullif(birth_month, '') || '/' || birth_year, birth_year) || ', after the referral ' || referral_date || ' (negative age at referral): date/year of birth wrong'` },
    { rule: 'impossible_age', action: 'excluded', field: 'dob', where: `(by_n IS NOT NULL AND year(d_referral_date) - by_n > 26) OR date_diff('day', d_birth, d_referral_date) > 25 * 365.25`,
      value: `coalesce(nullif(dob, ''), nullif(birth_month, '') || '/' || birth_year, birth_year)`, message: `'born ' || coalesce(nullif(dob, ''), nullif(birth_month, '') || '/' || birth_year, birth_year) || ': aged ' || (year(d_referral_date) - coalesce(by_n, year(d_birth))) || ' at referral ' || referral_date || ' (outside 0-25); date/year of birth wrong'` },
    { rule: 'impossible_age', action: 'value_dropped', field: 'birth_month', where: `bm_n IS NOT NULL AND NOT bm_n BETWEEN 1 AND 12`, value: 'birth_month', message: `'month of birth ''' || birth_month || ''' not 1-12'` },
    // census year: the episode must be open during the census year (April Y-1 to March Y), and the year inside the study window
    { rule: 'census_year_dates', action: 'excluded', field: 'census_year', where: `cy IS NOT NULL AND d_referral_date > make_date(cy, 3, 31)`, value: 'census_year',
      message: `'census year ' || cy || ' ends (' || cy || '-03-31) before the referral ' || referral_date || ': the census year cannot hold this episode'` },
    { rule: 'census_year_dates', action: 'excluded', field: 'census_year', where: `cy IS NOT NULL AND d_closure_date < make_date(cy - 1, 4, 1)`, value: 'census_year',
      message: `'census year ' || cy || ' starts (' || (cy - 1) || '-04-01) after the episode closed ' || closure_date || ': the census year cannot hold this episode'` },
    window.censusYears
      ? { rule: 'census_year_window', action: 'excluded', field: 'census_year', where: `cy NOT BETWEEN ${window.censusYears[0]} AND ${window.censusYears[1]}`, value: 'census_year',
        message: `'census year ' || cy || ' outside the declared study window ${window.censusYears[0]}-${window.censusYears[1]}'` }
      : { rule: 'census_year_window', action: 'excluded', field: 'census_year', where: `cy > ${Math.min(maxDateCy, nowCy) + 1}`, value: 'census_year',
        message: `CASE WHEN cy > ${nowCy + 1} THEN 'census year ' || cy || ' has not happened yet (today is in census year ${nowCy}), whatever the row''s dates say'
          ELSE 'census year ' || cy || ' is later than any date in the extract (latest census year of a date: ${maxDateCy})' END || ': in the future or a typo; declare censusYears to set the study window'` },
    // value-level code lists: the row is kept, the value set to missing
    { rule: 'code_list', action: 'value_dropped', field: 'ethnicity', where: `coalesce(ethnicity, '') <> '' AND NOT list_contains(${sqlList(Object.keys(ETHNICITY_CODES))}, upper(ethnicity))`, value: 'ethnicity', message: `'ethnicity code ''' || ethnicity || ''' not in the CIN code list'` },
    { rule: 'code_list', action: 'value_dropped', field: 'referral_source', where: `coalesce(referral_source, '') <> '' AND NOT list_contains(${sqlList(REFERRAL_SOURCE_CODES)}, upper(referral_source))`, value: 'referral_source', message: `'referral source ''' || referral_source || ''' not in the CIN code list'` },
    { rule: 'code_list', action: 'value_dropped', field: 'primary_need', where: `coalesce(primary_need, '') <> '' AND NOT list_contains(${sqlList(Object.keys(PRIMARY_NEED_CODES))}, upper(primary_need))`, value: 'primary_need', message: `'primary need code ''' || primary_need || ''' not in N0-N9'` },
    { rule: 'code_list', action: 'value_dropped', field: 'closure_reason', where: `coalesce(closure_reason, '') <> '' AND NOT list_contains(${sqlList(Object.keys(CLOSURE_REASON_CODES))}, upper(closure_reason))`, value: 'closure_reason', message: `'reason for closure ''' || closure_reason || ''' not in RC1-RC9'` },
    { rule: 'code_list', action: 'value_dropped', field: 'cpp_initial_category', where: `coalesce(cpp_initial_category, '') <> '' AND NOT list_contains(${sqlList(Object.keys(CPP_CATEGORY_CODES))}, upper(cpp_initial_category))`, value: 'cpp_initial_category', message: `'category of abuse ''' || cpp_initial_category || ''' not in NEG/EMO/PHY/SAB/MUL'` },
    { rule: 'code_list', action: 'value_dropped', field: 'cpp_latest_category', where: `coalesce(cpp_latest_category, '') <> '' AND NOT list_contains(${sqlList(Object.keys(CPP_CATEGORY_CODES))}, upper(cpp_latest_category))`, value: 'cpp_latest_category', message: `'category of abuse ''' || cpp_latest_category || ''' not in NEG/EMO/PHY/SAB/MUL'` },
    { rule: 'code_list', action: 'value_dropped', field: 'referral_nfa', where: `coalesce(referral_nfa, '') <> '' AND lower(referral_nfa) NOT IN ('true', 'false', '1', '0')`, value: 'referral_nfa', message: `'ReferralNFA ''' || referral_nfa || ''' is not true/false/1/0'` },
    { rule: 'count_range', action: 'value_dropped', field: 'idaci_decile', where: `coalesce(idaci_decile, '') <> '' AND coalesce(TRY_CAST(idaci_decile AS INTEGER) NOT BETWEEN 1 AND 10 OR TRY_CAST(idaci_decile AS DOUBLE) <> TRY_CAST(idaci_decile AS INTEGER), true)`, value: 'idaci_decile', message: `'IDACI decile ''' || idaci_decile || ''' not an integer 1-10'` },
    { rule: 'count_range', action: 'value_dropped', field: 'n_previous_cpp', where: `coalesce(n_previous_cpp, '') <> '' AND coalesce(NOT TRY_CAST(n_previous_cpp AS INTEGER) BETWEEN 0 AND 50 OR TRY_CAST(n_previous_cpp AS DOUBLE) <> TRY_CAST(n_previous_cpp AS INTEGER), true)`, value: 'n_previous_cpp', message: `'number of previous CPPs ''' || n_previous_cpp || ''' not an integer 0-50'` },
    { rule: 'code_list', action: 'value_dropped', field: 'factors', where: `coalesce(assessment_date, '') = '' AND coalesce(factors, '') <> ''`, value: 'factors', message: `'factors ' || factors || ' without an assessment start date'` },
    // a code some census year lists, but not the row's own (e.g. 5D before 2023/24): dropped, as the XML reader drops it
    ...schemaYearRules(),
  ];
  await applyRules(store, 'cin', 'cin_t', rules);
  // factor codes outside every CIN schema's list, or outside the list of the row's census year: one finding per code
  await store.exec(factorCodeFindings(Object.keys(FACTOR_HARMONISATION)));
  void ep;
  await blankColumns(store);
}

/** columns whose absence changes the analysis: a column present but blank on every row of a file does the same (kind: missing_optional_column) */
const BLANK_MATTERS: Array<[string, string]> = [
  ['closure_date', 'every episode would look open and re-referral survival cannot be built'],
  ['assessment_date', 'no assessment (and no factor) is analysed'],
  ['pmr', 'no linkage to pupils or key stage results'],
];

/** a warning per file (of 10 data rows or more) and per BLANK_MATTERS column that is present but blank on every row */
async function blankColumns(store: Store): Promise<void> {
  const n = BLANK_MATTERS.map(([f], i) => `count(*) FILTER (coalesce(${f}, '') <> '') AS n${i}, count(${f}) AS p${i}`).join(', ');
  // the file test after the grouping: file is an ENUM, tested as text once per file rather than once per row
  const rows = await store.rows(`SELECT * FROM (SELECT file, count(*) AS rows, ${n} FROM raw_cin GROUP BY file) WHERE file NOT ILIKE '%.xml'`);
  for (const r of rows) {
    if (Number(r.rows) < 10) continue;
    for (const [i, [f, why]] of BLANK_MATTERS.entries()) {
      // p: the column is there (NULL for a column the file does not have, which missing_optional_column already names)
      if (Number(r[`p${i}`]) === 0 || Number(r[`n${i}`]) > 0) continue;
      await store.exec(`INSERT INTO findings VALUES ('cin', ${lit(String(r.file))}, NULL, ${lit(f)}, '', 'blank_column', 'warning',
        ${lit(`the ${f} column is present but blank on every row of ${String(r.file).split(/[\\/]/).pop()}: ${why} (check the export)`)}, NULL)`);
    }
  }
}

/** SQL: the file name of a path, for messages */
const BASENAME = (col: string): string => `regexp_extract(${col}, '[^/\\\\]+$')`;

/** the public episode id of a typed row: text, built once for the output (joins use the integer ekey) */
const EPISODE_ID = (t: string): string => `${t}.la || '|' || ${t}.child_id || '|' || iso(${t}.d_referral_date)`;

/**
 * Deduplicate and build the persistent tables cin, assessments, cpp from cin_t (rows not excluded).
 * endOfData bounds the care-start search of open episodes.
 */
export async function buildCin(store: Store, endOfData: string): Promise<void> {
  const kept = `cin_t ANTI JOIN (SELECT DISTINCT file, line FROM findings WHERE source = 'cin' AND action = 'excluded') x ON x.file = cin_t.file AND x.line = cin_t.line`;
  // the episodes, from narrow rows: ekey is an integer episode key, the episode's rank in (LA, child,
  // referral date) order, so joins and groupings hash integers and the tables' order is an integer sort;
  // win is the copy that wins (latest census year, then file, then line: a later return supersedes an
  // earlier one); en the episode number of the child. Windows over the wide rows cost most of the ingest.
  // a copy's order as one integer (census year, file's rank by name, line): comparing structs per row is slow
  store.profile?.enter('cin: episodes and copies');
  await store.exec(`CREATE OR REPLACE TEMP TABLE cin_files AS SELECT file, row_number() OVER (ORDER BY file) AS fr FROM (SELECT DISTINCT file FROM raw_cin)`);
  const ord = `((cy::BIGINT << 44) + (f.fr::BIGINT << 32) + cin_t.line::BIGINT)`;
  const keptF = `${kept} JOIN cin_files f ON f.file = cin_t.file`;
  // ords: every copy of the episode (a copy's rows share its ord), so its rows find their episode by one integer, not by
  // the three keys (two of them text): that join cost as much as the rest of the statement building cin_v
  await store.exec(`CREATE OR REPLACE TEMP TABLE cin_e AS SELECT unnest(ords) AS ord, ekey, en, win FROM (SELECT *, row_number() OVER (ORDER BY la, child_id, d_referral_date) AS ekey,
      row_number() OVER (PARTITION BY la, child_id ORDER BY d_referral_date) AS en
    FROM (SELECT la, child_id, d_referral_date, max(${ord}) AS win, list(DISTINCT ${ord}) AS ords FROM ${keptF} GROUP BY ALL))`);
  // only the columns the tables need (typed dates, checked codes): copying the raw text columns again is most of the cost;
  // excluded lines leave by an anti join (not a correlated NOT EXISTS); rk 1 marks the winning copy's rows, 2 the others
  await store.exec(`CREATE OR REPLACE TEMP TABLE cin_v AS SELECT * EXCLUDE (win), CASE WHEN ord = win THEN 1 ELSE 2 END AS rk
    FROM (SELECT v.*, e.ekey, e.en, e.win FROM (SELECT cin_t.file, cin_t.line, ${ord} AS ord, part, cin_t.la, cin_t.child_id, pmr, sex, disabilities, cy, ${DATES.map((f) => (DROPPED.has(f) ? `CASE WHEN ${outside(DROPPED.get(f) as string)} THEN NULL ELSE d_${f} END AS d_${f}` : `d_${f}`)).join(', ')}, by_n, bm_n, d_birth,
      CASE WHEN ${inYearList('ethnicity', 'cy', 'upper(ethnicity)')} THEN upper(ethnicity) END AS eth_ok,
      CASE WHEN ${inYearList('referralSource', 'cy', 'upper(referral_source)')} THEN upper(referral_source) END AS rs_ok,
      CASE WHEN ${inYearList('primaryNeed', 'cy', 'upper(primary_need)')} THEN upper(primary_need) END AS pn_ok,
      CASE WHEN ${inYearList('closureReason', 'cy', 'upper(closure_reason)')} THEN upper(closure_reason) END AS rc_ok,
      CASE WHEN ${inYearList('cppCategory', 'cy', 'upper(cpp_initial_category)')} THEN upper(cpp_initial_category) END AS ic_ok,
      CASE WHEN ${inYearList('cppCategory', 'cy', 'upper(cpp_latest_category)')} THEN upper(cpp_latest_category) END AS lc_ok,
      CASE lower(referral_nfa) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false WHEN '0' THEN false END AS nfa_ok,
      CASE WHEN TRY_CAST(idaci_decile AS INTEGER) BETWEEN 1 AND 10 AND TRY_CAST(idaci_decile AS DOUBLE) = TRY_CAST(idaci_decile AS INTEGER) THEN TRY_CAST(idaci_decile AS INTEGER) END AS idaci_ok,
      CASE WHEN TRY_CAST(n_previous_cpp AS INTEGER) BETWEEN 0 AND 50 THEN TRY_CAST(n_previous_cpp AS INTEGER) END AS prev_ok,
      TRY_CAST(true_class AS INTEGER) AS tc_ok,
      -- fast path (no lambda) for the usual list: known codes, upper case, no blanks, each once
      CASE WHEN ${factorsAllInYearList('cy')} AND list_unique(string_split(coalesce(factors, ''), ';')) = len(string_split(coalesce(factors, ''), ';')) THEN coalesce(factors, '')
        ELSE array_to_string(uniq_in_order(list_filter(list_transform(string_split(coalesce(factors, ''), ';'), x -> upper(trim(x))), x -> ${inYearList('factors', 'cy', 'x')})), ';') END AS fac_ok
    FROM ${keptF}) v JOIN cin_e e USING (ord))`);
  store.profile?.enter('cin: conflicting copies');
  await conflicts(store);
  store.profile?.enter('cin: tables');
  // every per-episode aggregate in one grouping of the copies (the S47 and plan dates over the winning copy's
  // rows: a copy of an XML episode spans several rows (parts) and its S47s and plans are spread over them)
  await store.exec(`CREATE OR REPLACE TEMP TABLE cin_agg AS SELECT ekey, min(cy) AS first_cy,
      arg_max(d_closure_date, ord) FILTER (WHERE d_closure_date IS NOT NULL) AS any_clo,
      arg_max(rc_ok, ord) FILTER (WHERE d_closure_date IS NOT NULL) AS any_rc,
      arg_max(pmr, ord) FILTER (WHERE coalesce(pmr, '') <> '') AS any_pmr,
      arg_max(tc_ok, ord) FILTER (WHERE tc_ok IS NOT NULL) AS any_tc,
      arg_max(idaci_ok, ord) FILTER (WHERE idaci_ok IS NOT NULL) AS any_idaci,
      min(d_s47_date) FILTER (WHERE rk = 1) AS s47, min(d_icpc_date) FILTER (WHERE rk = 1) AS icpc, min(d_cin_plan_start) FILTER (WHERE rk = 1) AS plan_start,
      arg_max_null(d_cin_plan_end, coalesce(d_cin_plan_start, DATE '1900-01-01')) FILTER (WHERE rk = 1 AND (d_cin_plan_start IS NOT NULL OR d_cin_plan_end IS NOT NULL)) AS plan_end,
      count(DISTINCT d_assessment_date) AS n_a, count(DISTINCT d_cpp_start) AS n_c
    FROM cin_v GROUP BY ekey`);
  const end = lit(endOfData);
  await store.exec(`CREATE OR REPLACE TEMP TABLE cin AS
    WITH w AS (SELECT v.*, a.first_cy, coalesce(v.d_closure_date, a.any_clo) AS clo, CASE WHEN v.d_closure_date IS NULL THEN coalesce(v.rc_ok, a.any_rc) ELSE v.rc_ok END AS rc,
        coalesce(nullif(v.pmr, ''), a.any_pmr) AS pmr_f, coalesce(v.tc_ok, a.any_tc) AS tc, coalesce(v.idaci_ok, a.any_idaci) AS idaci,
        a.s47, a.icpc, a.plan_start, a.plan_end, a.n_a, a.n_c
      FROM cin_v v JOIN cin_agg a USING (ekey)
      WHERE v.rk = 1 AND v.part = 1),
    care AS (SELECT w.ekey, min(c._decom) AS care_start FROM w JOIN cla c ON c.la = w.la AND c.child_id = w.child_id
      AND c._decom >= w.d_referral_date AND c._decom <= coalesce(w.clo, ${end}::DATE) GROUP BY w.ekey)
    SELECT ${EPISODE_ID('w')} AS episode_id, w.child_id, w.pmr_f AS pmr, w.la, sex_mfu(w.sex) AS sex, w.eth_ok AS ethnicity, eth_group(w.eth_ok) AS ethnic_group,
      coalesce(w.by_n, year(w.d_birth))::INTEGER AS birth_year, coalesce(w.bm_n, month(w.d_birth))::INTEGER AS birth_month, iso(w.d_birth) AS dob,
      nullif(w.disabilities, '') AS disabilities, w.idaci::INTEGER AS idaci_decile, iso(w.d_referral_date) AS referral_date, w.rs_ok AS referral_source,
      w.pn_ok AS primary_need, iso(w.clo) AS closure_date, w.rc AS closure_reason, w.nfa_ok AS referral_nfa, w.first_cy::INTEGER AS first_census_year,
      w.cy::INTEGER AS last_census_year, w.n_a::INTEGER AS n_assessments, iso(w.plan_start) AS cin_plan_start, iso(w.plan_end) AS cin_plan_end,
      iso(w.s47) AS s47_date, iso(w.icpc) AS icpc_date, w.n_c::INTEGER AS n_cpp, iso(care.care_start) AS care_start,
      CASE WHEN care.care_start IS NOT NULL THEN 'care' WHEN w.n_c > 0 THEN 'CPP' WHEN w.plan_start IS NOT NULL THEN 'CIN plan' ELSE 'NFA' END AS pathway,
      w.tc::INTEGER AS true_class, w.en::INTEGER AS episode_number, w.line::INTEGER AS source_row,
      w.d_referral_date AS _ref, w.clo AS _clo, w.file AS _file, w.ekey AS _ekey,
      -- an integer child key: the ekey of the child's first episode (ekey runs in LA, child, referral order)
      w.ekey - w.en + 1 AS _ckey
    FROM w LEFT JOIN care USING (ekey)
    ORDER BY w.ekey`);
  // assessments and CPPs: every distinct start date over the episode's copies, values from the latest copy holding it
  await store.exec(`CREATE OR REPLACE TEMP TABLE assessments AS
    WITH a AS (SELECT ekey, d_assessment_date AS d, arg_max(d_authorisation_date, cy::BIGINT * 100000000 + line) AS auth, arg_max(fac_ok, cy::BIGINT * 100000000 + line) AS fac
      FROM cin_v WHERE d_assessment_date IS NOT NULL GROUP BY ekey, d_assessment_date)
    SELECT e.episode_id || '#A' || row_number() OVER (PARTITION BY a.ekey ORDER BY a.d) AS assessment_id, e.episode_id, e.child_id, e.pmr, e.la,
      iso(a.d) AS assessment_date, iso(a.auth) AS authorisation_date, cy_of(a.d)::INTEGER AS census_year, a.fac AS factors, e.true_class, e._ekey
    FROM a JOIN cin e ON e._ekey = a.ekey ORDER BY e._ekey, a.d`);
  await store.exec(`CREATE OR REPLACE TEMP TABLE cpp AS
    WITH c AS (SELECT ekey, d_cpp_start AS d, arg_max(d_cpp_end, cy::BIGINT * 100000000 + line) AS en, arg_max(ic_ok, cy::BIGINT * 100000000 + line) AS ic,
        arg_max(lc_ok, cy::BIGINT * 100000000 + line) AS lc, arg_max(prev_ok, cy::BIGINT * 100000000 + line) AS prev
      FROM cin_v WHERE d_cpp_start IS NOT NULL GROUP BY ekey, d_cpp_start)
    SELECT e.episode_id || '#P' || row_number() OVER (PARTITION BY c.ekey ORDER BY c.d) AS cpp_id, e.episode_id, e.child_id, e.la, iso(c.d) AS cpp_start,
      iso(c.en) AS cpp_end, c.ic AS initial_category, c.lc AS latest_category, c.prev::INTEGER AS n_previous_cpp, e._ekey
    FROM c JOIN cin e ON e._ekey = c.ekey ORDER BY e._ekey, c.d`);
  // every Section 47 enquiry and CIN plan period of an episode (XML returns can carry several)
  await store.exec(`CREATE OR REPLACE TEMP TABLE s47 AS SELECT e.episode_id, iso(s.d) AS s47_date, iso(s.icpc) AS icpc_date, e._ekey
    FROM (SELECT ekey, d_s47_date AS d, arg_max(d_icpc_date, cy::BIGINT * 100000000 + line) AS icpc FROM cin_v WHERE d_s47_date IS NOT NULL GROUP BY ekey, d_s47_date) s
    JOIN cin e ON e._ekey = s.ekey ORDER BY e._ekey, s.d`);
  await store.exec(`CREATE OR REPLACE TEMP TABLE cin_plans AS SELECT e.episode_id, iso(p.d) AS plan_start, iso(p.en) AS plan_end, e._ekey
    FROM (SELECT ekey, d_cin_plan_start AS d, arg_max_null(d_cin_plan_end, cy::BIGINT * 100000000 + line) AS en FROM cin_v WHERE d_cin_plan_start IS NOT NULL GROUP BY ekey, d_cin_plan_start) p
    JOIN cin e ON e._ekey = p.ekey ORDER BY e._ekey, p.d`);
  store.profile?.enter('cin: several S47s / plans, overlaps');
  for (const [t, col, what, table] of [['s47', 's47_date', 'Section 47 enquiries (S47)', 'data.s47; cin.s47_date / icpc_date give the first'], ['cin_plans', 'plan_start', 'CIN plan periods (CINPlanDates)', 'data.cinPlans; cin.cin_plan_start is the first start, cin_plan_end the end of the last plan']]) {
    // no episode with two: the grouping joined to every episode is not run (one integer count decides it)
    if (!(await store.scalar(`SELECT count(*) > count(DISTINCT _ekey) FROM ${t}`))) continue;
    await store.exec(`INSERT INTO findings SELECT 'cin', e._file, e.source_row, '${col}', string_agg(t.${col}, ', ' ORDER BY t.${col}), 'multiple_${t}', 'warning',
        'episode ' || e.la || ' ' || e.child_id || ' referred ' || e.referral_date || ' has ' || count(*) || ' ${what} (' || string_agg(t.${col}, ', ' ORDER BY t.${col}) || '): all are kept in ${table}', e.child_id
      FROM ${t} t JOIN cin e USING (_ekey) GROUP BY e._ekey, e.episode_id, e._file, e.source_row, e.la, e.child_id, e.referral_date HAVING count(*) > 1`);
  }
  await overlaps(store);
}

/** conflicting copies of one episode, and episodes resting on an older copy after a later one was excluded */
async function conflicts(store: Store): Promise<void> {
  const fields: Array<[string, string, boolean]> = [
    // field, expression, compared across census years too (false: only same-year copies, where neither supersedes)
    ['sex', `sex_mfu(sex)`, true], ['ethnicity', 'eth_ok', true], ['birth (year/month of birth)', `coalesce(iso(d_birth), '')`, true],
    ['referral_source', 'rs_ok', true], ['primary_need', 'pn_ok', true], ['closure_date', 'iso(d_closure_date)', false], ['closure_reason', 'rc_ok', false],
  ];
  // one join of the losing copies to the winning copy, every field compared in it (fields in the order above)
  const side = (e: string, t: string): string => e.replace(/\b(sex|eth_ok|d_birth|rs_ok|pn_ok|d_closure_date|rc_ok)\b/g, `${t}.$1`);
  const pairs = fields.map(([name, expr, across]) => `{'name': ${lit(name)}, 'cv': CAST(${side(expr, 'c')} AS VARCHAR), 'wv': CAST(${side(expr, 'w')} AS VARCHAR), 'across': ${across}}`);
  await store.exec(`INSERT INTO findings SELECT 'cin', file, line, d.name, coalesce(d.cv, '') || ' vs ' || coalesce(d.wv, ''), 'conflicting_copies', 'warning',
        'conflicting copies of episode ' || la || ' ' || child_id || ' referred ' || iso(d_referral_date) || ': ' || d.name || ' differs between ' ||
        CASE WHEN cy = wcy THEN 'two copies in the same census year ' || cy || ' (' || here || ': ''' || coalesce(d.cv, '') || ''', ' || there || ': ''' || coalesce(d.wv, '') ||
          '''); no census year decides, the copy ' || CASE WHEN file = wfile THEN 'on the later line' ELSE 'in the later file by name' END || ' (' || there || ') is used'
        ELSE 'census ' || cy || ' (' || here || ': ''' || coalesce(d.cv, '') || ''') and census ' || wcy || ' (' || there || ': ''' || coalesce(d.wv, '') ||
          '''); the census ' || wcy || ' copy (' || there || ') is used because a later return supersedes an earlier one' END, child_id
      FROM (SELECT c.file, c.line, c.la, c.child_id, c.d_referral_date, c.cy, w.cy AS wcy, w.line AS wline, c.cy = w.cy AS same, w.file AS wfile,
          -- where each copy is: its line, and its file's name when the copies sit in different files (their line numbers alone would be ambiguous)
          CASE WHEN c.file = w.file THEN 'line ' || c.line ELSE ${BASENAME('c.file')} || ' line ' || c.line END AS here,
          CASE WHEN c.file = w.file THEN 'line ' || w.line ELSE ${BASENAME('w.file')} || ' line ' || w.line END AS there,
          unnest(list_filter([${pairs.join(', ')}], x -> x.cv IS DISTINCT FROM x.wv AND x.cv IS NOT NULL AND x.wv IS NOT NULL)) AS d
        FROM (SELECT * FROM cin_v WHERE rk > 1 AND part = 1) c JOIN (SELECT * FROM cin_v WHERE rk = 1 AND part = 1) w USING (ekey))
      WHERE d.across OR same`);
  // a later census copy was excluded: the episode now rests on an older copy (said, not silent); with no CIN row excluded, none can
  if (!(await store.scalar(`SELECT EXISTS (SELECT 1 FROM findings WHERE source = 'cin' AND action = 'excluded')`))) return;
  await store.exec(`INSERT INTO findings SELECT 'cin', x.file, x.line, 'census_year', x.cy::VARCHAR, 'episode_rests_on_older_copy', 'warning',
      'episode ' || x.la || ' ' || x.child_id || ' referred ' || iso(x.d_referral_date) || ': its census ' || x.cy || ' copy (line ' || x.line ||
      ') was excluded (see exclusions), so the episode rests on the older census ' || w.cy || ' copy (' || CASE WHEN w.file = x.file THEN '' ELSE ${BASENAME('w.file')} || ' ' END || 'line ' || w.line || '), which may be out of date (closure ' || coalesce(iso(w.d_closure_date), 'open') || ')', x.child_id
    FROM cin_t x JOIN cin_v w ON w.la = x.la AND w.child_id = x.child_id AND w.d_referral_date = x.d_referral_date AND w.rk = 1 AND w.part = 1
    WHERE x.part = 1 AND x.cy > w.cy AND EXISTS (SELECT 1 FROM findings f WHERE f.source = 'cin' AND f.file = x.file AND f.line = x.line AND f.action = 'excluded')`);
}

/** a referral while the child's previous episode is still open (warning on the later episode) */
async function overlaps(store: Store): Promise<void> {
  await store.exec(`INSERT INTO findings SELECT 'cin', _file, source_row, 'referral_date', referral_date, 'overlapping_episodes', 'warning',
      'episode ' || la || ' ' || child_id || ' referred ' || referral_date || ' (line ' || source_row || ') overlaps the previous episode referred ' || prev_ref ||
      ' (line ' || prev_line || '), still open until ' || coalesce(prev_clo, 'the end of data') || ': referral while an earlier episode is open', child_id
    FROM (SELECT *, lag(referral_date) OVER p AS prev_ref, lag(_clo) OVER p AS prev_clo_d, iso(lag(_clo) OVER p) AS prev_clo, lag(source_row) OVER p AS prev_line,
        lag(_ref) OVER p AS prev_ref_d
      FROM cin WINDOW p AS (PARTITION BY la, child_id ORDER BY _ref))
    WHERE prev_ref_d IS NOT NULL AND (prev_clo_d IS NULL OR _ref < prev_clo_d)`);
}
