/**
 * One number style for publication tables (as gtsummary's defaults): estimates to fixed
 * decimals, p-values to 3 decimals with "<0.001" below, counts with thousands separators.
 */
import { SDC_SUPPRESSED } from '../display/index';

/** x with `digits` decimals and en-GB separators; ±Inf and NA spelled out; a value rounding to zero loses its minus sign. */
export function formatEstimate(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : x < 0 ? '-Inf' : 'NA';
  const s = x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  // A value that rounds to zero keeps its sign off ("-0.00" reads as an error).
  return /^-0[.,]?0*$/.test(s) ? s.slice(1) : s;
}

/** A p-value to 3 decimals, '<0.001' / '>0.999' at the ends, 'NA' for null or NaN (as gtsummary). */
export function formatP(p: number | null): string {
  if (p === null || Number.isNaN(p)) return 'NA';
  if (p < 0.001) return '<0.001';
  if (p > 0.999) return '>0.999';
  return p.toFixed(3);
}

/** A count that went through protectCount: null is a suppressed count. */
export function formatCount(n: number | null): string {
  return n === null ? SDC_SUPPRESSED : n.toLocaleString('en-GB', { maximumFractionDigits: 0 });
}

/** Significance stars for p (* < 0.05, ** < 0.01, *** < 0.001; none for NA), see STARS_LEGEND. */
export function starsFor(p: number | null): string {
  if (p === null || Number.isNaN(p)) return '';
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

export const STARS_LEGEND = '* p < 0.05, ** p < 0.01, *** p < 0.001';
