// Word export of a hand-built publication table: the document.xml inside the .docx (read with unzip)
// holds caption, spanners over their columns, bold group rows, indented levels, every cell and the notes.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableDocx, writeDocx } from '../../src/report/docx';
import type { PublicationTable } from '../../src/report/modelTable';
import { sdcRules } from '../../src/display/sdc';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-docx-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const documentXml = (file: string) => spawnSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' }).stdout;
/** The text of each table row, cell by cell. */
const rowsOf = (xml: string) => [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((tr) => [...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((tc) => [...tc[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1])).join('')));
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

const table: PublicationTable = {
  caption: 'Table 2. Re-referral within two years',
  columns: ['HR (95% CI)', 'p', 'HR (95% CI)', 'p'],
  spanners: [{ label: 'Model 1', span: 2 }, { label: 'Model 2', span: 2 }],
  rows: [
    { kind: 'group', label: 'Pathway', indent: false, cells: ['', '', '', ''] },
    { kind: 'reference', label: 'No further action (reference)', indent: true, cells: ['—', '', '—', ''] },
    { kind: 'term', label: 'Child protection plan', indent: true, cells: ['1.52 (1.31–1.77)', '<0.001', '1.41 (1.20–1.65)', '<0.001'] },
    { kind: 'stat', label: 'N', indent: false, cells: ['51,235', '', '51,235', ''], countCells: [true, false, true, false] },
  ],
  notes: ['Counts rounded to the nearest 5.', '* p < 0.05'],
  rules: sdcRules(),
};

describe('tableDocx', () => {
  it('writes a .docx (a zip) whose table reads, row by row, as the publication table', async () => {
    const buf = await tableDocx(table);
    expect(buf.subarray(0, 2).toString()).toBe('PK');
    const file = path.join(tmp, 't.docx');
    fs.writeFileSync(file, buf);
    const xml = documentXml(file);
    expect(rowsOf(xml)).toEqual([
      ['', 'Model 1', 'Model 2'],
      ['Characteristic', 'HR (95% CI)', 'p', 'HR (95% CI)', 'p'],
      ['Pathway', '', '', '', ''],
      ['No further action (reference)', '—', '', '—', ''],
      ['Child protection plan', '1.52 (1.31–1.77)', '<0.001', '1.41 (1.20–1.65)', '<0.001'],
      ['N', '51,235', '', '51,235', ''],
    ]);
    // each spanner covers its two columns
    expect(xml.match(/<w:gridSpan w:val="2"\/>/g)).toHaveLength(2);
    expect(xml).toContain('Table 2. Re-referral within two years');
    expect(xml.indexOf('Counts rounded to the nearest 5.')).toBeGreaterThan(xml.lastIndexOf('</w:tbl>'));
    expect(xml.indexOf('Table 2.')).toBeLessThan(xml.indexOf('<w:tbl>'));
  });
  it('one model without a label: no spanner row; no caption: no caption paragraph', async () => {
    const t = { ...table, caption: null, spanners: [{ label: '', span: 4 }] };
    const file = path.join(tmp, 'plain.docx');
    await writeDocx(t, file);
    const xml = documentXml(file);
    expect(rowsOf(xml)[0][0]).toBe('Characteristic');
    expect(xml).not.toContain('Table 2.');
  });
  it('writeDocx throws when the file cannot be written', async () => {
    await expect(writeDocx(table, path.join(tmp, 'no-such-folder', 't.docx'))).rejects.toThrow(/ENOENT/);
  });
});
