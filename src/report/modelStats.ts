/**
 * The rows under every model of a publication table: N (rows used), events (event models),
 * residual df or events per coefficient, and the input rows dropped, one row per reason ("missing
 * IDACI decile"), or one row of 0 when none were. Counts go through the disclosure layer
 * (protectCount); the df rows through modelDisclosure, with ACRO's residual-df rule flagged.
 * Shared by modelTable and the variance-component tables (frailtyTable).
 */
import { modelDisclosure, protectCount, type SdcRules } from '../display/index';
import type { ModelResult } from './adapter';
import { variableLabel, type DataDictionary } from './dictionary';
import { formatCount } from './format';

/** A row of a publication table. */
export interface TableRow {
  /** 'group' = a variable heading; 'term' = a level or a continuous variable; 'stat' = N, events … */
  readonly kind: 'group' | 'term' | 'reference' | 'stat';
  readonly label: string;
  /** Indented under a group heading. */
  readonly indent: boolean;
  readonly cells: readonly string[];
  /** Which cells hold a count (for the disclosure checker's tags). */
  readonly countCells?: readonly boolean[];
}

/** Marks a model whose residual df or events per coefficient fall below the threshold. */
export const MODEL_DF_FLAG = '†';

export interface ModelStatOptions {
  readonly rules: SdcRules;
  readonly dictionary?: DataDictionary;
  /** Cells per model in the table (2 with a p-value column); the statistic goes in the first. */
  readonly columnsPerModel?: number;
}

/** N, events, model size and rows dropped under each model; `flagged` with `note` when a model fails the df rule. */
export function modelStatRows(results: readonly ModelResult[], o: ModelStatOptions): { rows: TableRow[]; flagged: boolean; note: string } {
  const { rules } = o;
  const per = o.columnsPerModel ?? 1;
  const pad = (first: string): string[] => [first, ...Array.from({ length: per - 1 }, () => '')];
  const statRow = (label: string, value: (r: ModelResult) => number | null | undefined): TableRow => {
    const counts = results.map(value);
    const cells = counts.flatMap((c) => pad(c === null || c === undefined ? '' : formatCount(protectCount(c, rules))));
    const countCells = counts.flatMap((c) => [c !== null && c !== undefined, ...Array.from({ length: per - 1 }, () => false)]);
    return { kind: 'stat', label, indent: false, cells, countCells };
  };
  const rows: TableRow[] = [statRow('N (rows used)', (r) => r.n)];
  if (results.some((r) => r.events !== null)) rows.push(statRow('Events', (r) => r.events));
  const size = modelSizeRows(results, rules, pad);
  rows.push(...size.rows);
  const reasons = Array.from(new Set(results.flatMap((r) => Object.keys(r.dropped))));
  for (const reason of reasons) {
    const [what, ...col] = reason.split(' ');
    rows.push(statRow(`Rows dropped: ${what} ${variableLabel(col.join(' '), o.dictionary ?? {})}`, (r) => r.dropped[reason] ?? 0));
  }
  // A table that says nothing about dropped rows leaves the reader to guess; say none were.
  if (reasons.length === 0) rows.push(statRow('Rows dropped (missing values)', (r) => (r.n === null ? null : 0)));
  return { rows, flagged: size.flagged, note: size.note };
}

/**
 * Residual df (models with a df.residual: OLS, GLM, logit) and events per coefficient (event
 * models: Cox), per model. Shown rounded to the counts' base, never below the threshold when the
 * exact value passes, so N cannot be got back exactly as df + coefficients or events per
 * coefficient × coefficients; events per coefficient is taken from the protected event count.
 * A model below the threshold shows "<threshold†" and the note says why (ACRO's residual-df rule).
 */
function modelSizeRows(results: readonly ModelResult[], rules: SdcRules, pad: (first: string) => string[]): { rows: TableRow[]; flagged: boolean; note: string } {
  const flag = `<${rules.minCount}${MODEL_DF_FLAG}`;
  const atLeastThreshold = (x: number) => Math.max(rules.minCount, Math.round(x / rules.roundTo) * rules.roundTo);
  let flagged = false;
  const row = (label: string, cell: (r: ModelResult) => string): TableRow => ({
    kind: 'stat', label, indent: false, cells: results.flatMap((r) => pad(cell(r))),
  });
  const out: TableRow[] = [];
  if (results.some((r) => r.events === null && r.dfResidual !== null && r.n !== null)) {
    out.push(row('Residual df', (r) => {
      if (r.events !== null || r.dfResidual === null || r.n === null) return '';
      const d = modelDisclosure({ n: r.n, nCoef: r.n - r.dfResidual }, rules);
      if (d.status === 'fail') { flagged = true; return flag; }
      return formatCount(atLeastThreshold(r.dfResidual));
    }));
  }
  if (results.some((r) => r.events !== null && r.n !== null && r.nCoef > 0)) {
    out.push(row('Events per coefficient', (r) => {
      if (r.events === null || r.n === null || r.nCoef === 0) return '';
      const d = modelDisclosure({ n: r.n, nCoef: r.nCoef, nEvent: r.events }, rules);
      if (d.eventsPerCoef === null || d.nEvent === null || d.eventsPerCoef < rules.minCount) { flagged = true; return flag; }
      return formatCount(Math.max(rules.minCount, Math.floor(d.nEvent / r.nCoef)));
    }));
  }
  const note = `${MODEL_DF_FLAG} Residual df or events per coefficient below ${rules.minCount}: the model comes close to reproducing `
    + 'its data (ACRO\'s residual-df rule), and an output checker will not release it. Residual df and events per coefficient are '
    + `otherwise rounded to the nearest ${rules.roundTo}, events per coefficient from the rounded events.`;
  return { rows: out, flagged, note };
}
