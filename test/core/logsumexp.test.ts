// Stable softmax of src/core/logsumexp against the direct formula where it does not overflow and
// against the closed form where it does.
import { describe, expect, it } from 'vitest';
import { softmaxInPlace } from '../../src/core/logsumexp';

describe('softmaxInPlace', () => {
  it('matches exp(v)/sum(exp(v)) and log(sum(exp(v))) for moderate values', () => {
    const v0 = [0.3, -1.2, 2.5, 0];
    const v = Float64Array.from([...v0, 99]); // trailing entry outside K is left alone
    const lse = softmaxInPlace(v, 4);
    const s = v0.reduce((a, b) => a + Math.exp(b), 0);
    expect(lse).toBeCloseTo(Math.log(s), 14);
    v0.forEach((x, k) => expect(v[k]).toBeCloseTo(Math.exp(x) / s, 15));
    expect(v[4]).toBe(99);
  });
  it('does not overflow: logs 1000 and 1000 + log 3 give 1/4, 3/4 and 1000 + log 4', () => {
    const v = Float64Array.from([1000, 1000 + Math.log(3)]);
    const lse = softmaxInPlace(v, 2);
    expect(v[0]).toBeCloseTo(0.25, 12); // 1000 + log 3 is itself rounded at ~1e-13
    expect(v[1]).toBeCloseTo(0.75, 12);
    expect(lse).toBeCloseTo(1000 + Math.log(4), 10);
  });
  it('gives probability 0 to a -Infinity log weight', () => {
    const v = Float64Array.from([-Infinity, 0, 0]);
    softmaxInPlace(v, 3);
    expect(Array.from(v)).toEqual([0, 0.5, 0.5]);
  });
});
