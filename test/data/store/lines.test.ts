/** scanLines: physical lines counted from the bytes (the accounting's independent count), line-end style, BOM, encodings refused. */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scanLines } from '../../../src/data/store/lines';
import { DataError } from '../../../src/data/errors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-lines-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, data: string | Buffer): string => { const f = path.join(tmp, name); fs.writeFileSync(f, data); return f; };

describe('scanLines', () => {
  it('counts LF, CRLF and CR-only line ends, and a last line with no line end', () => {
    expect(scanLines(write('lf.csv', 'a,b\n1,2\n3,4\n'), 'x')).toMatchObject({ lines: 3, newline: '\n', mixed: false, uniform: true, bom: false });
    expect(scanLines(write('crlf.csv', 'a,b\r\n1,2\r\n3,4'), 'x')).toMatchObject({ lines: 3, newline: '\r\n', mixed: false, uniform: true });
    expect(scanLines(write('cr.csv', 'a,b\r1,2\r3,4\r5,6\r'), 'x')).toMatchObject({ lines: 4, newline: '\r', mixed: false });
  });

  it('flags mixed CR-only and LF line ends, and CRLF mixed with LF as not uniform', () => {
    expect(scanLines(write('mixed.csv', 'a,b\n1,2\r3,4\n'), 'x')).toMatchObject({ mixed: true, uniform: false });
    expect(scanLines(write('crlf-lf.csv', 'a,b\r\n1,2\n3,4\r\n'), 'x')).toMatchObject({ mixed: false, uniform: false, lines: 3 });
  });

  it('skips a UTF-8 byte-order mark and counts the quote byte asked for', () => {
    const s = scanLines(write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n"x",2\n')])), 'x', 34);
    expect(s).toMatchObject({ bom: true, lines: 2, counted: 2 });
    expect(scanLines(write('noq.csv', 'a,b\n1,2\n'), 'x').counted).toBe(-1);
  });

  it('refuses UTF-16, empty and missing files with a DataError naming the file', () => {
    const u16 = write('u16.csv', Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]));
    expect(() => scanLines(u16, 'CIN extract')).toThrow(/UTF-16/);
    expect(() => scanLines(write('empty.csv', ''), 'CIN extract')).toThrow(/empty/);
    let err: unknown;
    try { scanLines(path.join(tmp, 'nope.csv'), 'CIN extract'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DataError);
    expect(String((err as Error).message)).toMatch(/nope\.csv/);
  });

  it('a NUL byte is refused naming its line; UTF-16 without a byte-order mark is named as such (kind: latin1_line, other encodings)', () => {
    const nul = (() => { try { scanLines(write('nul.csv', 'a,b\n1,2\n3,4\n5,LA\u00006\n7,8'), 'CIN extract'); } catch (e) { return e as DataError; } return null; })();
    expect(nul).toBeInstanceOf(DataError);
    expect(nul!.row).toBe(4);
    expect(nul!.message).toMatch(/line 4 holds a NUL byte/);
    const u16 = (() => { try { scanLines(write('u16.csv', Buffer.from('LA,CHILD,DECOM\nLA1,C1,2019-01-01\n', 'utf16le')), 'CLA extract'); } catch (e) { return e as DataError; } return null; })();
    expect(u16!.message).toMatch(/UTF-16 encoded without a byte-order mark/);
    expect(u16!.row).toBe(1);
  });
});

describe('CRLF mixed with LF-only lines (kinds: mixed_line_ends, bom_crlf)', () => {
  it('is read as CRLF whichever is the majority, so every line is one record and the extract balances', async () => {
    const { loadTables, cleanExtract, linesOf, tempFileWriter, extractSource, expectBalanced } = await import('../helpers');
    const w = tempFileWriter('csc-lines-mixed-');
    const L = linesOf(cleanExtract().cin);
    for (const [tag, text] of [['lf-major', L.map((l, i) => l + (i === 4 ? '\r\n' : '\n')).join('')], ['crlf-major', L.map((l, i) => l + (i === 4 ? '\n' : '\r\n')).join('')]]) {
      expect(scanLines(write(`${tag}.csv`, text), 'x')).toMatchObject({ newline: '\r\n', lines: L.length, uniform: false });
      const d = await loadTables(extractSource(w, tag, { cin: text, pupils: linesOf(cleanExtract().pupils).join('\r\n') + '\n' }), { store: ':memory:' });
      expectBalanced(d);
      expect(d.dataFlow.find((f) => f.source === 'cin')).toMatchObject({ rows_read: L.length - 1, rows_excluded: 0 });
      expect(d.exclusions.numRows()).toBe(0);
    }
  });
});

