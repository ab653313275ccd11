/**
 * The byte-level CSV reader (src/data/csv.ts) against an independent reference: a plain RFC 4180
 * parser over the whole decoded string. Quoting, CRLF, BOM, blank lines, records that straddle the
 * 8 MB read boundary, multi-byte UTF-8 split across reads, and the typed accessors (text/day).
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readCsv, readCsvRows } from '../../src/data/csv';
import { parseDay } from '../../src/data/dates';
import { DataError } from '../../src/data/errors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-csv-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const write = (content: string | Buffer): string => { const p = path.join(tmp, `c${++n}.csv`); fs.writeFileSync(p, content); return p; };

/** reference parser: whole string, character by character; returns records with their start line */
function reference(text: string): Array<{ fields: string[]; line: number }> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: Array<{ fields: string[]; line: number }> = [];
  let fields: string[] = [], field = '', q = false, line = 1, start = 1, i = 0, quotedField = false;
  const endRecord = (): void => {
    if (!quotedField && field.endsWith('\r')) field = field.slice(0, -1);
    else if (quotedField && field.endsWith('\r')) field = field.slice(0, -1);
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !quotedField)) out.push({ fields, line: start });
    fields = []; field = ''; quotedField = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (q) {
      if (c === '"') { if (text[i + 1] === '"') { field += '"'; i += 2; continue; } q = false; i++; continue; }
      if (c === '\n') line++;
      field += c; i++; continue;
    }
    if (c === '"' && field === '' && !quotedField) { q = true; quotedField = true; i++; continue; }
    if (c === ',') { fields.push(field); field = ''; quotedField = false; i++; continue; }
    if (c === '\n') { endRecord(); line++; start = line; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || fields.length) endRecord();
  return out;
}

function readAll(file: string, chunkBytes?: number): { header: string[]; rows: Array<{ fields: string[]; line: number }> } {
  let header: string[] = [];
  const rows: Array<{ fields: string[]; line: number }> = [];
  readCsv(file, 'test file', (h) => { header = h; }, (f, line) => rows.push({ fields: f.slice(), line }), { chunkBytes });
  return { header, rows };
}

describe('readCsv agrees with a reference RFC 4180 parser', () => {
  const cases: Record<string, string> = {
    plain: 'a,b,c\n1,2,3\n4,5,6\n',
    'no final newline': 'a,b\n1,2\n3,4',
    crlf: 'a,b\r\n1,2\r\n3,4\r\n',
    bom: '\ufeffa,b\n1,2\n',
    'quoted comma, quote and newline': 'a,b,c\n"x,y","he said ""hi""","two\nlines"\n7,8,9\n',
    'quoted then CRLF': 'a,b\r\n"1","2"\r\n"3",4\r\n',
    'empty fields and blank lines': 'a,b,c\n,,\n\n1,,3\n\r\n',
    'utf-8 text': 'name,town\nZoë,Llanfairpwll\n"Łódź, PL",Kraków\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, () => {
      const ref = reference(text);
      const got = readAll(write(text));
      expect(got.header).toEqual(ref[0].fields.map((h) => h.trim()));
      expect(got.rows).toEqual(ref.slice(1));
    });
  }

  it('records straddling read boundaries (every read size 16..80 bytes), with quoted newlines and multi-byte characters', () => {
    const parts: string[] = ['id,text,date'];
    for (let k = 0; k < 120; k++) {
      const t = k % 7 === 0 ? `"multi\nline ""${k}"", é"` : k % 5 === 0 ? `"a,b ${'é'.repeat(k % 13)}"` : 'x'.repeat(k % 37) + 'ü';
      parts.push(`${k},${t},2019-0${1 + (k % 9)}-1${k % 10}`);
    }
    const text = '\ufeff' + parts.join('\r\n') + '\r\n';
    const file = write(text);
    const ref = reference(text).slice(1);
    for (let chunk = 16; chunk <= 80; chunk++) expect(readAll(file, chunk).rows).toEqual(ref);
    expect(readAll(file).rows).toEqual(ref);
  });
  it('invalid UTF-8 is reported with its line whatever the read size', () => {
    const file = write(Buffer.concat([Buffer.from('a,b\n1,é\n2,"x\ny"\n3,'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('\n4,5\n')]));
    for (const chunk of [16, 17, 23, 64, undefined]) expect(() => readAll(file, chunk)).toThrow(/invalid bytes at or after line 5\)/);
  });
});

describe('typed accessors', () => {
  it('text() trims, day() matches parseDay, blank and absent fields', () => {
    const f = write('a,b,c,d\n  x  ,2020-02-29,29/02/2021," 2019-12-31 "\n,2021-02-29,notadate\n');
    const seen: Array<Array<unknown>> = [];
    readCsvRows(f, 'test file', () => undefined, (r) => {
      seen.push([r.text(0), r.isBlank(0), r.day(1), r.day(2), r.day(3), r.text(9), r.day(9), r.fieldCount]);
    });
    expect(seen[0]).toEqual(['x', false, parseDay('2020-02-29'), NaN, parseDay('2019-12-31'), '', null, 4]);
    expect(seen[1]).toEqual(['', true, NaN, NaN, null, '', null, 3]);
  });
  it('repeated short values come back equal (interned) and long ones intact', () => {
    const long = 'L'.repeat(100);
    const f = write(`a,b\nLA001,${long}\nLA001,${long}\nLA002,x\n`);
    const got: string[] = [];
    readCsvRows(f, 'test file', () => undefined, (r) => { got.push(r.text(0), r.text(1)); });
    expect(got).toEqual(['LA001', long, 'LA001', long, 'LA002', 'x']);
  });
});

describe('failures', () => {
  it('empty file, header only, unterminated quote, invalid UTF-8 with its line', () => {
    expect(() => readAll(write(''))).toThrow(/empty \(0 bytes\)/);
    expect(readAll(write('a,b\n')).rows).toEqual([]);
    expect(() => readAll(write('a,b\n1,2\n"3,4\n'))).toThrow(/quoted field starting on line 3 is never closed/);
    try { readAll(write(Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]))); expect.unreachable(); }
    catch (e) { expect(e).toBeInstanceOf(DataError); expect((e as Error).message).toMatch(/not valid UTF-8 \(invalid bytes at or after line 3\)/); }
  });
});
