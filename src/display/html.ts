// HTML rendering of protected tables. Count cells carry `data-sdc="count"` and the table carries
// its rules in `data-sdc-rules`, so `npm run check-outputs` can verify saved notebooks.
import { ProtectedTable, SDC_SUPPRESSED, isProtectedTable, plainTable, SdcValue } from './sdc';
import { guardPlainTable } from './protect/auto';

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

/** Formats a non-count number for reading: `digits` significant digits (large numbers rounded
 *  to integers with separators), p-values below 0.001 as "<0.001". */
export function formatNumber(v: number, digits: number, column = ''): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '' : v > 0 ? '∞' : '−∞';
  if (/^p(\.value)?$/.test(column) && v < 0.001) return '<0.001';
  if (Number.isInteger(v)) return v.toLocaleString('en-GB');
  const abs = Math.abs(v);
  if (abs >= Math.pow(10, digits)) return Math.round(v).toLocaleString('en-GB');
  if (abs < 1e-4) return v.toExponential(Math.max(0, digits - 1));
  return String(Number(v.toPrecision(digits)));
}

/** Fixed decimals (for percentages and other columns with a stated precision). */
function formatFixed(v: number, decimals: number): string {
  return Number.isFinite(v) ? v.toFixed(decimals) : '';
}

function cellText(v: SdcValue, isCount: boolean, digits: number, column: string, fixed?: number): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (isCount) return v.toLocaleString('en-GB');
  if (fixed !== undefined) return formatFixed(v, fixed);
  return formatNumber(v, digits, column);
}

/** A number written as text ("−0.046 to 0.070", "0.300 ± 0.05", "0.027 vs 0.033", "1,230 (4.5%)"):
 *  kept on one line, since a wrapped interval reads as two numbers. */
export function isNumericText(s: string): boolean {
  return /\d/.test(s) && s.length <= 40 && !/[A-Za-z]/.test(s.replace(/\b(to|vs|NA|NaN|Inf)\b|\d[eE][+\-−]?\d/g, ''));
}

/** Renders a protected (or plain) table as an HTML fragment with its SDC footnote. */
export function tableHtml(table: ProtectedTable | ReadonlyArray<object>, options: TableHtmlOptions = {}): string {
  const t = guardPlainTable(isProtectedTable(table) ? table : plainTable(table as ReadonlyArray<Record<string, unknown>>));
  const counts = new Set(t.countColumns);
  const digits = options.digits ?? 4;
  const rulesAttr = t.countColumns.length > 0 ? ` data-sdc-rules="${escapeHtml(JSON.stringify(t.rules))}"` : '';
  const parts: string[] = [`<table class="csc-table"${rulesAttr}>`];
  if (options.caption) parts.push(`<caption>${escapeHtml(options.caption)}</caption>`);
  parts.push('<thead><tr>');
  for (const c of t.columns) parts.push(`<th${counts.has(c) ? ' data-sdc="count"' : ''}>${escapeHtml(c)}</th>`);
  parts.push('</tr></thead><tbody>');
  for (const r of t.rows) {
    parts.push('<tr>');
    for (const c of t.columns) {
      const v = r[c] ?? null;
      const isCount = counts.has(c);
      const fixed = options.columnDigits?.[c] ?? t.columnDigits?.[c];
      const num = typeof v === 'number' || v === SDC_SUPPRESSED;
      const attr = isCount ? ' data-sdc="count"' : '';
      const style = num ? ' style="text-align:right;white-space:nowrap"'
        : typeof v === 'string' && isNumericText(v) ? ' style="white-space:nowrap"' : '';
      parts.push(`<td${attr}${style}>${escapeHtml(cellText(v, isCount, digits, c, fixed))}</td>`);
    }
    parts.push('</tr>');
  }
  parts.push('</tbody></table>');
  if (t.note) parts.push(`<p class="csc-note" style="font-size:85%;color:#555">${escapeHtml(t.note)}</p>`);
  return parts.join('');
}

/** Plain-text rendering of a protected table (for text/plain and logs). */
export function tableText(plain: ProtectedTable, options: TableHtmlOptions = {}): string {
  const table = guardPlainTable(plain);
  const counts = new Set(table.countColumns);
  const digits = options.digits ?? 4;
  const cells = table.rows.map((r) => table.columns.map((c) => cellText(r[c] ?? null, counts.has(c), digits, c, options.columnDigits?.[c] ?? table.columnDigits?.[c])));
  const widths = table.columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const lines: string[] = [];
  if (options.caption) lines.push(options.caption);
  lines.push(table.columns.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd());
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
