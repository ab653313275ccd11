/** applyRules: one scan, one finding per rule broken per row (in rule order), with the field, value and sentence each rule gives. */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { createFindings } from '../../../src/data/store/findings';
import { createMacros } from '../../../src/data/store/sql';
import { applyRules, dateRules, RULES, conflictingChildDetails } from '../../../src/data/store/rules';
import type { Rule } from '../../../src/data/store/rules';

describe('applyRules', () => {
  it('writes a finding for every rule a row breaks, none for clean rows', async () => {
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      await createMacros(s, 'YYYY-MM-DD');
      await s.exec(`CREATE TABLE t AS SELECT * FROM (VALUES ('f.csv', 2, 'C1', '2020-01-05', '5'), ('f.csv', 3, '', '05/01/2020', '11'), ('f.csv', 4, 'C3', '', '3')) v(file, line, child_id, d, n)`);
      const rules: Rule[] = [
        { rule: 'missing_id', action: 'excluded', field: 'child_id', where: `child_id = ''`, value: `''`, message: `'missing child identifier'` },
        ...dateRules(['d']),
        { rule: 'count_range', action: 'value_dropped', field: '=\'n\'', where: `n::INTEGER > 10`, value: 'n', message: `'n ' || n || ' above 10'` },
      ];
      await applyRules(s, 'cin', 't', rules);
      const r = await s.rows(`SELECT line, field, value, rule, action, message, child_id FROM findings ORDER BY line, rule`);
      expect(r.map((x) => [x.line, x.rule, x.field, x.value, x.action])).toEqual([
        [3, 'count_range', 'n', '11', 'value_dropped'],
        [3, 'date_format', 'd', '05/01/2020', 'excluded'],
        [3, 'missing_id', 'child_id', '', 'excluded'],
      ]);
      expect(String(r.find((x) => x.rule === 'date_format')?.message)).toMatch(/d '05\/01\/2020' is not a date in the declared format YYYY-MM-DD/);
      expect(r.every((x) => x.child_id === '')).toBe(true);
      // no child column: child_id NULL
      await applyRules(s, 'ks2', 't', [rules[0]], '');
      expect(await s.scalar(`SELECT count(*) FILTER (WHERE child_id IS NULL)::INTEGER FROM findings WHERE source = 'ks2'`)).toBe(1);
    } finally { s.close(); }
  });

  it('dateRules over a typed column (d_<field>) fires on exactly the rows the text form does', async () => {
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      await createMacros(s, 'YYYY-MM-DD');
      const values = ['2020-01-05', '05/01/2020', '', null, '2019-02-29', '2020-02-29', '0000-01-01', '2020-13-01', ' 2020-01-05', '2020-1-05', '-020-01-05', '2020-01-05T10:00'];
      await s.exec(`CREATE TABLE t AS SELECT 'f.csv' AS file, i::INTEGER + 2 AS line, 'C' AS child_id, d, pdate(d) AS d_d FROM (SELECT unnest([${values.map((v) => (v === null ? 'NULL' : `'${v}'`)).join(', ')}]) AS d, generate_subscripts([${values.map(() => '0').join(', ')}], 1) AS i)`);
      await applyRules(s, 'text', 't', dateRules(['d']));
      await applyRules(s, 'typed', 't', dateRules(['d'], 'excluded', true));
      const lines = async (source: string): Promise<unknown[]> => (await s.columns(`SELECT line FROM findings WHERE source = '${source}' ORDER BY line`)).line;
      // lines 4, 7, 10-14: 05/01/2020, 2019-02-29, 2020-13-01, ' 2020-01-05', 2020-1-05, -020-01-05, the date-time; 0000-01-01 is a date (1 BC) in both
      expect(await lines('typed')).toEqual([4, 7, 10, 11, 12, 13, 14]);
      expect(await lines('typed')).toEqual(await lines('text'));
    } finally { s.close(); }
  });

  it('every rule the ingest writes is in the RULES catalogue (shown as the reason)', async () => {
    const fs = await import('fs');
    const path = await import('path');
    const dir = path.resolve(__dirname, '../../../src/data/store');
    const used = new Set<string>();
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/rule: '([a-z_0-9]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(10);
    for (const r of used) expect(RULES, r).toHaveProperty(r);
  });
});

describe('conflictingChildDetails', () => {
  it('names a child with two sexes and a PMR on two children at their first line; a missing value beside a given one is no conflict', async () => {
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      await s.exec(`CREATE TABLE t AS SELECT * FROM (VALUES
          ('LA1', 'C1', 'P1', 'M', '2010-01-01', 4, 'a.csv'), ('LA1', 'C1', 'P1', 'F', '2010-01-01', 2, 'a.csv'),
          ('LA1', 'C2', 'P2', 'F', NULL, 5, 'a.csv'), ('LA1', 'C2', 'P2', 'F', '2011-02-02', 6, 'a.csv'),
          ('LA2', 'C3', 'P1', 'M', '2012-03-03', 7, 'a.csv')) v(la, child_id, pmr, sex, dob, source_row, _file)`);
      await conflictingChildDetails(s, { source: 'cla', table: 't', childKey: `la || ' ' || child_id`, dobField: 'dob', episodes: 'care episodes', children: 'looked-after children' });
      const f = await s.rows(`SELECT source, line, field, value, rule, message FROM findings ORDER BY rule`);
      expect(f.map((r) => [r.source, r.line, r.field, r.rule])).toEqual([['cla', 2, 'sex', 'child_conflicting_details'], ['cla', 2, 'pmr', 'pmr_shared']]);
      // string_agg(DISTINCT) lists the values in no set order
      expect(String(f[0].value)).toMatch(/^(F, M|M, F)$/);
      expect(f[1].value).toBe('P1');
      expect(String(f[0].message)).toMatch(/^child LA1 C1 has 2 different sex values across care episodes \((F, M|M, F)\); each episode keeps its own$/);
      expect(String(f[1].message)).toMatch(/^pupil matching reference P1 is shared by 2 different looked-after children \((LA1 C1, LA2 C3|LA2 C3, LA1 C1)\)/);
    } finally { s.close(); }
  });
});

