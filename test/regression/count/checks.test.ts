// Input checks of the count fitters (src/regression/count/checks): bad counts, offsets and
// weights are errors naming the row (1-based, as R); non-integer counts warn as R's dpois does.
import { describe, expect, it } from 'vitest';
import { checkCounts } from '../../../src/regression/count/checks';

describe('checkCounts', () => {
  it('accepts counts, copies them, and warns on non-integer counts', () => {
    const w: string[] = [];
    const r = checkCounts([0, 2, 1.5], [0, 0.1, -0.2], [1, 2, 1], 3, w, 'fitGlm');
    expect(Array.from(r.y)).toEqual([0, 2, 1.5]);
    expect(Array.from(r.offset!)).toEqual([0, 0.1, -0.2]);
    expect(Array.from(r.weights!)).toEqual([1, 2, 1]);
    expect(w).toEqual(['1 non-integer count(s) in y (R warns the same): the likelihood is not a count likelihood there']);
    expect(checkCounts([1], undefined, undefined, 1, [], 'f').offset).toBeNull();
  });
  it('names the row of a negative or missing count, an infinite offset, a zero weight', () => {
    expect(() => checkCounts([1, -1], undefined, undefined, 2, [], 'fitGlm')).toThrow('fitGlm: y row 2 is -1; counts must be finite and ≥ 0');
    expect(() => checkCounts([1, NaN], undefined, undefined, 2, [], 'fitGlm')).toThrow(/y row 2 is NaN/);
    expect(() => checkCounts([1, 1], [0, -Infinity], undefined, 2, [], 'fitGlm')).toThrow(/offset row 2 is -Infinity \(log of a zero/);
    expect(() => checkCounts([1, 1], undefined, [1, 0], 2, [], 'fitGlm')).toThrow(/weights row 2 is 0/);
    expect(() => checkCounts([1], undefined, undefined, 2, [], 'fitGlm')).toThrow('fitGlm: y has length 1, expected 2 (rows of x)');
  });
});
