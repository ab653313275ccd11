// Protection for tables handed over without saying which columns hold counts (kernel-helpers'
// show() of a plain table): columns are classified by name the way the output checker reads them,
// so nothing a checker would treat as a count reaches the page unprotected.
import { protectTable, protectCount, rowsOf, SDC_SUPPRESSED, type ProtectedTable, type SdcRules, type SdcRow } from '../sdc';
import { columnKind, ROW_COUNT_LABEL } from '../checker/tables';
import { columnHeader } from '../headers';

/**
 * Count-like columns (by name: n, episodes, events, person-time, …) whose values are numbers. A
 * column is judged by its machine name and by the header a reader (and the checker) sees: glance()'s
 * `nobs` is shown as "N".
 */
export function countColumnsByName(rows: ReadonlyArray<Record<string, unknown>>, columns: string[]): string[] {
  return columns.filter((c) => {
    const byName = columnKind(c, false);
    const k = byName === 'count' || byName === 'person-time' ? byName : columnKind(columnHeader(c), false);
    if (k !== 'count' && k !== 'person-time') return false;
    const vals = rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined);
    // A count column holds whole numbers (a "size" of 0.23 is a share, not a count).
    return vals.length > 0 && vals.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && (k === 'person-time' || Number.isInteger(v)));
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

/** Rows labelled as counts in their first column ("N", "episodes (events)", …): every whole number
 *  in their other cells, numeric or inside a string such as "51234 (20961)", is protected. */
export function protectCountRows(rows: ReadonlyArray<Record<string, unknown>>, rules?: Partial<SdcRules>): Record<string, unknown>[] {
  return rows.map((r) => {
    const keys = Object.keys(r);
    const label = String(r[keys[0]] ?? '');
    if (!ROW_COUNT_LABEL.test(label)) return r;
    const o: Record<string, unknown> = { ...r };
    for (const k of keys.slice(1)) {
      const v = o[k];
      if (typeof v === 'number' && Number.isInteger(v)) o[k] = protectCount(v, rules) ?? SDC_SUPPRESSED;
      else if (typeof v === 'string') {
        o[k] = v.replace(/(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d.])|(?<![\d.,])\d+(?![\d.,])/g, (m) => {
          const p = protectCount(Number(m.replace(/,/g, '')), rules);
          return p === null ? SDC_SUPPRESSED : String(p);
        });
      }
    }
    return o;
  });
}

/** The renderers' guard for tables declared without counts (plainTable): count rows and
 *  count-named columns are protected all the same, and min/max columns are refused. */
export function guardPlainTable(t: ProtectedTable): ProtectedTable {
  if (t.countColumns.length > 0) return t;
  const rows = protectCountRows(t.rows as ReadonlyArray<Record<string, unknown>>, t.rules);
  const byName = protectByName(rows, t.rules);
  if (byName) return Object.freeze({ ...byName, note: [t.note, byName.note].filter(Boolean).join(' ') });
  return Object.freeze({ ...t, rows: Object.freeze(rows.map((r) => Object.freeze(r as SdcRow))) });
}
