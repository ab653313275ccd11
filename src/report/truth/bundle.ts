// One display bundle for a whole truth report, so a notebook shows its checks with one call.
import { tableBundle } from '../../display/html';
import type { TruthReport } from './table';

/**
 * Every section of `report` (pass/fail table, coverage, details), captioned, as one Jupyter MIME bundle
 * (text/html and text/plain). Each table keeps the disclosure tags of tableBundle, so the output
 * checker reads it as it reads any table.
 */
export function truthBundle(report: TruthReport): { data: Record<string, string>; metadata: Record<string, unknown> } {
  const parts = report.sections.map((s) => tableBundle(s.table, { caption: s.caption }).data);
  return {
    data: {
      'text/html': parts.map((p) => p['text/html']).join('\n'),
      'text/plain': parts.map((p) => p['text/plain']).join('\n\n'),
    },
    metadata: {},
  };
}
