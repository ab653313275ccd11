// Label switching (src/lca/align): a permuted solution is matched back to the reference.
import { describe, expect, it } from 'vitest';
import { alignClasses, permuteClasses, permuteColumns } from '../../src/lca/align';

const ref = [[[0.9, 0.1], [0.8, 0.2]], [[0.2, 0.8], [0.5, 0.5]], [[0.1, 0.9], [0.1, 0.9]], [[0.6, 0.4], [0.3, 0.7]]];

describe('alignClasses', () => {
  it('recovers the permutation of a relabelled, slightly perturbed solution', () => {
    const perm = [2, 0, 3, 1];
    const other = perm.map((p) => ref[p].map((item) => [item[0] + 0.02, item[1] - 0.02]));
    // other's class k is ref's class perm[k], so ref's class k is other's class inv[k]
    const inv = [1, 3, 0, 2];
    expect(alignClasses(other, ref)).toEqual(inv);
    expect(permuteClasses(other, alignClasses(other, ref)).map((c) => c[0][0])).toEqual(ref.map((c) => c[0][0] + 0.02));
  });
  it('uses the greedy match for K > 8 and still finds a clear permutation', () => {
    const big = Array.from({ length: 10 }, (_, k) => [[k / 10, 1 - k / 10]]);
    const perm = [3, 7, 0, 9, 1, 5, 2, 8, 4, 6];
    const shuffled = perm.map((p) => big[p]);
    const a = alignClasses(shuffled, big);
    expect(a.map((i) => perm[i])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('rejects different class counts; permutes matrix columns', () => {
    expect(() => alignClasses(ref.slice(0, 3), ref)).toThrow('alignClasses: 3 vs 4 classes');
    expect(() => permuteClasses([1, 2], [0])).toThrow(/permutation of length 1 for 2 classes/);
    expect(Array.from(permuteColumns(Float64Array.from([1, 2, 3, 4, 5, 6]), 3, [2, 0, 1]))).toEqual([3, 1, 2, 6, 4, 5]);
  });
});
