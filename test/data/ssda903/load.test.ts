// End to end: an LA's own SSDA903 return through readSsda903 and the store (loadStudyData), alone and
// beside the LA's CIN census XML return (care episodes set the CIN pathway and the care re-entry table).
import { loadTables } from '../helpers';
import type { LoadedData } from '../helpers';
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadStudyData, buildSurvivalEpisodes } from '../../../src/data';

const fx = path.resolve(__dirname, '../fixtures/ssda903');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-903-load-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('loadStudyData with an SSDA903 return', () => {
  it('alone: every episode in cla, header and episodes files balanced in the data flow', async () => {
    const d = await loadTables({ kind: 'ssda903', files: { header: path.join(fx, 'header.csv'), episodes: path.join(fx, 'episodes.csv') }, la: '999', endOfData: '2024-03-31' }, { store: ':memory:' });
    expect(d.cla.numRows()).toBe(14);
    const flow = d.dataFlow as Array<Record<string, unknown>>;
    const ep = flow.find((r) => String(r.file).endsWith('episodes.csv'))!;
    expect(ep).toMatchObject({ rows_read: 14, rows_excluded: 0, duplicates_merged: 0, rows_analysed: 14 });
    for (const r of flow) expect(Number(r.rows_read)).toBe(Number(r.rows_analysed) + Number(r.rows_excluded) + Number(r.duplicates_merged));
    const c3 = (d.cla.objects() as Array<Record<string, unknown>>).filter((r) => r.child_id === '100003');
    expect(c3.map((r) => [r.decom, r.dec, r.rec, r.sex, r.dob])).toEqual([
      ['2018-09-01', '2018-12-12', 'E13', 'F', '2012-02-29'], ['2018-12-12', '2019-05-03', 'E41', 'F', '2012-02-29'], ['2019-05-03', '2020-03-01', 'E12', 'F', '2012-02-29'],
    ]);
  });

  it("beside the LA's CIN XML return: a care episode inside a referral makes its pathway 'care'", async () => {
    const header = path.join(tmp, 'header.csv'), episodes = path.join(tmp, 'episodes.csv');
    fs.writeFileSync(header, 'CHILD,SEX,DOB,ETHNIC,UPN\nDfE1,1,15/06/2010,WBRI,A123456789012\n');
    fs.writeFileSync(episodes, 'CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC\nDfE1,01/12/2020,S,C2,N1,U1,10/01/2021,E13\n');
    const d = await loadTables({ kind: 'cin-xml', files: [path.resolve(__dirname, '../fixtures/cin-return-2021.xml')], ssda903: { header, episodes } }, { store: ':memory:' });
    const e1 = (d.cin.objects() as Array<Record<string, unknown>>).find((r) => r.child_id === 'DfE1' && r.referral_date === '2020-05-04')!;
    expect(e1).toMatchObject({ pathway: 'care', care_start: '2020-12-01' });
    expect(d.cla.numRows()).toBe(1);
    expect((d.cla.objects()[0] as Record<string, unknown>).la).toBe('999');
    const s = await buildSurvivalEpisodes(d);
    // the care period ends 10 Jan 2021 and nothing follows before the end of data (31 Mar 2021): censored after 80 days
    expect(s.careReentry.objects()).toEqual([expect.objectContaining({ child_id: 'DfE1', period_start: '2020-12-01', care_end: '2021-01-10', event: 0, time_days: 80, sex: 'M' })]);
  });
});
