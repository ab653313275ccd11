/**
 * Multi-group nesting and the covariate EM's monotonicity (notebook 01 found the invariant model
 * below the pooled one it nests, because poLCA's full Newton step for beta overshot and a
 * decrease was taken as convergence).
 */
import { describe, expect, it } from 'vitest';
import { fitLca, lcaCodesToRows, lcaMultiGroup, simulateLca } from '../../src/lca/index';
import { createRng } from '../../src/core/random';

const J = 8;
// three classes, items equal across groups; shares differ between the groups
const probs = [
  Array.from({ length: J }, (_, j) => (j < 4 ? [0.2, 0.8] : [0.9, 0.1])),
  Array.from({ length: J }, (_, j) => (j < 4 ? [0.85, 0.15] : [0.25, 0.75])),
  Array.from({ length: J }, (_, j) => (j % 2 === 0 ? [0.3, 0.7] : [0.75, 0.25])),
];
const sharesA = [0.5, 0.3, 0.2];
const sharesB = [0.3, 0.35, 0.35];

function twoGroups(nA: number, nB: number, seed: number) {
  const a = simulateLca(nA, sharesA, probs, seed);
  const b = simulateLca(nB, sharesB, probs, seed + 1);
  const rows = [...lcaCodesToRows(a.codes, a.nRows, J), ...lcaCodesToRows(b.codes, b.nRows, J)];
  const groups = [...new Array(nA).fill('A'), ...new Array(nB).fill('B')];
  return { rows, groups };
}

/** log-likelihood by direct summation: Σ_i log Σ_k π_{g(i)k} Π_j p_kj(y_ij) */
function bruteLogLik(rows: Array<Array<number | null>>, groupOf: (i: number) => number, shares: number[][], itemProbs: number[][][]): number {
  let ll = 0;
  rows.forEach((y, i) => {
    let p = 0;
    for (let k = 0; k < itemProbs.length; k++) {
      let q = shares[groupOf(i)][k];
      y.forEach((c, j) => {
        if (c !== null) q *= itemProbs[k][j][c];
      });
      p += q;
    }
    ll += Math.log(p);
  });
  return ll;
}

describe('lcaMultiGroup nesting', () => {
  const { rows, groups } = twoGroups(1500, 1000, 41);
  const pooled = fitLca(rows, { classes: 3, starts: 4, seed: 5, workers: false });

  it('nested starts: ℓ(free) ≥ ℓ(invariant) ≥ ℓ(pooled); the pooled fit is reported', () => {
    const r = lcaMultiGroup(rows, { classes: 3, groups, pooled, workers: false });
    expect(r.invariant.logLik).toBeGreaterThanOrEqual(pooled.logLik - 1e-9 * Math.abs(pooled.logLik));
    expect(r.free.logLik).toBeGreaterThanOrEqual(r.invariant.logLik - 1e-9 * Math.abs(pooled.logLik));
    expect(r.pooled?.logLik).toBe(pooled.logLik);
    // shares really differ, so the invariant model must gain clearly over the pooled one
    expect(r.invariant.logLik - pooled.logLik).toBeGreaterThan(10);
    // without a pooled fit it fits one itself
    const r2 = lcaMultiGroup(rows, { classes: 3, groups, starts: 4, seed: 5, workers: false });
    expect(r2.pooled?.logLik).toBeCloseTo(pooled.logLik, 6);
    expect(r2.invariant.logLik).toBeCloseTo(r.invariant.logLik, 4);
  });

  it('random starts: at the best of the starts the ordering also holds', () => {
    const r = lcaMultiGroup(rows, { classes: 3, groups, startFrom: 'random', starts: 4, seed: 9, workers: false, startMethod: 'polca' });
    expect(r.pooled).toBeNull();
    expect(r.invariant.fit.bestLogLikReplicated.count).toBeGreaterThanOrEqual(2);
    expect(r.invariant.logLik).toBeGreaterThanOrEqual(pooled.logLik - 1e-6 * Math.abs(pooled.logLik));
    expect(r.free.logLik).toBeGreaterThanOrEqual(r.invariant.logLik - 1e-6 * Math.abs(pooled.logLik));
  });

  it('equal item probabilities, different shares: the share differences cover the truth', () => {
    const r = lcaMultiGroup(rows, { classes: 3, groups, pooled, level: 0.99, workers: false });
    const fit = r.invariant.fit;
    // match estimated classes to true ones by their item-1 and item-5 profiles
    const trueOf = fit.itemProbs.map((cls) => {
      let best = 0;
      let bestD = Infinity;
      probs.forEach((t, k) => {
        const d = cls.reduce((a, p, j) => a + Math.abs(p[1] - t[j][1]), 0);
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      });
      return best;
    });
    expect(new Set(trueOf).size).toBe(3);
    for (const d of r.shareDifferences) {
      const k = trueOf[(d.class as number) - 1];
      const truth = sharesB[k] - sharesA[k];
      expect(d.group).toBe('B');
      expect(d['conf.low'] as number).toBeLessThanOrEqual(truth);
      expect(d['conf.high'] as number).toBeGreaterThanOrEqual(truth);
      expect(d['std.error'] as number).toBeGreaterThan(0.005);
    }
  });
});

