// File-level faults of an XML return (DataError naming file, field and line where known) and the
// physical line numbers under LF, CRLF, CR-only and a BOM.
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { readCinXmlReturn, lineStarts, lineOf } from '../../../src/data/xml';
import { DataError } from '../../../src/data/errors';
import { tmpDir, header, details, writeReturn, lineOfText } from './build';

afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
const kids = [{ id: 'A', details: [details('2021-05-01', '<ReferralSource>XX</ReferralSource>')] }];

function thrown(fn: () => unknown): DataError {
  try { fn(); } catch (e) { if (e instanceof DataError) return e; throw e; }
  throw new Error('expected a DataError');
}

describe('physical lines', () => {
  it('lineOf maps offsets to 1-based lines for LF, CRLF and lone CR', () => {
    const s = 'a\nb\r\nc\rd';
    const st = lineStarts(s);
    expect(Array.from(st)).toEqual([0, 2, 5, 7]);
    expect([0, 1, 2, 4, 5, 7].map((o) => lineOf(st, o))).toEqual([1, 1, 2, 2, 3, 4]);
  });
  for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR only', '\r']] as const) {
    it(`findings carry the same line with ${name} line ends`, () => {
      const f = writeReturn(`eol-${name}.xml`, header('2022', null), kids, eol);
      const r = readCinXmlReturn(f);
      expect(r.findings.map((x) => [x.value, x.line])).toEqual([['XX', lineOfText(f, '>XX<')]]);
      expect(r.episodes.length).toBe(1);
    });
  }
  it('a UTF-8 byte order mark does not shift lines', () => {
    const f = writeReturn('bom.xml', header('2022', null), kids);
    fs.writeFileSync(f, '\uFEFF' + fs.readFileSync(f, 'utf8'));
    expect(readCinXmlReturn(f).findings[0].line).toBe(lineOfText(f, '>XX<'));
  });
});

describe('XML forms a return may take', () => {
  it('a namespace prefix, a default namespace, comments, CDATA and entities read as plain elements', () => {
    const f = writeReturn('ns.xml', header('2022', null), [{ id: 'A&amp;B', details: [details('2021-05-01', '<!-- a comment -->', '<ReferralSource><![CDATA[1A]]></ReferralSource>')] }]);
    const text = fs.readFileSync(f, 'utf8').replace('<Message>', '<cin:Message xmlns:cin="urn:dfe:cin" xmlns="urn:dfe:cin">').replace('</Message>', '</cin:Message>');
    fs.writeFileSync(f, text.replace(/<(\/?)Child>/g, '<$1cin:Child>'));
    const r = readCinXmlReturn(f);
    expect(r.findings).toEqual([]);
    expect(r.episodes.map((e) => [e.childId, e.referralSource])).toEqual([['A&B', '1A']]);
  });
});

describe('whole-file faults are one DataError naming file and field', () => {
  it('missing file, empty file, not UTF-8, not well-formed (with its line), wrong root', () => {
    expect(() => readCinXmlReturn(path.join(tmpDir, 'none.xml'))).toThrow(/not found/);
    const empty = path.join(tmpDir, 'empty.xml');
    fs.writeFileSync(empty, '');
    expect(() => readCinXmlReturn(empty)).toThrow(/empty/);
    const latin = writeReturn('latin1.xml', header('2022', null), [{ id: 'Zo\u00eb', details: [details('2021-05-01')] }]);
    fs.writeFileSync(latin, Buffer.from(fs.readFileSync(latin, 'utf8'), 'latin1'));
    expect(() => readCinXmlReturn(latin)).toThrow(/UTF-8/);
    // the line is named (kind: latin1_line, in an XML return): a Windows-1252 É in one LAchildID, CRLF line ends
    const lat2 = path.join(tmpDir, 'latin-line.xml');
    const text = fs.readFileSync(path.resolve(__dirname, '../../../../shared/bad-extracts/xml_2025_sex_element/r2025.xml'), 'utf8').replace(/\n/g, '\r\n');
    fs.writeFileSync(lat2, Buffer.from(text.replace('T25A002', 'T25\xc9002'), 'latin1'));
    const err = (() => { try { readCinXmlReturn(lat2); } catch (e) { return e as DataError; } return null; })();
    expect(err).toBeInstanceOf(DataError);
    expect(err!.row).toBe(text.slice(0, text.indexOf('T25A002')).split('\r\n').length);
    expect(err!.row).toBe(48);
    expect(err!.message).toMatch(new RegExp(`line ${err!.row} holds a byte that is not UTF-8`));
    const broken = writeReturn('broken.xml', header('2022', null), kids);
    fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').replace('</CINdetails>', ''));
    const e = thrown(() => readCinXmlReturn(broken));
    expect(e.message).toMatch(/well-formed/);
    expect(e.row).toBeGreaterThan(10);
    const root = path.join(tmpDir, 'root.xml');
    fs.writeFileSync(root, '<CINreturn><Header/></CINreturn>');
    expect(thrown(() => readCinXmlReturn(root)).field).toBe('Message');
  });
  it('header without Year or ReferenceDate, with a bad Year or ReferenceDate, without LEA; no children', () => {
    expect(thrown(() => readCinXmlReturn(writeReturn('noyear.xml', header(null, null), kids))).field).toBe('Header/CollectionDetails/Year');
    expect(thrown(() => readCinXmlReturn(writeReturn('badyear.xml', header('22', null), kids))).message).toMatch(/Year '22'/);
    const refFile = writeReturn('badref.xml', header(null, '31/03/2022'), kids);
    const badRef = thrown(() => readCinXmlReturn(refFile));
    expect([badRef.field, badRef.row]).toEqual(['Header/CollectionDetails/ReferenceDate', lineOfText(refFile, '<ReferenceDate>')]);
    const noLea = thrown(() => readCinXmlReturn(writeReturn('nolea.xml', header('2022', null, ''), kids)));
    expect(noLea.field).toBe('Header/Source/LEA');
    expect(noLea.file).toMatch(/nolea\.xml$/);
    expect(thrown(() => readCinXmlReturn(writeReturn('nokids.xml', header('2022', null), []))).field).toBe('Children/Child');
  });
});
