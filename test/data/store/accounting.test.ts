/** dataFlow: physical lines = rows read = analysed + excluded + merged, counted from the tables; a broken identity is a DataError. */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { createFindings, addFinding } from '../../../src/data/store/findings';
import { dataFlow } from '../../../src/data/store/accounting';
import { DataError } from '../../../src/data/errors';

async function ks2Store(analysed: number, merged: number): Promise<Store> {
  const s = await Store.open(':memory:');
  await createFindings(s);
  await s.exec(`CREATE TABLE ks2 AS SELECT 'k.csv' AS _file, range AS i FROM range(${analysed})`);
  await s.exec(`CREATE TABLE ks2_v AS SELECT 'k.csv' AS file, 2 AS rk FROM range(${merged})`);
  // two findings on one line count as one excluded line; a header-line finding (line 1) is not a record
  for (const [line, rule] of [[5, 'missing_id'], [5, 'date_format'], [1, 'duplicate_header']] as const) {
    await addFinding(s, { source: 'ks2', file: 'k.csv', line, field: 'x', value: '', rule, action: 'excluded', message: '' });
  }
  return s;
}

describe('dataFlow', () => {
  it('balances rows read against analysed + excluded lines + merged duplicates', async () => {
    const s = await ks2Store(7, 2);
    try {
      expect(await dataFlow(s, [{ source: 'ks2', file: 'k.csv', physicalDataLines: 10, rowsRead: 10 }]))
        .toEqual([{ source: 'ks2', file: 'k.csv', rows_read: 10, duplicates_merged: 2, rows_excluded: 1, rows_analysed: 7 }]);
    } finally { s.close(); }
  });

  it('fails loudly when a record is unaccounted for, or the parser read other than the physical lines', async () => {
    const s = await ks2Store(6, 2);
    try {
      await expect(dataFlow(s, [{ source: 'ks2', file: 'k.csv', physicalDataLines: 10, rowsRead: 10 }])).rejects.toThrow(/rows read 10 != analysed 6 \+ excluded 1 \+ duplicates merged 2/);
      await expect(dataFlow(s, [{ source: 'ks2', file: 'k.csv', physicalDataLines: 11, rowsRead: 10 }])).rejects.toBeInstanceOf(DataError);
    } finally { s.close(); }
  });

  it('takes a reader-accounted file (no table of its own) from the reader, and checks it too', async () => {
    const s = await ks2Store(0, 0);
    try {
      const f = { source: 'ssda903-header', file: 'h.csv', physicalDataLines: 5, rowsRead: 5, readerExcluded: 1, readerMerged: 1, analysed: 3 };
      expect((await dataFlow(s, [f]))[0]).toMatchObject({ rows_analysed: 3, rows_excluded: 1, duplicates_merged: 1 });
      await expect(dataFlow(s, [{ ...f, analysed: 2 }])).rejects.toThrow(/accounting identity broken/);
    } finally { s.close(); }
  });
});
