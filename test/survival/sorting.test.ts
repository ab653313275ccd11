// Linear-time orderings of src/survival/sorting against Array.prototype.sort with a comparator.
import { describe, expect, it } from 'vitest';
import { uniqueSorted, rankOf, orderByGroupThenDescending } from '../../src/survival/sorting';
import { createRng } from '../../src/core/random';

describe('sorting', () => {
  it('uniqueSorted and rankOf agree with a Set and indexOf', () => {
    const v = [3, 1.5, -2, 3, 7, 1.5, 0, -0];
    const u = uniqueSorted(v);
    expect(Array.from(u, (x) => x + 0)).toEqual([-2, 0, 1.5, 3, 7]); // 0 and -0 are one value (either may be kept)
    for (const x of [-2, 0, 1.5, 3, 7]) expect(rankOf(u, x)).toBe(Array.from(u).indexOf(x));
  });
  it('orderByGroupThenDescending equals a stable comparator sort (group asc, value desc, index)', () => {
    const rng = createRng(4);
    const n = 500;
    const values = Array.from({ length: n }, () => rng.nextInt(40) / 4);
    const group = Array.from({ length: n }, () => rng.nextInt(5));
    const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => group[a] - group[b] || values[b] - values[a] || a - b);
    expect(Array.from(orderByGroupThenDescending(values, group, 5))).toEqual(want);
    const noGroup = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
    expect(Array.from(orderByGroupThenDescending(values, null, 1))).toEqual(noGroup);
    const subset = Uint32Array.from([9, 3, 200, 41]);
    const wantSub = Array.from(subset).sort((a, b) => group[a] - group[b] || values[b] - values[a] || a - b);
    expect(Array.from(orderByGroupThenDescending(values, group, 5, subset))).toEqual(wantSub);
  });
});
