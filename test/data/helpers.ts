import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll } from 'vitest';
import type { ColumnTable } from 'arquero';
import { loadStudyData } from '../../src/data';
import type { StudyData, StudySource, LoadOptions } from '../../src/data';
export { loadStudyData, DataError } from '../../src/data';
export { CIN_HEADER as CIN_HEADER_FOR_TESTS } from '../../src/data/synth/generate';

/** a StudyData with its store tables read eagerly (as tests inspect them), still usable by the table builders */
export type LoadedData = StudyData & { cin: ColumnTable; assessments: ColumnTable; cpp: ColumnTable; cla: ColumnTable; ks2: ColumnTable; ks4: ColumnTable; pupils: ColumnTable; s47: ColumnTable; cinPlans: ColumnTable };

export async function withTables(data: StudyData): Promise<LoadedData> {
  const t = Object.create(data) as LoadedData;
  for (const [k, name] of [['cin', 'cin'], ['assessments', 'assessments'], ['cpp', 'cpp'], ['cla', 'cla'], ['ks2', 'ks2'], ['ks4', 'ks4'], ['pupils', 'pupils'], ['s47', 's47'], ['cinPlans', 'cin_plans']] as const) {
    Object.defineProperty(t, k, { value: await data.table(name), enumerable: true });
  }
  return t;
}

export async function loadTables(source: StudySource, options?: LoadOptions): Promise<LoadedData> {
  return withTables(await loadStudyData(source, options));
}

/**
 * A temporary folder for hand-made CSV extracts, removed after the test file: returns the writer
 * csv(name, header, rows) -> path, where a row's missing columns are written empty.
 */
export function tempCsvWriter(prefix: string): (name: string, header: readonly string[], rows: ReadonlyArray<Record<string, string>>) => string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  return (name, header, rows) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, [header.join(','), ...rows.map((r) => header.map((h) => r[h] ?? '').join(','))].join('\n') + '\n');
    return p;
  };
}

/** The census year (ending 31 March) holding an ISO date 'YYYY-MM-DD': 2020-03-31 -> 2020, 2020-04-01 -> 2021. */
export const censusYearOf = (d: string): string => String(+d.slice(0, 4) + (+d.slice(5, 7) >= 4 ? 1 : 0));

/** A CSV the generator wrote (no quoted fields) as row objects keyed by its header, by a plain split. */
export function readCsvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, j) => [cols[j], v])));
}
