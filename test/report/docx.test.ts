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
  it('a table wider than the column budget: captioned panels of whole models whose columns together are the original ones', async () => {
    // 7 models × (estimate, p) = 14 columns; the label column repeats in each panel
    const seven: PublicationTable = {
      ...table, spanners: Array.from({ length: 7 }, (_, k) => ({ label: `Model ${k + 1}`, span: 2 })),
      columns: Array.from({ length: 7 }, () => ['HR (95% CI)', 'p']).flat(),
      rows: table.rows.map((r) => ({ ...r, cells: Array.from({ length: 7 }, (_, k) => (r.kind === 'term' ? [`1.${k}2 (1.31–1.77)`, `0.0${k}1`] : ['', ''])).flat() })),
    };
    const file = path.join(tmp, 'wide.docx');
    await writeDocx(seven, file);
    const xml = documentXml(file);
    const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => rowsOf(m[0]));
    expect(tables.length).toBe(2);
    const { COLUMN_BUDGET } = await import('../../src/display/tableLayout');
    for (const rows of tables) {
      expect(rows[1][0]).toBe('Characteristic');
      expect(rows[1].length).toBeLessThanOrEqual(COLUMN_BUDGET);
      expect(rows[3][0]).toBe('No further action (reference)');
    }
    expect(tables.flatMap((rows) => rows[0].slice(1))).toEqual(seven.spanners.map((s) => s.label));
    expect(tables.flatMap((rows) => rows[1].slice(1))).toEqual(seven.columns);
    expect(tables.flatMap((rows) => rows[4].slice(1))).toEqual(seven.rows[2].cells);
    // each panel captioned before its table; the notes once, after the last
    const captions = [...xml.matchAll(/Table 2\. Re-referral within two years \(part (\d) of 2\)/g)].map((m) => m[1]);
    expect(captions).toEqual(['1', '2']);
    const tbl = [...xml.matchAll(/<w:tbl>/g)].map((m) => m.index!);
    expect(xml.indexOf('(part 2 of 2)')).toBeGreaterThan(tbl[0]);
    expect(xml.indexOf('(part 2 of 2)')).toBeLessThan(tbl[1]);
    expect(xml.match(/Counts rounded to the nearest 5\./g)).toHaveLength(1);
    expect(xml.indexOf('Counts rounded to the nearest 5.')).toBeGreaterThan(xml.lastIndexOf('</w:tbl>'));
  });
});
