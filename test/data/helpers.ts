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
