/**
 * The class-copy Cox core (fitCoxCopies) against fitCox on the expanded rows, which is R's
 * coxph(Surv(time, event) ~ class + x, weights = w, cluster = unit or child, ties = ..., strata)
 * on the n·K-row data: the same coefficients, model and robust variances, log-likelihoods and
 * tests to 1e-10, with tied times, strata, a coarser cluster, delayed entry and signed weights.
 */
import { describe, expect, it } from 'vitest';
import { Matrix, inverse } from 'ml-matrix';
import { fitCox } from '../../src/survival/index';
import { fitCoxCopies } from '../../src/survival/coxCopiesFit';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface Case { grid: number; n: number; K: number; q: number; ref: number; ties: 'efron' | 'breslow'; strata: boolean; cluster: boolean; entry: boolean; seed: number }

function simulate(c: Case) {
  const r = lcg(c.seed);
  const { n, K, q } = c;
  // BCH-like signed weights: rows of D⁻¹ for a diagonal-dominant classification matrix D.
  const D = Array.from({ length: K }, (_, k) => {
    const row = Array.from({ length: K }, (_, s) => (s === k ? 2 * K + r() : 0.2 + r()));
    const sum = row.reduce((u, v) => u + v, 0);
    return row.map((v) => v / sum);
  });
  const inv = inverse(new Matrix(D)).to2DArray();
  const table = Float64Array.from(inv.flat());
  // True class c, modal class drawn from D[c] (so each class's average BCH weight is its share, as in a real step 1).
  const truth = Int32Array.from({ length: n }, () => Math.floor(r() * K));
  const pattern = Int32Array.from(truth, (cl) => {
    let u = r();
    for (let s2 = 0; s2 < K - 1; s2++) if ((u -= D[cl][s2]) < 0) return s2;
    return K - 1;
  });
  const x = new Float64Array(n * q);
  for (let i = 0; i < n * q; i++) x[i] = (i % q === 1 ? (r() < 0.4 ? 1 : 0) : r() * 2 - 0.5);
  // Times on a grid, so rows tie (each tied unit brings K tied copies).
  const time = Float64Array.from({ length: n }, (_, i) => 1 + Math.round(c.grid * -Math.log(r()) * 6 * Math.exp(-0.4 * (truth[i] % 3) - 0.5 * (q > 0 ? x[i * q] : 0))) / c.grid);
  const event = Float64Array.from({ length: n }, () => (r() < 0.7 ? 1 : 0));
  const entry = c.entry ? Float64Array.from(time, (t) => (r() < 0.5 ? 0 : 0.3 * r() * t)) : undefined;
  const strata = c.strata ? Array.from({ length: n }, () => ['a', 'b', 'c'][Math.floor(r() * 3)]) : undefined;
  const cluster = c.cluster ? Array.from({ length: n }, (_, i) => `child${Math.floor(i / 3)}`) : undefined;
  return { table, pattern, x, time, event, entry, strata, cluster };
}

function expanded(c: Case, d: ReturnType<typeof simulate>) {
  const { n, K, q, ref } = c;
  const p = K - 1 + q;
  const m = n * K;
  const xe = new Float64Array(m * p);
  const w = new Float64Array(m);
  const rep = <T,>(v: ArrayLike<T>) => Array.from({ length: m }, (_, j) => v[Math.floor(j / K)]);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const row = i * K + k;
      w[row] = d.table[d.pattern[i] * K + k];
      if (k !== ref) xe[row * p + (k < ref ? k : k - 1)] = 1;
      for (let a = 0; a < q; a++) xe[row * p + K - 1 + a] = d.x[i * q + a];
    }
  }
  return fitCox({
    time: rep(d.time), event: rep(d.event), entry: d.entry ? rep(d.entry) : undefined, x: { nrow: m, ncol: p, data: xe },
    weights: w, signedWeights: true, strata: d.strata ? rep(d.strata) : undefined,
    cluster: d.cluster ? rep(d.cluster) : Array.from({ length: m }, (_, j) => Math.floor(j / K)), ties: c.ties,
  });
}

const base: Case = { grid: 4, n: 800, K: 4, q: 2, ref: 0, ties: 'efron', strata: false, cluster: false, entry: false, seed: 1 };
const cases: Array<[string, Case]> = [
  ['Efron ties, unit clusters', base],
  ['Breslow ties', { ...base, ties: 'breslow', seed: 2 }],
  ['strata and a child cluster, reference class 2', { ...base, strata: true, cluster: true, ref: 2, seed: 3 }],
  ['Efron, strata, delayed entry', { ...base, strata: true, entry: true, seed: 4 }],
  ['no covariates, K = 3', { ...base, q: 0, K: 3, seed: 5 }],
  ['K = 12, Breslow, strata and clusters', { ...base, n: 8000, K: 12, ties: 'breslow', strata: true, cluster: true, seed: 6 }],
];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('fitCoxCopies equals fitCox on the expanded rows', () => {
  for (const [label, c] of cases) {
    it(label, () => {
      const d = simulate(c);
      const e = expanded(c, d);
      const names = [...Array.from({ length: c.K }, (_, k) => `class${k}`).filter((_, k) => k !== c.ref), ...Array.from({ length: c.q }, (_, a) => `x${a + 1}`)];
      const f = fitCoxCopies({
        time: d.time, event: d.event, entry: d.entry, x: { nrow: c.n, ncol: c.q, data: d.x }, names,
        strata: d.strata, cluster: d.cluster, K: c.K, ref: c.ref, pattern: d.pattern, wTable: d.table, ties: c.ties,
      });

      expect(e.converged).toBe(true);
      expect(f.converged).toBe(true);
      expect(f.iterations).toBe(e.iterations);
      const p = names.length;
      for (let j = 0; j < p; j++) {
        expect(rel(f.coef[j], e.coef[j])).toBeLessThan(1e-10);
        expect(rel(f.seNaive[j], e.seNaive[j])).toBeLessThan(1e-10);
        expect(rel(f.se[j], e.se[j])).toBeLessThan(1e-10);
        for (let k = 0; k < p; k++) expect(Math.abs(f.vcov[j][k] - e.vcov[j][k])).toBeLessThan(1e-10 * Math.max(1e-3, Math.abs(e.vcov[j][j])));
      }
      expect(rel(f.logLik[0], e.logLik[0])).toBeLessThan(1e-10);
      expect(rel(f.logLik[1], e.logLik[1])).toBeLessThan(1e-10);
      expect(rel(f.scoreTest.statistic, e.scoreTest.statistic)).toBeLessThan(1e-10);
      expect(rel(f.robustScoreTest!.statistic, e.robustScoreTest!.statistic)).toBeLessThan(1e-10);
      expect(f.nCluster).toBe(e.nCluster);
      expect(f.n).toBe(c.n);
      expect(f.varianceType).toBe('robust-cluster');
      // The copies differ from modal dummies: the class effects must not collapse to 0.
      expect(Math.max(...f.coef.slice(0, c.K - 1).map(Math.abs))).toBeGreaterThan(1e-3);
    });
  }
});
