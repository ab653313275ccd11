import { describe, it, expect } from 'vitest';
import { DataError } from '../../src/data/errors';

describe('DataError', () => {
  it('names file, row and field in the message, in that order, and keeps them as properties', () => {
    const e = new DataError('bad date "31/02/2020"', { file: 'cin.csv', row: 17, field: 'CIN_CINreferralDate' });
    expect(e.message).toBe('bad date "31/02/2020" (file cin.csv, row 17, field CIN_CINreferralDate)');
    expect([e.file, e.row, e.field]).toEqual(['cin.csv', 17, 'CIN_CINreferralDate']);
    expect(e.name).toBe('DataError');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(DataError);
  });
  it('row 0 is a place (the header line), not an absent one', () => {
    const e = new DataError('duplicate header', { file: 'cla.csv', row: 0 });
    expect(e.message).toBe('duplicate header (file cla.csv, row 0)');
    expect(e.row).toBe(0);
    expect(e.field).toBeNull();
  });
  it('with no place the message is left as given and the places are null', () => {
    const e = new DataError('no CIN file given');
    expect(e.message).toBe('no CIN file given');
    expect([e.file, e.row, e.field]).toEqual([null, null, null]);
  });
  it('only the parts given are named', () => {
    expect(new DataError('m', { field: 'LA' }).message).toBe('m (field LA)');
    expect(new DataError('m', { file: null, row: null, field: 'LA' }).message).toBe('m (field LA)');
  });
});
