// Factor-level keys and order (src/formula/levels), as R's factor() sorts: numbers numerically,
// logicals FALSE < TRUE, text by code point. R 4.2: levels(factor(c(10, 2, 3)))  # "2" "3" "10"
import { describe, expect, it } from 'vitest';
import { compareLevels, firstPresent, levelKey } from '../../src/formula/levels';

describe('levels', () => {
  it('keys logicals as R prints them and dates as ISO text', () => {
    expect(levelKey(true)).toBe('TRUE');
    expect(levelKey(false)).toBe('FALSE');
    expect(levelKey(new Date(Date.UTC(2020, 0, 2)))).toBe('2020-01-02T00:00:00.000Z');
    expect(levelKey(3)).toBe('3');
  });
  it('sorts numbers numerically, logicals FALSE first, text as text', () => {
    expect([10, 2, 3].sort(compareLevels)).toEqual([2, 3, 10]);
    expect([true, false].sort(compareLevels)).toEqual([false, true]);
    expect(['b', 'B', 'a'].sort(compareLevels)).toEqual(['B', 'a', 'b']);
  });
  it('firstPresent skips missing cells (null, NaN, blank text)', () => {
    expect(firstPresent([null, NaN, ' ', 'x', 'y'])).toBe('x');
    expect(firstPresent([null, ''])).toBeUndefined();
  });
});
