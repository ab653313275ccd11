/**
 * Publication tables of fitted models, in the spirit of R's modelsummary / gtsummary::tbl_regression:
 * one column per model (staged models side by side), terms labelled from a data dictionary and
 * grouped by variable with the reference level as its own row, estimate and CI (or SE) in one
 * cell, one p-value style, optional stars with their legend, and under every model its N, events,
 * residual df (linear / GLM) or events per coefficient (Cox), and the rows dropped with the reason.
 * Counts go through the disclosure layer (protectCount); the df rows through modelDisclosure, with
 * ACRO's residual-df rule flagged by a marker and a note.
 *
 * Output is a plain PublicationTable; render.ts turns it into HTML/text/CSV, docx.ts into Word.
 */
import { SDC_SUPPRESSED, sdcRules, type SdcRules } from '../display/index';
import { modelResult, type ModelResult, type TermRow } from './adapter';
import { labelTerm, levelLabel, type DataDictionary } from './dictionary';
import { formatEstimate, formatP, starsFor, STARS_LEGEND } from './format';
import { modelStatRows, type TableRow } from './modelStats';

export { MODEL_DF_FLAG, type TableRow } from './modelStats';

export interface ModelTableOptions {
  readonly caption?: string;
  readonly dictionary?: DataDictionary;
  /** Show exp(estimate) and its CI: hazard or odds ratios. */
  readonly exponentiate?: boolean;
  /** Header of the estimate, e.g. "HR (95% CI)"; default from exponentiate. */
  readonly estimateLabel?: string;
  /** What follows the estimate in its cell: the CI (default) or the standard error. */
  readonly interval?: 'ci' | 'se';
  /** Add * / ** / *** (p < 0.05 / 0.01 / 0.001) and their legend. Default false. */
  readonly stars?: boolean;
  /** Show a p-value column per model. Default true unless stars are used. */
  readonly pValues?: boolean;
  /** Decimal places of estimates and intervals. Default 2. */
  readonly digits?: number;
  /** Terms left out (e.g. '(Intercept)'). */
  readonly omit?: readonly string[];
  /** Disclosure rules for N, events and rows dropped. */
  readonly rules?: Partial<SdcRules>;
  readonly notes?: readonly string[];
}


export interface PublicationTable {
  readonly caption: string | null;
  /** Column headers after the label column. */
  readonly columns: readonly string[];
  /** Spanning header per model, over its columns (models side by side). */
  readonly spanners: readonly { label: string; span: number }[];
  readonly rows: readonly TableRow[];
  readonly notes: readonly string[];
  readonly rules: SdcRules;
}

interface Line { variable: string; level: string | null; label: string; variableLabel: string; term: string | null }

/** Row order: variables in first-seen order; each factor's reference level first, then its levels. */
function layout(results: readonly ModelResult[], dict: DataDictionary, omit: ReadonlySet<string>): Line[] {
  const factors: Record<string, { levels: readonly string[]; reference: string }> = {};
  for (const r of results) Object.assign(factors, r.factors);
  const known = Object.keys(factors);
  const lines: Line[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    for (const t of r.terms) {
      if (omit.has(t.term) || seen.has(t.term)) continue;
      seen.add(t.term);
      const l = labelTerm(t.term, dict, known);
      const isFactor = l.level !== null && factors[l.variable] !== undefined;
      if (isFactor && !lines.some((x) => x.variable === l.variable)) {
        const ref = factors[l.variable].reference;
        lines.push({ variable: l.variable, level: ref, label: levelLabel(l.variable, ref, dict), variableLabel: l.variableLabel, term: null });
      }
      lines.push({ variable: l.variable, level: l.level, label: l.label, variableLabel: l.variableLabel, term: t.term });
    }
  }
  // Keep each variable's lines together, in first-seen order of the variable.
  const order = Array.from(new Set(lines.map((x) => x.variable)));
  return order.flatMap((v) => lines.filter((x) => x.variable === v));
}

