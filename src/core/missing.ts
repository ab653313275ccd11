// The library's one missing-value rule, used by every table front end (formula design, Cox/KM
// tables, LCA items, distal outcomes, group labels).

/**
 * True when a cell counts as missing: null, undefined, NaN, or a string that is empty or only
 * white space (how an empty CSV field arrives). R's read.csv turns an empty numeric field into NA
 * and this rule gives the same result for text columns, so '' is never a level of its own.
 */
export function isMissing(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'number') return Number.isNaN(v);
  if (typeof v === 'string') return v.trim() === '';
  return false;
}
