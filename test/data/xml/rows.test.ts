// The flattened raw-CIN layout of a staged return: every sub-record on some row, episode fields on
// every row, one line per episode, and the field list equal to the store's CIN_FIELDS.
import { describe, it, expect } from 'vitest';
import * as path from 'path';
import { readCinXmlReturn, cinReturnRows, XML_RAW_CIN_FIELDS } from '../../../src/data/xml';
import { CIN_FIELDS } from '../../../src/data/store/cin';
import { badDir } from './expect';

describe('cinReturnRows', () => {
  it('uses exactly the store raw CIN fields', () => {
    expect([...XML_RAW_CIN_FIELDS]).toEqual(CIN_FIELDS);
  });
  it('keeps both Section 47s and both CIN plans of K1 on separate rows sharing the CINdetails line', () => {
    const r = readCinXmlReturn(path.join(badDir, 'xml_multiple_s47_and_plans', 'r2022.xml'));
    const rows = cinReturnRows(r);
    const k1 = rows.line.map((l, i) => i).filter((i) => rows.columns.child_id[i] === 'K1' && rows.columns.referral_date[i] === '2021-05-04');
    expect(k1.map((i) => rows.line[i])).toEqual([19, 19]);
    expect(k1.map((i) => rows.columns.s47_date[i])).toEqual(['2021-11-01', '2021-07-20']);
    expect(k1.map((i) => rows.columns.icpc_date[i])).toEqual(['', '2021-08-01']);
    expect(k1.map((i) => rows.columns.cin_plan_start[i])).toEqual(['2021-06-15', '2021-09-01']);
    expect(k1.map((i) => rows.columns.assessment_date[i])).toEqual(['2021-05-06', '']);
    expect(k1.map((i) => rows.columns.factors[i])).toEqual(['3B;4B', '']);
    expect(new Set(k1.map((i) => rows.columns.closure_date[i]))).toEqual(new Set(['2021-12-20']));
    // one distinct line per kept episode
    expect(new Set(rows.line).size).toBe(r.episodes.length);
  });
  it('maps both sex codings to M/F/U and carries the census year and LA', () => {
    const r25 = cinReturnRows(readCinXmlReturn(path.join(badDir, 'xml_2025_sex_element', 'r2025.xml')));
    expect(r25.columns.sex).toEqual(['F', 'M']);
    expect(new Set(r25.columns.census_year)).toEqual(new Set(['2025']));
    const r22 = cinReturnRows(readCinXmlReturn(path.join(badDir, 'xml_bad_row_values', 'r2022.xml')));
    expect(r22.columns.sex).toEqual(['M', '']); // K1's second episode (1 -> M); K2's GenderCurrent 7 was dropped
    expect(r22.columns.la.every((x) => x === '999')).toBe(true);
  });
});
