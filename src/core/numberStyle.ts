/**
 * The one number style of everything the library shows (tables, figure labels, prose and the
 * warnings it writes), kept in core so that every layer (regression, survival, lca warnings as much
 * as display tables) writes numbers the same way without importing the display layer:
 * - a negative number is written with the typographic minus U+2212 ("−0.25"), as journals print
 *   it and as plotly writes its own tick and hover numbers; CSV export turns it back into ASCII
 *   '-' (asciiMinus) so that the file parses;
 * - p-values to 3 decimals, "<0.001" below and ">0.999" above (gtsummary's default);
 * - whole numbers with thousands separators (en-GB: 12,345);
 * - estimates to fixed decimals (formatEstimate) or to significant digits (formatNumber), with
 *   scientific notation only below 1e-4 (so a warning reads "0.183", never "1.83e-1").
 * The disclosure checker (display/checker/parse.ts) reads both minus signs.
 */

/** U+2212 MINUS SIGN. */
export const MINUS = '\u2212';

/**
 * `s` with every sign minus written as U+2212: a '-' at the start or after a space, bracket or
 * other non-word character, and before a digit (or ".5"), and an exponent's '-' ("1e−5"). A hyphen
 * between word characters ("2024-06-01", "KS2-KS4", "file-2") is left alone.
 */
export function typographicMinus(s: string): string {
  return s.replace(/(^|[^\w.\-\u2212])-(?=\.?\d|Inf\b)/g, `$1${MINUS}`).replace(/(\d[eE])-(?=\d)/g, `$1${MINUS}`);
}

/** `s` with U+2212 written back as ASCII '-' (for CSV and other machine-read exports). */
export function asciiMinus(s: string): string {
  return s.replace(/\u2212/g, '-');
}

/** ±Inf and NaN as shown: "Inf", "−Inf", and `nan` (default "NA"). */
function nonFinite(x: number, nan = 'NA'): string {
  return Number.isNaN(x) ? nan : x > 0 ? 'Inf' : `${MINUS}Inf`;
}

/** x with `digits` decimals and en-GB separators ("−1,234.50"); a value rounding to zero loses its minus sign. */
export function formatEstimate(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const s = x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  // "-0.00" reads as an error: a value that rounds to zero is shown without its sign.
  return /^-0[.,]?0*$/.test(s) ? s.slice(1) : typographicMinus(s);
}

/** A p-value to 3 decimals, '<0.001' / '>0.999' at the ends, 'NA' for null or NaN (as gtsummary). */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return 'NA';
  if (p < 0.001) return '<0.001';
  if (p > 0.999) return '>0.999';
  return p.toFixed(3);
}

/** A p-value in prose: "p = 0.030", "p < 0.001", "p > 0.999" (formatP's style, spaced as a sentence). */
export function pInProse(p: number | null | undefined): string {
  const f = formatP(p);
  return f.startsWith('<') || f.startsWith('>') ? `p ${f[0]} ${f.slice(1)}` : `p = ${f}`;
}

/** Column names that hold p-values: p, p.value, p_value, Pr(>|z|), "p (frailty)", "LRT p", … */
export function isPValueColumn(name: string): boolean {
  return /^(p|p[._]?value|p\.adj(usted)?|pr\(>.*\))$/i.test(name.trim()) || /(^|[\s.(_])p([._]value)?(\s*\(|$)/i.test(name.trim());
}

/**
 * A non-count number for reading: whole numbers with separators, others to `digits` significant
 * digits (numbers of `digits` or more integer digits rounded to whole numbers, with separators),
 * very small ones in scientific notation; p-value columns (isPValueColumn) as formatP; NaN as "".
 */
export function formatNumber(v: number, digits = 4, column = ''): string {
  if (!Number.isFinite(v)) return nonFinite(v, '');
  if (column !== '' && isPValueColumn(column)) return formatP(v);
  if (Number.isInteger(v)) return typographicMinus(v.toLocaleString('en-GB'));
  const abs = Math.abs(v);
  if (abs >= Math.pow(10, digits)) return typographicMinus(Math.round(v).toLocaleString('en-GB'));
  if (abs < 1e-4) return typographicMinus(v.toExponential(Math.max(0, digits - 1)));
  const s = String(Number(v.toPrecision(digits)));
  // Four significant digits of a number above 1,000 still deserve a separator.
  return typographicMinus(abs >= 1000 ? Number(s).toLocaleString('en-GB', { maximumFractionDigits: 20 }) : s);
}

/** Fixed decimals, with separators (percentages and other columns with a stated precision); "" for NaN. */
export function formatFixed(v: number, decimals: number): string {
  return Number.isFinite(v) ? formatEstimate(v, decimals) : '';
}

/** A whole number (a count, N, events, rows) with thousands separators: "51,230", "−1,200". */
export function formatWhole(n: number): string {
  return Number.isFinite(n) ? typographicMinus(Math.round(n).toLocaleString('en-GB', { maximumFractionDigits: 0 })) : nonFinite(n);
}
