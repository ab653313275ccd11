// Shared types of the output checker: what a finding says and how rules are enforced.
import { SdcRules } from '../sdc';

export type ProblemKind =
  | 'small-count'
  | 'unrounded-count'
  | 'untagged-count'
  | 'metadata'
  | 'percentage'
  | 'min-max'
  | 'person-time'
  | 'differencing'
  | 'record-level'
  | 'identifier'
  | 'km-curve'
  | 'model-df'
  | 'dominance';

export interface OutputProblem {
  notebook: string;
  /** 1-based index of the cell in the notebook. */
  cell: number;
  /** 1-based index of the output within the cell. */
  output: number;
  kind: ProblemKind;
  /** fail: may not leave the secure setting; review: an output checker should look at it. */
  severity: 'fail' | 'review';
  detail: string;
  /** The offending value as shown, when there is one. */
  value?: string;
}

export type Report = (kind: ProblemKind, detail: string, value?: string | number, severity?: 'fail' | 'review') => void;

export interface CheckOptions {
  /** Rules every output must meet (an output may declare stricter ones, never looser). */
  rules?: SdcRules;
  /** A table with more body rows than this is treated as record-level. */
  maxTableRows?: number;
  /** A marker trace with more points than this is treated as a scatter of individuals. */
  maxPoints?: number;
}

export interface CheckContext {
  rules: SdcRules;
  maxTableRows: number;
  maxPoints: number;
}

/** Rules declared by an output, tightened to the required ones; reports a looser declaration. */
export function effectiveRules(declared: unknown, required: SdcRules, report: Report, what: string): SdcRules {
  if (declared === null || declared === undefined) return required;
  if (typeof declared !== 'object') {
    report('metadata', `${what} has unreadable disclosure rules`, String(declared));
    return required;
  }
  const d = declared as Partial<Record<keyof SdcRules, unknown>>;
  const minCount = Number(d.minCount ?? required.minCount);
  const roundTo = Number(d.roundTo ?? required.roundTo);
  if (!(minCount >= required.minCount)) report('metadata', `${what} declares minCount ${String(d.minCount)}, below the required ${required.minCount}`, String(d.minCount));
  if (!(roundTo >= required.roundTo) || (Number.isFinite(roundTo) && roundTo % required.roundTo !== 0)) {
    report('metadata', `${what} declares rounding to ${String(d.roundTo)}, the required base is ${required.roundTo}`, String(d.roundTo));
  }
  if (d.secondary === false && required.secondary) report('metadata', `${what} declares no secondary suppression`, 'secondary=false');
  return {
    minCount: Math.max(required.minCount, Number.isFinite(minCount) ? minCount : 0),
    roundTo: Number.isFinite(roundTo) && roundTo >= required.roundTo && roundTo % required.roundTo === 0 ? roundTo : required.roundTo,
    secondary: required.secondary,
  };
}

/** Judges one number shown as a count. */
export function checkCount(value: number, rules: SdcRules, report: Report, where: string, raw?: string): void {
  const shown = raw ?? String(value);
  if (!Number.isFinite(value)) return;
  if (value < 0) {
    report('small-count', `negative count ${shown} ${where}`, shown);
    return;
  }
  if (Math.abs(value - Math.round(value)) > 1e-9) {
    report('unrounded-count', `count ${shown} ${where} is not a whole number (unrounded or derived from exact values)`, shown);
    return;
  }
  if (value > 0 && value < rules.minCount) report('small-count', `count ${shown} below ${rules.minCount} ${where}`, shown);
  else if (rules.roundTo > 1 && value % rules.roundTo !== 0) report('unrounded-count', `count ${shown} not rounded to ${rules.roundTo} ${where}`, shown);
}
