// HTML rendering of protected tables. Count cells carry `data-sdc="count"` and the table carries
// its rules in `data-sdc-rules`, so `npm run check-outputs` can verify saved notebooks.
import { ProtectedTable, SDC_SUPPRESSED, isProtectedTable, plainTable, SdcValue, type SdcRules } from './sdc';
import { guardPlainTable } from './protect/auto';
import { formatCount, formatFixed, formatNumber, formatP, isPValueColumn, typographicMinus } from './numbers';
import { cellLabel, displayColumns, type DisplayColumn } from './headers';
import { fitColumns, partCaption, type Grid, type GridCell } from './tableLayout';


export interface TableHtmlOptions {
  caption?: string;
  /** Significant digits for non-count numbers (default 4; large numbers are shown as integers). */
  digits?: number;
  /** Per-column fixed decimal places, overriding `digits`. */
  columnDigits?: Record<string, number>;
  /** Reader's labels for model terms, column names and factor codes (report's dictionaryLabels). */
  labels?: TableLabels;
}

/**
 * Labels a renderer applies to what it shows (the data dictionary's, given by report/dictionaryLabels):
 * the `term` column's model terms, column names (e.g. a glance row's `sd.deprivation`) and the codes
 * of a factor column. Each returns undefined to keep the renderer's own text.
 */
