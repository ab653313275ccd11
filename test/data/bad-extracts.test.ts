/**
 * Every folder of ../shared/bad-extracts (and test/data/bad-extracts-extra, our own cases of the same
 * kinds) against its expect.json: the fault gives an error, warning or exclusion of an accepted kind,
 * naming what `mention`/`mention_all` ask for, on the physical line(s) in `row`, in `file`; the data flow
 * balances against the physical data lines counted here from the bytes; other keys as named.
 */
import { loadTables } from './helpers';
import type { LoadedData } from './helpers';
import { describe, it, expect } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { loadStudyData, DataError, buildSurvivalEpisodes, buildPupilLinked, buildLcaMatrix } from '../../src/data';
import type { StudySource } from '../../src/data';

const ROOTS = [path.resolve(__dirname, '../../../shared/bad-extracts'), path.resolve(__dirname, 'bad-extracts-extra')];
const XML_READY = fs.existsSync(path.resolve(__dirname, '../../src/data/xml/index.ts')) && process.env.CSC_XML_CASES !== '0';

interface Expect {
  accept: string[]; mention?: string[]; mention_all?: string[][]; row?: number | number[]; file?: string; locate_text?: string[];
  balance_physical_lines?: boolean; endOfData_not_after?: string; counts?: { tables?: Record<string, number> };
  or_episode?: { match: Record<string, string>; equals: Record<string, string> }; or_kept?: Array<{ column: string; values: string[] }>;
  also?: Expect[]; derived?: string[];
}
interface Found { text: string; row: number | null; file: string | null }

function sourceOf(dir: string): StudySource {
  const sj = path.join(dir, 'source.json');
  if (fs.existsSync(sj)) {
    const s = JSON.parse(fs.readFileSync(sj, 'utf8'));
    const abs = (f: string): string => path.join(dir, f);
    if (Array.isArray(s.files)) s.files = s.files.map(abs);
    else s.files = Object.fromEntries(Object.entries(s.files).map(([k, v]) => [k, Array.isArray(v) ? (v as string[]).map(abs) : typeof v === 'object' && v ? Object.fromEntries(Object.entries(v).map(([a, b]) => [a, abs(b as string)])) : abs(v as string)]));
    if (s.ssda903) s.ssda903 = Object.fromEntries(Object.entries(s.ssda903).map(([a, b]) => [a, abs(b as string)]));
    return s as StudySource;
  }
  const files: Record<string, string> = {};
  for (const k of ['cin', 'cla', 'ks2', 'ks4', 'pupils']) if (fs.existsSync(path.join(dir, `${k}.csv`))) files[k] = path.join(dir, `${k}.csv`);
  return { kind: 'extracts', files: files as { cin: string } };
}

/** physical data lines from the bytes: line ends of any style, a last line without one counts, the header does not */
function physicalDataLines(file: string): number {
  let s = fs.readFileSync(file, 'latin1');
  if (s.startsWith('\xef\xbb\xbf')) s = s.slice(3);
  const ends = (s.match(/\r\n|\r|\n/g) ?? []).length;
  const last = s.length && !/[\r\n]$/.test(s) ? 1 : 0;
  return ends + last - 1;
}

function findings(data: LoadedData | null, error: Error | null, accept: string[]): Found[] {
  const out: Found[] = [];
  if (error && accept.includes('error')) out.push({ text: error.message, row: error instanceof DataError ? error.row : null, file: error instanceof DataError ? error.file : null });
  if (!data) return out;
  const tables: Array<[string, LoadedData['exclusions']]> = [];
  if (accept.includes('exclusion')) tables.push(['exclusion', data.exclusions]);
  if (accept.includes('warning')) tables.push(['warning', data.warnings]);
  for (const [, t] of tables) {
    for (const r of t.objects() as Array<Record<string, unknown>>) {
      out.push({ text: [r.message, r.field, r.value, r.reason, r.rule, r.child_id, r.file].filter((x) => x != null).join(' | '), row: (r.row as number | null) ?? null, file: (r.file as string | null) ?? null });
    }
  }
  return out;
}

