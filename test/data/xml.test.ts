import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { loadTables } from './helpers';
import type { LoadedData } from './helpers';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadStudyData, buildLcaMatrix, buildSurvivalEpisodes, DataError } from '../../src/data';

// End to end: an LA CIN census XML return through readCinXmlReturn and the store (loadStudyData).
// The reader's own checks are tested in test/data/xml/; this checks what reaches the tables.
const fixture = path.resolve(__dirname, 'fixtures/cin-return-2021.xml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-xml-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const load = (files: string[]) => loadTables({ kind: 'cin-xml', files }, { store: ':memory:' });

describe('LA CIN census XML return (hand-written fixture)', () => {
  let d: LoadedData;
  beforeAll(async () => { d = await load([fixture]); });
  it('loads children, episodes, repeated assessments and CPPs', async () => {
    expect(d.dataFlow).toEqual([{ source: 'cin', file: fixture, rows_read: 4, duplicates_merged: 0, rows_excluded: 1, rows_analysed: 3 }]);
    expect(d.cin.numRows()).toBe(3);
    const first = d.cin.objects()[0] as Record<string, unknown>;
    expect(first).toMatchObject({ child_id: 'DfE1', la: '999', pmr: 'A123456789012', sex: 'M', dob: '2010-06-15', referral_date: '2020-05-04',
      closure_date: '2021-01-20', closure_reason: 'RC7', pathway: 'CPP', n_assessments: 2, n_cpp: 1, cin_plan_start: '2020-06-15', s47_date: '2020-07-20', episode_number: 1 });
    expect(d.assessments.array('factors')).toEqual(['3B;4B;18C', '3B', '10A;11A;14A']);
    expect(d.cpp.objects()[0]).toMatchObject({ cpp_start: '2020-08-01', cpp_end: '2020-12-15', initial_category: 'EMO', latest_category: 'PHY', n_previous_cpp: 0 });
    expect(d.endOfData).toBe('2021-03-31');
  });
  it('lists the bad factor code and the reversed-date episode at their XML lines', async () => {
    const all = [...d.exclusions.objects(), ...d.warnings.objects()] as Array<Record<string, unknown>>;
    expect(all).toContainEqual(expect.objectContaining({ row: 53, value: '99Z', rule: 'code_list_schema_year' }));
    expect(all).toContainEqual(expect.objectContaining({ row: 125, field: 'CINdetails/CINclosureDate', rule: 'date_order', action: 'excluded', child_id: 'DfE3' }));
  });
  it('feeds the analysis tables: 18C harmonises to physical abuse; the second referral is the re-referral event', async () => {
    const lca = await buildLcaMatrix(d);
    expect(lca.table.numRows()).toBe(3);
    expect(lca.table.get('f_18', 0)).toBe(1);
    const s = (await buildSurvivalEpisodes(d)).episodes.objects() as Array<Record<string, unknown>>;
    const e1 = s.find((r) => r.child_id === 'DfE1')!;
    expect(e1).toMatchObject({ event: 1, event_type: 1, time_days: 33, next_referral_date: '2021-02-22', prior_referrals: 0 });
    const e2 = s.find((r) => r.child_id === 'DfE2')!;
    // born 29 Feb 2004: end of data 31 Mar 2021 comes before the 18th birthday (1 Mar 2022)
    expect(e2).toMatchObject({ event: 0, event_type: 0, status: 'end_of_data', time_days: 167 });
  });
  it('malformed or incomplete returns give one clear error', async () => {
    const bad = path.join(tmp, 'bad.xml');
    fs.writeFileSync(bad, '<Message><Header></Header><Children><Child></Children></Message>');
    await expect(load([bad])).rejects.toThrow(DataError);
    const noLea = path.join(tmp, 'nolea.xml');
    fs.writeFileSync(noLea, fs.readFileSync(fixture, 'utf8').replace('<LEA>999</LEA>', ''));
    await expect(load([noLea])).rejects.toThrow(/LEA/);
    const empty = path.join(tmp, 'empty.xml');
    fs.writeFileSync(empty, '');
    await expect(load([empty])).rejects.toThrow(/empty/);
    await expect(load([path.join(tmp, 'missing.xml')])).rejects.toThrow(/not found/);
  });
});
