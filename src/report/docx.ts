/**
 * Word export of a PublicationTable for manuscripts, through the `docx` package (pinned; see
 * environment.md): caption, spanning model headers, grouped rows, notes under the table. A table
 * wider than the column budget becomes captioned panels of whole models, as in HTML and text
 * (render's modelPanels), since a Word page is narrower still than a report.
 * Returns the .docx bytes; `writeDocx` saves them.
 */
import fs from 'node:fs';
import type { Paragraph, Table, TableCell, TableRow } from 'docx';
import type { PublicationTable } from './modelTable';
import { modelPanels } from './render';

// Loaded on first use: a notebook's import cell should not pay for Word export (~0.1 s of CPU).
type Docx = typeof import('docx');

const FONT = { font: 'Calibri', size: 18 }; // 9 pt (docx sizes are half-points)

function cellOf(d: Docx, text: string, o: { bold?: boolean; indent?: boolean; center?: boolean; span?: number; top?: boolean; bottom?: boolean } = {}): TableCell {
  const { AlignmentType, BorderStyle, Paragraph, TableCell, TextRun } = d;
  const RULE = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
  const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  return new TableCell({
    columnSpan: o.span,
    borders: { top: o.top ? RULE : NONE, bottom: o.bottom ? RULE : NONE, left: NONE, right: NONE },
    children: [new Paragraph({
      alignment: o.center ? AlignmentType.CENTER : AlignmentType.LEFT,
      indent: o.indent ? { left: 240 } : undefined,
      children: [new TextRun({ text, bold: o.bold, ...FONT })],
    })],
  });
}

/** A publication table as a Word document (docx package): per panel (modelPanels) a caption, spanner row, header and indented rows; notes under the last. Output: the .docx bytes. */
export async function tableDocx(t: PublicationTable): Promise<Buffer> {
  const d: Docx = await import('docx');
  const { Document, Packer, Paragraph, TextRun } = d;
  const children: Array<Paragraph | Table> = [];
  for (const p of modelPanels(t)) {
    // A caption paragraph also keeps Word from joining one panel's table to the next.
    if (p.caption) children.push(new Paragraph({ children: [new TextRun({ text: p.caption, bold: true, ...FONT })] }));
    children.push(panelTable(d, p));
    for (const n of p.notes) children.push(new Paragraph({ children: [new TextRun({ text: n, ...FONT, size: 16 })] }));
  }
  const doc = new Document({ sections: [{ children }] });
  return Packer.toBuffer(doc);
}

function panelTable(d: Docx, t: PublicationTable): Table {
  const { Table, TableRow, WidthType } = d;
  const cell = (text: string, o?: Parameters<typeof cellOf>[2]) => cellOf(d, text, o);
  const rows: TableRow[] = [];
  if (t.spanners.length > 1 || t.spanners[0]?.label) {
    rows.push(new TableRow({ tableHeader: true, children: [cell('', { top: true }), ...t.spanners.map((s) => cell(s.label, { bold: true, center: true, span: s.span, top: true }))] }));
  }
  rows.push(new TableRow({ tableHeader: true, children: [cell('Characteristic', { bold: true, bottom: true }), ...t.columns.map((c) => cell(c, { bold: true, center: true, bottom: true }))] }));
  let firstStat = true;
  t.rows.forEach((r, i) => {
    const top = r.kind === 'stat' && firstStat;
    if (r.kind === 'stat') firstStat = false;
    const bottom = i === t.rows.length - 1;
    rows.push(new TableRow({ children: [
      cell(r.label, { bold: r.kind === 'group', indent: r.indent, top, bottom }),
      ...r.cells.map((c) => cell(c, { center: true, top, bottom })),
    ] }));
  });
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

/** Writes tableDocx(t) to `file` (throws if the file cannot be written). */
export async function writeDocx(t: PublicationTable, file: string): Promise<void> {
  fs.writeFileSync(file, await tableDocx(t));
}
