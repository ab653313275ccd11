import { expect } from 'vitest';
import { readReferenceCase, relDiff, withinTolerance } from '../helpers/reference';

/** A fixture with data.csv parsed into string-valued rows (no quoting in these files). */
export function readCase(name: string): { rows: Record<string, string>[]; expected: any; spec: any } {
  const c = readReferenceCase(name);
  const text = c.csv.trim().split(/\r?\n/);
  const header = text[0].split(',');
  const rows = text.slice(1).map((line) => {
    const f = line.split(',');
    const r: Record<string, string> = {};
    header.forEach((h, i) => (r[h] = f[i]));
    return r;
  });
  return { rows, expected: c.expected, spec: c.spec };
}

/** |a − b| ≤ rtol·|b| + atol, element-wise, with a message naming the element. */
export function expectClose(actual: number | null, expected: number | null, what: string, rtol = 1e-6, atol = 1e-10): void {
  if (expected === null || actual === null) {
    expect(actual === null || !Number.isFinite(actual as number), `${what}: expected null, got ${actual}`).toBe(expected === null || !Number.isFinite(expected as number));
    return;
  }
  const ok = withinTolerance(actual, expected, rtol, atol);
  expect(ok, `${what}: got ${actual}, expected ${expected} (rel diff ${relDiff(actual, expected)})`).toBe(true);
}

export function expectAllClose(actual: ArrayLike<number | null>, expected: ArrayLike<number | null>, what: string, rtol = 1e-6, atol = 1e-10): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], `${what}[${i}]`, rtol, atol);
}

/** p-values: compare the statistic instead when p < 1e-12 (README). */
export function expectP(actual: number, expected: number, what: string): void {
  if (expected < 1e-12) return;
  expectClose(actual, expected, what, 1e-6, 1e-12);
}

/** Design matrix columns in the fixture's naming: numeric columns as-is, factor levels as vL dummies. */
export function design(rows: Record<string, string>[], vars: Array<string | { name: string; levels: string[] }>): { x: number[][]; names: string[]; terms: Record<string, string[]> } {
  const names: string[] = [];
  const terms: Record<string, string[]> = {};
  for (const v of vars) {
    if (typeof v === 'string') names.push(v);
    else {
      const cols = v.levels.slice(1).map((l) => v.name + l);
      names.push(...cols);
      terms[v.name] = cols;
    }
  }
  const x = rows.map((r) => {
    const out: number[] = [];
    for (const v of vars) {
      if (typeof v === 'string') out.push(Number(r[v]));
      else for (const l of v.levels.slice(1)) out.push(r[v.name] === l ? 1 : 0);
    }
    return out;
  });
  return { x, names, terms };
}
