// The flattened raw-CLA layout of a staged SSDA903 return: the store's field list, one row per kept
// episode with its child's header values, the caller's LA code, and an unknown child's blanks.
import { describe, it, expect } from 'vitest';
import * as path from 'path';
import { readSsda903, ssda903Rows, SSDA903_RAW_CLA_FIELDS } from '../../../src/data/ssda903';
import { OTHER_FIELDS } from '../../../src/data/store/other';

const fx = path.resolve(__dirname, '../fixtures/ssda903');

describe('ssda903Rows', () => {
  it('matches the store layout and joins each episode to its child', async () => {
    expect([...SSDA903_RAW_CLA_FIELDS]).toEqual(OTHER_FIELDS.cla);
    const s = await readSsda903({ header: path.join(fx, 'header.csv'), episodes: path.join(fx, 'episodes.csv') });
    s.episodes.push({ ...s.episodes[0], line: 99, childId: 'NOHEADER' });
    const r = ssda903Rows(s, '999');
    expect(r.line.length).toBe(15);
    const i = r.columns.child_id.indexOf('100003');
    expect(Object.fromEntries(SSDA903_RAW_CLA_FIELDS.map((f) => [f, r.columns[f][i]]))).toEqual({
      la: '999', child_id: '100003', pmr: 'A100000000003', sex: '2', dob: '2012-02-29', ethnicity: 'WBRI', decom: '2018-09-01', rne: 'S', ls: 'V2', cin: 'N4', place: 'U1', dec: '2018-12-12', rec: 'E13',
    });
    expect(r.line[i]).toBe(6);
    const j = r.columns.child_id.indexOf('NOHEADER');
    expect([r.columns.sex[j], r.columns.dob[j], r.columns.pmr[j]]).toEqual(['', '', '']);
  });
});
