/**
 * An LA's own SSDA903 (children looked after) return -> StagedSsda903 (see ../staging.ts): the DfE
 * header file (CHILD, SEX, DOB, ETHNIC, UPN) and episodes file (CHILD, DECOM, RNE, LS, CIN, PLACE, DEC,
 * REC) with d/m/y dates. DuckDB reads both with the dialect declared and every column VARCHAR (the
 * store's CSV ingest: one value per physical line, fields split in SQL, line rules, rejects with line
 * numbers); the physical lines are counted from the bytes, independently. The rules of ./rules.ts run
 * as SQL and write findings.
 *
 *   const r = await readSsda903({ header: 'header.csv', episodes: 'episodes.csv' });
 *
 * Errors: DataError for a missing or empty file, a required column absent (CHILD, SEX, DOB; CHILD,
 * DECOM, DEC, REC), a mixed line-end style or a broken accounting identity. Accounting per file:
 * linesRead = rows kept + rows excluded + rows merged.
 */
import type { StagedSsda903, StagedCareChild, StagedCareEpisode, Finding } from '../staging';
import { DataError } from '../errors';
import { Store, lit } from '../store/db';
import { createFindings } from '../store/findings';
import { createMacros } from '../store/sql';
import { ingestCsv, type CsvDialect } from '../store/csv';
import { applyRules } from '../store/rules';
import { HEADER_RULES, EPISODE_RULES, headerDuplicateSql, episodeDuplicateSql, overlapSql, impossibleDobSql } from './rules';

export { SSDA903_RULES, type Ssda903Rule } from './rules';

export interface Ssda903Files { header: string; episodes: string }
export interface ReadSsda903Options {
  /** CSV dialect of both files; default comma and double quote (the DfE CSV) */
  dialect?: CsvDialect;
  /** column names when the LA's export differs from the DfE names (canonical field -> column) */
  headerColumns?: Partial<Record<'child_id' | 'sex' | 'dob' | 'ethnicity' | 'upn', string>>;
  episodeColumns?: Partial<Record<'child_id' | 'decom' | 'rne' | 'ls' | 'cin' | 'place' | 'dec' | 'rec', string>>;
}

const HEADER_COLUMNS = { child_id: 'CHILD', sex: 'SEX', dob: 'DOB', ethnicity: 'ETHNIC', upn: 'UPN' };
const EPISODE_COLUMNS = { child_id: 'CHILD', decom: 'DECOM', rne: 'RNE', ls: 'LS', cin: 'CIN', place: 'PLACE', dec: 'DEC', rec: 'REC' };

