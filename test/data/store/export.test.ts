/** Persisting the built tables with low-cardinality text as ENUMs, and reading any table back as columns with the same values. */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { enumifyTables, exportColumns, exportTable } from '../../../src/data/store/export';

describe('enumifyTables / exportColumns', () => {
  it('moves a TEMP table into the store, few-valued text as ENUM, many-valued text as VARCHAR; values and order unchanged', async () => {
    const s = await Store.open(':memory:');
    try {
      // 30000 distinct ids (more than an ENUM is made for), 3 LAs, a NULL, a helper column
      await s.exec(`CREATE TEMP TABLE t AS SELECT 'C' || (29999 - range) AS id, CASE WHEN range % 7 = 0 THEN NULL ELSE 'LA' || (range % 3) END AS la, range::INTEGER AS n, 'x' AS _file FROM range(30000)`);
      const before = await exportColumns(s, 't');
      await enumifyTables(s, ['t']);
      const types = await s.columns(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't' AND table_schema = 'main' ORDER BY ordinal_position`);
      expect(types.data_type[0]).toBe('VARCHAR');
      expect(String(types.data_type[1])).toMatch(/^ENUM/);
      expect(Number(await s.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 't' AND temporary`))).toBe(0);
      const after = await exportColumns(s, 't');
      expect(Object.keys(after)).toEqual(['id', 'la', 'n']);
      expect(after).toEqual(before);
      expect(after.la.slice(0, 3)).toEqual([null, 'LA1', 'LA2']);
      const t = await exportTable(s, 't', 'WHERE n < 5 ORDER BY n DESC');
      expect(t.array('n')).toEqual([4, 3, 2, 1, 0]);
    } finally { s.close(); }
  });
});
