// R reference fixtures (../shared/reference, beside the repo in CI) and the README's comparison
// rule, shared by the survival and regression tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REFERENCE_DIR = path.resolve(process.cwd(), '../shared/reference');

export interface ReferenceCase {
  /** data.csv as text. */
  readonly csv: string;
  readonly expected: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly spec: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Reads one fixture folder: data.csv (text), expected.json and spec.json (parsed). */
export function readReferenceCase(name: string): ReferenceCase {
  const dir = path.join(REFERENCE_DIR, name);
  const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8');
  return { csv: read('data.csv'), expected: JSON.parse(read('expected.json')), spec: JSON.parse(read('spec.json')) };
}

/** The README's rule: |actual − expected| ≤ rtol·|expected| + atol. */
export function withinTolerance(actual: number, expected: number, rtol: number, atol: number): boolean {
  return Math.abs(actual - expected) <= rtol * Math.abs(expected) + atol;
}

/** Relative difference for failure messages. */
export function relDiff(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
