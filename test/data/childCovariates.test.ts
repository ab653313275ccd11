import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { childCovariates } from '../../src/data/index';
import type { LcaMatrix, StudyData } from '../../src/data/index';

describe('childCovariates', () => {
  const cin = aq.table({ episode_id: ['e1', 'e2', 'e3'], sex: ['M', 'F', 'M'], birth_year: [2010, null, 2006], idaci_decile: [3, 5, null] });
  const lcaTable = aq.table({ assessment_id: ['a1', 'a2', 'a3', 'a4'], episode_id: ['e1', 'e2', 'e3', 'e1'], census_year: [2020, 2019, 2021, 2021] });
  // the store hands tables over by name; a stand-in with the same method
  const data = { table: async () => cin } as unknown as StudyData;
  const lca = { table: lcaTable } as unknown as LcaMatrix;
  it('male, age at the census year and decile per assessment; missing values mean-filled and counted', async () => {
    const c = await childCovariates(data, lca);
    expect(c.names).toEqual(['male', 'age', 'idaci_decile']);
    expect(c.imputed).toBe(2);
    // birth-year mean over assessments with one: (2010 + 2006 + 2010) / 3; decile mean (3 + 5 + 3) / 3
    expect(c.covariates[0]).toEqual([1, 10, 3]);
    expect(c.covariates[1][0]).toBe(0);
    expect(c.covariates[1][1]).toBeCloseTo(2019 - 6026 / 3, 10);
    expect(c.covariates[2][2]).toBeCloseTo(11 / 3, 10);
  });
  it('refuses a join that changes the row count', async () => {
    const dupCin = aq.table({ episode_id: ['e1', 'e1'], sex: ['M', 'M'], birth_year: [1, 1], idaci_decile: [1, 1] });
    const dup = { table: async () => dupCin } as unknown as StudyData;
    await expect(childCovariates(dup, lca)).rejects.toThrow(/duplicate episode_id/);
  });
});
