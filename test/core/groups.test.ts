// Group / strata / cluster coding of src/core/groups: levels sorted as R's factor() sorts them.
// R 4.2: levels(factor(c(10, 2, 3, 2)))  # "2" "3" "10"  (numeric sort, not "10" "2" "3")
//        as.integer(factor(c(10, 2, 3, 2)))  # 3 1 2 1
import { describe, expect, it } from 'vitest';
import { labelCodes } from '../../src/core/groups';

describe('labelCodes', () => {
  it('sorts numeric labels numerically, as factor()', () => {
    const r = labelCodes([10, 2, 3, 2], 4, 'test');
    expect(r.levels).toEqual(['2', '3', '10']);
    expect(Array.from(r.codes)).toEqual([2, 0, 1, 0]);
  });
  it('gives the same coding on the dense-table path, the hash path and for numeric text', () => {
    const vals = [5, 1e6, -3, 5, 17, -3]; // span too wide for the dense table
    const dense = [5, 100, -3, 5, 17, -3];
    const wide = labelCodes(vals, vals.length, 't');
    expect(wide.levels).toEqual(['-3', '5', '17', '1000000']);
    expect(Array.from(wide.codes)).toEqual([1, 3, 0, 1, 2, 0]);
    const d = labelCodes(dense, dense.length, 't');
    expect(d.levels).toEqual(['-3', '5', '17', '100']);
    expect(Array.from(d.codes)).toEqual([1, 3, 0, 1, 2, 0]);
    const txt = labelCodes(dense.map(String), dense.length, 't');
    expect(txt.levels).toEqual(d.levels);
    expect(Array.from(txt.codes)).toEqual(Array.from(d.codes));
    const frac = labelCodes([0.5, 0.25, 0.5], 3, 't');
    expect(frac.levels).toEqual(['0.25', '0.5']);
  });
  it('sorts text labels and codes every row', () => {
    const r = labelCodes(['LA2', 'LA1', 'LA3', 'LA1'], 4, 't');
    expect(r.levels).toEqual(['LA1', 'LA2', 'LA3']);
    expect(Array.from(r.codes)).toEqual([1, 0, 2, 0]);
  });
  it('throws naming the row of a missing label or a length mismatch', () => {
    expect(() => labelCodes(['a', '', 'b'], 3, 'fitCox: strata')).toThrow('fitCox: strata is missing at row 2');
    expect(() => labelCodes([1, NaN], 2, 'cluster')).toThrow(/cluster is missing or not finite at row 2/);
    expect(() => labelCodes([1, 2], 3, 'x')).toThrow('x has length 2, expected 3');
    expect(() => labelCodes(undefined as unknown as number[], 3, 'fitGlmm: groups')).toThrow('fitGlmm: groups has length 0, expected 3');
  });
});
