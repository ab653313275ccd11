/** The store behind a StudyData: found from the data (or an object derived from it), and tables read by name with their columns checked. */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { attachStore, storeOf, storeTable } from '../../../src/data/store/handle';
import { DataError } from '../../../src/data/errors';

describe('storeOf / storeTable', () => {
  it('finds the store of a data object and of one derived from it; anything else is a DataError naming the caller', async () => {
    const s = await Store.open(':memory:');
    try {
      const data = Object.freeze({ kind: 'study' });
      attachStore(data, s);
      expect(storeOf(data, 'buildLcaMatrix')).toBe(s);
      expect(storeOf(Object.create(data) as object, 'buildLcaMatrix')).toBe(s);
      expect(() => storeOf({}, 'buildLcaMatrix')).toThrow(DataError);
      expect(() => storeOf({}, 'buildLcaMatrix')).toThrow(/buildLcaMatrix: data must come from loadStudyData/);
    } finally { s.close(); }
  });

  it('reads a table in stored order without helper columns; an unknown table or column is a DataError listing what exists', async () => {
    const s = await Store.open(':memory:');
    try {
      await s.exec(`CREATE TABLE ks2 AS SELECT * FROM (VALUES ('P3', 2019, 101.0, 'a.csv'), ('P1', 2018, NULL, 'a.csv')) v(pmr, academic_year, read_score, _file)`);
      const t = await storeTable(s, 'ks2');
      expect(t.columnNames()).toEqual(['pmr', 'academic_year', 'read_score']);
      expect(t.array('pmr')).toEqual(['P3', 'P1']);
      expect(Array.from(t.array('read_score') as Float64Array)).toEqual([101, NaN]);
      expect((await storeTable(s, 'ks2', ['academic_year'])).columnNames()).toEqual(['academic_year']);
      await expect(storeTable(s, 'secrets')).rejects.toThrow(/unknown table 'secrets'; tables: cin, /);
      await expect(storeTable(s, 'ks2', ['_file'])).rejects.toThrow(/no column _file; columns: pmr, academic_year, read_score/);
    } finally { s.close(); }
  });
});
