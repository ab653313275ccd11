/** lcaRows: factor codes harmonised and folded into one 0/1 column per item, in the store's assessment order, with the flow of dropped rows. */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { lcaRows } from '../../../src/data/store/lcaTable';

describe('lcaRows', () => {
  it('8A and 8B both count as item 8, unknown codes are ignored, assessments with no item are dropped and counted', async () => {
    const s = await Store.open(':memory:');
    try {
      await s.exec(`CREATE TABLE assessments AS SELECT * FROM (VALUES
          ('E1#A1', 'E1', 'C1', 'LA1', 2020, '8A;2b', 1),
          ('E1#A2', 'E1', 'C1', 'LA1', 2021, ' 8B ', 2),
          ('E2#A1', 'E2', 'C2', 'LA1', 2020, 'ZZ', 1),
          ('E3#A1', 'E3', 'C3', 'LA2', 2019, '2B', 3)
        ) v(assessment_id, episode_id, child_id, la, census_year, factors, true_class)`);
      const r = await lcaRows(s, { grouping: 'harmonised', codes: ['2B', '8'], names: ['f2B', 'f8'], years: [2020, 2021] });
      expect(r.flow).toEqual({ assessments_read: 4, dropped_other_years: 1, dropped_no_factor: 1, kept: 2 });
      expect(r.columns.assessment_id).toEqual(['E1#A1', 'E1#A2']);
      expect(Array.from(r.columns.f2B as Uint8Array)).toEqual([1, 0]);
      expect(Array.from(r.columns.f8 as Uint8Array)).toEqual([1, 1]);
      const all = await lcaRows(s, { grouping: 'harmonised', codes: ['2B', '8'], names: ['f2B', 'f8'], keepEmpty: true });
      expect(all.n).toBe(4);
      expect(Array.from(all.columns.f2B as Uint8Array)).toEqual([1, 0, 0, 1]);
    } finally { s.close(); }
  });
});
