// Coding of the distal outcome (src/lca/distal/outcome): missing values become NaN, levels are
// kept in first-seen or given order, and a bad value is an error naming its row.
import { describe, expect, it } from 'vitest';
import { codeOutcome, levelKey } from '../../../src/lca/distal/outcome';

describe('codeOutcome', () => {
  it('normal: numbers pass, null/NaN are missing, text is an error naming the row', () => {
    const r = codeOutcome({ type: 'normal', outcome: [1.5, null, NaN, -2] } as never, 4);
    expect(Array.from(r.y, (v) => (Number.isNaN(v) ? 'NA' : v))).toEqual([1.5, 'NA', 'NA', -2]);
    expect(() => codeOutcome({ type: 'normal', outcome: [1, 'x'] } as never, 2)).toThrow('lcaDistal: outcome row 2: x is not a finite number');
  });
  it('binary: 0/1 and false/true, anything else an error', () => {
    expect(Array.from(codeOutcome({ type: 'binary', outcome: [true, 0, 1, false] } as never, 4).y)).toEqual([1, 0, 1, 0]);
    expect(() => codeOutcome({ type: 'binary', outcome: [2] } as never, 1)).toThrow(/row 1: 2 is not 0\/1/);
  });
  it('categorical: codes follow the given levels; the length must match the fit', () => {
    const r = codeOutcome({ type: 'categorical', outcome: ['b', 'a', null, 'c'], levels: ['c', 'b', 'a'] } as never, 4);
    expect(Array.from(r.y, (v) => (Number.isNaN(v) ? -1 : v))).toEqual([1, 2, -1, 0]);
    expect(() => codeOutcome({ type: 'normal', outcome: [1] } as never, 2)).toThrow('lcaDistal: outcome has 1 values but the fit has 2 rows');
    expect(levelKey(1)).not.toBe(levelKey('1'));
  });
});
