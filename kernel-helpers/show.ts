/**
 * show(x, options?): renders a table in a notebook as one display_data (text/html + text/plain).
 *
 * Accepts, duck-typed so that kernel-helpers need not import arquero or the fit classes:
 * - an arquero table (anything with columnNames() and objects());
 * - an array of row objects (broom-style tidy output);
 * - a fit result with a `tidy()`/`summary()` method or a `tidy` array property;
 * - a disclosure-protected table from src/display (`protectTable`/`plainTable`), rendered by that
 *   layer so that its count cells stay tagged for `npm run check-outputs`.
 * Options: caption (above), note (below; the disclosure-control layer passes which rules applied),
 * maxRows (default 50, the rest is summarised), digits (significant digits, default 4),
 * formats (per-column overrides).
 */
import { emitDisplay } from './display';
import { isProtectedTable, tableBundle, protectByName, columnHeader, formatWhole, gridHtml, gridText, type Grid } from '../src/display/index';
import { formatCell, formatNumericColumn, type CellFormatter } from './format';

export type Row = Record<string, unknown>;

export interface ShowOptions {
  caption?: string;
  /** Per-column fixed decimal places (used for disclosure-protected tables, e.g. percentages). */
  columnDigits?: Record<string, number>;
  note?: string | string[];
  maxRows?: number;
  digits?: number;
  formats?: Record<string, CellFormatter>;
}

export interface TableLike {
  columnNames(): string[];
  objects(options?: { limit?: number }): Row[];
  numRows(): number;
}

interface Extracted {
  columns: string[];
  rows: Row[];
  totalRows: number;
}

function isTableLike(x: unknown): x is TableLike {
  return typeof x === 'object' && x !== null &&
    typeof (x as TableLike).columnNames === 'function' && typeof (x as TableLike).objects === 'function';
}

function columnsOfRows(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return Array.from(seen);
}

/** Normalises every accepted input to columns + (at most maxRows) rows. */
export function extractTable(x: unknown, maxRows: number): Extracted {
  if (isTableLike(x)) {
    const totalRows = typeof x.numRows === 'function' ? x.numRows() : x.objects().length;
    return { columns: x.columnNames(), rows: x.objects({ limit: maxRows }), totalRows };
  }
  if (Array.isArray(x)) {
    const bad = x.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
    if (bad >= 0) throw new Error(`show(): element ${bad} of the array is not a row object (got ${JSON.stringify(x[bad])})`);
    return { columns: columnsOfRows(x as Row[]), rows: (x as Row[]).slice(0, maxRows), totalRows: x.length };
  }
  if (typeof x === 'object' && x !== null) {
    const obj = x as { tidy?: unknown; summary?: unknown };
    if (typeof obj.tidy === 'function') return extractTable((obj.tidy as () => unknown).call(x), maxRows);
    if (Array.isArray(obj.tidy)) return extractTable(obj.tidy, maxRows);
    if (typeof obj.summary === 'function') return extractTable((obj.summary as () => unknown).call(x), maxRows);
  }
  throw new Error('show(): expected an arquero table, an array of row objects, or an object with tidy()/summary(); got ' +
    (x === null ? 'null' : typeof x));
}

function formatRows(t: Extracted, options: ShowOptions): string[][] {
  const digits = options.digits ?? 4;
  const byColumn = t.columns.map((c) => {
    const values = t.rows.map((r) => r[c]);
    const custom = options.formats?.[c];
    if (custom) return values.map((v) => custom(v));
    // The library's one number style (format.ts writes every number through core/numberStyle).
    if (isNumericColumn(t, c)) return formatNumericColumn(values, c, digits);
    return values.map((v) => formatCell(v, c, digits));
  });
  return t.rows.map((_, i) => byColumn.map((col) => col[i]));
}

function isNumericColumn(t: Extracted, column: string): boolean {
  return t.rows.some((r) => typeof r[column] === 'number') &&
    t.rows.every((r) => r[column] === null || r[column] === undefined || typeof r[column] === 'number');
}

function notes(options: ShowOptions): string[] {
  if (options.note === undefined) return [];
  return Array.isArray(options.note) ? options.note : [options.note];
}

/** The table's cells as shown, before layout (the library's gridHtml/gridText lay it out to fit the page). */
function grid(t: Extracted, options: ShowOptions): Grid {
  const cells = formatRows(t, options);
  const numeric = t.columns.map((c) => isNumericColumn(t, c));
  return {
    headers: t.columns.map((c) => ({ text: columnHeader(c), count: false })),
    rows: cells.map((row) => row.map((text, j) => ({ text, count: false, numeric: numeric[j], nowrap: numeric[j] }))),
  };
}

/** Rows left out (maxRows) and the caller's notes, under the table. */
function footerLines(t: Extracted, options: ShowOptions): string[] {
  const footer: string[] = [];
  if (t.totalRows > t.rows.length) footer.push(`${formatWhole(t.totalRows - t.rows.length)} more rows not shown (${formatWhole(t.totalRows)} in total)`);
  return [...footer, ...notes(options)];
}

/** An extracted table as HTML, rendered by the library's one table renderer (display/html gridHtml). */
export function renderTableHtml(t: Extracted, options: ShowOptions = {}): string {
  return gridHtml(grid(t, options), { caption: options.caption, notes: footerLines(t, options) });
}

/** An extracted table as plain text (display/html gridText), in the same panels as renderTableHtml. */
export function renderTableText(t: Extracted, options: ShowOptions = {}): string {
  return gridText(grid(t, options), { caption: options.caption, notes: footerLines(t, options) });
}

/** Displays a table in the current notebook cell. Returns nothing so tslab prints nothing extra. */
export function show(x: unknown, options: ShowOptions = {}): void {
  const maxRows = options.maxRows ?? 50;
  if (!(maxRows >= 1)) throw new Error(`show(): maxRows must be ≥ 1 (got ${maxRows})`);
  // Disclosure-protected tables keep their count tags and rules note, which check-outputs reads.
  if (isProtectedTable(x)) {
    const extra = notes(options);
    const t = extra.length > 0 ? { ...x, note: [x.note, ...extra].filter(Boolean).join(' ') } : x;
    emitDisplay(tableBundle(t, { caption: options.caption, digits: options.digits, columnDigits: options.columnDigits }));
    return;
  }
  const t = extractTable(x, maxRows);
  // A plain table is not let past disclosure control: count-like columns (by name, as the output
  // checker reads them) are protected and tagged; minima/maxima are refused.
  const auto = protectByName(t.rows);
  if (auto) {
    emitDisplay(tableBundle(auto, { caption: options.caption, digits: options.digits, columnDigits: options.columnDigits }));
    return;
  }
  emitDisplay({ data: { 'text/html': renderTableHtml(t, options), 'text/plain': renderTableText(t, options) } });
}