describe('brute-force reference on tiny data', () => {
  it('reported ℓ of the invariant and free models equal direct summation at the returned parameters', () => {
    const { rows, groups } = twoGroups(120, 80, 7);
    // a few missing responses as well
    rows[3][2] = null;
    rows[150][0] = null;
    const r = lcaMultiGroup(rows, { classes: 2, groups, starts: 3, seed: 2, workers: false });
    const g = (i: number): number => (groups[i] === 'A' ? 0 : 1);
    const inv = bruteLogLik(rows, g, r.invariant.shares, r.invariant.fit.itemProbs);
    expect(Math.abs(inv - r.invariant.logLik)).toBeLessThan(1e-9 * Math.abs(inv));
    let free = 0;
    for (let h = 0; h < 2; h++) {
      const sub = rows.filter((_, i) => g(i) === h);
      const f = r.free.fits[h];
      free += bruteLogLik(sub, () => 0, [f.shares], f.itemProbs);
    }
    expect(Math.abs(free - r.free.logLik)).toBeLessThan(1e-9 * Math.abs(free));
    expect(r.free.logLik).toBeGreaterThanOrEqual(r.invariant.logLik - 1e-9);
  });
});

describe('covariate EM is monotone', () => {
  it('from a poLCA-like uniform start on few rows the log-likelihood never decreases', () => {
    // 34 sparse items, 300 rows, 12 classes from a uniform start, a 10 % group: after the first
    // E-step some classes hold a few rows of one group only, the logit is nearly separated, and
    // poLCA's full Newton step for beta overshoots (here ℓ fell by 927 in one iteration before the fix)
    const rng = createRng(14);
    const JJ = 34;
    const truth = Array.from({ length: 6 }, () => Array.from({ length: JJ }, () => {
      const p = rng.nextFloat() < 0.15 ? 0.5 : 0.03;
      return [1 - p, p];
    }));
    const sim = simulateLca(300, [0.3, 0.2, 0.2, 0.1, 0.1, 0.1], truth, 14);
    const rows = lcaCodesToRows(sim.codes, sim.nRows, JJ);
    const cov = rows.map((_, i) => [i % 10 === 0 ? 1 : 0]);
    const itemProbs = Array.from({ length: 12 }, () => Array.from({ length: JJ }, () => {
      const u = rng.nextFloat();
      return [u, 1 - u];
    }));
    // plain EM (poLCA's: ℓ after every iteration) and SQUAREM (ℓ at the start of every cycle)
    for (const accelerate of [false, true]) {
      const f = fitLca(rows, { classes: 12, covariates: cov, startValues: { itemProbs }, trace: true, maxIter: 100, accelerate });
      const tr = f.trace as number[];
      if (!accelerate) expect(tr.length).toBe(101);
      for (let t = 1; t < tr.length; t++) expect(tr[t] - tr[t - 1]).toBeGreaterThanOrEqual(-1e-9 * Math.abs(tr[t]));
      expect(f.warnings.join(' ')).not.toMatch(/decreased/);
    }
  });
});
