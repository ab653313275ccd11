// Child characteristics as a numeric covariate matrix for the three-step LCA (one row per analysed
// assessment, in the LCA matrix's row order): male (0/1), age at the census year, IDACI decile.
// lcaThreeStep needs a value on every row of the class model, so a missing age or decile is filled with
// the sample mean (the count is returned, to be shown through disclosure control). That is the simple
// choice; it shrinks those rows' covariate effects toward zero, so it is only sound when few rows need it.
import type { LcaMatrix, StudyData } from './types';
import { formatWhole } from '../core/numberStyle';

export interface ChildCovariates {
  /** n × 3 rows: [male, age, idaci_decile] */
  readonly covariates: number[][];
  readonly names: readonly ['male', 'age', 'idaci_decile'];
  /** rows with a mean-filled age or decile */
  readonly imputed: number;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function meanOf(a: ArrayLike<unknown>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (isNum(a[i])) { s += a[i] as number; n++; }
  return n > 0 ? s / n : NaN;
}

/**
 * Child covariates for the three-step LCA, one row per row of `lca` (same order): [male 0/1,
 * age in years at the census year, IDACI decile 1–10]; a missing age or decile is mean-filled
 * and counted in `imputed`. Errors: the join with the CIN table changes the row count
 * (duplicate episode_id).
 */
export async function childCovariates(data: StudyData, lca: LcaMatrix): Promise<ChildCovariates> {
  const child = await data.table('cin', ['episode_id', 'sex', 'birth_year', 'idaci_decile']);
  const t = lca.table.select('assessment_id', 'episode_id', 'census_year').join_left(child, 'episode_id');
  if (t.numRows() !== lca.table.numRows()) throw new Error(`childCovariates: ${formatWhole(t.numRows())} rows after joining episodes, expected ${formatWhole(lca.table.numRows())} (duplicate episode_id in the CIN table?)`);
  const sex = t.array('sex');
  const birth = t.array('birth_year');
  const decile = t.array('idaci_decile');
  const year = t.array('census_year');
  const birthMean = meanOf(birth);
  const decileMean = meanOf(decile);
  let imputed = 0;
  const covariates = Array.from({ length: t.numRows() }, (_, i) => {
    if (!isNum(decile[i]) || !isNum(birth[i])) imputed++;
    return [sex[i] === 'M' ? 1 : 0, Number(year[i]) - (isNum(birth[i]) ? birth[i] as number : birthMean), isNum(decile[i]) ? decile[i] as number : decileMean];
  });
  return { covariates, names: ['male', 'age', 'idaci_decile'], imputed };
}
