// columnValues (src/formula/designTypes): the fast path returns arquero's backing column only when
// it is exactly the table's rows; a filtered or ordered table gives its rows in table order.
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { columnValues, type TableLike } from '../../src/formula/designTypes';

describe('columnValues', () => {
  const t = aq.table({ x: Float64Array.of(3, 1, 2, 5), g: ['a', 'b', 'a', 'c'] });
  it('a plain table: the backing column itself, not a copy', () => {
    const v = columnValues(t as unknown as TableLike, 'x');
    expect(Array.from(v as ArrayLike<number>)).toEqual([3, 1, 2, 5]);
    expect(v).toBe((t as unknown as { column(n: string): unknown }).column('x'));
  });
  it('a filtered table: only the kept rows, in order', () => {
    const f = t.filter((d: { x: number }) => d.x > 1);
    expect(Array.from(columnValues(f as unknown as TableLike, 'x') as ArrayLike<number>)).toEqual([3, 2, 5]);
    expect(Array.from(columnValues(f as unknown as TableLike, 'g'))).toEqual(['a', 'a', 'c']);
  });
  it('an ordered table: rows in the table\'s order, not storage order', () => {
    const o = t.orderby('x');
    expect(Array.from(columnValues(o as unknown as TableLike, 'x') as ArrayLike<number>)).toEqual([1, 2, 3, 5]);
  });
  it('a table-like without a column() fast path, or whose column has another length, is read through array()', () => {
    const plain: TableLike = { numRows: () => 2, columnNames: () => ['x'], array: () => [7, 8] };
    expect(columnValues(plain, 'x')).toEqual([7, 8]);
    const odd: TableLike = { ...plain, column: () => [1, 2, 3] };
    expect(columnValues(odd, 'x')).toEqual([7, 8]);
  });
});
