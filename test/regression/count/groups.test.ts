// Group coding of src/regression/count/groups: levels sorted as R's factor() sorts them.
// R 4.2: levels(factor(c(10, 2, 10, 3)))   # "2" "3" "10";  levels(factor(c("b", "a", "c")))  # "a" "b" "c"
import { describe, expect, it } from 'vitest';
import { groupIndex } from '../../../src/regression/count/groups';
import { labelCodes } from '../../../src/core/groups';

describe('groupIndex', () => {
  it('sorts numbers numerically and text as text, as factor()', () => {
    const a = groupIndex([10, 2, 10, 3], 4);
    expect(a.levels).toEqual(['2', '3', '10']);
    expect(Array.from(a.codes)).toEqual([2, 0, 2, 1]);
    const b = groupIndex(['b', 'a', 'c', 'a'], 4);
    expect(b.levels).toEqual(['a', 'b', 'c']);
    expect(Array.from(b.codes)).toEqual([1, 0, 2, 0]);
  });
  it('codes as the core group coding does', () => {
    const ids = ['LA10', 'LA2', 'LA10', 'LA1', 7, 7];
    const a = groupIndex(ids, ids.length); const c = labelCodes(ids, ids.length, 'g');
    expect(a.levels).toEqual(c.levels);
    expect(Array.from(a.codes)).toEqual(Array.from(c.codes));
  });
  it('throws on a missing id (1-based row) or a length mismatch', () => {
    expect(() => groupIndex(['a', '', 'b'], 3)).toThrow('groups: row 2 is missing');
    expect(() => groupIndex([1, NaN], 2)).toThrow('groups: row 2 is missing');
    expect(() => groupIndex([1, 2], 3)).toThrow('groups: has length 2, expected 3');
  });
});
