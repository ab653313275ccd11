/**
 * ingestExtracts straight into an in-memory store, on a tiny generated set: every CSV's data lines
 * are read, and each source's rows are analysed, excluded or merged with nothing left over; a CIN
 * extract without its closure-date column is a warning naming that consequence, not open episodes
 * in silence; a missing required column is an error naming the file and column.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSynthetic } from '../../../src/data/synth/index';
import { NPD_MAPPING } from '../../../src/data/mapping';
import { Store } from '../../../src/data/store/db';
import { ingestExtracts, type ExtractFiles } from '../../../src/data/store/ingest';
import { tempFileWriter, extractSource, cleanExtract, linesOf } from '../helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-ingest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const dir = generateSynthetic({ scale: 'tiny', seed: 11, dir: path.join(tmp, 'tiny') }).dir;
const files = (d: string): ExtractFiles => ({
  cin: path.join(d, 'cin.csv'), cla: path.join(d, 'cla.csv'), ks2: path.join(d, 'ks2.csv'), ks4: path.join(d, 'ks4.csv'), pupils: path.join(d, 'pupils.csv'),
});
const dataLines = (f: string) => fs.readFileSync(f, 'utf8').split(/\r?\n/).filter((l, i) => i > 0 && l !== '').length;

describe('ingestExtracts', () => {
  it('reads every data line of every extract and accounts each row as analysed, excluded or merged', async () => {
    const s = await Store.open(':memory:');
    try {
      const f = files(dir);
      const { dataFlow, endOfData } = await ingestExtracts(s, f, { mapping: NPD_MAPPING });
      expect(endOfData).toMatch(/^\d{4}-03-31$/);
      for (const [source, file] of Object.entries(f) as Array<[string, string]>) {
        const row = dataFlow.find((r) => r.source === source && r.file === file);
        expect(row, `${source} in the data flow`).toBeDefined();
        expect(row!.rows_read).toBe(dataLines(file));
        expect(row!.rows_analysed + row!.rows_excluded + row!.duplicates_merged).toBe(row!.rows_read);
      }
      expect(Number(await s.scalar('SELECT count(*) FROM ks4'))).toBe(dataFlow.find((r) => r.source === 'ks4')!.rows_analysed);
      // rows carry their file as the ingest's file ENUM, not as the path's text (about 60 bytes a row in memory at national scale)
      for (const t of ['cin', 'cla', 'ks2', 'ks4', 'pupils']) expect(String(await s.scalar(`SELECT typeof(_file) FROM ${t} LIMIT 1`)), t).toMatch(/^ENUM\(/);
    } finally { s.close(); }
  });

  it('a CIN extract without closure_date is a warning naming the consequence; without child_id an error naming file and column', async () => {
    const cut = path.join(tmp, 'cut');
    fs.mkdirSync(cut, { recursive: true });
    for (const n of ['cla', 'ks2', 'ks4', 'pupils']) fs.copyFileSync(path.join(dir, `${n}.csv`), path.join(cut, `${n}.csv`));
    const drop = (col: string, out: string) => {
      const lines = fs.readFileSync(path.join(dir, 'cin.csv'), 'utf8').split('\n');
      const k = lines[0].split(',').indexOf(NPD_MAPPING.cin[col as keyof typeof NPD_MAPPING.cin] as string);
      expect(k).toBeGreaterThanOrEqual(0);
      fs.writeFileSync(out, lines.map((l) => (l === '' ? l : l.split(',').filter((_, j) => j !== k).join(','))).join('\n'));
    };
    drop('closure_date', path.join(cut, 'cin.csv'));
    const s = await Store.open(':memory:');
    try {
      await ingestExtracts(s, files(cut), { mapping: NPD_MAPPING });
      const w = await s.rows(`SELECT field, action, message FROM findings WHERE rule = 'missing_optional_column'`);
      expect(w.length).toBe(1);
      expect(w[0].field).toBe(NPD_MAPPING.cin.closure_date);
      expect(w[0].action).toBe('warning');
      expect(String(w[0].message)).toMatch(/every episode would look open/);
    } finally { s.close(); }
    drop('child_id', path.join(cut, 'cin.csv'));
    const s2 = await Store.open(':memory:');
    try {
      await expect(ingestExtracts(s2, files(cut), { mapping: NPD_MAPPING })).rejects.toThrow(/cin\.csv[\s\S]*child|child[\s\S]*cin\.csv/);
    } finally { s2.close(); }
  });

  it('names a child whose episodes give two sexes and a PMR shared by two children, and nothing for children whose details agree', async () => {
    const lines = fs.readFileSync(path.join(dir, 'cin.csv'), 'utf8').split('\n');
    const h = lines[0].split(',');
    const col = (k: keyof typeof NPD_MAPPING.cin) => h.indexOf(NPD_MAPPING.cin[k] as string);
    const [la, id, sex, pmr, ref] = [col('la'), col('child_id'), col('sex'), col('pmr'), col('referral_date')];
    const rows = lines.slice(1).filter((l) => l !== '').map((l) => l.split(','));
    // a child with two referrals: the later referral's rows get the other sex
    const refs = new Map<string, Set<string>>();
    for (const r of rows) { const k = `${r[la]} ${r[id]}`; refs.set(k, (refs.get(k) ?? new Set()).add(r[ref])); }
    const twice = [...refs].find(([, d]) => d.size >= 2)!;
    expect(twice, 'a child with two referrals in the tiny set').toBeDefined();
    const lastRef = [...twice[1]].sort().at(-1)!;
    // two other children with PMRs: the second takes the first's PMR
    const withPmr = [...new Map(rows.filter((r) => r[pmr] !== '' && `${r[la]} ${r[id]}` !== twice[0]).map((r) => [`${r[la]} ${r[id]}`, r[pmr]]))];
    const [[kidA, pmrA], [kidB]] = withPmr;
    for (const r of rows) {
      const k = `${r[la]} ${r[id]}`;
      if (k === twice[0] && r[ref] === lastRef) r[sex] = r[sex] === '1' ? '2' : '1';
      if (k === kidB) r[pmr] = pmrA;
    }
    const cut = path.join(tmp, 'cross');
    fs.mkdirSync(cut, { recursive: true });
    for (const n of ['cla', 'ks2', 'ks4', 'pupils']) fs.copyFileSync(path.join(dir, `${n}.csv`), path.join(cut, `${n}.csv`));
    fs.writeFileSync(path.join(cut, 'cin.csv'), [lines[0], ...rows.map((r) => r.join(','))].join('\n') + '\n');
    const found = async (f: ExtractFiles) => {
      const s = await Store.open(':memory:');
      try {
        await ingestExtracts(s, f, { mapping: NPD_MAPPING });
        return await s.rows(`SELECT rule, field, value, message FROM findings WHERE rule IN ('child_conflicting_details', 'pmr_shared') AND source = 'cin' ORDER BY rule, value`);
      } finally { s.close(); }
    };
    expect(await found(files(dir))).toEqual([]);
    const got = await found(files(cut));
    expect(got.map((x) => [x.rule, x.field])).toEqual([['child_conflicting_details', 'sex'], ['pmr_shared', 'pmr']]);
    expect(String(got[0].message)).toContain(`child ${twice[0]} has 2 different sex values`);
    expect(got[1].value).toBe(pmrA);
    expect(String(got[1].message)).toMatch(new RegExp(`shared by 2 different CIN children \\((${kidA}, ${kidB}|${kidB}, ${kidA})\\)`));
  });

  it('a header-only CIN extract (kind: header_only_pupils, in the CIN file, CRLF) is a warning naming the file, not a silent 0 episodes', async () => {
    const write = tempFileWriter('csc-ingest-empty-');
    const src = extractSource(write, 'cin-empty', { cin: linesOf(cleanExtract().cin)[0] + '\r\n' }) as { files: ExtractFiles };
    const s = await Store.open(':memory:');
    try {
      const { dataFlow } = await ingestExtracts(s, src.files, { mapping: NPD_MAPPING, endOfData: '2021-03-31' });
      expect(dataFlow.find((r) => r.source === 'cin')).toMatchObject({ rows_read: 0, rows_analysed: 0 });
      const w = await s.rows(`SELECT file, line, action, message FROM findings WHERE rule = 'no_rows'`);
      expect(w.map((r) => [path.basename(String(r.file)), r.action])).toEqual([['cin.csv', 'warning']]);
      expect(String(w[0].message)).toMatch(/cin\.csv has no data rows .*no episode/);
    } finally { s.close(); }
  });
});
