/**
 * ingestCsv, the line path (a file holding quote characters): each physical line is one record, so a
 * stray quote excludes its own line and never merges the lines after it; every excluded line is a
 * finding naming the line; rows read = physical data lines.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Store } from '../../../src/data/store/db';
import { ingestCsv } from '../../../src/data/store/csv';
import { createFindings } from '../../../src/data/store/findings';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-csv-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('ingestCsv (line path)', () => {
  it('splits quoted fields, excludes a stray-quote line, a short row and a blank line by name, and keeps every other line', async () => {
    const file = path.join(tmp, 'ks2.csv');
    fs.writeFileSync(file, ['pmr,school,score', 'P1,"Oak, Hill",101', 'P2,"Elm ""Top""",99', 'P3,"Ash,100', 'P4,Yew', '', 'P5,Fir,98'].join('\n') + '\n');
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      const r = await ingestCsv(s, { source: 'ks2', what: 'KS2 extract', file, columns: { pmr: 'pmr', school: 'school', score: 'score', la: 'LA' }, required: ['pmr'], table: 'raw_ks2' });
      expect(r.rowsRead).toBe(6);
      expect(r.scan.lines - 1).toBe(6);
      expect([...r.present].sort()).toEqual(['pmr', 'school', 'score']);
      expect(await s.rows(`SELECT line, pmr, school, score, la FROM raw_ks2 ORDER BY line`)).toEqual([
        { line: 2, pmr: 'P1', school: 'Oak, Hill', score: '101', la: null },
        { line: 3, pmr: 'P2', school: 'Elm "Top"', score: '99', la: null },
        { line: 7, pmr: 'P5', school: 'Fir', score: '98', la: null },
      ]);
      const f = await s.rows(`SELECT line, rule, action FROM findings ORDER BY line NULLS FIRST`);
      expect(f).toEqual([
        { line: 1, rule: 'missing_optional_column', action: 'warning' },
        { line: 4, rule: 'unbalanced_quotes', action: 'excluded' },
        { line: 5, rule: 'field_count', action: 'excluded' },
        { line: 6, rule: 'blank_line', action: 'excluded' },
      ]);
    } finally { s.close(); }
  });

  it('a missing required column or a mapped column named twice is an error naming the file', async () => {
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      const a = path.join(tmp, 'a.csv');
      fs.writeFileSync(a, 'school,"score"\nx,1\n');
      await expect(ingestCsv(s, { source: 'ks2', what: 'KS2 extract', file: a, columns: { pmr: 'pmr', score: 'score' }, required: ['pmr'], table: 't1' })).rejects.toThrow(/required column 'pmr' \(field pmr\) not found/);
      const b = path.join(tmp, 'b.csv');
      fs.writeFileSync(b, 'pmr,"pmr"\nx,1\n');
      await expect(ingestCsv(s, { source: 'ks2', what: 'KS2 extract', file: b, columns: { pmr: 'pmr' }, required: ['pmr'], table: 't2' })).rejects.toThrow(/appears 2 times in the header/);
    } finally { s.close(); }
  });

  it('an undeclared tab- or semicolon-delimited file is refused naming the delimiter to declare, not only the missing columns (kind: dialect, never sniffed)', async () => {
    for (const [d, name] of [['\t', 'tab'], [';', 'semicolon']] as const) {
      const file = path.join(tmp, `ks4-${name}.csv`);
      fs.writeFileSync(file, [['pmr', 'year', 'att8'].join(d), ['P1', '2019', '40.5'].join(d)].join('\r\n') + '\r\n');
      const s = await Store.open(':memory:');
      try {
        await createFindings(s);
        const e = await ingestCsv(s, { source: 'ks4', what: 'KS4 extract', file, columns: { pmr: 'pmr', academic_year: 'year' }, required: ['pmr', 'academic_year'], table: 'raw_ks4' }).catch((x: Error) => x);
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(new RegExp(`looks ${name}-delimited: declare dialect: \\{ delimiter: ${JSON.stringify(d).replace(/\\/g, '\\\\')} \\}`));
        // declared, it reads
        const r = await ingestCsv(s, { source: 'ks4', what: 'KS4 extract', file, columns: { pmr: 'pmr', academic_year: 'year' }, required: ['pmr', 'academic_year'], table: 'raw_ks4', dialect: { delimiter: d } });
        expect(r.rowsRead).toBe(1);
        expect(await s.rows(`SELECT line, pmr, academic_year FROM raw_ks4`)).toEqual([{ line: 2, pmr: 'P1', academic_year: '2019' }]);
      } finally { s.close(); }
    }
  });

  it('an unmatched quote is named in the column where it opens or closes, behind quoted fields, with a declared quote and delimiter (kind: stray_quote)', async () => {
    const cases: Array<[string, string, string, string | undefined, string | undefined]> = [
      // header, line, expected column, delimiter, quote
      ['pmr,school,note,score', 'P1,"Oak, Hill","NONE,101', 'note', undefined, undefined],
      ['pmr,school,note,score', 'P1,Oak,NONE",101', 'note', undefined, undefined],
      ['pmr;school;note;score', "P1;'Oak; Hill';x;'101", 'score', ';', "'"],
    ];
    for (const [k, [head, bad, col, delimiter, quote]] of cases.entries()) {
      const file = path.join(tmp, `quote-${k}.csv`);
      fs.writeFileSync(file, [head, bad, head.replace(/[a-z]+/g, 'v')].join('\r\n'));
      const s = await Store.open(':memory:');
      try {
        await createFindings(s);
        const r = await ingestCsv(s, { source: 'ks2', what: 'KS2 extract', file, columns: { pmr: 'pmr', school: 'school' }, required: ['pmr'], table: 'raw_ks2', dialect: { delimiter, quote } });
        expect(r.rowsRead).toBe(2);
        expect(await s.rows(`SELECT line, field, rule FROM findings WHERE action = 'excluded'`), `case ${k}`).toEqual([{ line: 2, field: col, rule: 'unbalanced_quotes' }]);
      } finally { s.close(); }
    }
  });
});

