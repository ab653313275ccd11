/**
 * The named validation rules. Each is a documented check, written as SQL over a staged table; a rule
 * that fires writes rows to the findings table (exclusions: action excluded / value_dropped; warnings:
 * action warning). `RULES` is the catalogue shown as `reason` in data.exclusions / data.warnings.
 */
import { Store, lit } from './db';

export const RULES: Record<string, string> = {
  blank_line: 'blank line',
  unbalanced_quotes: 'unmatched quote character on the line',
  field_count: 'field count differs from the header',
  encoding: 'line is not valid UTF-8',
  unreadable_line: 'line could not be read',
  duplicate_header: 'column name repeated in the header',
  missing_optional_column: 'mapped optional column absent',
  blank_column: 'mapped column present but blank on every row',
  missing_id: 'missing identifier',
  missing_date: 'missing required date',
  missing_required: 'missing required value',
  date_format: 'date not in the declared format',
  census_year_format: 'census/academic year is not a year',
  census_year_dates: 'census year inconsistent with the episode dates',
  census_year_window: 'census year outside the study window',
  date_order: 'dates out of order',
  date_outside_episode: 'assessment, CIN plan, Section 47 or CPP starting outside its referral episode (that record not analysed; the episode kept)',
  code_list: 'code not in the code list',
  code_list_schema_year: "code not in the code list of the row's census (schema) year",
  flag_value: 'factor flag neither 0 nor 1',
  impossible_age: 'age impossible (born after the event or older than 25)',
  count_range: 'count or score out of range',
  conflicting_copies: 'copies of one episode disagree',
  episode_rests_on_older_copy: 'later census copy excluded; older copy used',
  overlapping_episodes: 'referral while an earlier episode is open',
  child_conflicting_details: 'one child with two dates of birth or sexes',
  pmr_shared: 'pupil matching reference shared by two pupils or children',
  repeated_result: 'repeated key stage result',
  duplicate_record: 'conflicting duplicate record',
  end_of_data_assumed: 'end of follow-up not declared',
  no_rows: 'file has no data rows',
  missing_file: 'an input the analysis needs was not given',
  xml_reader: 'finding of the XML/SSDA903 reader',
  multiple_s47: 'episode with several Section 47 enquiries (all kept)',
  multiple_cin_plans: 'episode with several CIN plan periods (all kept)',
};

export type Action = 'excluded' | 'value_dropped' | 'warning';
export interface Rule {
  rule: keyof typeof RULES | string;
  action: Action;
  /** canonical field name (or an SQL expression if starting with '=') */
  field: string;
  /** SQL condition over the staged table */
  where: string;
  /** SQL expression for the offending value */
  value: string;
  /** SQL expression for the sentence */
  message: string;
}

/**
 * Run rules over a staged table with columns file, line, child_id (or NULL), in one scan: the rows that
 * break any rule are picked by one filter, and each gets its findings (in rule order) from a list of
 * per-rule entries. One scan rather than one per rule: the rules read the typed view once.
 */
export async function applyRules(store: Store, source: string, table: string, rules: Rule[], childCol = 'child_id'): Promise<void> {
  if (!rules.length) return;
  const entries = rules.map((r) => {
    const field = r.field.startsWith('=') ? `CAST(${r.field.slice(1)} AS VARCHAR)` : lit(r.field);
    return `CASE WHEN ${r.where} THEN {'field': ${field}, 'value': CAST(${r.value} AS VARCHAR), 'rule': ${lit(r.rule)}, 'action': ${lit(r.action)}, 'message': CAST(${r.message} AS VARCHAR)} END`;
  });
  await store.exec(`INSERT INTO findings SELECT ${lit(source)}, file, line, f.field, f.value, f.rule, f.action, f.message, child
    FROM (SELECT file, line, ${childCol === '' ? 'NULL::VARCHAR' : childCol} AS child, unnest(list_filter([${entries.join(',\n      ')}], x -> x IS NOT NULL)) AS f
      FROM ${table} WHERE ${rules.map((r) => `(${r.where})`).join(' OR ')})`);
}

/**
 * standard date-format rules for a list of date fields (the row is excluded: a wrong date is never guessed).
 * `typed`: the table has each field typed as d_<field> (pdate), so the test reads it rather than typing the text again
 */
export function dateRules(fields: string[], action: Action = 'excluded', typed = false): Rule[] {
  return fields.map((f) => ({ rule: 'date_format', action, field: f, where: typed ? `d_${f} IS NULL AND coalesce(${f}, '') <> ''` : `baddate(${f})`, value: f, message: `'${f} ''' || ${f} || '''' || datewhy(${f})` }));
}

/** how one source names its children and episodes, for conflictingChildDetails */
export interface ChildDetailsSpec {
  source: string;
  /** built table with la, child_id, pmr, sex, dob, source_row, _file */
  table: string;
  /** SQL giving one value per child (an integer key where the table has one: cheaper to group) */
  childKey: string;
  /** field name written for the date of birth */
  dobField: string;
  /** what the rows are, in the message ('episodes') */
  episodes: string;
  /** who the children are, in the PMR message ('CIN children') */
  children: string;
}

/**
 * One child with two sexes or dates of birth across its rows, and one pupil matching reference on two
 * children: warnings naming the first line. The conflicting children (and PMRs) are found first with
 * min <> max per key (no DISTINCT sets, no strings for the many that agree); only they are described.
 */
export async function conflictingChildDetails(store: Store, c: ChildDetailsSpec): Promise<void> {
  await store.exec(`INSERT INTO findings SELECT ${lit(c.source)}, f, l, field, vals, 'child_conflicting_details', 'warning',
      'child ' || la || ' ' || child_id || ' has ' || n || ' different ' || field || ' values across ${c.episodes} (' || vals || '); each episode keeps its own', child_id
    FROM (WITH c AS (SELECT * FROM ${c.table} WHERE ${c.childKey} IN (SELECT ${c.childKey} FROM ${c.table} GROUP BY 1 HAVING min(sex) <> max(sex) OR min(dob) <> max(dob)))
          SELECT la, child_id, 'sex' AS field, count(DISTINCT sex) AS n, string_agg(DISTINCT sex, ', ') AS vals, min(source_row) AS l, min(_file) AS f FROM c GROUP BY la, child_id
          UNION ALL SELECT la, child_id, ${lit(c.dobField)}, count(DISTINCT dob), string_agg(DISTINCT dob, ', '), min(source_row), min(_file) FROM c GROUP BY la, child_id) WHERE n > 1`);
  await store.exec(`INSERT INTO findings SELECT ${lit(c.source)}, f, l, 'pmr', pmr, 'pmr_shared', 'warning',
      'pupil matching reference ' || pmr || ' is shared by ' || n || ' different ${c.children} (' || kids || '): two children with one PMR; linkage for them is unreliable', NULL
    FROM (SELECT pmr, count(DISTINCT la || ' ' || child_id) AS n, string_agg(DISTINCT la || ' ' || child_id, ', ') AS kids, min(source_row) AS l, min(_file) AS f
      FROM ${c.table} WHERE pmr IN (SELECT pmr FROM ${c.table} WHERE pmr IS NOT NULL GROUP BY pmr HAVING min(${c.childKey}) <> max(${c.childKey})) GROUP BY pmr) WHERE n > 1`);
}