export async function readSsda903(files: Ssda903Files, options: ReadSsda903Options = {}): Promise<StagedSsda903> {
  if (!files || typeof files.header !== 'string' || typeof files.episodes !== 'string') {
    throw new DataError('readSsda903: expected { header: path, episodes: path } (the DfE SSDA903 header and episodes CSVs)');
  }
  const store = await Store.open(':memory:');
  try {
    await createFindings(store);
    await createMacros(store, 'DD/MM/YYYY');
    const hCols = { ...HEADER_COLUMNS, ...options.headerColumns };
    const eCols = { ...EPISODE_COLUMNS, ...options.episodeColumns };
    const h = await ingestCsv(store, {
      source: 'cla', what: 'SSDA903 header file', file: files.header, columns: hCols, required: ['child_id', 'sex', 'dob'], dialect: options.dialect, table: 'h',
      consequences: { ethnicity: 'ethnicity is unknown for every child in care', upn: 'care episodes cannot be linked to pupil records (no UPN)' },
    });
    const e = await ingestCsv(store, {
      source: 'cla', what: 'SSDA903 episodes file', file: files.episodes, columns: eCols, required: ['child_id', 'decom', 'dec', 'rec'], dialect: options.dialect, table: 'e',
      consequences: { rne: 'reason for new episode unknown', ls: 'legal status unknown', cin: 'category of need unknown', place: 'placement type unknown' },
    });
    await applyRules(store, 'cla', 'h', HEADER_RULES);
    await applyRules(store, 'cla', 'e', EPISODE_RULES);
    const lines = (file: string, actions: string): string => `SELECT line FROM findings WHERE file = ${lit(file)} AND action IN (${actions}) AND line IS NOT NULL`;
    await store.exec(`INSERT INTO findings ${headerDuplicateSql('h', lines(files.header, `'excluded'`))}`);
    await store.exec(`INSERT INTO findings ${episodeDuplicateSql('e', lines(files.episodes, `'excluded'`))}`);
    await store.exec(`INSERT INTO findings ${overlapSql('e', lines(files.episodes, `'excluded', 'merged'`))}`);
    const keptLines = (t: string, file: string): string => `SELECT line FROM ${t} WHERE line NOT IN (${lines(file, `'excluded', 'merged'`)})`;
    await store.exec(`INSERT INTO findings ${impossibleDobSql('h', 'e', keptLines('h', files.header), keptLines('e', files.episodes))}`);
    // episodes of a CHILD the header file does not have (or only in an excluded row)
    await store.exec(`INSERT INTO findings SELECT 'cla', file, line, 'CHILD', child_id, 'unknown_child', 'warning',
        'CHILD ' || child_id || ' has episodes but no (kept) row in the header file ${files.header.replace(/'/g, "''")}; sex and date of birth unknown', child_id
      FROM e WHERE line NOT IN (${lines(files.episodes, `'excluded', 'merged'`)}) AND child_id NOT IN (SELECT child_id FROM h WHERE line NOT IN (${lines(files.header, `'excluded', 'merged'`)}))`);
    const dropped = (file: string, column: string): string => `EXISTS (SELECT 1 FROM findings f WHERE f.file = ${lit(file)} AND f.line = t.line AND f.field = ${lit(column)} AND f.rule IN ('code_list', 'date_format'))`;
    // findings name the DfE column (SEX, RNE, ...), whatever the LA's export calls it
    const keep = (file: string, field: string, column: string): string => `CASE WHEN ${dropped(file, column)} THEN '' ELSE coalesce(${field}, '') END`;
    const isoOrBlank = (file: string, field: string, column: string): string => `CASE WHEN ${dropped(file, column)} OR pdate(${field}) IS NULL THEN '' ELSE iso(pdate(${field})) END`;
    const H = files.header, E = files.episodes;
    const children = (await store.rows(`SELECT line, child_id AS childId, ${keep(H, 'sex', 'SEX')} AS sex, ${isoOrBlank(H, 'dob', 'DOB')} AS dob,
        ${keep(H, 'ethnicity', 'ETHNIC')} AS ethnicity, coalesce(upn, '') AS upn
      FROM h t WHERE line NOT IN (${lines(H, `'excluded', 'merged'`)}) ORDER BY line`)).map((r) => ({ ...r, line: Number(r.line) })) as unknown as StagedCareChild[];
    const episodes = (await store.rows(`SELECT line, child_id AS childId, iso(pdate(decom)) AS start, ${keep(E, 'rne', 'RNE')} AS reasonNewEpisode,
        ${keep(E, 'ls', 'LS')} AS legalStatus, ${keep(E, 'cin', 'CIN')} AS cinCategory, ${keep(E, 'place', 'PLACE')} AS placement,
        coalesce(iso(pdate(dec)), '') AS "end", ${keep(E, 'rec', 'REC')} AS reasonEpisodeCeased
      FROM e t WHERE line NOT IN (${lines(E, `'excluded', 'merged'`)}) ORDER BY line`)).map((r) => ({ ...r, line: Number(r.line) })) as unknown as StagedCareEpisode[];
    const count = async (file: string, action: string): Promise<number> =>
      Number(await store.scalar(`SELECT count(DISTINCT line) FROM findings WHERE file = ${lit(file)} AND action = '${action}' AND line > 1`));
    const excluded = { header: await count(H, 'excluded'), episodes: await count(E, 'excluded') };
    const merged = { header: await count(H, 'merged'), episodes: await count(E, 'merged') };
    const linesRead = { header: h.rowsRead, episodes: e.rowsRead };
    for (const [k, kept] of [['header', children.length], ['episodes', episodes.length]] as const) {
      if (linesRead[k] !== kept + excluded[k] + merged[k]) {
        throw new DataError(`SSDA903 ${k} file: accounting identity broken: ${linesRead[k]} data lines != ${kept} kept + ${excluded[k]} excluded + ${merged[k]} merged`, { file: files[k] });
      }
    }
    const rows = await store.rows(`SELECT * FROM findings ORDER BY file = ${lit(E)}, line, rule, field`);
    const findings: Finding[] = rows.map((r) => ({
      source: 'cla', file: String(r.file), line: r.line === null ? null : Number(r.line), field: String(r.field ?? ''), value: String(r.value ?? ''),
      rule: String(r.rule), action: r.action === 'value_dropped' ? 'warning' : (r.action as Finding['action']), message: String(r.message), childId: r.child_id ? String(r.child_id) : undefined,
    }));
    return { files: { ...files }, children, episodes, linesRead, excluded, merged, findings };
  } finally {
    store.close();
  }
}
export { ssda903Rows, SSDA903_RAW_CLA_FIELDS, type RawClaRows } from './rows';
