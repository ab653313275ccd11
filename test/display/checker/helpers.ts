// A Report that collects what the checker says, and the default check context, for the checker's unit tests.
import type { CheckContext, OutputProblem, Report } from '../../../src/display/checker/report';
import { DEFAULT_SDC_RULES } from '../../../src/display/sdc';

export type Said = Pick<OutputProblem, 'kind' | 'detail' | 'severity'> & { value?: string };

export function collector(): { report: Report; said: Said[]; kinds: () => string[] } {
  const said: Said[] = [];
  const report: Report = (kind, detail, value, severity = 'fail') => { said.push({ kind, detail, severity, ...(value !== undefined ? { value: String(value) } : {}) }); };
  return { report, said, kinds: () => said.map((s) => s.kind) };
}

export const ctx: CheckContext = { rules: DEFAULT_SDC_RULES, maxTableRows: 200, maxPoints: 200 };
