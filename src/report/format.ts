/**
 * The number style of publication tables: the library's one number formatter (display/numbers:
 * estimates to fixed decimals with U+2212 minus, p-values to 3 decimals with "<0.001" below,
 * counts with thousands separators), plus significance stars and their legend.
 */
export { formatEstimate, formatP, formatCount } from '../display/numbers';

/** Significance stars for p (* < 0.05, ** < 0.01, *** < 0.001; none for NA), see STARS_LEGEND. */
export function starsFor(p: number | null): string {
  if (p === null || Number.isNaN(p)) return '';
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

export const STARS_LEGEND = '* p < 0.05, ** p < 0.01, *** p < 0.001';
