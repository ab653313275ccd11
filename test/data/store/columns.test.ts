/** readColumns: a query result as typed columns, with NULLs as NaN / null and text crossing in blocks (dictionary or joined). */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { readColumns } from '../../../src/data/store/columns';

describe('readColumns', () => {
  it('integers as Int32Array, with a NULL as Float64Array + NaN, doubles as Float64Array, UTINYINT flags as Uint8Array, text as strings', async () => {
    const s = await Store.open(':memory:');
    try {
      const { n, columns } = await readColumns(s, `SELECT range::INTEGER AS i, CASE WHEN range = 2 THEN NULL ELSE range END::INTEGER AS j, range / 4 AS x,
          (range % 2)::UTINYINT AS f, CASE WHEN range = 1 THEN NULL ELSE 'v' || (range % 2) END AS s, 'u' || range || chr(1) AS odd
        FROM range(5) ORDER BY range`);
      expect(n).toBe(5);
      expect(columns.i).toBeInstanceOf(Int32Array);
      expect(Array.from(columns.i as Int32Array)).toEqual([0, 1, 2, 3, 4]);
      expect(columns.j).toBeInstanceOf(Float64Array);
      expect(Array.from(columns.j as Float64Array)).toEqual([0, 1, NaN, 3, 4]);
      expect(Array.from(columns.x as Float64Array)).toEqual([0, 0.25, 0.5, 0.75, 1]);
      expect(columns.f).toBeInstanceOf(Uint8Array);
      expect(Array.from(columns.f as Uint8Array)).toEqual([0, 1, 0, 1, 0]);
      expect(columns.s).toEqual(['v0', null, 'v0', 'v1', 'v0']);
      // text holding the separator character crosses value by value, unchanged
      expect(columns.odd).toEqual(['u0\u0001', 'u1\u0001', 'u2\u0001', 'u3\u0001', 'u4\u0001']);
    } finally { s.close(); }
  });

  it('a long column of few distinct values (dictionary path) and one of many (joined blocks) keep row order', async () => {
    const s = await Store.open(':memory:');
    try {
      const { columns } = await readColumns(s, `SELECT 'k' || (range % 3) AS few, 'id' || range AS many FROM range(200000) ORDER BY range`);
      const few = columns.few as string[], many = columns.many as string[];
      expect(few.length).toBe(200000);
      expect([few[0], few[1], few[2], few[199999]]).toEqual(['k0', 'k1', 'k2', 'k1']);
      expect([many[0], many[123456], many[199999]]).toEqual(['id0', 'id123456', 'id199999']);
    } finally { s.close(); }
  });

  it('several dictionary columns with NULLs, read in one pass on two threads, land on their own rows', async () => {
    const s = await Store.open(':memory:');
    try {
      // values from a hash of the row number: no run of rows shares a pattern a wrong placement could match by chance
      const sql = `SELECT range::INTEGER AS i, CASE WHEN hash(range) % 7 = 0 THEN NULL ELSE 'a' || (hash(range) % 5) END AS a,
          'b' || (hash(range * 31) % 3) AS b, CASE WHEN range % 11 = 0 THEN NULL ELSE 'c' || (hash(range * 17) % 4) END AS c FROM range(150000) ORDER BY range`;
      const want = await s.columns(sql.replace('range::INTEGER AS i', 'range::INTEGER AS i'));
      const { n, columns } = await s.withThreads(2, () => readColumns(s, sql));
      expect(n).toBe(150000);
      for (const c of ['a', 'b', 'c']) expect(columns[c], c).toEqual(want[c]);
      expect(Array.from(columns.i as Int32Array)).toEqual(want.i);
    } finally { s.close(); }
  });
});

