// readSsda903 on the sample LA return (test/data/fixtures/ssda903/) and on faulty copies of it:
// each rule's finding names file, physical line, field, value and CHILD; the per-file accounting holds.
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSsda903, SSDA903_RULES } from '../../../src/data/ssda903';
import { DataError } from '../../../src/data/errors';

const fx = path.resolve(__dirname, '../fixtures/ssda903');
const H = path.join(fx, 'header.csv'), E = path.join(fx, 'episodes.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-903-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const lines = (f: string) => fs.readFileSync(f, 'utf8').trimEnd().split('\n');

/** a copy of a fixture file with lines replaced / appended (1-based line -> text; 0 appends) */
function variant(src: string, name: string, edits: Array<[number, string]>, eol = '\n'): string {
  const l = lines(src);
  for (const [n, text] of edits) if (n === 0) l.push(text); else l[n - 1] = text;
  const f = path.join(tmp, name);
  fs.writeFileSync(f, l.join(eol) + eol);
  return f;
}
const balanced = (r: Awaited<ReturnType<typeof readSsda903>>) => {
  expect(r.linesRead.header).toBe(r.children.length + r.excluded!.header + r.merged!.header);
  expect(r.linesRead.episodes).toBe(r.episodes.length + r.excluded!.episodes + r.merged!.episodes);
};

describe('the sample SSDA903 return', () => {
  it('reads every child and episode with ISO dates and canonical names, no findings', async () => {
    const r = await readSsda903({ header: H, episodes: E });
    expect(r.findings).toEqual([]);
    expect(r.linesRead).toEqual({ header: lines(H).length - 1, episodes: lines(E).length - 1 });
    expect(r.children.length).toBe(8);
    expect(r.episodes.length).toBe(14);
    expect(r.children[2]).toEqual({ line: 4, childId: '100003', sex: '2', dob: '2012-02-29', ethnicity: 'WBRI', upn: 'A100000000003' });
    expect(r.episodes[0]).toEqual({ line: 2, childId: '100001', start: '2019-04-03', reasonNewEpisode: 'S', legalStatus: 'C2', cinCategory: 'N1', placement: 'U1', end: '2019-08-15', reasonEpisodeCeased: 'E41' });
    expect(r.episodes.find((e) => e.childId === '100002')).toMatchObject({ end: '', reasonEpisodeCeased: '' });
    balanced(r);
  });
});

describe('the full DfE layout', () => {
  it('extra DfE columns (MOTHER, MC_DOB; PLACE_PROVIDER, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN) in any order are ignored; semicolon dialect declared', async () => {
    const hl = lines(H).map((l, i) => { const f = l.split(','); return [...f.slice(0, 3), i ? '' : 'MOTHER', i ? '' : 'MC_DOB', ...f.slice(3)].join(';'); });
    const el = lines(E).map((l, i) => { const f = l.split(','); return [i ? 'PR1' : 'PLACE_PROVIDER', ...f.slice(0, 7), i ? 'CARPL' : 'REASON_PLACE_CHANGE', f[7], i ? 'AB1 2' : 'HOME_POST', i ? 'CD3 4' : 'PL_POST', i ? 'SC123456' : 'URN'].join(';'); });
    const hd = path.join(tmp, 'full-h.csv'), ep = path.join(tmp, 'full-e.csv');
    fs.writeFileSync(hd, hl.join('\n') + '\n');
    fs.writeFileSync(ep, el.join('\n') + '\n');
    const full = await readSsda903({ header: hd, episodes: ep }, { dialect: { delimiter: ';' } });
    const plain = await readSsda903({ header: H, episodes: E });
    expect(full.findings).toEqual([]);
    expect(full.children).toEqual(plain.children);
    expect(full.episodes).toEqual(plain.episodes);
  });
});

describe('faults in an SSDA903 return', () => {
  it('dates: ISO, m/d/y-impossible, 2-digit years are refused, never guessed; DEC before DECOM; bad DOB dropped', async () => {
    const ep = variant(E, 'dates.csv', [[2, '100001,2019-04-03,S,C2,N1,U1,15/08/2019,E41'], [3, '100001,15/08/2019,P,C2,N1,U4,02/30/2020,E13'],
      [4, '100001,02/10/21,S,V2,N5,R1,30/11/2021,E13'], [6, '100003,01/09/2018,S,V2,N4,U1,12/08/2018,E13']]);
    const hd = variant(H, 'dob.csv', [[3, '100002,2,2011-11-02,MWBC,A100000000002']]);
    const r = await readSsda903({ header: hd, episodes: ep });
    const got = r.findings.map((f) => [path.basename(f.file), f.line, f.field, f.value, f.rule, f.action, f.childId]);
    expect(got).toEqual([
      ['dob.csv', 3, 'DOB', '2011-11-02', 'date_format', 'warning', '100002'],
      ['dates.csv', 2, 'DECOM', '2019-04-03', 'date_format', 'excluded', '100001'],
      ['dates.csv', 3, 'DEC', '02/30/2020', 'date_format', 'excluded', '100001'],
      ['dates.csv', 4, 'DECOM', '02/10/21', 'date_format', 'excluded', '100001'],
      ['dates.csv', 6, 'DEC', '12/08/2018', 'date_order', 'excluded', '100003'],
    ]);
    expect(r.children.find((c) => c.childId === '100002')!.dob).toBe('');
    expect(r.episodes.length).toBe(10);
    balanced(r);
  });

  it('codes outside the SSDA903 lists are listed at their line and dropped; the row is kept', async () => {
    const ep = variant(E, 'codes.csv', [[2, '100001,03/04/2019,Q,C2,N9,U1,15/08/2019,E99']]);
    const hd = variant(H, 'codes-h.csv', [[2, '100001,M,14/03/2008,WXYZ,A100000000001']]);
    const r = await readSsda903({ header: hd, episodes: ep });
    expect(r.findings.map((f) => [f.line, f.field, f.value, f.rule])).toEqual([
      [2, 'ETHNIC', 'WXYZ', 'code_list'], [2, 'SEX', 'M', 'code_list'], [2, 'CIN', 'N9', 'code_list'], [2, 'REC', 'E99', 'code_list'], [2, 'RNE', 'Q', 'code_list'],
    ]);
    expect(r.episodes[0]).toMatchObject({ reasonNewEpisode: '', cinCategory: '', reasonEpisodeCeased: '', legalStatus: 'C2', placement: 'U1' });
    expect(r.children[0]).toMatchObject({ sex: '', ethnicity: '' });
    balanced(r);
  });

  it('duplicates: identical rows merged, disagreeing copies excluded naming the kept line; two header rows per CHILD', async () => {
    const ep = variant(E, 'dups.csv', [[0, '100004,22/01/2021,S,J2,N6,K2,14/04/2021,E45'], [0, '100005,09/09/2022,S,V2,N2,H5,20/09/2022,E13']]);
    const hd = variant(H, 'dups-h.csv', [[0, '100001,1,14/03/2008,WBRI,A100000000001'], [0, '100002,2,02/11/2010,MWBC,A100000000002']]);
    const r = await readSsda903({ header: hd, episodes: ep });
    const got = r.findings.map((f) => [path.basename(f.file), f.line, f.rule, f.action, f.childId]);
    expect(got).toEqual([
      ['dups-h.csv', 10, 'duplicate_record', 'merged', '100001'], ['dups-h.csv', 11, 'child_conflicting_details', 'excluded', '100002'],
      ['dups.csv', 16, 'duplicate_record', 'merged', '100004'], ['dups.csv', 17, 'duplicate_record', 'excluded', '100005'],
    ]);
    expect(r.findings[1].message).toMatch(/line 3/);
    expect(r.merged).toEqual({ header: 1, episodes: 1 });
    expect(r.excluded).toEqual({ header: 1, episodes: 1 });
    balanced(r);
  });

  it('overlapping episodes and an unknown CHILD are warnings with their lines', async () => {
    const ep = variant(E, 'overlap.csv', [[3, '100001,01/08/2019,P,C2,N1,U4,20/02/2020,E13'], [0, '100006,01/01/2018,P,C2,N1,U4,01/02/2018,E13'], [0, '999999,01/01/2020,S,V2,N1,U1,02/02/2020,E13']]);
    const r = await readSsda903({ header: H, episodes: ep });
    expect(r.findings.map((f) => [f.line, f.rule, f.action, f.childId])).toEqual([
      [3, 'overlapping_episodes', 'warning', '100001'], [16, 'overlapping_episodes', 'warning', '100006'], [17, 'unknown_child', 'warning', '999999'],
    ]);
    expect(r.findings[1].message).toMatch(/no DEC/);
    expect(r.episodes.length).toBe(16);
    balanced(r);
  });

  it("line faults from the store's CSV ingest: short row, stray quote (not merged), blank CHILD; CRLF lines keep their numbers", async () => {
    const ep = variant(E, 'lines.csv', [[3, '100001,15/08/2019,P,C2'], [4, '100001,"02/10/2021,S,V2,N5,R1,30/11/2021,E13'], [5, ',10/06/2020,S,C1,N1,U3,,']], '\r\n');
    const r = await readSsda903({ header: H, episodes: ep });
    expect(r.findings.map((f) => [f.line, f.rule, f.action])).toEqual([[3, 'field_count', 'excluded'], [4, 'unbalanced_quotes', 'excluded'], [5, 'missing_id', 'excluded']]);
    expect(r.linesRead.episodes).toBe(14);
    expect(r.episodes.map((e) => e.line)).toEqual([2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    balanced(r);
  });

  it('a missing DEC or REC column is an error, not every episode open; missing files too', async () => {
    const noDec = variant(E, 'nodec.csv', lines(E).map((l, i) => [i + 1, l.split(',').filter((_, j) => j !== 6).join(',')] as [number, string]));
    await expect(readSsda903({ header: H, episodes: noDec })).rejects.toThrow(/'DEC'/);
    await expect(readSsda903({ header: path.join(tmp, 'none.csv'), episodes: E })).rejects.toThrow(DataError);
    await expect(readSsda903({ header: H } as never)).rejects.toThrow(/episodes/);
  });

  it('every rule fired is documented', () => {
    for (const k of ['date_format', 'date_order', 'code_list', 'duplicate_record', 'child_conflicting_details', 'unknown_child', 'overlapping_episodes', 'missing_id', 'missing_date']) {
      expect(SSDA903_RULES[k as keyof typeof SSDA903_RULES]?.length ?? 0, k).toBeGreaterThan(30);
    }
  });
});

describe('an impossible date of birth in the header file (kind: age_200, SSDA903 path)', () => {
  it('is named on the header line and DOB field, with the episodes it makes impossible; a DOB in the usual range is not', async () => {
    const h = variant(H, 'h-age.csv', [[2, '100001,1,14/03/2020,WBRI,A100000000001'], [3, '100002,2,02/11/1817,MWBC,A100000000002']], '\r\n');
    const r = await readSsda903({ header: h, episodes: E });
    const f = r.findings.filter((x) => x.rule === 'impossible_age');
    expect(f.map((x) => [path.basename(x.file), x.line, x.field, x.value, x.action, x.childId])).toEqual([
      ['h-age.csv', 2, 'DOB', '14/03/2020', 'warning', '100001'], ['h-age.csv', 3, 'DOB', '02/11/1817', 'warning', '100002'],
    ]);
    expect(f[0].message).toMatch(/unborn at its first care episode \(DECOM 03\/04\/2019\).*episodes lines 2, 3\)/);
    expect(f[1].message).toMatch(/aged 20\d at its last care episode/);
    balanced(r);
  });
});

