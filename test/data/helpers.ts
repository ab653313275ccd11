import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, expect } from 'vitest';
import type { ColumnTable } from 'arquero';
import { loadStudyData } from '../../src/data';
import type { StudyData, StudySource, LoadOptions } from '../../src/data';
export { loadStudyData, DataError } from '../../src/data';
export { CIN_HEADER as CIN_HEADER_FOR_TESTS } from '../../src/data/synth/generate';

/** a StudyData with its store tables read eagerly (as tests inspect them), still usable by the table builders */
export type LoadedData = StudyData & { cin: ColumnTable; assessments: ColumnTable; cpp: ColumnTable; cla: ColumnTable; ks2: ColumnTable; ks4: ColumnTable; pupils: ColumnTable; s47: ColumnTable; cinPlans: ColumnTable };

export async function withTables(data: StudyData): Promise<LoadedData> {
  const t = Object.create(data) as LoadedData;
  for (const [k, name] of [['cin', 'cin'], ['assessments', 'assessments'], ['cpp', 'cpp'], ['cla', 'cla'], ['ks2', 'ks2'], ['ks4', 'ks4'], ['pupils', 'pupils'], ['s47', 's47'], ['cinPlans', 'cin_plans']] as const) {
    Object.defineProperty(t, k, { value: await data.table(name), enumerable: true });
  }
  return t;
}

export async function loadTables(source: StudySource, options?: LoadOptions): Promise<LoadedData> {
  return withTables(await loadStudyData(source, options));
}

/**
 * A temporary folder for hand-made CSV extracts, removed after the test file: returns the writer
 * csv(name, header, rows) -> path, where a row's missing columns are written empty.
 */
export function tempCsvWriter(prefix: string): (name: string, header: readonly string[], rows: ReadonlyArray<Record<string, string>>) => string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  return (name, header, rows) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, [header.join(','), ...rows.map((r) => header.map((h) => r[h] ?? '').join(','))].join('\n') + '\n');
    return p;
  };
}

/** The census year (ending 31 March) holding an ISO date 'YYYY-MM-DD': 2020-03-31 -> 2020, 2020-04-01 -> 2021. */
export const censusYearOf = (d: string): string => String(+d.slice(0, 4) + (+d.slice(5, 7) >= 4 ? 1 : 0));

/** A CSV the generator wrote (no quoted fields) as row objects keyed by its header, by a plain split. */
export function readCsvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, j) => [cols[j], v])));
}

/** A temporary folder (removed after the test file) and a writer of files in it, byte for byte: write(name, content) -> path. */
export function tempFileWriter(prefix: string): (name: string, content: string | Buffer) => string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  return (name, content) => {
    const p = path.join(tmp, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  };
}

/** physical data lines of a CSV from its bytes (any line-end style, an unterminated last line counts, the header and a BOM do not) */
export function physicalDataLines(file: string): number {
  let s = fs.readFileSync(file, 'latin1');
  if (s.startsWith('\xef\xbb\xbf')) s = s.slice(3);
  const ends = (s.match(/\r\n|\r|\n/g) ?? []).length;
  return ends + (s.length && !/[\r\n]$/.test(s) ? 1 : 0) - 1;
}

/** every file of the data flow balances: physical data lines (CSV, from the bytes) = rows read = analysed + excluded + merged */
export function expectBalanced(data: Pick<StudyData, 'dataFlow'>): void {
  expect(data.dataFlow.length).toBeGreaterThan(0);
  for (const f of data.dataFlow) {
    if (/\.csv$/i.test(f.file)) expect(f.rows_read, `${path.basename(f.file)}: rows read vs physical data lines`).toBe(physicalDataLines(f.file));
    expect(f.rows_analysed + f.rows_excluded + f.duplicates_merged, `${path.basename(f.file)}: analysed + excluded + merged`).toBe(f.rows_read);
  }
}

/**
 * A small clean NPD-style extract (cin, cla, ks2, ks4, pupils as text, LF line ends) for making
 * variants of the bad-extract kinds: the child_two_sexes case with its one fault (line 13's sex) undone.
 */
export function cleanExtract(): Record<'cin' | 'cla' | 'ks2' | 'ks4' | 'pupils', string> {
  const dir = path.resolve(__dirname, 'bad-extracts-extra/child_two_sexes');
  const read = (k: string): string => fs.readFileSync(path.join(dir, `${k}.csv`), 'utf8');
  return { cin: read('cin').replace('2019,LA066,C000000034,P000000034,2,', '2019,LA066,C000000034,P000000034,1,'), cla: read('cla'), ks2: read('ks2'), ks4: read('ks4'), pupils: read('pupils') };
}

/** the lines of an extract's text (no final empty line), to edit one and join them again with any line end */
export const linesOf = (text: string): string[] => text.replace(/\r?\n$/, '').split('\n');

/** the extract written with `write` (tempFileWriter) under folder name `tag`, with some files replaced: an extracts source of all five */
export function extractSource(write: (name: string, content: string | Buffer) => string, tag: string, replace: Partial<Record<'cin' | 'cla' | 'ks2' | 'ks4' | 'pupils', string | Buffer>> = {}): StudySource {
  const files = { ...cleanExtract(), ...replace };
  const p = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, write(`${tag}/${k}.csv`, v)]));
  return { kind: 'extracts', files: { cin: p.cin, cla: p.cla, ks2: p.ks2, ks4: p.ks4, pupils: p.pupils } };
}
