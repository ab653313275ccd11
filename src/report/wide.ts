// Long coefficient tables (one row per group × term, e.g. a multinomial logit's class × covariate) turned
// into one row per group with the terms as columns, "estimate (95% CI)" in each cell, as modelsummary's
// `shape = term ~ response` does. Odds / rate / hazard ratios: exponentiate (log-scale CIs are exponentiated
// endpoint by endpoint, as R's exp(confint()) gives).
import { plainTable, type ProtectedTable } from '../display/sdc';
import { formatEstimate } from './format';
import { naturalCompare } from './truth/table';

export interface WideTableOptions {
  /** Column holding the group (default 'class'). */
  group?: string;
  /** Label for each group value (e.g. class number → "3. Domestic violence"). */
  groupLabel?: (value: string | number) => string;
  /** Heading of the group column (default: the group column's name). */
  groupHeading?: string;
  /** Readable term names (terms not listed keep their own name). */
  termLabels?: Readonly<Record<string, string>>;
  /** exp() estimates and CI limits (odds ratios from a logit). Default true. */
  exponentiate?: boolean;
  /** Decimal places (default 2). */
  digits?: number;
  /** Terms left out (default: the intercept). */
  omit?: readonly string[];
  /** Note under the table (the method and the reference go here once, not on every row). */
  note?: string;
}

type Row = Readonly<Record<string, unknown>>;

/**
 * rows: tidy rows with term, estimate, conf.low, conf.high and the group column.
 * Returns one row per group (natural order: 2 before 10), one "est (low to high)" column per term (the CI style of every table).
 * Throws if a row lacks a finite estimate column name (names the row).
 */
export function wideCoefTable(rows: ReadonlyArray<Row>, o: WideTableOptions = {}): ProtectedTable {
  const group = o.group ?? 'class';
  const omit = new Set(o.omit ?? ['(Intercept)']);
  const tr = o.exponentiate === false ? (x: number) => x : Math.exp;
  const digits = o.digits ?? 2;
  const terms: string[] = [];
  const byGroup = new Map<string, Record<string, string>>();
  const groupValue = new Map<string, string | number>();
  rows.forEach((r, i) => {
    const term = String(r.term);
    if (omit.has(term)) return;
    if (!('estimate' in r)) throw new Error(`wideCoefTable: row ${i + 1} has no estimate`);
    if (!terms.includes(term)) terms.push(term);
    const g = String(r[group]);
    groupValue.set(g, r[group] as string | number);
    const cell = (x: unknown) => formatEstimate(tr(Number(x)), digits);
    const lo = r['conf.low'];
    const hi = r['conf.high'];
    const text = lo === undefined || hi === undefined ? cell(r.estimate) : `${cell(r.estimate)} (${cell(lo)} to ${cell(hi)})`;
    let row = byGroup.get(g);
    if (!row) byGroup.set(g, (row = {}));
    row[term] = text;
  });
  const heading = o.groupHeading ?? group;
  const out = [...byGroup.keys()].sort(naturalCompare).map((g) => {
    const row: Record<string, string> = { [heading]: o.groupLabel ? o.groupLabel(groupValue.get(g)!) : g };
    for (const t of terms) row[o.termLabels?.[t] ?? t] = byGroup.get(g)![t] ?? '—';
    return row;
  });
  return plainTable(out, o.note ?? '');
}
