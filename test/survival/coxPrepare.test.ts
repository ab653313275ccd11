// Cox input preparation: sweep order, centring, entry order, strata and cluster codes, errors.
// Centring follows R's coxph (survival 3.5): weighted column means, except columns whose values
// all lie in {−1, 0, 1}; counting-process data (agreg.fit) centre at unweighted means.
import { describe, expect, it } from 'vitest';
import { prepareCox } from '../../src/survival/coxPrepare';
import { agSmall, agSmallInput } from './fixtures/agSmall';

describe('prepareCox', () => {
  it('orders rows by stratum, then stop time descending, ties in input order', () => {
    const time = [3, 5, 3, 1, 5, 2];
    const strata = ['b', 'a', 'a', 'b', 'b', 'a'];
    const { data, strataLevels } = prepareCox({ time, event: [1, 1, 0, 1, 0, 1], strata, x: time.map((t) => [t]) });
    expect(strataLevels).toEqual(['a', 'b']);
    // Brute force: a stable sort of row ids by (stratum level, −time).
    const expected = time.map((_, i) => i).sort((i, j) => strata[i].localeCompare(strata[j]) || time[j] - time[i] || i - j);
    expect(Array.from(data.order)).toEqual(expected);
    expect(Array.from(data.stop)).toEqual(expected.map((i) => time[i]));
    expect(Array.from(data.strataStart)).toEqual([0, 3, 6]);
  });

  it('centres at weighted means, leaves {−1, 0, 1} columns alone, and keeps rows with their x', () => {
    const x = [[1, 0], [2, 1], [4, -1], [7, 1]];
    const w = [1, 3, 1, 1];
    const { data } = prepareCox({ time: [4, 3, 2, 1], event: [1, 1, 1, 1], weights: w, x });
    const mean0 = (1 * 1 + 2 * 3 + 4 + 7) / 6;
    expect(data.means[0]).toBeCloseTo(mean0, 14);
    expect(data.means[1]).toBe(0);
    for (let k = 0; k < 4; k++) {
      const i = data.order[k];
      expect(data.x[k * 2]).toBeCloseTo(x[i][0] - mean0, 14);
      expect(data.x[k * 2 + 1]).toBe(x[i][1]);
      expect(data.weight[k]).toBe(w[i]);
    }
  });

  it('counting-process data centre at unweighted means and get an entry order', () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const m = agSmall.x1.reduce((a, b) => a + b, 0) / agSmall.x1.length;
    expect(data.means[0]).toBeCloseTo(m, 14);
    const eo = Array.from(data.entryOrder as Uint32Array);
    expect(eo.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: data.n }, (_, k) => k));
    // Within each stratum, entry times descending.
    for (let s = 0; s < 2; s++) {
      const inS = eo.slice(data.strataStart[s], data.strataStart[s + 1]);
      expect(inS.every((k) => k >= data.strataStart[s] && k < data.strataStart[s + 1])).toBe(true);
      const entries = inS.map((k) => (data.entry as Float64Array)[k]);
      expect(entries).toEqual(entries.slice().sort((a, b) => b - a));
    }
  });

  it('codes clusters so that rows of one label share one code, numbered in sweep order', () => {
    const cluster = ['z', 'y', 'z', 'x', 'y'];
    const { data, clusterCodes, nCluster } = prepareCox({ time: [1, 2, 3, 4, 5], event: [1, 1, 1, 1, 1], cluster, x: [[1], [2], [3], [4], [5]] });
    expect(nCluster).toBe(3);
    const codes = Array.from(clusterCodes as Int32Array);
    // Sweep order is time descending: rows 4, 3, 2, 1, 0 → labels y, x, z, y, z → codes 0, 1, 2, 0, 2.
    expect(Array.from(data.order)).toEqual([4, 3, 2, 1, 0]);
    expect(codes).toEqual([0, 1, 2, 0, 2]);
  });

  it('rejects bad input naming the field (rows counted from 1)', () => {
    const ok = { time: [1, 2], event: [1, 0], x: [[0], [1]] };
    expect(() => prepareCox({ ...ok, ties: 'exact' as never })).toThrow(/ties must be 'efron' or 'breslow'/);
    expect(() => prepareCox({ ...ok, event: [1] })).toThrow(/event has length 1, expected 2/);
    expect(() => prepareCox({ ...ok, entry: [0, 2] })).toThrow(/entry must be < time at row 2/);
    expect(() => prepareCox({ ...ok, weights: [1, 0] })).toThrow(/weights must be positive and finite at row 2/);
    expect(() => prepareCox({ ...ok, weights: [1, -2], signedWeights: true })).not.toThrow();
    expect(() => prepareCox({ ...ok, x: { nrow: 2, ncol: 0, data: new Float64Array(0) } })).toThrow(/no columns/);
  });
});