function matches(f: Found, e: Expect): boolean {
  const t = f.text.toLowerCase();
  if (e.mention && !e.mention.some((m) => t.includes(m.toLowerCase()))) return false;
  if (e.mention_all && !e.mention_all.every((g) => g.some((m) => t.includes(m.toLowerCase())))) return false;
  if (e.file && f.file && path.basename(f.file) !== e.file) return false;
  if (e.file && !f.file) return false;
  if (e.row !== undefined) {
    const rows = Array.isArray(e.row) ? e.row : [e.row];
    const onRow = f.row !== null && rows.includes(f.row);
    const located = (e.locate_text ?? []).some((x) => t.includes(x.toLowerCase()));
    if (!onRow && !located) return false;
  }
  return true;
}

function check(e: Expect, data: LoadedData | null, error: Error | null, label: string): void {
  if (e.accept.includes('ok')) {
    expect(error, `${label}: should load (${error?.message})`).toBeNull();
    const d = data as LoadedData;
    for (const [k, n] of Object.entries(e.counts?.tables ?? {})) expect((d as unknown as Record<string, { numRows(): number }>)[k].numRows(), `${label}: ${k} rows`).toBe(n);
    return;
  }
  if (error && !e.accept.includes('error')) throw new Error(`${label}: loading failed but an error is not an accepted outcome: ${error.message}`);
  if (e.or_episode && data) {
    const ep = (data.cin.objects() as Array<Record<string, unknown>>).find((r) => Object.entries(e.or_episode!.match).every(([k, v]) => r[k] === v));
    if (ep && Object.entries(e.or_episode.equals).every(([k, v]) => ep[k] === v)) return;
  }
  if (e.or_kept && data) {
    const kept = e.or_kept.every((k) => {
      const re = new RegExp(k.column, 'i');
      return k.values.every((v) => [data.cin, data.assessments, data.cpp].some((t) => t.columnNames().filter((c) => re.test(c)).some((c) => (t.array(c) as unknown[]).includes(v))));
    });
    if (kept) return;
  }
  const fs0 = findings(data, error, e.accept);
  const hit = fs0.find((f) => matches(f, e));
  expect(hit, `${label}: no ${e.accept.join('/')} naming ${JSON.stringify({ mention: e.mention, mention_all: e.mention_all, row: e.row, file: e.file })}; found:\n${fs0.map((f) => `  [${f.row}] ${f.text}`).join('\n')}`).toBeDefined();
}

for (const root of ROOTS) {
  if (!fs.existsSync(root)) continue;
  const cases = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'expect.json'))).sort();
  describe(`bad extracts: ${path.basename(root)}`, () => {
    for (const c of cases) {
      const dir = path.join(root, c);
      const isXml = fs.readdirSync(dir).some((f) => f.endsWith('.xml'));
      it.skipIf(isXml && !XML_READY)(c, async () => {
        const exp = JSON.parse(fs.readFileSync(path.join(dir, 'expect.json'), 'utf8')) as Expect;
        let data: LoadedData | null = null, error: Error | null = null;
        try { data = await loadTables(sourceOf(dir), { store: ':memory:' }); } catch (e) { if (!(e instanceof DataError)) throw e; error = e; }
        check(exp, data, error, c);
        for (const [i, a] of (exp.also ?? []).entries()) check(a, data, error, `${c} (also ${i + 1})`);
        if (exp.endOfData_not_after && data) expect(data.endOfData <= exp.endOfData_not_after, `end of data ${data.endOfData}`).toBe(true);
        if (data) {
          for (const f of data.dataFlow) {
            expect(f.rows_read, `${c}: ${f.file} balance`).toBe(f.rows_analysed + f.rows_excluded + f.duplicates_merged);
            if (exp.balance_physical_lines && f.file.endsWith('.csv')) expect(f.rows_read, `${c}: ${f.file} physical lines`).toBe(physicalDataLines(f.file));
          }
          // the derived tables still build on what was loaded
          for (const dv of exp.derived ?? []) {
            if (dv === 'survival') expect((await buildSurvivalEpisodes(data)).episodes.numRows()).toBeGreaterThanOrEqual(0);
            if (dv === 'pupil2' || dv === 'pupil4') expect((await buildPupilLinked(data, { keyStage: dv === 'pupil2' ? 2 : 4 })).table.numRows()).toBeGreaterThanOrEqual(0);
          }
          expect((await buildLcaMatrix(data)).table.numRows()).toBeGreaterThanOrEqual(0);
        }
      });
    }
  });
}
