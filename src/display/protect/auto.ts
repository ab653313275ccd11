// Protection for tables handed over without saying which columns hold counts (kernel-helpers'
// show() of a plain table): columns are classified by name the way the output checker reads them,
// so nothing a checker would treat as a count reaches the page unprotected.
import { protectTable, rowsOf, type ProtectedTable, type SdcRules } from '../sdc';
import { columnKind } from '../checker/tables';

/** Count-like columns (by name: n, episodes, events, person-time, …) whose values are numbers. */
export function countColumnsByName(rows: ReadonlyArray<Record<string, unknown>>, columns: string[]): string[] {
  return columns.filter((c) => {
    const k = columnKind(c, false);
    if (k !== 'count' && k !== 'person-time') return false;
    const vals = rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined);
    return vals.length > 0 && vals.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
  });
}

/** Columns holding a minimum or maximum (refused: show them with `bandedRange`). */
export function minMaxColumns(columns: string[]): string[] {
  return columns.filter((c) => columnKind(c, false) === 'min-max');
}

/**
 * Protects a plain table: count-like columns are thresholded, rounded and secondary-suppressed
 * (column totals assumed formable); person-time is rounded to whole units first.
 * Throws if a column holds minima/maxima, naming it.
 */
export function protectByName(input: ReadonlyArray<object> | { objects(): object[] }, rules?: Partial<SdcRules>): ProtectedTable | null {
  const rows = rowsOf(input);
  const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
  const extremes = minMaxColumns(columns).filter((c) => rows.some((r) => typeof r[c] === 'number'));
  if (extremes.length > 0) {
    throw new Error(`disclosure control: column(s) ${extremes.map((c) => `"${c}"`).join(', ')} hold a minimum/maximum, which is a single record's value; show a banded range (bandedRange) instead`);
  }
  const counts = countColumnsByName(rows, columns);
  if (counts.length === 0) return null;
  const whole = rows.map((r) => {
    const o = { ...r };
    for (const c of counts) if (typeof o[c] === 'number') o[c] = Math.round(o[c] as number);
    return o;
  });
  return protectTable(whole, { countColumns: counts, margins: 'columns', rules });
}
