/**
 * Number and cell formatting for tables shown in notebooks.
 *
 * Conventions (chosen to read like R output):
 * - p-values like R's format.pval in printCoefmat: 3 significant digits, scientific below 1e-4,
 *   and "< 2.2e-16" under machine epsilon (where the double itself is no longer meaningful);
 * - other non-integers to 4 significant digits (scientific when very large or very small);
 * - integers with thousands separators (counts of children read better as 12,345);
 * - missing values (null, undefined, NaN) as "NA", like R.
 */

const MACHINE_EPSILON = 2.220446049250313e-16;

/** Column names treated as p-values unless the caller overrides the column's format. */
export function isPValueColumn(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'p' || lower === 'p.value' || lower === 'p_value' || lower === 'pvalue' ||
    lower === 'p.adj' || lower === 'p.adjusted' || lower.endsWith('.p.value') || lower.startsWith('pr(>');
}

/** JS writes exponents as e-5; R writes e-05. Matching R makes side-by-side checks easier. */
function padExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Formats a p-value the way R's format.pval does in coefficient tables. */
export function formatPValue(p: number | null | undefined, digits = 3): string {
  if (p === null || p === undefined || Number.isNaN(p)) return 'NA';
  if (p < 0 || p > 1) return formatNumber(p);
  if (p < MACHINE_EPSILON) return '< 2.2e-16';
  if (p < 1e-4) return padExponent(p.toExponential(digits - 1).replace(/\.?0+e/, 'e'));
  // Like R's format() of a single value: significant digits without trailing zeros (0.5, 0.0734).
  return String(Number(p.toPrecision(digits)));
}

/** Formats a general number: integers with separators, others to `digits` significant digits. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'NA';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-GB');
  const magnitude = Math.abs(x);
  if (magnitude >= 1e15 || magnitude < 1e-4) return padExponent(x.toExponential(digits - 1));
  if (magnitude >= 10 ** digits) return Math.round(x).toLocaleString('en-GB');
  return x.toPrecision(digits);
}

export type CellFormatter = (value: unknown) => string;

/** Formats one cell of any type; `column` selects p-value formatting by name. */
export function formatCell(value: unknown, column: string, digits = 4): string {
  if (value === null || value === undefined) return 'NA';
  if (typeof value === 'number') {
    return isPValueColumn(column) ? formatPValue(value) : formatNumber(value, digits);
  }
  if (typeof value === 'bigint') return value.toLocaleString('en-GB');
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

export { escapeHtml } from '../src/display/html';

/**
 * Formats a numeric column like R's format(x, digits): one number of decimals for the whole
 * column, enough for every value to show `digits` significant digits (trailing zeros that no value
 * needs are dropped), so that decimal points line up. Integer-only columns get thousands
 * separators; values that would need more than `digits + 4` decimals, or are huge, are written in
 * scientific notation individually. Non-numbers fall back to formatCell.
 */
export function formatNumericColumn(values: unknown[], column: string, digits = 4): string[] {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.every((v) => Number.isInteger(v) && Math.abs(v) < 1e15)) {
    return values.map((v) => formatCell(v, column, digits));
  }
  const maxDecimals = digits + 4;
  const needsScientific = (v: number) => v !== 0 && (Math.abs(v) >= 1e15 || Math.abs(v) < 10 ** -(maxDecimals - digits + 1));
  let decimals = 0;
  for (const v of finite) {
    if (v === 0 || needsScientific(v)) continue;
    const magnitude = Math.floor(Math.log10(Math.abs(v)));
    const wanted = Math.max(0, Math.min(maxDecimals, digits - 1 - magnitude));
    // Drop decimals this value does not need (1.5 needs one, not three).
    const fixed = v.toFixed(wanted);
    const trimmed = wanted > 0 ? fixed.replace(/\.?0+$/, '') : fixed;
    const used = trimmed.includes('.') ? trimmed.length - trimmed.indexOf('.') - 1 : 0;
    decimals = Math.max(decimals, used);
  }
  return values.map((v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return formatCell(v, column, digits);
    if (needsScientific(v)) return padExponent(v.toExponential(digits - 1));
    return v.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  });
}
