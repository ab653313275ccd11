/**
 * Staged returns into the store: what the XML and SSDA903 readers return is appended row for row
 * (file, line, part for repeated Section 47 / plan records), their findings kept under their own
 * source, and the per-file accounting is the reader's own counts.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { loadStudyData } from '../../../src/data';
import { tempFileWriter, expectBalanced } from '../helpers';
import { Store } from '../../../src/data/store/db';
import { createFindings } from '../../../src/data/store/findings';
import { stageCinXml, stageSsda903 } from '../../../src/data/store/staged';
import { CIN_FIELDS } from '../../../src/data/store/cin';
import { OTHER_FIELDS } from '../../../src/data/store/other';
import { readCinXmlReturn, cinReturnRows } from '../../../src/data/xml/index';
import { readSsda903, ssda903Rows } from '../../../src/data/ssda903/index';

const bad = (name: string, file: string) => path.resolve(__dirname, '../../../../shared/bad-extracts', name, file);
const fx = path.resolve(__dirname, '../fixtures/ssda903');

describe('stageCinXml', () => {
  it('appends every reader row with its line, numbers repeated rows of one line as parts 1, 2, …, and keeps the reader findings', async () => {
    const files = [bad('xml_multiple_s47_and_plans', 'r2022.xml'), bad('xml_bad_row_values', 'r2022.xml')];
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      const { ingested, las } = await stageCinXml(s, files, CIN_FIELDS, 'raw_cin_xml');
      let expectedRows = 0, expectedFindings = 0;
      for (const [k, f] of files.entries()) {
        const r = readCinXmlReturn(f);
        const rows = cinReturnRows(r);
        expectedRows += rows.file.length;
        expectedFindings += r.findings.length;
        expect(las[k]).toBe(r.la);
        expect(ingested[k]).toMatchObject({ source: 'cin', file: f, physicalDataLines: r.episodesRead, rowsRead: r.episodesRead, unit: 'episodes' });
        // the stored CIN fields are the reader's, row for row in (line, part) order
        const stored = await s.rows(`SELECT line, part, ${CIN_FIELDS.join(', ')} FROM raw_cin_xml WHERE file = '${f}' ORDER BY line, part`);
        expect(stored.length).toBe(rows.file.length);
        for (let i = 0; i < rows.file.length; i++) {
          expect(stored[i].line).toBe(rows.line[i]);
          for (const c of CIN_FIELDS) expect(stored[i][c]).toBe(rows.columns[c]?.[i] ?? '');
        }
      }
      expect(Number(await s.scalar('SELECT count(*) FROM raw_cin_xml'))).toBe(expectedRows);
      // parts run 1..k within each (file, line): several S47 enquiries of one episode are all kept
      const parts = await s.rows(`SELECT file, line, max(part)::INTEGER AS k, count(*)::INTEGER AS n FROM raw_cin_xml GROUP BY file, line HAVING max(part) <> count(*) OR min(part) <> 1`);
      expect(parts).toEqual([]);
      expect(Number(await s.scalar('SELECT max(part) FROM raw_cin_xml'))).toBeGreaterThan(1);
      expect(Number(await s.scalar(`SELECT count(*) FROM findings WHERE source = 'cin-xml'`))).toBe(expectedFindings);
      expect(expectedFindings).toBeGreaterThan(0);
    } finally { s.close(); }
  });
});

describe('stageSsda903', () => {
  it('appends the episodes the reader returns, and accounts header and episode lines with the reader counts', async () => {
    const files = { header: path.join(fx, 'header.csv'), episodes: path.join(fx, 'episodes.csv') };
    const s = await Store.open(':memory:');
    try {
      await createFindings(s);
      const ingested = await stageSsda903(s, files, 'LA1', OTHER_FIELDS.cla, 'raw_cla');
      const r = await readSsda903(files);
      const rows = ssda903Rows(r, 'LA1');
      expect(Number(await s.scalar('SELECT count(*) FROM raw_cla'))).toBe(rows.file.length);
      expect(rows.file.length).toBeGreaterThan(0);
      const stored = await s.rows(`SELECT line, ${OTHER_FIELDS.cla.join(', ')} FROM raw_cla ORDER BY line`);
      const order = rows.line.map((l, i) => [l, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
      order.forEach((i, k) => {
        expect(stored[k].line).toBe(rows.line[i]);
        for (const c of OTHER_FIELDS.cla) expect(stored[k][c]).toBe(rows.columns[c]?.[i] ?? '');
      });
      expect(ingested).toEqual([
        expect.objectContaining({ source: 'cla', file: files.episodes, physicalDataLines: r.linesRead.episodes, rowsRead: r.linesRead.episodes }),
        expect.objectContaining({ source: 'ssda903-header', file: files.header, physicalDataLines: r.linesRead.header, analysed: r.children.length }),
      ]);
      expect(Number(await s.scalar(`SELECT count(*) FROM findings WHERE source = 'ssda903'`))).toBe(r.findings.length);
    } finally { s.close(); }
  });
});

describe('staged returns with no records (kind: header_only_pupils)', () => {
  const write = tempFileWriter('csc-staged-empty-');
  it('an SSDA903 episodes file with only its header (CR-only line end) is a warning naming the file; the header file still balances', async () => {
    const header = write('h/header.csv', fs.readFileSync(path.join(fx, 'header.csv'), 'utf8').replace(/\n/g, '\r'));
    const episodes = write('h/episodes.csv', 'CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC\r');
    const d = await loadStudyData({ kind: 'ssda903', files: { header, episodes }, la: '999', endOfData: '2022-03-31' }, { store: ':memory:' });
    const w = (d.warnings.objects() as Array<Record<string, unknown>>).filter((r) => r.rule === 'no_rows');
    expect(w.map((r) => path.basename(String(r.file)))).toEqual(['episodes.csv']);
    expect(String(w[0].message)).toMatch(/no care episode/);
    expect(d.dataFlow.find((f) => f.source === 'cla')).toMatchObject({ rows_read: 0 });
    expectBalanced(d);
  });
  it('a CIN XML return whose children have no CINdetails says the return adds no episode', async () => {
    const x = fs.readFileSync(bad('xml_2025_sex_element', 'r2025.xml'), 'utf8').replace(/<CINdetails>[\s\S]*?<\/CINdetails>/g, '');
    const d = await loadStudyData({ kind: 'cin-xml', files: [write('x/r2025.xml', x)], endOfData: '2025-03-31' }, { store: ':memory:' });
    const w = (d.warnings.objects() as Array<Record<string, unknown>>).filter((r) => r.rule === 'no_rows');
    expect(w.map((r) => [path.basename(String(r.file)), r.source])).toEqual([['r2025.xml', 'cin-xml']]);
    expect(String(w[0].message)).toMatch(/no CINdetails episode in 2 child/);
  });
});

