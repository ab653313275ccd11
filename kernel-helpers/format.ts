/**
 * Cell formatting for the plain tables show() renders (those the disclosure layer found no counts
 * in; counts go through protectByName and keep its rounding). Every number is written in the
 * library's one number style (src/core/numberStyle), as the display layer writes its tables:
 * p-values as formatP ("<0.001"), other numbers to significant digits with scientific notation only
 * below 1e-4, whole numbers with thousands separators, negatives with U+2212.
 *
 * What is added here is not a number style but how a printed table reads (as R prints a data frame):
 * - a numeric column shares one number of decimals, enough for each value's significant digits,
 *   so that decimal points line up (R's format(x, digits));
 * - missing values (null, undefined, NaN) as "NA", booleans as TRUE/FALSE, dates as ISO dates.
 */
import { formatFixed, formatNumber, formatP, isPValueColumn, typographicMinus } from '../src/core/numberStyle';

export { formatNumber, formatP, isPValueColumn } from '../src/core/numberStyle';
export { escapeHtml } from '../src/display/html';

export type CellFormatter = (value: unknown) => string;

/** Formats one cell of any type; `column` selects p-value formatting by name (isPValueColumn). */
export function formatCell(value: unknown, column: string, digits = 4): string {
  if (value === null || value === undefined) return 'NA';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NA';
    return isPValueColumn(column) ? formatP(value) : formatNumber(value, digits);
  }
  if (typeof value === 'bigint') return typographicMinus(value.toLocaleString('en-GB'));
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'NA' : value.toISOString().replace(/T00:00:00\.000Z$/, '');
  }
  if (typeof value === 'string') return value;
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return '[' + Array.from(value as ArrayLike<unknown>, (v) => formatCell(v, column, digits)).join(', ') + ']';
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** formatNumber writes numbers below 1e-4 (and non-zero) in scientific notation: those keep their own form in a column. */
function scientific(text: string): boolean {
  return /\de/.test(text);
}

/**
 * Formats a numeric column: every value with the decimals the most precise of them needs to show
 * `digits` significant digits (formatNumber's rounding; trailing zeros no value needs are
 * dropped), with separators (formatFixed), so that decimal points line up. Integer-only columns
 * are whole numbers with separators; values formatNumber writes in scientific notation (below
 * 1e-4) stay so. Non-numbers fall back to formatCell; a p-value column is left to formatP.
 */
export function formatNumericColumn(values: unknown[], column: string, digits = 4): string[] {
  if (isPValueColumn(column)) return values.map((v) => formatCell(v, column, digits));
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.every((v) => Number.isInteger(v))) return values.map((v) => formatCell(v, column, digits));
  let decimals = 0;
  for (const v of finite) {
    const s = formatNumber(v, digits);
    if (scientific(s)) continue;
    const point = s.indexOf('.');
    decimals = Math.max(decimals, point < 0 ? 0 : s.length - point - 1);
  }
  return values.map((v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return formatCell(v, column, digits);
    const s = formatNumber(v, digits);
    return scientific(s) ? s : formatFixed(v, decimals);
  });
}
