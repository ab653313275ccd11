/**
 * The shape a rendered table takes so that it fits a page (about 1,000 px of a report, a notebook
 * cell) without scrolling sideways, whoever built it. A table of at most COLUMN_BUDGET columns is
 * shown as it is. A wider one with few rows (a model's glance() row, a few models' summaries) is
 * turned on its side, as modelsummary shows goodness-of-fit statistics: one row per statistic,
 * one column per model (named by the label column, e.g. "first referrals"); a statistic blank for
 * every model is left out. A wider one with many
 * rows is split into panels of at most COLUMN_BUDGET columns, each repeating the label column.
 *
 * The layout works on cells already written (numberStyle, headers), so it never changes a number;
 * count cells keep their disclosure tag wherever they go.
 */

/** Most columns (the label column included) a rendered table shows side by side. */
export const COLUMN_BUDGET = 10;
/** Wide tables with at most this many rows are transposed rather than split. */
export const TRANSPOSE_MAX_ROWS = 6;

export interface GridCell {
  readonly text: string;
  /** Holds a protected count (rendered with data-sdc="count"). */
  readonly count: boolean;
  /** A number: right-aligned, never wrapped. */
  readonly numeric: boolean;
  /** Kept on one line (a "low to high" interval). */
  readonly nowrap: boolean;
  /** A row label (a transposed table's former header). */
  readonly label?: boolean;
}

export interface GridHeader {
  readonly text: string;
  readonly count: boolean;
  /** Names a row of the source table (a transposed table's model column): rendered with data-sdc="name", so the checker reads each cell's kind off its row label. */
  readonly names?: boolean;
}

/** A table as rendered text: headers and rows of cells, before HTML or plain-text markup. */
export interface Grid {
  readonly headers: readonly GridHeader[];
  readonly rows: readonly (readonly GridCell[])[];
  /** Set on the panels of a split table (the caption says "part 1 of 2"). */
  readonly part?: { readonly index: number; readonly of: number };
}

/** Column 0 names its rows (text, every value different and non-empty), so it can head the columns of a transposed table. */
function labelColumn(g: Grid): boolean {
  if (g.rows.length < 2) return false;
  const values = g.rows.map((r) => r[0]?.text ?? '');
  return g.rows.every((r) => r[0] !== undefined && r[0].text !== '' && !r[0].numeric) && new Set(values).size === values.length;
}

/** Statistics as rows, one column per original row (see the file comment). */
function transpose(g: Grid): Grid {
  const named = labelColumn(g);
  const first = named ? 1 : 0;
  const heads: GridHeader[] = [
    { text: named ? g.headers[0].text : '', count: false },
    ...g.rows.map((r, i) => ({ text: named ? r[0].text : g.rows.length === 1 ? 'Value' : `Row ${i + 1}`, count: false, names: true })),
  ];
  const rows: GridCell[][] = [];
  for (let j = first; j < g.headers.length; j++) {
    // A statistic no model has (θ of a Poisson fit, clusters without clustering) is left out, as modelsummary leaves out NA rows.
    if (g.rows.every((r) => (r[j]?.text ?? '') === '')) continue;
    rows.push([
      { text: g.headers[j].text, count: false, numeric: false, nowrap: false, label: true },
      ...g.rows.map((r) => r[j] ?? { text: '', count: false, numeric: false, nowrap: false }),
    ]);
  }
  return { headers: heads, rows };
}

/** Panels of at most `budget` columns, each starting with the label column. */
function split(g: Grid, budget: number): Grid[] {
  const per = budget - 1;
  const rest = g.headers.length - 1;
  const of = Math.ceil(rest / per);
  const out: Grid[] = [];
  for (let k = 0; k < of; k++) {
    const cols = [0, ...Array.from({ length: Math.min(per, rest - k * per) }, (_, i) => 1 + k * per + i)];
    out.push({ headers: cols.map((j) => g.headers[j]), rows: g.rows.map((r) => cols.map((j) => r[j])), part: { index: k + 1, of } });
  }
  return out;
}

/**
 * The grid(s) to render for `g`: itself when it fits the budget, else transposed (few rows) or
 * split into panels (many rows). Every returned grid has at most `budget` columns as long as the
 * transposed form does (a wide table of up to TRANSPOSE_MAX_ROWS rows: at most 7 columns).
 */
export function fitColumns(g: Grid, budget = COLUMN_BUDGET): Grid[] {
  if (g.headers.length <= budget) return [g];
  if (g.rows.length <= Math.min(TRANSPOSE_MAX_ROWS, budget - 1)) return [transpose(g)];
  return split(g, budget);
}

/** The caption of one panel of a split table says which part it is ("part 1 of 2"); a whole table's caption is left as it is. */
export function partCaption(caption: string, part: Grid['part']): string;
export function partCaption(caption: string | undefined, part: Grid['part']): string | undefined;
export function partCaption(caption: string | undefined, part: Grid['part']): string | undefined {
  if (!part) return caption;
  return `${caption ?? 'Table'} (part ${part.index} of ${part.of})`;
}
