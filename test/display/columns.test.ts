import { describe, it, expect } from 'vitest';
import * as aq from 'arquero';
import { columnOf, nRows, sortKeys, itemCodes, countLikeColumns } from '../../src/display/columns';

describe('columnOf and nRows', () => {
  const rows = [{ a: 1, b: 'x' }, { a: 2, b: 'y' }];
  const t = aq.table({ a: [1, 2, 3], b: ['x', 'y', 'z'] });
  it('read a column from row objects or an arquero table', () => {
    expect(Array.from(columnOf(rows, 'a'))).toEqual([1, 2]);
    expect(Array.from(columnOf(t, 'b'))).toEqual(['x', 'y', 'z']);
    expect([nRows(rows), nRows(t), nRows([])]).toEqual([2, 3, 0]);
  });
  it('a missing column is an error naming the caller, the column and the columns there are', () => {
    expect(() => columnOf(rows, 'c', 'linePlot')).toThrow('linePlot: column "c" not found (columns: a, b)');
    expect(() => columnOf(t, 'c', 'barChart')).toThrow('barChart: column "c" not found (columns: a, b)');
  });
  it('no rows: any column is an empty one', () => {
    expect(Array.from(columnOf([], 'c'))).toEqual([]);
  });
});

describe('sortKeys', () => {
  it('numbers numerically (10 after 9), anything else as text', () => {
    expect(sortKeys(['10', '9', '1.5', '-2'])).toEqual(['-2', '1.5', '9', '10']);
    expect(sortKeys(['b', '10', 'a', '9'])).toEqual(['10', '9', 'a', 'b']);
    expect(sortKeys(['2', ''])).toEqual(['', '2']);
  });
});

describe('itemCodes', () => {
  it('codes 1/true as 1, 0/false as 0 and missing as −1, row-major (row i, item j at i·J + j)', () => {
    const r = itemCodes([{ x: 1, y: false }, { x: null, y: true }, { x: 0, y: undefined }], ['x', 'y']);
    expect([r.nRows, r.nItems]).toEqual([3, 2]);
    expect(Array.from(r.codes)).toEqual([1, 0, -1, 1, 0, -1]);
  });
  it('any other value is an error naming item, 1-based row and value', () => {
    expect(() => itemCodes([{ x: 1 }, { x: 2 }], ['x'])).toThrow('itemCodes: item "x" row 2 holds 2, expected 0/1');
    expect(() => itemCodes([{ x: '1' }], ['x'])).toThrow(/row 1 holds "1"/);
  });
});

describe('countLikeColumns', () => {
  it('columns of non-negative whole numbers (blanks allowed), not years, deciles, rates or percentages', () => {
    const rows = [
      { group: 'a', n: 12, events: null, year: 2020, idaci_decile: 3, rate: 4, pct: 10, mean: 2.5, neg: -1 },
      { group: 'b', n: 40, events: 7, year: 2021, idaci_decile: 4, rate: 5, pct: 20, mean: 3, neg: 2 },
    ];
    expect(countLikeColumns(rows)).toEqual(['n', 'events']);
  });
  it('a column that is blank throughout is not a count column; no rows, none', () => {
    expect(countLikeColumns([{ n: null }, { n: undefined }])).toEqual([]);
    expect(countLikeColumns([])).toEqual([]);
  });
  it('the exclusion pattern can be given', () => {
    expect(countLikeColumns([{ year: 2020, n: 3 }], /^n$/)).toEqual(['year']);
  });
});
