/**
 * The named record-level rules the CIN census XML reader applies, and the small helpers that turn a
 * rule firing into a Finding (file, physical line, element path, value, LAchildID, rule, action).
 * Whole-file faults (missing file, not UTF-8, not well-formed, bad header) are DataErrors, not rules.
 */
import type { Finding } from '../staging';
import { parseDay } from '../dates';
import type { XNode } from './tree';

/** Every rule the reader can fire, with what it means. Tests and docs read this table. */
export const CIN_XML_RULES = Object.freeze({
  code_list_schema_year: "a code is not in the code list of the return's own schema year (value dropped: the record is kept without it)",
  sex_element_schema_year: "the child's sex is in <GenderCurrent> where the schema year expects <Sex> (2024/25 on), or the reverse; the value is read with the list of the element used",
  element_not_in_schema: "an element the return's schema year does not define (e.g. CINPlanDates before the 2022 schema); it is read, and listed once per file",
  date_format: 'a date that is not an ISO date (YYYY-MM-DD, xs:date); the episode is excluded, since a guessed date would move it',
  dob_format: 'PersonBirthDate is not an ISO date; the date of birth is dropped (age unknown), the episodes are kept',
  missing_child_id: "a Child without LAchildID; all the child's episodes are excluded (nothing would link them)",
  missing_referral_date: 'a CINdetails block without CINreferralDate; the episode is excluded',
  repeated_element: 'an element the schema allows once appears twice (which copy holds cannot be told): inside an episode the episode is excluded; in ChildIdentifiers/ChildCharacteristics the value is dropped (a repeated LAchildID leaves the child without one)',
  date_order: 'an end before its start within an episode (closure before referral, assessment authorised before it started, CIN plan or CPP ending before it started, ICPC before its Section 47); the episode is excluded',
  child_without_cindetails: 'a Child with no CINdetails block: counted (childrenWithoutDetails), no episode to analyse',
  episode_overlap: "a child's referral starts while an earlier referral in the same return is still open (warning)",
  count_out_of_range: 'NumberOfPreviousCPP is not a whole number 0-99; the value is dropped',
  census_year_mismatch: 'the header Year and ReferenceDate disagree; Year is used',
  schema_year_before_first: 'the census year is earlier than the earliest schema held (2017); the 2017 code lists are used',
});
export type CinXmlRule = keyof typeof CIN_XML_RULES;

/** Collects findings for one file; the episode in progress is marked excluded by any excluding rule. */
export class FindingSink {
  readonly findings: Finding[] = [];
  excludedNow = false;
  constructor(readonly file: string) {}

  /**
   * One 'excluded' finding per excluded episode, so that counting them counts episodes: a further
   * excluding fault of an episode already excluded is listed as a warning that says so.
   */
  add(node: XNode | { line: number } | null, field: string, value: string, rule: CinXmlRule, action: Finding['action'], message: string, childId?: string): void {
    if (action === 'excluded' && this.excludedNow) {
      action = 'warning';
      message += ' (the episode is already excluded by an earlier finding)';
    }
    this.findings.push({ source: 'cin', file: this.file, line: node ? node.line : null, field, value, rule, action, message, childId: childId || undefined });
    if (action === 'excluded') this.excludedNow = true;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Check an xs:date element strictly: only YYYY-MM-DD that is a real calendar day. Returns the ISO
 * string, '' when the element is absent or empty, or null after recording a finding.
 */
export function isoDate(sink: FindingSink, node: XNode | undefined, path: string, childId: string, rule: 'date_format' | 'dob_format' = 'date_format'): string | null {
  if (!node || node.text === '') return '';
  const v = node.text;
  const d = ISO_DATE.test(v) ? parseDay(v) : NaN;
  if (d !== null && Number.isFinite(d)) return v;
  const action = rule === 'dob_format' ? 'warning' : 'excluded';
  const what = rule === 'dob_format' ? 'the date of birth is dropped' : 'the episode is excluded';
  sink.add(node, path, v, rule, action, `${path} '${v}' for child ${childId || '(no LAchildID)'} is not an ISO date (YYYY-MM-DD) as the CIN schema requires; dates are never guessed, so ${what}`, childId);
  return null;
}

/** Check a code against a list; returns the code, '' when absent, or null (finding recorded, value dropped). */
export function listedCode(sink: FindingSink, node: XNode | undefined, path: string, list: ReadonlyArray<string>, schemaYear: number, childId: string, what: string): string | null {
  if (!node || node.text === '') return '';
  const v = node.text;
  if (list.includes(v)) return v;
  // value_dropped, as the store's check of CSV/Parquet rows against their census year's list (store/codeYears.ts)
  sink.add(node, path, v, 'code_list_schema_year', 'value_dropped',
    `${what} code '${v}' for child ${childId || '(no LAchildID)'} is not in the code list of the ${schemaYear} CIN schema that this return's census year uses; the value is dropped`, childId);
  return null;
}
