/**
 * A staged CIN return flattened into the store's raw CIN row layout (src/data/store/cin.ts CIN_FIELDS,
 * all VARCHAR, ISO dates), so the store can union XML returns with CSV extracts and run the same
 * cross-file rules (duplicates across census years, conflicting copies, overlaps).
 *
 * Shape: one row per k = 0 .. max(1, #assessments, #CPPs, #Section 47s, #CIN plans) - 1 of each kept
 * episode; row k carries the k-th assessment, CPP, Section 47 and CIN plan (so none is lost), and every
 * row repeats the episode's own fields. All rows of an episode share its CINdetails line, so counting
 * distinct (file, line) counts episodes. Excluded episodes are not here: take rows read / excluded
 * from the return (episodesRead, episodesExcluded) and its findings as they are.
 */
import type { StagedCinReturn } from '../staging';
import { CIN_SEX_TO_MFU } from '../codes';

export interface RawCinRows {
  file: string[];
  line: number[];
  /** store field name -> values ('' for absent) */
  columns: Record<string, string[]>;
}

export const XML_RAW_CIN_FIELDS = ['census_year', 'la', 'child_id', 'pmr', 'sex', 'ethnicity', 'disabilities', 'idaci_decile', 'referral_date', 'referral_source',
  'primary_need', 'closure_date', 'closure_reason', 'referral_nfa', 'assessment_date', 'authorisation_date', 'cin_plan_start', 'cin_plan_end', 's47_date',
  'icpc_date', 'cpp_start', 'cpp_end', 'cpp_initial_category', 'cpp_latest_category', 'n_previous_cpp', 'true_class', 'factors', 'birth_year', 'birth_month', 'dob'] as const;

export function cinReturnRows(ret: StagedCinReturn): RawCinRows {
  const out: RawCinRows = { file: [], line: [], columns: Object.fromEntries(XML_RAW_CIN_FIELDS.map((f) => [f, [] as string[]])) };
  const c = out.columns;
  for (const e of ret.episodes) {
    const n = Math.max(1, e.assessments.length, e.cpps.length, e.s47.length, e.cinPlans.length);
    for (let k = 0; k < n; k++) {
      const a = e.assessments[k], p = e.cpps[k], s = e.s47[k], pl = e.cinPlans[k];
      out.file.push(ret.file);
      out.line.push(e.line);
      const row: Record<(typeof XML_RAW_CIN_FIELDS)[number], string> = {
        census_year: String(ret.censusYear), la: ret.la, child_id: e.childId, pmr: e.upn,
        // M/F/U whichever element carried it (GenderCurrent 0/1/2/9 or Sex F/M/U); '' when dropped
        sex: e.sex === '' ? '' : CIN_SEX_TO_MFU[e.sex] ?? '', ethnicity: e.ethnicity, disabilities: e.disabilities.join(';'), idaci_decile: '',
        referral_date: e.referral, referral_source: e.referralSource, primary_need: e.primaryNeed, closure_date: e.closure, closure_reason: e.closureReason,
        referral_nfa: e.referralNfa, assessment_date: a?.start ?? '', authorisation_date: a?.authorised ?? '', cin_plan_start: pl?.start ?? '', cin_plan_end: pl?.end ?? '',
        s47_date: s?.start ?? '', icpc_date: s?.icpc || (k === 0 ? e.icpc ?? '' : ''), cpp_start: p?.start ?? '', cpp_end: p?.end ?? '',
        cpp_initial_category: p?.initialCategory ?? '', cpp_latest_category: p?.latestCategory ?? '', n_previous_cpp: p?.previousCpps ?? '', true_class: '',
        factors: a ? a.factors.join(';') : '', birth_year: e.dob.slice(0, 4), birth_month: e.dob === '' ? '' : String(+e.dob.slice(5, 7)), dob: e.dob,
      };
      for (const f of XML_RAW_CIN_FIELDS) c[f].push(row[f]);
    }
  }
  return out;
}
