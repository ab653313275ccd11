// fitCoxCopies' own contract (the numbers against the expanded fitCox are in coxCopies.test.ts):
// units are counted once, the copies of a unit form its default cluster, and bad weight-table
// input fails naming the row (counted from 1).
import { describe, expect, it } from 'vitest';
import { fitCoxCopies } from '../../src/survival/coxCopiesFit';
import { fitCox } from '../../src/survival/cox';
import { createRng } from '../../src/core/random';

function data(n: number) {
  const rng = createRng(11);
  const time: number[] = [];
  const event: number[] = [];
  const x: number[] = [];
  const pattern = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const xi = rng.nextNormal();
    const cls = rng.nextFloat() < 0.5 ? 1 : 0;
    pattern[i] = cls;
    x.push(xi);
    time.push(Math.ceil(-Math.log(rng.nextFloat()) / (0.1 * Math.exp(0.5 * xi + 0.7 * cls)) * 3));
    event.push(rng.nextFloat() < 0.8 ? 1 : 0);
  }
  // Two patterns of K = 2 copy weights, each summing to 1 (BCH-like, one negative).
  const wTable = Float64Array.from([1.2, -0.2, -0.1, 1.1]);
  return { time, event, x: { nrow: n, ncol: 1, data: Float64Array.from(x) }, pattern, wTable, K: 2, ref: 0, names: ['class2', 'x'] };
}

describe('fitCoxCopies', () => {
  it('counts units (not copies) and clusters each unit\'s copies by default', () => {
    const d = data(300);
    const f = fitCoxCopies(d);
    expect(f.n).toBe(300);
    expect(f.nEvent).toBe(d.event.reduce((a, b) => a + b, 0));
    expect(f.nCluster).toBe(300);
    expect(f.varianceType).toBe('robust-cluster');
    expect(Number.isNaN(f.concordance.concordance)).toBe(true);
    // The same model on the expanded rows, clustered by unit.
    const rows = { time: [] as number[], event: [] as number[], x: [] as number[][], w: [] as number[], id: [] as number[] };
    for (let i = 0; i < 300; i++) for (let k = 0; k < 2; k++) {
      rows.time.push(d.time[i]); rows.event.push(d.event[i]); rows.x.push([k, d.x.data[i]]);
      rows.w.push(d.wTable[d.pattern[i] * 2 + k]); rows.id.push(i);
    }
    const e = fitCox({ time: rows.time, event: rows.event, x: rows.x, weights: rows.w, signedWeights: true, cluster: rows.id, names: d.names });
    for (let j = 0; j < 2; j++) expect(Math.abs(f.coef[j] - e.coef[j])).toBeLessThan(1e-9);
    for (let j = 0; j < 2; j++) expect(Math.abs(f.se[j] / e.se[j] - 1)).toBeLessThan(1e-9);
  });

  it('rejects a pattern outside the table, a table not a multiple of K and a wrong length', () => {
    const d = data(20);
    const bad = Int32Array.from(d.pattern);
    bad[0] = 5;
    expect(() => fitCoxCopies({ ...d, pattern: bad })).toThrow(/pattern at row 1 is 5, not a row of the weight table/);
    expect(() => fitCoxCopies({ ...d, wTable: Float64Array.from([1, 0, 1]) })).toThrow(/not a multiple of K = 2/);
    expect(() => fitCoxCopies({ ...d, pattern: d.pattern.subarray(1) })).toThrow(/pattern has length 19, expected 20/);
  });
});
