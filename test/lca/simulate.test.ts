// LCA simulation (src/lca/simulate): realised class shares and item probabilities recover the
// generating values within binomial sampling error; codesToRows maps codes back (-1 = missing).
import { describe, expect, it } from 'vitest';
import { simulateLca, codesToRows } from '../../src/lca/simulate';

const shares = [0.6, 0.4];
const probs = [[[0.9, 0.1], [0.2, 0.5, 0.3]], [[0.3, 0.7], [0.1, 0.1, 0.8]]];

describe('simulateLca', () => {
  const n = 40_000;
  const s = simulateLca(n, shares, probs, 5, 0.1);
  it('draws classes with the given shares and categories with the given probabilities (within 4 SE)', () => {
    const nk = [0, 0];
    for (let i = 0; i < n; i++) nk[s.classes[i]]++;
    expect(Math.abs(nk[0] / n - 0.6)).toBeLessThan(4 * Math.sqrt(0.24 / n));
    for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) {
      const counts = new Array(probs[k][j].length).fill(0); let m = 0;
      for (let i = 0; i < n; i++) if (s.classes[i] === k && s.codes[i * 2 + j] >= 0) { counts[s.codes[i * 2 + j]]++; m++; }
      probs[k][j].forEach((p, c) => expect(Math.abs(counts[c] / m - p)).toBeLessThan(4 * Math.sqrt(p * (1 - p) / m)));
    }
  });
  it('makes values missing at the given rate, and is deterministic per seed', () => {
    let miss = 0;
    for (let t = 0; t < s.codes.length; t++) if (s.codes[t] < 0) miss++;
    expect(Math.abs(miss / s.codes.length - 0.1)).toBeLessThan(4 * Math.sqrt(0.09 / s.codes.length));
    expect(Array.from(simulateLca(50, shares, probs, 5, 0.1).codes)).toEqual(Array.from(s.codes.slice(0, 100)));
  });
  it('codesToRows gives per-row arrays with null for missing', () => {
    expect(codesToRows(Int16Array.from([0, -1, 2, 1]), 2, 2)).toEqual([[0, null], [2, 1]]);
  });
});
