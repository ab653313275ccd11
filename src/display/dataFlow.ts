/**
 * The data-flow table as shown: one row per input file, named by its kind of source and its file
 * name only (never the folder: a path from a secure environment names its layout and users, and
 * does not fit the page), with rows read, duplicates merged, rows excluded and rows analysed
 * through the disclosure layer.
 */
import { protectTable, type ProtectedTable, type SdcRules } from './sdc';

/** What each source of the study store is, in the words of its collection (DfE / NPD). */
export const SOURCE_KINDS: Readonly<Record<string, string>> = {
  cin: 'CIN census',
  cla: 'SSDA903 (children looked after)',
  'ssda903-header': 'SSDA903 header',
  ks2: 'NPD KS2 attainment',
  ks4: 'NPD KS4 attainment',
  pupils: 'NPD school census (pupils)',
  population: 'Population estimates',
};

/** The last segment of a path, for '/' and '\' separators alike ("C:\\tre\\cin.csv" → "cin.csv"). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** One input file's accounting, as src/data's dataFlow (and notebook 04's panel) report it. */
export interface DataFlowInput {
  readonly source: string;
  readonly file?: string;
  readonly [count: string]: string | number | null | undefined;
}

const COUNT_COLUMNS = ['physical_lines', 'rows_read', 'duplicates_merged', 'rows_merged', 'rows_excluded', 'rows_analysed'];

/**
 * The data flow of `loadStudyData` (`data.dataFlow`) as a protected table: the source's kind
 * (SOURCE_KINDS; an unknown source keeps its name), the file name without its folder, and the
 * count columns present (rows read, duplicates merged, rows excluded, rows analysed), rounded and
 * suppressed under `rules` with margins across each row (read = analysed + excluded + merged).
 */
export function dataFlowTable(rows: readonly DataFlowInput[], rules: Partial<SdcRules> = {}): ProtectedTable {
  const shown = rows.map((r) => {
    const out: Record<string, string | number | null> = { source: SOURCE_KINDS[r.source] ?? r.source };
    if (r.file !== undefined) out.file = fileName(String(r.file));
    for (const [k, v] of Object.entries(r)) if (k !== 'source' && k !== 'file') out[k] = v ?? null;
    return out;
  });
  const countColumns = COUNT_COLUMNS.filter((c) => rows.some((r) => typeof r[c] === 'number'));
  return protectTable(shown, { countColumns, margins: 'rows', rules });
}

/** The steps of the analysis samples' flows (src/data: buildLcaMatrix's and buildSurvivalEpisodes' `flow`), in words. */
export const FLOW_STEPS: Readonly<Record<string, string>> = {
  // buildLcaMatrix: assessments_read = dropped_other_years + dropped_no_factor + kept
  assessments_read: 'Assessments read',
  dropped_other_years: 'Excluded: outside the census years studied',
  dropped_no_factor: 'Excluded: no factor recorded (code 21 only)',
  kept: 'Entering the latent class analysis',
  // buildSurvivalEpisodes: episodes = open_at_end + closed_after_end + adopted_or_died + closed_on_or_after_18 + rows
  episodes: 'CIN episodes',
  open_at_end: 'Excluded: still open at the end of the data',
  closed_after_end: 'Excluded: closed after the end of the data',
  adopted_or_died: 'Excluded: closed by adoption or death (RC1, RC2)',
  closed_on_or_after_18: 'Excluded: closed on or after the 18th birthday',
  rows: 'Entering the survival analysis',
  // … of which, by how follow-up ends (rows = the five below)
  censored_end_of_data: 'of which censored at the end of the data',
  events: 'of which re-referred',
  aged_18: 'of which turned 18 (competing)',
  entered_care: 'of which entered care (competing)',
  adopted_after_closure: 'of which adopted (competing)',
};

/**
 * A sample flow (`{ step: count }`, as src/data's builders return it) as a protected table of
 * steps in words (FLOW_STEPS; an unknown step keeps its name) and counts under `unit` (e.g.
 * 'episodes'), rounded and suppressed under `rules`.
 */
export function flowTable(flow: Readonly<Record<string, number>>, unit: string, rules: Partial<SdcRules> = {}): ProtectedTable {
  const rows = Object.entries(flow).map(([step, n]) => ({ step: FLOW_STEPS[step] ?? step, [unit]: n }));
  return protectTable(rows, { countColumns: [unit], margins: 'none', rules });
}
