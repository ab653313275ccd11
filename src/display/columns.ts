// Column access for the display helpers: arquero tables (duck-typed: columnNames()/array()/numRows())
// or arrays of row objects, read as column arrays so the helpers stay fast on a few hundred
// thousand rows.
export interface ColumnSource {
  columnNames(): string[];
  array(name: string): ArrayLike<unknown>;
  numRows(): number;
}

export type Input = ColumnSource | ReadonlyArray<object>;

function isColumnSource(x: unknown): x is ColumnSource {
  return typeof x === 'object' && x !== null && typeof (x as ColumnSource).array === 'function' && typeof (x as ColumnSource).numRows === 'function';
}

/** Column values of `name`, with a clear error naming the missing column. */
export function columnOf(input: Input, name: string, fn = 'display'): ArrayLike<unknown> {
  if (isColumnSource(input)) {
    if (!input.columnNames().includes(name)) throw new Error(`${fn}: column "${name}" not found (columns: ${input.columnNames().join(', ')})`);
    return input.array(name);
  }
  const rows = input as ReadonlyArray<Record<string, unknown>>;
  if (rows.length > 0 && !(name in rows[0])) throw new Error(`${fn}: column "${name}" not found (columns: ${Object.keys(rows[0]).join(', ')})`);
  return rows.map((r) => r[name]);
}

/** Number of rows of a column source (arquero-like table) or of an array of records. */
export function nRows(input: Input): number {
  return isColumnSource(input) ? input.numRows() : (input as ReadonlyArray<unknown>).length;
}

/** Keys sorted numerically when all are numbers, else as text (sorts in place and returns the array). */
export function sortKeys(keys: string[]): string[] {
  const numeric = keys.every((k) => k !== '' && Number.isFinite(Number(k)));
  return numeric ? keys.sort((a, b) => Number(a) - Number(b)) : keys.sort();
}

/** Binary item columns of a table as LCA codes (0/1, missing → −1 as the LCA engine's coded
 *  input expects for NA). Throws naming the first item column and row holding another value. */
export function itemCodes(input: Input, items: string[]): { codes: Int16Array; nRows: number; nItems: number } {
  const n = nRows(input);
  const J = items.length;
  const codes = new Int16Array(n * J);
  items.forEach((item, j) => {
    const col = columnOf(input, item, 'itemCodes');
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v === 1 || v === true) codes[i * J + j] = 1;
      else if (v === 0 || v === false) codes[i * J + j] = 0;
      else if (v === null || v === undefined) codes[i * J + j] = -1;
      else throw new Error(`itemCodes: item "${item}" row ${i + 1} holds ${JSON.stringify(v)}, expected 0/1`);
    }
  });
  return { codes, nRows: n, nItems: J };
}

/** Columns of row objects that hold only non-negative integers (i.e. counts), excluding names
 *  that look like years, identifiers of levels or percentages. For tables of mixed content. */
export function countLikeColumns(rows: ReadonlyArray<object>, exclude: RegExp = /year|decile|pct|percent|rate|%|stage|^k$/i): string[] {
  if (rows.length === 0) return [];
  const cols = Object.keys(rows[0]);
  return cols.filter(
    (c) =>
      !exclude.test(c) &&
      rows.every((r) => {
        const v = (r as Record<string, unknown>)[c];
        return v === null || v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
      }) &&
      rows.some((r) => typeof (r as Record<string, unknown>)[c] === 'number'),
  );
}
