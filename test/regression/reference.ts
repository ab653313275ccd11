// Helpers shared by the regression tests: R fixture loading and the README's comparison rule.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { expect } from 'vitest';

export const REF_DIR = path.resolve(process.cwd(), '../shared/reference');

export function loadCase(name: string): { table: aq.ColumnTable; expected: any; spec: any } {
  const dir = path.join(REF_DIR, name);
  return {
    table: aq.fromCSV(readFileSync(path.join(dir, 'data.csv'), 'utf8')),
    expected: JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')),
    spec: JSON.parse(readFileSync(path.join(dir, 'spec.json'), 'utf8')),
  };
}

/** |a − b| ≤ rtol·|b| + atol, with a message naming the quantity. */
export function close(actual: number, expected: number, what: string, rtol = 1e-6, atol = 1e-10): void {
  const ok = Math.abs(actual - expected) <= rtol * Math.abs(expected) + atol;
  if (!ok) expect.fail(`${what}: got ${actual}, R has ${expected} (rel diff ${Math.abs(actual - expected) / Math.abs(expected)})`);
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
