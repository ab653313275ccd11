// Helpers shared by the regression tests: R fixture loading and the README's comparison rule.
import * as aq from 'arquero';
import { expect } from 'vitest';
import { readReferenceCase, relDiff, withinTolerance } from '../helpers/reference';

export function loadCase(name: string): { table: aq.ColumnTable; expected: any; spec: any } {
  const c = readReferenceCase(name);
  return { table: aq.fromCSV(c.csv), expected: c.expected, spec: c.spec };
}

/** |a − b| ≤ rtol·|b| + atol, with a message naming the quantity. */
export function close(actual: number, expected: number, what: string, rtol = 1e-6, atol = 1e-10): void {
  if (!withinTolerance(actual, expected, rtol, atol)) expect.fail(`${what}: got ${actual}, R has ${expected} (rel diff ${relDiff(actual, expected)})`);
}

/** p-values: atol 1e-12; when R's p < 1e-12 the caller compares the statistic instead. */
export function closeP(actual: number, expected: number, what: string): void {
  if (expected < 1e-12) return;
  close(actual, expected, what, 1e-6, 1e-12);
}

/** Named R vector vs (names, values): same names in the same order, values close. */
export function closeNamed(names: readonly string[], values: readonly number[], expected: Record<string, number>, what: string, rtol = 1e-6): void {
  expect(names).toEqual(Object.keys(expected));
  names.forEach((nm, j) => close(values[j], expected[nm], `${what}[${nm}]`, rtol));
}

export function closeMatrix(actual: readonly (readonly number[])[], expected: { values: number[][] }, what: string, rtol = 1e-6): void {
  expect(actual.length).toBe(expected.values.length);
  expected.values.forEach((row, i) => row.forEach((v, j) => close(actual[i][j], v, `${what}[${i},${j}]`, rtol)));
}

/**
 * A fit's SEs, vcov, test statistics and p-values against R's (any part may be omitted):
 * se / statistic / p as R named vectors, vcov as { values }. `what` labels the variance type.
 */
export function closeInference(
  fit: { names: readonly string[]; se: readonly number[]; statistic: readonly number[]; p: readonly number[]; vcov: readonly (readonly number[])[] },
  ref: { se?: Record<string, number>; statistic?: Record<string, number>; p?: Record<string, number>; vcov?: { values: number[][] } },
  what: string,
): void {
  if (ref.se) closeNamed(fit.names, fit.se, ref.se, `${what} se`);
  if (ref.vcov) closeMatrix(fit.vcov, ref.vcov, `${what} vcov`);
  if (ref.statistic) closeNamed(fit.names, fit.statistic, ref.statistic, `${what} statistic`);
  const p = ref.p;
  if (p) fit.names.forEach((nm, j) => closeP(fit.p[j], p[nm], `${what} p[${nm}]`));
}

/**
 * Level orders from a fixture's spec.json column descriptions ("levels A, B, C, reference 'A'").
 * For a text column the description does not parse, the order is recovered from R's coefficient
 * names (reference = the level with no column; others in coefficient order).
 */
export function levelsFromSpec(spec: any, table?: aq.ColumnTable, coefNames?: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (table && coefNames) {
    for (const col of table.columnNames()) {
      const vals = table.array(col) as unknown[];
      if (!vals.some((v) => typeof v === 'string')) continue;
      const levels = Array.from(new Set(vals.filter((v) => v !== null && v !== '').map(String)));
      const inNames = coefNames.filter((nm) => nm.startsWith(col) && levels.includes(nm.slice(col.length))).map((nm) => nm.slice(col.length));
      const ref = levels.filter((l) => !inNames.includes(l));
      if (ref.length === 1) out[col] = [ref[0], ...inNames];
    }
  }
  for (const [col, desc] of Object.entries(spec.columns as Record<string, string>)) {
    const m = /levels ([^,]+(?:, [^,]+)*?), reference/.exec(desc) ?? /categorical ([A-Za-z0-9_]+(?:, [A-Za-z0-9_]+)+); reference/.exec(desc);
    if (m) out[col] = m[1].split(',').map((s) => s.trim());
  }
  return out;
}
