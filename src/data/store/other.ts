/**
 * SSDA903 episodes (cla), key stage results (ks2, ks4) and pupil characteristics (pupils) in the
 * store: typed by SQL from the staged TEMP tables raw_<source>, checked by named rules, duplicates
 * merged (identical) or listed (conflicting), built into persistent tables.
 */
import { Store } from './db';
import { applyRules, dateRules, conflictingChildDetails } from './rules';
import type { Rule } from './rules';
import { sqlList } from './sql';
import { SSDA903_RNE_CODES, SSDA903_LS_CODES, SSDA903_CIN_CODES, SSDA903_PLACE_CODES, SSDA903_REC_CODES } from '../codes';

export const OTHER_FIELDS: Record<'cla' | 'ks2' | 'ks4' | 'pupils', string[]> = {
  cla: ['la', 'child_id', 'pmr', 'sex', 'dob', 'ethnicity', 'decom', 'rne', 'ls', 'cin', 'place', 'dec', 'rec'],
  ks2: ['pmr', 'academic_year', 'la', 'school', 'read_score', 'maths_score', 'writing_ta'],
  ks4: ['pmr', 'academic_year', 'la', 'school', 'att8', 'p8'],
  pupils: ['pmr', 'sex', 'ethnicity', 'fsm', 'sen', 'eal', 'idaci_decile', 'la', 'birth_year', 'birth_month', 'dob'],
};

/** the values a 0/1 item may hold (pupils' FSM and EAL) */
const FLAG_VALUES = '(?i)0|1|true|false|y|n|yes|no';

const CLA_CODES: Array<[string, ReadonlyArray<string>]> = [['rne', SSDA903_RNE_CODES], ['ls', SSDA903_LS_CODES], ['cin', SSDA903_CIN_CODES], ['place', SSDA903_PLACE_CODES], ['rec', SSDA903_REC_CODES]];

/** empty staged table for a source given no file */
export async function emptyRaw(store: Store, source: keyof typeof OTHER_FIELDS): Promise<void> {
  await store.exec(`CREATE OR REPLACE TEMP TABLE raw_${source} AS SELECT NULL::VARCHAR AS file, NULL::INTEGER AS line, ${OTHER_FIELDS[source].map((f) => `NULL::VARCHAR AS ${f}`).join(', ')} WHERE false`);
}

/** the rows of t not excluded by a finding: an anti join against the excluded lines (not a correlated NOT EXISTS) */
const notExcluded = (t: string, source: string): string => `ANTI JOIN (SELECT DISTINCT file, line FROM findings WHERE source = '${source}' AND action = 'excluded') x ON x.file = ${t}.file AND x.line = ${t}.line`;

/**
 * TEMP table `table`: the rows of `view` not excluded, with rk, the row's rank by line among the rows sharing
 * `key` (1: the copy used). When no key is held twice among all the rows (the usual extract) every rk is 1,
 * found by one DISTINCT rather than the window's sort of every row (pupils: 109 of 300 ms on the small
 * set). Only for tables read by rk and in an explicit order: the fast path leaves the rows in file order.
 * `unique`: the columns tested instead (a prefix of key: unique there, unique in key too). Returns whether any repeats.
 */
