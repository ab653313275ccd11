/**
 * A staged SSDA903 return flattened into the store's raw CLA row layout (src/data/store/other.ts
 * OTHER_FIELDS.cla, all VARCHAR, ISO dates): one row per kept episode, joined with its child's header
 * row (SEX, DOB, ETHNIC; UPN as the linkage key `pmr`). The return carries no LA code, so the caller
 * gives it (the LEA of the LA's CIN return, or the LA's own code).
 */
import type { StagedSsda903 } from '../staging';

export const SSDA903_RAW_CLA_FIELDS = ['la', 'child_id', 'pmr', 'sex', 'dob', 'ethnicity', 'decom', 'rne', 'ls', 'cin', 'place', 'dec', 'rec'] as const;

export interface RawClaRows { file: string[]; line: number[]; columns: Record<string, string[]> }

export function ssda903Rows(staged: StagedSsda903, la: string): RawClaRows {
  const out: RawClaRows = { file: [], line: [], columns: Object.fromEntries(SSDA903_RAW_CLA_FIELDS.map((f) => [f, [] as string[]])) };
  const byChild = new Map(staged.children.map((c) => [c.childId, c]));
  for (const e of staged.episodes) {
    const c = byChild.get(e.childId);
    const row: Record<(typeof SSDA903_RAW_CLA_FIELDS)[number], string> = {
      la, child_id: e.childId, pmr: c?.upn ?? '', sex: c?.sex ?? '', dob: c?.dob ?? '', ethnicity: c?.ethnicity ?? '', decom: e.start, rne: e.reasonNewEpisode,
      ls: e.legalStatus, cin: e.cinCategory, place: e.placement, dec: e.end, rec: e.reasonEpisodeCeased,
    };
    out.file.push(staged.files.episodes);
    out.line.push(e.line);
    for (const f of SSDA903_RAW_CLA_FIELDS) out.columns[f].push(row[f]);
  }
  return out;
}
