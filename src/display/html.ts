// HTML rendering of protected tables. Count cells carry `data-sdc="count"` and the table carries
// its rules in `data-sdc-rules`, so `npm run check-outputs` can verify saved notebooks.
import { ProtectedTable, SDC_SUPPRESSED, isProtectedTable, plainTable, SdcValue } from './sdc';
import { guardPlainTable } from './protect/auto';
import { formatCount, formatFixed, formatNumber, formatP, isPValueColumn, typographicMinus } from './numbers';
import { cellLabel, displayColumns, type DisplayColumn } from './headers';


export interface TableHtmlOptions {
  caption?: string;
  /** Significant digits for non-count numbers (default 4; large numbers are shown as integers). */
  digits?: number;
  /** Per-column fixed decimal places, overriding `digits`. */
  columnDigits?: Record<string, number>;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text with & < > " ' escaped for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

function cellText(v: SdcValue, isCount: boolean, digits: number, column: string, fixed?: number): string {
  if (v === null) return '';
  if (typeof v === 'string') return isNumericText(v) ? typographicMinus(v) : cellLabel(column, v);
  if (isCount) return formatCount(v);
  if (isPValueColumn(column)) return formatP(v);
  if (fixed !== undefined) return formatFixed(v, fixed);
  return formatNumber(v, digits, column);
}

/** The text of a rendered column's cell: a "low to high" interval for a CI pair, else the cell. */
function displayCell(r: Readonly<Record<string, SdcValue>>, c: DisplayColumn, isCount: boolean, digits: number, fixed?: number): string {
  if (c.high === undefined) return cellText(r[c.key] ?? null, isCount, digits, c.key, fixed);
  const lo = cellText(r[c.key] ?? null, false, digits, c.key, fixed);
  const hi = cellText(r[c.high] ?? null, false, digits, c.high, fixed);
  return lo === '' && hi === '' ? '' : `${lo || 'NA'} to ${hi || 'NA'}`;
}

/** A number written as text ("−0.046 to 0.070", "0.300 ± 0.05", "0.027 vs 0.033", "1,230 (4.5%)"):
 *  kept on one line, since a wrapped interval reads as two numbers. */
export function isNumericText(s: string): boolean {
  return /\d/.test(s) && s.length <= 40 && !/[A-Za-z]/.test(s.replace(/\b(to|vs|NA|NaN|Inf)\b|\d[eE][+\-−]?\d/g, ''));
}

/**
 * A table whose `warnings` column (glance rows of count models carry one) holds sentences: the
 * sentences go under the table as notes ("Warning (care starts): …"), the column goes, so one long
 * warning does not stretch a row to the height of a paragraph or push the table off the page.
 */
function warningsAsNotes(t: ProtectedTable): ProtectedTable {
  const col = t.columns.find((c) => c.toLowerCase() === 'warnings');
  if (col === undefined) return t;
  const first = t.columns.find((c) => c !== col);
  const notes = t.rows.flatMap((r) => {
    const w = r[col];
    if (typeof w !== 'string' || w.trim() === '') return [];
    const who = t.rows.length > 1 && first !== undefined && r[first] !== null ? ` (${String(r[first])})` : '';
    return [`Warning${who}: ${w}`];
  });
  const note = [t.note, ...notes].filter((n) => n).join(' ');
  return { ...t, columns: t.columns.filter((c) => c !== col), note };
}

/** Renders a protected (or plain) table as an HTML fragment with its SDC footnote. */
export function tableHtml(table: ProtectedTable | ReadonlyArray<object>, options: TableHtmlOptions = {}): string {
  const t = warningsAsNotes(guardPlainTable(isProtectedTable(table) ? table : plainTable(table as ReadonlyArray<Record<string, unknown>>)));
  const counts = new Set(t.countColumns);
  const digits = options.digits ?? 4;
  const rulesAttr = t.countColumns.length > 0 ? ` data-sdc-rules="${escapeHtml(JSON.stringify(t.rules))}"` : '';
  const parts: string[] = [`<table class="csc-table"${rulesAttr}>`];
  if (options.caption) parts.push(`<caption>${escapeHtml(options.caption)}</caption>`);
  parts.push('<thead><tr>');
  const shown = displayColumns(t.columns);
  for (const c of shown) parts.push(`<th${counts.has(c.key) ? ' data-sdc="count"' : ''}>${escapeHtml(c.header)}</th>`);
  parts.push('</tr></thead><tbody>');
  for (const r of t.rows) {
    parts.push('<tr>');
    for (const c of shown) {
      const v = r[c.key] ?? null;
      const isCount = counts.has(c.key);
      const fixed = options.columnDigits?.[c.key] ?? t.columnDigits?.[c.key];
      const num = (typeof v === 'number' || v === SDC_SUPPRESSED) && c.high === undefined;
      const attr = isCount ? ' data-sdc="count"' : '';
      const text = displayCell(r, c, isCount, digits, fixed);
      const style = num ? ' style="text-align:right;white-space:nowrap"' : isNumericText(text) ? ' style="white-space:nowrap"' : '';
      parts.push(`<td${attr}${style}>${escapeHtml(text)}</td>`);
    }
    parts.push('</tr>');
  }
  parts.push('</tbody></table>');
  if (t.note) parts.push(`<p class="csc-note" style="font-size:85%;color:#555">${escapeHtml(t.note)}</p>`);
  return parts.join('');
}

/** Plain-text rendering of a protected table (for text/plain and logs). */
export function tableText(plain: ProtectedTable, options: TableHtmlOptions = {}): string {
  const table = warningsAsNotes(guardPlainTable(plain));
  const counts = new Set(table.countColumns);
  const digits = options.digits ?? 4;
  const shown = displayColumns(table.columns);
  const cells = table.rows.map((r) => shown.map((c) => displayCell(r, c, counts.has(c.key), digits, options.columnDigits?.[c.key] ?? table.columnDigits?.[c.key])));
  const widths = shown.map((c, j) => Math.max(c.header.length, ...cells.map((r) => r[j].length)));
  const lines: string[] = [];
  if (options.caption) lines.push(options.caption);
  lines.push(shown.map((c, j) => c.header.padEnd(widths[j])).join('  ').trimEnd());
  for (const r of cells) lines.push(r.map((v, j) => v.padEnd(widths[j])).join('  ').trimEnd());
  if (table.note) lines.push(table.note);
  return lines.join('\n');
}

/** A Jupyter display bundle (text/html with SDC tags + text/plain) for a protected table.
 *  Notebooks pass it to kernel-helpers' `emitDisplay`, so the output checker can find counts. */
export function tableBundle(
  table: ProtectedTable | ReadonlyArray<object>,
  options: TableHtmlOptions = {},
): { data: Record<string, string> } {
  const t = isProtectedTable(table) ? table : plainTable(table as ReadonlyArray<Record<string, unknown>>);
  return { data: { 'text/html': tableHtml(t, options), 'text/plain': tableText(t, options) } };
}