async function rankCopies(store: Store, source: string, view: string, table: string, key: string, unique = key): Promise<boolean> {
  const twice = Boolean(await store.scalar(`SELECT (SELECT count(*) FROM ${view}) > (SELECT count(*) FROM (SELECT DISTINCT ${unique} FROM ${view}))`));
  const rk = twice ? `row_number() OVER (PARTITION BY ${key} ORDER BY line)` : '1::BIGINT';
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT *, ${rk} AS rk FROM ${view} ${notExcluded(view, source)}`);
  return twice;
}

export async function buildCla(store: Store): Promise<void> {
  await store.exec(`CREATE OR REPLACE TEMP VIEW cla_t AS SELECT *, pdate(decom) AS d_decom, pdate(dec) AS d_dec, pdate(dob) AS d_dob FROM raw_cla`);
  const rules: Rule[] = [
    { rule: 'missing_id', action: 'excluded', field: 'child_id', where: `coalesce(child_id, '') = ''`, value: `''`, message: `'missing child identifier (CHILD)'` },
    { rule: 'missing_date', action: 'excluded', field: 'decom', where: `coalesce(decom, '') = ''`, value: `''`, message: `'missing DECOM (episode start)'` },
    ...dateRules(['decom', 'dec'], 'excluded', true), ...dateRules(['dob'], 'value_dropped', true),
    { rule: 'census_year_window', action: 'excluded', field: 'decom', where: `d_decom > current_date`, value: 'decom', message: `'DECOM (episode start) ' || decom || ' is in the future: a typo; the episode is excluded'` },
    { rule: 'date_order', action: 'excluded', field: 'dec', where: `d_dec < d_decom`, value: 'dec', message: `'DEC (episode end) ' || dec || ' before DECOM (episode start) ' || decom` },
    { rule: 'impossible_age', action: 'excluded', field: 'dob', where: `d_dob > d_decom OR date_diff('day', d_dob, d_decom) > 25 * 365.25`, value: 'dob',
      message: `'DOB ' || dob || ': aged ' || (year(d_decom) - year(d_dob)) || ' at DECOM ' || decom || ' (outside 0-25); date of birth wrong'` },
    { rule: 'code_list', action: 'value_dropped', field: 'sex', where: `coalesce(sex, '') <> '' AND sex_mfu(sex) IS NULL`, value: 'sex', message: `'SEX ''' || sex || ''' not in the SSDA903 code list (1 male, 2 female): read as unknown'` },
    ...CLA_CODES.map(([k, list]): Rule => ({ rule: 'code_list', action: 'value_dropped', field: k, where: `coalesce(${k}, '') <> '' AND NOT list_contains(${sqlList(list)}, upper(${k}))`, value: k, message: `'${k.toUpperCase()} code ''' || ${k} || ''' not in the SSDA903 code list'` })),
  ];
  await applyRules(store, 'cla', 'cla_t', rules);
  const code = (k: string, list: ReadonlyArray<string>): string => `CASE WHEN list_contains(${sqlList(list)}, upper(${k})) THEN upper(${k}) END AS ${k}`;
  await rankCopies(store, 'cla', 'cla_t', 'cla_v', 'la, child_id, d_decom');
  await dupWarnings(store, 'cla', 'cla_v', `la || ' ' || child_id || ' DECOM ' || decom`, ['dec', 'rec', 'ls', 'place', 'dob', 'sex'], 'la, child_id, d_decom');
  await store.exec(`CREATE OR REPLACE TEMP TABLE cla AS SELECT la, child_id, nullif(pmr, '') AS pmr, coalesce(sex_mfu(sex), 'U') AS sex, iso(d_dob) AS dob, ethnicity,
      iso(d_decom) AS decom, ${CLA_CODES.map(([k, l]) => code(k, l)).join(', ')}, iso(d_dec) AS dec, eth_group(ethnicity) AS ethnic_group, line::INTEGER AS source_row,
      d_decom AS _decom, file AS _file
    FROM cla_v WHERE rk = 1 ORDER BY file, line`);
  await claCrossChecks(store);
}

/**
 * Across a child's care episodes (as the CIN cross checks do across referrals): an episode starting
 * before the previous one ended (or while it is open), one child with two sexes or dates of birth, one
 * PMR on two children. Warnings; an overlap the SSDA903 reader already named is not named twice.
 */
async function claCrossChecks(store: Store): Promise<void> {
  await store.exec(`INSERT INTO findings SELECT 'cla', o._file, o.source_row, 'decom', o.decom, 'overlapping_episodes', 'warning',
      'care episode ' || o.la || ' ' || o.child_id || ' starting ' || o.decom || ' (line ' || o.source_row || ') overlaps the previous episode starting ' || o.prev_decom ||
      ' (line ' || o.prev_line || '), ' || CASE WHEN o.prev_dec IS NULL THEN 'still open (no DEC)' ELSE 'ending ' || o.prev_dec END || ': a child is in one care episode at a time', o.child_id
    FROM (SELECT *, lag(decom) OVER w AS prev_decom, lag(dec) OVER w AS prev_dec, lag(source_row) OVER w AS prev_line, lag(_decom) OVER w AS prev_d
      FROM cla WINDOW w AS (PARTITION BY la, child_id ORDER BY _decom, source_row)) o
    ANTI JOIN (SELECT file, line FROM findings WHERE rule = 'overlapping_episodes') x ON x.file = o._file AND x.line = o.source_row
    WHERE o.prev_d IS NOT NULL AND (o.prev_dec IS NULL OR o._decom < CAST(o.prev_dec AS DATE))`);
  await conflictingChildDetails(store, { source: 'cla', table: 'cla', childKey: `la || ' ' || child_id`, dobField: 'dob', episodes: 'care episodes', children: 'looked-after children' });
}

export async function buildKs(store: Store, ks: 'ks2' | 'ks4'): Promise<void> {
  const scores: Array<[string, number, number, string]> = ks === 'ks2' ? [['read_score', 80, 120, 'KS2 scaled score'], ['maths_score', 80, 120, 'KS2 scaled score']] : [['att8', 0, 90, 'Attainment 8'], ['p8', -10, 10, 'Progress 8']];
  await store.exec(`CREATE OR REPLACE TEMP VIEW ${ks}_t AS SELECT *, cyear(academic_year) AS ay FROM raw_${ks}`);
  const rules: Rule[] = [
    { rule: 'missing_id', action: 'excluded', field: 'pmr', where: `coalesce(pmr, '') = ''`, value: `''`, message: `'missing pupil matching reference'` },
    { rule: 'census_year_format', action: 'excluded', field: 'academic_year', where: `ay IS NULL`, value: 'academic_year', message: `'academic year ''' || coalesce(academic_year, '') || ''' is not a year'` },
    ...scores.map(([k, lo, hi, what]): Rule => ({ rule: 'count_range', action: 'excluded', field: k, where: `coalesce(${k}, '') <> '' AND coalesce(NOT TRY_CAST(${k} AS DOUBLE) BETWEEN ${lo} AND ${hi}, true)`, value: k,
      message: `'${what} ''' || ${k} || ''' outside ${lo} to ${hi} (or not a number)'` })),
  ];
  await applyRules(store, ks, `${ks}_t`, rules, '');
  // tested on the PMR alone: a pupil with results in two years keeps the window's row order, in which the repeated_result message lists the years
  const repeated = await rankCopies(store, ks, `${ks}_t`, `${ks}_v`, 'pmr, ay', 'pmr');
  await dupWarnings(store, ks, `${ks}_v`, `'pupil ' || pmr || ' academic year ' || ay`, scores.map((s) => s[0]).concat(ks === 'ks2' ? ['writing_ta', 'school'] : ['school']), 'pmr, ay', 'repeated_result');
  // the same pupil with results in two academic years: kept both, said (with every PMR once, none is)
  if (repeated) await store.exec(`INSERT INTO findings SELECT '${ks}', file, line, 'academic_year', ay::VARCHAR, 'repeated_result', 'warning',
      'repeated ${ks.toUpperCase()} result: pupil ' || pmr || ' has results in academic years ' || years || ' (line ' || line || '); both are kept', NULL
    FROM (SELECT *, string_agg(ay::VARCHAR, ', ') OVER (PARTITION BY pmr) AS years, count(*) OVER (PARTITION BY pmr) AS n FROM ${ks}_v WHERE rk = 1) WHERE n > 1`);
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${ks} AS SELECT pmr, ay::INTEGER AS academic_year, la, school,
      ${scores.map(([k]) => `TRY_CAST(${k} AS DOUBLE) AS ${k}`).join(', ')}${ks === 'ks2' ? ', nullif(writing_ta, \'\') AS writing_ta' : ''}, line::INTEGER AS source_row, file AS _file
    FROM ${ks}_v WHERE rk = 1 ORDER BY file, line`);
}

export async function buildPupils(store: Store, endYear: number): Promise<void> {
  // typed columns as views over the staged rows (each rule reads what it needs; only pupils_v is materialised)
  await store.exec(`CREATE OR REPLACE TEMP VIEW pupils_t AS SELECT *, coalesce(d_dob, CASE WHEN bm_n BETWEEN 1 AND 12 AND by_n BETWEEN 1 AND 9999 THEN make_date(by_n, bm_n, 1) END) AS d_birth
    FROM (SELECT *, TRY_CAST(birth_year AS INTEGER) AS by_n, TRY_CAST(birth_month AS INTEGER) AS bm_n, pdate(dob) AS d_dob FROM raw_pupils)`);
  const rules: Rule[] = [
    { rule: 'missing_id', action: 'excluded', field: 'pmr', where: `coalesce(pmr, '') = ''`, value: `''`, message: `'missing pupil matching reference'` },
    { rule: 'count_range', action: 'excluded', field: 'idaci_decile', where: `coalesce(idaci_decile, '') <> '' AND coalesce(TRY_CAST(idaci_decile AS INTEGER) NOT BETWEEN 1 AND 10 OR TRY_CAST(idaci_decile AS DOUBLE) <> TRY_CAST(idaci_decile AS INTEGER), true)`, value: 'idaci_decile', message: `'IDACI decile ''' || idaci_decile || ''' not an integer 1-10'` },
    ...dateRules(['dob'], 'excluded', true),
    { rule: 'impossible_age', action: 'excluded', field: 'year_of_birth', where: `coalesce(by_n, year(d_birth)) NOT BETWEEN ${endYear - 30} AND ${endYear}`, value: `coalesce(by_n, year(d_birth))`,
      message: `'pupil born ' || coalesce(by_n, year(d_birth)) || ': aged ' || (${endYear} - coalesce(by_n, year(d_birth))) || ' at the end of data (outside 0-30); year of birth wrong'` },
    { rule: 'code_list', action: 'value_dropped', field: 'sen', where: `upper(coalesce(sen, '')) NOT IN ('N', 'K', 'E', 'S', 'A', 'P', '')`, value: 'sen', message: `'SEN provision ''' || sen || ''' not N/K/E (or legacy A/P/S)'` },
    // a 0/1 item holding anything else is unknown, not 0 (kind: flags_layout_odd_values); a sex code outside the list is unknown, said
    ...(['fsm', 'eal'] as const).map((k): Rule => ({ rule: 'flag_value', action: 'value_dropped', field: k, where: `coalesce(${k}, '') <> '' AND NOT regexp_full_match(${k}, '${FLAG_VALUES}')`, value: k,
      message: `'${k === 'fsm' ? 'FSM eligibility' : 'EAL'} ''' || ${k} || ''' is not 0/1 (or true/false, Y/N): read as missing, not as 0'` })),
    { rule: 'code_list', action: 'value_dropped', field: 'sex', where: `coalesce(sex, '') <> '' AND sex_mfu(sex) IS NULL`, value: 'sex', message: `'sex ''' || sex || ''' not M/F/U (or 1/2/0/9): read as unknown'` },
  ];
  await applyRules(store, 'pupils', 'pupils_t', rules, '');
  await rankCopies(store, 'pupils', 'pupils_t', 'pupils_v', 'pmr');
  await dupWarnings(store, 'pupils', 'pupils_v', `'pupil matching reference ' || pmr`, ['sex', 'ethnicity', 'fsm', 'sen', 'eal', 'birth_year', 'birth_month', 'dob', 'la'], 'pmr', 'pmr_shared');
  const flag = (k: string): string => `CASE WHEN coalesce(${k}, '') = '' OR NOT regexp_full_match(${k}, '${FLAG_VALUES}') THEN NULL WHEN regexp_full_match(${k}, '(?i)1|true|y|yes') THEN 1 ELSE 0 END::INTEGER AS ${k}`;
  await store.exec(`CREATE OR REPLACE TEMP TABLE pupils AS SELECT pmr, coalesce(sex_mfu(sex), 'U') AS sex, ethnicity, ${flag('fsm')},
      CASE upper(coalesce(sen, '')) WHEN 'N' THEN 'N' WHEN '' THEN 'N' WHEN 'K' THEN 'K' WHEN 'A' THEN 'K' WHEN 'P' THEN 'K' WHEN 'E' THEN 'E' WHEN 'S' THEN 'E' END AS sen,
      ${flag('eal')}, TRY_CAST(idaci_decile AS INTEGER) AS idaci_decile, la, coalesce(by_n, year(d_birth))::INTEGER AS birth_year, coalesce(bm_n, month(d_birth))::INTEGER AS birth_month,
      iso(d_birth) AS dob, eth_group(ethnicity) AS ethnic_group, line::INTEGER AS source_row, file AS _file
    FROM pupils_v WHERE rk = 1 ORDER BY file, line`);
  await keyStageAges(store);
}

/**
 * A key stage result at an age no pupil sits it (KS2 at 10-11, KS4 at 15-16; a year either side allowed
 * for pupils held back or moved up), from the pupil's year of birth: the academic year (2099 for 2019)
 * or the year of birth is wrong. A warning on the result's line; ks2/ks4 are built before pupils.
 */
async function keyStageAges(store: Store): Promise<void> {
  // key stage results and no pupil characteristics file at all (a header-only file has its own no_rows warning)
  if (Number(await store.scalar(`SELECT count(*) FROM raw_pupils`)) === 0 && Number(await store.scalar(`SELECT count(*) FROM findings WHERE source = 'pupils' AND rule = 'no_rows'`)) === 0) {
    for (const ks of ['ks2', 'ks4']) {
      if (!(await store.hasTable(ks)) || Number(await store.scalar(`SELECT count(*) FROM ${ks}`)) === 0) continue;
      await store.exec(`INSERT INTO findings SELECT '${ks}', min(_file), NULL, 'pmr', '', 'missing_file', 'warning',
          'no pupil characteristics file was given: the ${ks.toUpperCase()} results have no pupil sex, FSM, SEN or year of birth to link to (pass files.pupils)', NULL FROM ${ks}`);
    }
  }
  for (const [ks, lo, hi, usual] of [['ks2', 9, 13, '10-11'], ['ks4', 14, 18, '15-16']] as const) {
    if (!(await store.hasTable(ks))) continue;
    await store.exec(`INSERT INTO findings SELECT '${ks}', k._file, k.source_row, 'academic_year', k.academic_year::VARCHAR, 'impossible_age', 'warning',
        '${ks.toUpperCase()} result in academic year ' || k.academic_year || ' for pupil ' || k.pmr || ' born ' || p.birth_year || ' (pupils line ' || p.source_row || '): aged about ' ||
        (k.academic_year - p.birth_year) || ' where ${ks.toUpperCase()} is sat at ${usual}; the academic year or the year of birth is wrong', NULL
      FROM ${ks} k JOIN pupils p ON p.pmr = k.pmr WHERE k.academic_year - p.birth_year NOT BETWEEN ${lo} AND ${hi}`);
  }
}

/**
 * Copies with the same key: identical ones are merged silently (counted), conflicting ones listed
 * field by field, naming both lines and which copy is used (the first line: no rule says otherwise).
 */
async function dupWarnings(store: Store, source: string, table: string, what: string, fields: string[], key: string, rule = 'duplicate_record'): Promise<void> {
  // no key held twice (the usual extract): no copy to compare, so the join over every first copy is not run
  if (!(await store.scalar(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE rk > 1)`))) return;
  const diff = fields.map((f) => `CASE WHEN c.${f} IS DISTINCT FROM w.${f} THEN '${f} ''' || coalesce(c.${f}, '') || ''' vs ''' || coalesce(w.${f}, '') || '''' END`).join(', ');
  const on = key.split(',').map((k) => `c.${k.trim()} IS NOT DISTINCT FROM w.${k.trim()}`).join(' AND ');
  await store.exec(`INSERT INTO findings SELECT '${source}', c.file, c.line, 'duplicate', d, '${rule}', 'warning',
      'conflicting duplicate records: ' || ${what.replace(/\b(pmr|la|child_id|decom|ay)\b/g, 'c.$1')} || ' appears on two ' || '${source}' || ' records that differ (' || d || '): line ' || w.line || ' is used, line ' || c.line || ' merged; two different ' || CASE WHEN '${source}' = 'pupils' THEN 'pupils may share it' ELSE 'records share the key' END, NULL
    FROM (SELECT * FROM ${table} WHERE rk > 1) c JOIN (SELECT * FROM ${table} WHERE rk = 1) w ON ${on}
    CROSS JOIN LATERAL (SELECT concat_ws('; ', ${diff}) AS d) x WHERE d <> ''`);
}
