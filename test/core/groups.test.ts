// Group / strata / cluster coding of src/core/groups: levels sorted as R's factor() sorts them.
// R 4.2: levels(factor(c(10, 2, 3, 2)))  # "2" "3" "10"  (numeric sort, not "10" "2" "3")
//        as.integer(factor(c(10, 2, 3, 2)))  # 3 1 2 1
//        levels(factor(c("10", "9", "100")))  # "10" "100" "9"  (character: sorted as text)
//        as.integer(factor(c("10", "9", "100", "9")))  # 1 3 2 3
// LC_ALL=C Rscript -e 'levels(factor(c("b", "A", "a", "B", "E09000002", "E06000001")))'
//        # "A" "B" "E06000001" "E09000002" "a" "b"
import { describe, expect, it } from 'vitest';
import { labelCodes } from '../../src/core/groups';

describe('labelCodes', () => {
  it('sorts numeric labels numerically, as factor()', () => {
    const r = labelCodes([10, 2, 3, 2], 4, 'test');
    expect(r.levels).toEqual(['2', '3', '10']);
    expect(Array.from(r.codes)).toEqual([2, 0, 1, 0]);
  });
  it('sorts numeric-looking text as text, as factor() on a character vector', () => {
    const r = labelCodes(['10', '9', '100', '9'], 4, 't');
    expect(r.levels).toEqual(['10', '100', '9']);
    expect(Array.from(r.codes)).toEqual([0, 2, 1, 2]);
    // Mixed numbers and text are text (factor(c(5, "a")) is a character factor).
    expect(labelCodes([10, '9'], 2, 't').levels).toEqual(['10', '9']);
  });
  it("sorts text by character code, R's order in the C locale", () => {
    const r = labelCodes(['b', 'A', 'a', 'B', 'E09000002', 'E06000001'], 6, 't');
    expect(r.levels).toEqual(['A', 'B', 'E06000001', 'E09000002', 'a', 'b']);
  });
  it('gives the same coding on the dense-table path and the hash path', () => {
    const vals = [5, 1e6, -3, 5, 17, -3]; // span too wide for the dense table
    const dense = [5, 100, -3, 5, 17, -3];
    const wide = labelCodes(vals, vals.length, 't');
    expect(wide.levels).toEqual(['-3', '5', '17', '1000000']);
    expect(Array.from(wide.codes)).toEqual([1, 3, 0, 1, 2, 0]);
    const d = labelCodes(dense, dense.length, 't');
    expect(d.levels).toEqual(['-3', '5', '17', '100']);
    expect(Array.from(d.codes)).toEqual([1, 3, 0, 1, 2, 0]);
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
