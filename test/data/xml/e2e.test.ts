// Unseen XML variants end to end: readCinXmlReturn through the store (loadStudyData), so what the
// reader finds reaches data.exclusions / data.warnings with its line, and the data flow balances.
import { loadTables } from '../helpers';
import type { LoadedData } from '../helpers';
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import { tmpDir, header, details, writeReturn, lineOfText } from './build';

afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
const load = (f: string) => loadTables({ kind: 'cin-xml', files: [f] }, { store: ':memory:' });
const listed = (d: LoadedData) => [...d.exclusions.objects(), ...d.warnings.objects()] as Array<Record<string, unknown>>;
const balanced = (d: LoadedData) => { for (const r of d.dataFlow) expect(r.rows_read).toBe(r.rows_analysed + r.rows_excluded + r.duplicates_merged); };
const s47 = (start: string, icpc: string) => ['<Section47>', `  <S47ActualStartDate>${start}</S47ActualStartDate>`, `  <DateOfInitialCPC>${icpc}</DateOfInitialCPC>`, '</Section47>'];

describe('XML returns end to end', () => {
  it('a 2025/26 return with <Sex>: every child analysed with its sex, nothing excluded', async () => {
    const f = writeReturn('e2026.xml', header('2026', '2026-03-31'), [
      { id: 'A', sexElement: 'Sex', sex: 'F', details: [details('2025-05-01', '<CINclosureDate>2025-06-01</CINclosureDate>')] },
      { id: 'B', sexElement: 'Sex', sex: 'U', details: [details('2025-07-01')] },
    ]);
    const d = await load(f);
    expect(d.cin.objects().map((r) => [(r as Record<string, unknown>).child_id, (r as Record<string, unknown>).sex])).toEqual([['A', 'F'], ['B', 'U']]);
    expect(d.exclusions.numRows()).toBe(0);
    balanced(d);
  });

  it('a 2020/21 return with 2023/24-only codes lists each at its line; the episode is analysed without them', async () => {
    const f = writeReturn('e2021.xml', header('2021', null), [{ id: 'K', details: [details('2020-06-01', '<ReferralSource>5D</ReferralSource>', '<CINclosureDate>2020-09-01</CINclosureDate>', '<ReasonForClosure>RC9</ReasonForClosure>')] }]);
    const d = await load(f);
    const got = listed(d).filter((r) => r.rule === 'code_list_schema_year').map((r) => [r.value, r.row]);
    expect(got).toEqual(expect.arrayContaining([['5D', lineOfText(f, '5D')], ['RC9', lineOfText(f, 'RC9')]]));
    // the same fault in a CSV row (store/codeYears.ts) is the same rule and action: the value dropped, listed with the exclusions
    expect(d.exclusions.objects().filter((r) => (r as Record<string, unknown>).rule === 'code_list_schema_year').map((r) => (r as Record<string, unknown>).action)).toEqual(['value_dropped', 'value_dropped']);
    expect(d.cin.objects()[0]).toMatchObject({ child_id: 'K', referral_source: null, closure_reason: null, closure_date: '2020-09-01' });
    balanced(d);
  });

  it('three Section 47 enquiries all reach data.s47; a d/m/y CPP end excludes its episode at that line; a child without CINdetails is listed', async () => {
    const f = writeReturn('e3.xml', header('2022', null), [
      { id: 'S', details: [details('2021-04-10', ...s47('2021-04-20', '2021-05-04'), ...s47('2021-07-01', '2021-07-15'), ...s47('2021-10-02', '2021-10-20'))] },
      { id: 'D', details: [details('2021-04-10', '<ChildProtectionPlans>', '  <CPPstartDate>2021-05-04</CPPstartDate>', '  <CPPendDate>15/12/2021</CPPendDate>', '</ChildProtectionPlans>')] },
      { id: 'N', details: [] },
    ]);
    const d = await load(f);
    const s = (d as unknown as { s47: { objects(): Array<Record<string, unknown>> } }).s47.objects();
    expect(s.map((r) => [r.s47_date, r.icpc_date])).toEqual([['2021-04-20', '2021-05-04'], ['2021-07-01', '2021-07-15'], ['2021-10-02', '2021-10-20']]);
    expect(d.exclusions.objects()).toContainEqual(expect.objectContaining({ row: lineOfText(f, '15/12/2021'), field: 'CINdetails/ChildProtectionPlans/CPPendDate', value: '15/12/2021', child_id: 'D', action: 'excluded' }));
    expect(listed(d)).toContainEqual(expect.objectContaining({ rule: 'child_without_cindetails', child_id: 'N' }));
    expect(d.dataFlow).toEqual([expect.objectContaining({ rows_read: 2, rows_excluded: 1, rows_analysed: 1 })]);
  });

  it('a CPP or Section 47 starting outside its referral episode: that record is dropped and listed at its line, the episode and its other records analysed (one rule, in the store)', async () => {
    const cppEl = (start: string, end: string) => ['<ChildProtectionPlans>', `  <CPPstartDate>${start}</CPPstartDate>`, `  <CPPendDate>${end}</CPPendDate>`, '</ChildProtectionPlans>'];
    const f = writeReturn('outside.xml', header('2022', null), [
      { id: 'W1', details: [details('2021-06-01', '<CINclosureDate>2021-12-01</CINclosureDate>', '<ReasonForClosure>RC8</ReasonForClosure>', ...cppEl('2021-05-01', '2021-07-01'), ...s47('2021-06-10', '2021-06-20'))] },
      { id: 'W2', details: [details('2021-06-01', ...s47('2021-05-20', '2021-06-05'), ...cppEl('2021-07-01', '2021-09-01'))] },
    ]);
    const d = await load(f);
    expect(d.cin.array('child_id')).toEqual(['W1', 'W2']);
    const dropped = d.exclusions.objects().filter((r) => (r as Record<string, unknown>).rule === 'date_outside_episode') as Array<Record<string, unknown>>;
    expect(dropped.map((r) => [r.child_id, r.field, r.value, r.action])).toEqual([['W1', 'cpp_start', '2021-05-01', 'value_dropped'], ['W2', 's47_date', '2021-05-20', 'value_dropped']]);
    for (const r of dropped) expect(r.row).toBeGreaterThan(0);
    // W1 keeps its in-episode Section 47 but has no CPP; W2 keeps its CPP but no Section 47
    expect(d.cpp.array('child_id')).toEqual(['W2']);
    expect(d.s47.objects().map((r) => (r as Record<string, unknown>).s47_date)).toEqual(['2021-06-10']);
    expect(d.cin.objects().map((r) => [(r as Record<string, unknown>).child_id, (r as Record<string, unknown>).pathway])).toEqual([['W1', 'NFA'], ['W2', 'CPP']]);
    balanced(d);
  });
});