export interface TableLabels {
  term?(term: string): string | undefined;
  column?(name: string): string | undefined;
  value?(column: string, value: string): string | undefined;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text with & < > " ' escaped for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

function cellText(v: SdcValue, isCount: boolean, digits: number, column: string, fixed?: number, labels?: TableLabels): string {
  if (v === null) return '';
  if (typeof v === 'string') {
    if (isNumericText(v)) return typographicMinus(v);
    const labelled = column === 'term' ? labels?.term?.(v) : labels?.value?.(column, v);
    return labelled ?? cellLabel(column, v);
  }
  if (isCount) return formatCount(v);
  if (isPValueColumn(column)) return formatP(v);
  if (fixed !== undefined) return formatFixed(v, fixed);
  return formatNumber(v, digits, column);
}

/** The text of a rendered column's cell: a "low to high" interval for a CI pair, else the cell. */
function displayCell(r: Readonly<Record<string, SdcValue>>, c: DisplayColumn, isCount: boolean, digits: number, fixed?: number, labels?: TableLabels): string {
  if (c.high === undefined) return cellText(r[c.key] ?? null, isCount, digits, c.key, fixed, labels);
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

/** A table's cells as shown (numbers in the one style, headers for readers, labels applied), before layout. */
function tableGrid(t: ProtectedTable, options: TableHtmlOptions): Grid {
  const counts = new Set(t.countColumns);
  const digits = options.digits ?? 4;
  const shown = displayColumns(t.columns);
  const headers = shown.map((c) => ({ text: (c.high === undefined ? options.labels?.column?.(c.key) : undefined) ?? c.header, count: counts.has(c.key) }));
  const rows = t.rows.map((r) => shown.map((c): GridCell => {
    const v = r[c.key] ?? null;
    const isCount = counts.has(c.key);
    const fixed = options.columnDigits?.[c.key] ?? t.columnDigits?.[c.key];
    const text = displayCell(r, c, isCount, digits, fixed, options.labels);
    const numeric = (typeof v === 'number' || v === SDC_SUPPRESSED) && c.high === undefined;
    return { text, count: isCount, numeric, nowrap: numeric || isNumericText(text) };
  }));
  return { headers, rows };
}

/** What goes round a rendered grid: the caption above (panels say "part k of n"), notes below (one line each), and the disclosure rules a table of counts carries for the output checker. */
export interface GridFrame {
  readonly caption?: string;
  readonly notes?: readonly string[];
  readonly rules?: SdcRules;
}

/**
 * A column reads as numbers when most of its filled cells are numbers: its header, and any word
 * among its numbers ("Poisson" in a transposed table's model column, a "—"), are then right-aligned
 * with them, so the column keeps one edge. Row labels (a transposed table's statistic names) stay
 * left.
 */
function numericColumn(g: Grid, j: number): boolean {
  const filled = g.rows.map((r) => r[j]).filter((c) => c !== undefined && c.text !== '');
  return filled.length > 0 && filled.filter((c) => c.numeric).length * 2 > filled.length;
}

/** A number, or any cell in a column that reads as numbers (never a row label: label cells are not numbers, so their column is not one). */
function rightAligned(c: GridCell, numericCol: boolean): boolean {
  return c.numeric || numericCol;
}

/**
 * Every table the library and the notebook helpers (kernel-helpers' show) render as HTML: the grid
 * laid out to fit the page (fitColumns: transposed or split into captioned panels), cells escaped,
 * numbers right-aligned and kept on one line, labels and text left-aligned (set on every cell,
 * since Jupyter's stylesheet right-aligns table cells), counts tagged data-sdc="count".
 */
export function gridHtml(grid: Grid, frame: GridFrame = {}): string {
  const rulesAttr = frame.rules ? ` data-sdc-rules="${escapeHtml(JSON.stringify(frame.rules))}"` : '';
  const align = (numeric: boolean) => (numeric ? 'text-align:right' : 'text-align:left');
  const parts: string[] = [];
  for (const g of fitColumns(grid)) {
    parts.push(`<table class="csc-table"${rulesAttr}>`);
    const caption = partCaption(frame.caption, g.part);
    if (caption) parts.push(`<caption>${escapeHtml(caption)}</caption>`);
    const numericCols = g.headers.map((_, j) => numericColumn(g, j));
    parts.push('<thead><tr>');
    g.headers.forEach((h, j) => parts.push(`<th${h.count ? ' data-sdc="count"' : h.names ? ' data-sdc="name"' : ''} style="${align(numericCols[j])}">${escapeHtml(h.text)}</th>`));
    parts.push('</tr></thead><tbody>');
    for (const r of g.rows) {
      parts.push('<tr>');
      r.forEach((c, j) => {
        const nowrap = c.numeric || c.nowrap ? ';white-space:nowrap' : '';
        parts.push(`<td${c.count ? ' data-sdc="count"' : ''} style="${align(rightAligned(c, numericCols[j]))}${nowrap}">${escapeHtml(c.text)}</td>`);
      });
      parts.push('</tr>');
    }
    parts.push('</tbody></table>');
  }
  const notes = (frame.notes ?? []).filter((n) => n !== '');
  if (notes.length > 0) parts.push(`<p class="csc-note" style="font-size:85%;color:#555">${notes.map(escapeHtml).join('<br>')}</p>`);
  return parts.join('');
}

/** gridHtml's table as plain text (text/plain, logs): the same panels a blank line apart, numbers right-aligned under right-aligned headers, labels left. */
export function gridText(grid: Grid, frame: GridFrame = {}): string {
  const lines: string[] = [];
  for (const g of fitColumns(grid)) {
    if (lines.length > 0) lines.push('');
    const widths = g.headers.map((h, j) => Math.max(h.text.length, ...g.rows.map((r) => r[j].text.length)));
    const pad = (s: string, j: number, numeric: boolean) => (numeric ? s.padStart(widths[j]) : s.padEnd(widths[j]));
    const caption = partCaption(frame.caption, g.part);
    if (caption) lines.push(caption);
    const numericCols = g.headers.map((_, j) => numericColumn(g, j));
    lines.push(g.headers.map((h, j) => pad(h.text, j, numericCols[j])).join('  ').trimEnd());
    for (const r of g.rows) lines.push(r.map((c, j) => pad(c.text, j, rightAligned(c, numericCols[j]))).join('  ').trimEnd());
  }
  lines.push(...(frame.notes ?? []).filter((n) => n !== ''));
  return lines.join('\n');
}

/**
 * Renders a protected (or plain) table as an HTML fragment with its SDC footnote (gridHtml). A
 * table wider than the column budget is transposed or split into panels (display/tableLayout), so
 * no table scrolls sideways; count cells keep data-sdc="count" in every layout.
 */
export function tableHtml(table: ProtectedTable | ReadonlyArray<object>, options: TableHtmlOptions = {}): string {
  const t = warningsAsNotes(guardPlainTable(isProtectedTable(table) ? table : plainTable(table as ReadonlyArray<Record<string, unknown>>)));
  return gridHtml(tableGrid(t, options), { caption: options.caption, notes: [t.note], rules: t.countColumns.length > 0 ? t.rules : undefined });
}

/** Plain-text rendering of a protected table (for text/plain and logs), in the same layout as tableHtml. */
export function tableText(plain: ProtectedTable, options: TableHtmlOptions = {}): string {
  const table = warningsAsNotes(guardPlainTable(plain));
  return gridText(tableGrid(table, options), { caption: options.caption, notes: [table.note] });
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
