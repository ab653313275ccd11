import { describe, it, expect } from 'vitest';
import * as aq from 'arquero';
import { subsetTable, numericWhere } from '../../../src/report/truth/subset';
import type { TableLike } from '../../../src/formula/design';

const base = aq.table({ id: [1, 2, 3, 4, 5], g: ['a', 'b', 'a', 'b', 'a'], y: [10, null, 30, NaN, 50] }) as unknown as TableLike;

describe('subsetTable', () => {
  it('keeps the rows where keep() holds, in order, with derived columns read from the original row index', () => {
    const t = subsetTable(base, (i) => i % 2 === 0, { twice: (i) => 2 * (i + 1), g: (i) => `g${i}` });
    expect(t.numRows()).toBe(3);
    expect(Array.from(t.array('id'))).toEqual([1, 3, 5]);
    expect(Array.from(t.array('twice'))).toEqual([2, 6, 10]);
    // an extra column that shadows an existing one replaces it, and the name is listed once
    expect(Array.from(t.array('g'))).toEqual(['g0', 'g2', 'g4']);
    expect(t.columnNames()).toEqual(['id', 'g', 'y', 'twice']);
  });
  it('reads each column once (cached) and names a missing column', () => {
    let calls = 0;
    const t = subsetTable(base, () => true, { k: (i) => { calls++; return i; } });
    t.array('k'); t.array('k');
    expect(calls).toBe(5);
    expect(() => t.array('nope')).toThrow('subsetTable: column "nope" not found');
  });
  it('columnNames returns a copy', () => {
    const t = subsetTable(base, () => true);
    t.columnNames().push('x');
    expect(t.columnNames()).toEqual(['id', 'g', 'y']);
  });
  it('an empty subset has no rows', () => {
    const t = subsetTable(base, () => false);
    expect(t.numRows()).toBe(0);
    expect(Array.from(t.array('id'))).toEqual([]);
  });
});

describe('numericWhere', () => {
  it('returns the finite numbers on rows where the condition holds, dropping null and NaN', () => {
    expect(Array.from(numericWhere(base, 'y'))).toEqual([10, 30, 50]);
    const g = base.array('g');
    expect(Array.from(numericWhere(base, 'y', (i) => g[i] === 'a' && i > 0))).toEqual([30, 50]);
    expect(numericWhere(base, 'y')).toBeInstanceOf(Float64Array);
  });
});
