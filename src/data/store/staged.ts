/**
 * Staged returns (src/data/staging.ts) into the store: LA CIN census XML returns through the XML
 * reader (11b's readCinXmlReturn + cinReturnRows) and an LA's own SSDA903 return (readSsda903 +
 * ssda903Rows), appended into the same raw tables the CSV extracts use, so one set of rules and one
 * deduplication serves all sources. The readers' own findings are kept under source 'cin-xml' /
 * 'ssda903' (their lines are element lines, not record lines) and counted in the data flow.
 */
import { Store } from './db';
import type { Finding } from '../staging';
import { readCinXmlReturn, cinReturnRows } from '../xml/index';
import { readSsda903, ssda903Rows } from '../ssda903/index';
import type { IngestedFile } from './accounting';
import { addNoRows } from './findings';

async function appendRows(store: Store, table: string, fields: readonly string[], rows: { file: string[]; line: number[]; columns: Record<string, string[]> }, withPart: boolean): Promise<void> {
  const app = await store.conn.createAppender(table);
  let prev = '', part = 0;
  for (let i = 0; i < rows.file.length; i++) {
    const key = rows.file[i] + ':' + rows.line[i];
    part = key === prev ? part + 1 : 1;
    prev = key;
    app.appendVarchar(rows.file[i]);
    app.appendInteger(rows.line[i]);
    if (withPart) app.appendInteger(part);
    for (const f of fields) app.appendVarchar(rows.columns[f]?.[i] ?? '');
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
}

async function addReaderFindings(store: Store, source: string, findings: Finding[]): Promise<void> {
  if (!findings.length) return;
  const app = await store.conn.createAppender('findings');
  for (const f of findings) {
    app.appendVarchar(source); app.appendVarchar(f.file);
    if (f.line === null) app.appendNull(); else app.appendInteger(f.line);
    app.appendVarchar(f.field); app.appendVarchar(f.value ?? ''); app.appendVarchar(f.rule);
    app.appendVarchar(f.action === 'merged' || f.action === 'warning' || f.action === 'value_dropped' ? f.action : 'excluded');
    app.appendVarchar(f.message);
    if (f.childId) app.appendVarchar(f.childId); else app.appendNull();
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
}

/** XML returns into TEMP table `table` (file, line, part, CIN fields); returns the accounting per file */
export async function stageCinXml(store: Store, files: string[], fields: readonly string[], table: string): Promise<{ ingested: IngestedFile[]; las: string[] }> {
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${table} (file VARCHAR, line INTEGER, part INTEGER, ${fields.map((f) => `${f} VARCHAR`).join(', ')})`);
  const ingested: IngestedFile[] = [];
  const las: string[] = [];
  for (const f of files) {
    const r = readCinXmlReturn(f);
    las.push(r.la);
    await appendRows(store, table, fields, cinReturnRows(r), true);
    await addReaderFindings(store, 'cin-xml', r.findings);
    if (r.episodesRead === 0) await addNoRows(store, 'cin-xml', f, `no CINdetails episode in ${r.childrenRead} child record(s)`, 'this return adds no referral episode');
    ingested.push({ source: 'cin', file: f, physicalDataLines: r.episodesRead, rowsRead: r.episodesRead, readerExcluded: r.episodesExcluded ?? r.episodesRead - r.episodes.length, readerMerged: 0, unit: 'episodes' });
  }
  return { ingested, las };
}

/** an SSDA903 return into TEMP table `table` (file, line, CLA fields) */
export async function stageSsda903(store: Store, files: { header: string; episodes: string }, la: string, fields: readonly string[], table: string): Promise<IngestedFile[]> {
  const r = await readSsda903(files);
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${table} (file VARCHAR, line INTEGER, ${fields.map((f) => `${f} VARCHAR`).join(', ')})`);
  await appendRows(store, table, fields, ssda903Rows(r, la), false);
  await addReaderFindings(store, 'ssda903', r.findings);
  if (r.linesRead.episodes === 0) await addNoRows(store, 'ssda903', files.episodes, 'header only', 'no care episode, so no care entry or re-entry is analysed');
  if (r.linesRead.header === 0) await addNoRows(store, 'ssda903', files.header, 'header only', 'no child has a sex or date of birth from the return');
  const ex = r.excluded ?? { header: 0, episodes: 0 }, mg = r.merged ?? { header: 0, episodes: 0 };
  return [
    { source: 'cla', file: files.episodes, physicalDataLines: r.linesRead.episodes, rowsRead: r.linesRead.episodes, readerExcluded: ex.episodes, readerMerged: mg.episodes, unit: 'lines' },
    { source: 'ssda903-header', file: files.header, physicalDataLines: r.linesRead.header, rowsRead: r.linesRead.header, readerExcluded: ex.header, readerMerged: mg.header, unit: 'lines', analysed: r.children.length },
  ];
}