function estimateCell(t: TermRow | undefined, o: Required<Pick<ModelTableOptions, 'exponentiate' | 'interval' | 'stars' | 'digits'>>): string {
  if (!t || t.estimate === null) return t ? 'not estimable' : '';
  const f = (x: number | null) => (x === null ? 'NA' : formatEstimate(o.exponentiate ? Math.exp(x) : x, o.digits));
  const star = o.stars ? starsFor(t.pValue) : '';
  const interval = o.interval === 'se'
    ? ` (${t.stdError === null ? 'NA' : formatEstimate(t.stdError, o.digits)})`
    : ` (${f(t.confLow)} to ${f(t.confHigh)})`;
  return `${f(t.estimate)}${star}${interval}`;
}

/** Builds the table for one or more models (staged models side by side, named by their keys). */
export function modelTable(models: Record<string, unknown> | readonly { name: string; model: unknown }[], options: ModelTableOptions = {}): PublicationTable {
  const list = Array.isArray(models) ? models : Object.entries(models).map(([name, model]) => ({ name, model }));
  if (list.length === 0) throw new Error('modelTable: no models given');
  const results = list.map((m) => modelResult(m.model));
  const dict = options.dictionary ?? {};
  const o = { exponentiate: options.exponentiate ?? false, interval: options.interval ?? 'ci', stars: options.stars ?? false, digits: options.digits ?? 2 } as const;
  const showP = options.pValues ?? !o.stars;
  const rules = sdcRules(options.rules);
  const estimateLabel = options.estimateLabel ?? `${o.exponentiate ? 'Ratio' : 'Estimate'} (${o.interval === 'se' ? 'SE' : '95% CI'})`;
  const perModel = showP ? 2 : 1;
  const columns = list.flatMap(() => (showP ? [estimateLabel, 'p'] : [estimateLabel]));
  const spanners = list.map((m) => ({ label: m.name, span: perModel }));
  const rows: TableRow[] = [];
  const factors: Record<string, unknown> = {};
  for (const r of results) Object.assign(factors, r.factors);
  let group: string | null = null;
  for (const line of layout(results, dict, new Set(options.omit ?? []))) {
    const grouped = line.level !== null;
    if (grouped && group !== line.variable) {
      rows.push({ kind: 'group', label: line.variableLabel, indent: false, cells: columns.map(() => '') });
      group = line.variable;
    } else if (!grouped) group = null;
    if (line.term === null) {
      // Only models that include the variable have a reference level for it.
      const known = Object.keys(factors);
      const cells = results.flatMap((r) => {
        const has = r.terms.some((x) => labelTerm(x.term, dict, known).variable === line.variable);
        const ref = has ? (o.exponentiate ? '1' : '0') : '';
        return showP ? [ref, ''] : [ref];
      });
      rows.push({ kind: 'reference', label: `${line.label} (reference)`, indent: true, cells });
      continue;
    }
    const cells = results.flatMap((r) => {
      const t = r.terms.find((x) => x.term === line.term);
      const est = estimateCell(t, o);
      return showP ? [est, t && t.estimate !== null ? formatP(t.pValue) : ''] : [est];
    });
    rows.push({ kind: 'term', label: line.label, indent: grouped, cells });
  }
  // Under every model: N, events, model size and rows dropped (with why), through disclosure control.
  const size = modelStatRows(results, { rules, dictionary: dict, columnsPerModel: perModel });
  rows.push(...size.rows);
  const notes: string[] = [];
  if (o.exponentiate) notes.push('Estimates are exponentiated (hazard or odds ratios); the reference level of each factor is 1.');
  if (o.stars) notes.push(STARS_LEGEND);
  if (showP) notes.push('p: two-sided Wald test; shown to 3 decimals, "<0.001" below that.');
  notes.push(`Counts: fewer than ${rules.minCount} shown as ${SDC_SUPPRESSED}, others rounded to the nearest ${rules.roundTo}.`);
  if (size.flagged) notes.push(size.note);
  notes.push(...(options.notes ?? []));
  return { caption: options.caption ?? null, columns, spanners, rows, notes, rules };
}
