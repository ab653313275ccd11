// One display bundle for a whole truth report, so a notebook shows its checks with one call.
import { sectionsBundle } from '../bundle';
import type { TruthReport } from './table';

/** Every section of `report` (pass/fail table, coverage, details), captioned, as one Jupyter MIME bundle. */
export function truthBundle(report: TruthReport): { data: Record<string, string>; metadata: Record<string, unknown> } {
  return sectionsBundle(report.sections);
}
