/** The findings table: one row per rule that fires, every field a researcher needs to find the record. */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { createFindings, addFinding, addNoRows } from '../../../src/data/store/findings';

describe('findings', () => {
  it('keeps source, file, line, field, value, rule, action, message and child id as given (quotes and a file-level NULL line too)', async () => {
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      await addFinding(s, { source: 'cin', file: "/x/it's.csv", line: 7, field: 'sex', value: "'3'", rule: 'code_list', action: 'excluded', message: "gender code '3' not in the list", childId: 'C1' });
      await addFinding(s, { source: 'cin', file: '', line: null, field: 'endOfData', value: '2021-03-31', rule: 'end_of_data_assumed', action: 'warning', message: 'taken as 2021-03-31' });
      const r = await s.rows('SELECT * FROM findings ORDER BY line NULLS LAST');
      expect(r).toEqual([
        { source: 'cin', file: "/x/it's.csv", line: 7, field: 'sex', value: "'3'", rule: 'code_list', action: 'excluded', message: "gender code '3' not in the list", child_id: 'C1' },
        { source: 'cin', file: '', line: null, field: 'endOfData', value: '2021-03-31', rule: 'end_of_data_assumed', action: 'warning', message: 'taken as 2021-03-31', child_id: null },
      ]);
      // created again (a fresh ingest) it starts empty
      await createFindings(s);
      expect(Number(await s.scalar('SELECT count(*) FROM findings'))).toBe(0);
    } finally { s.close(); }
  });

  it('addNoRows: a file-level warning naming the file by name, what it held and what it leaves out', async () => {
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      await addNoRows(s, 'cin', '/data/extracts/cin_2021.csv', 'header only', 'this CIN extract adds no episode');
      expect(await s.rows('SELECT source, file, line, rule, action, message FROM findings')).toEqual([
        { source: 'cin', file: '/data/extracts/cin_2021.csv', line: null, rule: 'no_rows', action: 'warning', message: 'cin_2021.csv has no data rows (header only, 0 records): this CIN extract adds no episode' },
      ]);
    } finally { s.close(); }
  });
});

