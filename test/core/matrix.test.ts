import { describe, expect, it } from 'vitest';
import { denseFromColumns, isDenseMatrix, toDense, toRows } from '../../src/core/matrix';

describe('DenseMatrix conversions', () => {
  it('toDense lays number[][] out row-major and passes a DenseMatrix through', () => {
    const d = toDense([[1, 2, 3], [4, 5, 6]]);
    expect(d.nrow).toBe(2);
    expect(d.ncol).toBe(3);
    expect(Array.from(d.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(isDenseMatrix(d)).toBe(true);
    expect(toDense(d)).toBe(d);
    expect(isDenseMatrix([[1]])).toBe(false);
  });
  it('ragged rows, a wrong data length and a wrong row count fail naming the argument', () => {
    expect(() => toDense([[1, 2], [3]], 'covariates')).toThrow(/covariates: row 2 has 1 columns, expected 2/);
    expect(() => toDense({ nrow: 2, ncol: 2, data: new Float64Array(3) }, 'x')).toThrow(/data length 3/);
    expect(() => toDense([[1], [2]], 'x', 3)).toThrow(/has 2 rows, expected 3/);
  });
  it('denseFromColumns transposes columns into rows and checks their length', () => {
    const d = denseFromColumns([[1, 2], [3, 4], [5, 6]], 2);
    expect(Array.from(d.data)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(() => denseFromColumns([[1, 2], [3]], 2)).toThrow(/column 1 has length 1/);
  });
});

describe('toRows', () => {
  it('splits a row-major array into rows (square by default), reading only nrow × ncol values', () => {
    const a = Float64Array.from([1, 2, 3, 4, 5, 6, 99]);
    expect(toRows(a, 2, 3)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(toRows(a, 2)).toEqual([[1, 2], [3, 4]]);
    expect(toRows(a, 0, 3)).toEqual([]);
  });
});
