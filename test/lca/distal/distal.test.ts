/**
 * Distal outcomes (classes → outcome) by simulation: three moderately separated classes
 * (relative entropy ≈ 0.65–0.72, so modal assignment misclassifies a real share of rows),
 * outcomes generated from the TRUE class. Modal estimates must be pulled towards the overall
 * mean; BCH and ML must recover the truth within their SEs, with sensible coverage over seeds.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { alignClasses, fitLca, lcaClassificationError, lcaDistal, simulateLca } from '../../../src/lca/index';
import type { LcaDistalResult, LcaFit } from '../../../src/lca/index';

const shares = [0.4, 0.35, 0.25];
const J = 7;
const itemP = [
  Array.from({ length: J }, () => 0.8),
  Array.from({ length: J }, (_, j) => (j < 4 ? 0.8 : 0.2)),
  Array.from({ length: J }, () => 0.2),
];
const trueItemProbs = itemP.map((c) => c.map((p) => [1 - p, p]));
const trueMu = [0, 1, 2.5];
const trueP = [0.2, 0.5, 0.8];
const trueCat = [
  [0.6, 0.3, 0.1],
  [0.2, 0.6, 0.2],
  [0.1, 0.2, 0.7],
];
const catLevels = ['high', 'low', 'mid'];

interface Sim {
  fit: LcaFit;
  /** fit class perm[k] ↔ true class k */
  perm: number[];
  classes: Int32Array;
  y: number[];
  yb: number[];
  /** normal, independent of class */
  y0: number[];
  ycat: string[];
}

function simulate(n: number, seed: number): Sim {
  const sim = simulateLca(n, shares, trueItemProbs, seed);
  const rng = createRng(7000 + seed);
  const y = Array.from(sim.classes, (k) => trueMu[k] + rng.nextNormal());
  const yb = Array.from(sim.classes, (k) => (rng.nextFloat() < trueP[k] ? 1 : 0));
  const y0 = Array.from(sim.classes, () => 1 + rng.nextNormal());
  const ycat = Array.from(sim.classes, (k) => {
    let u = rng.nextFloat();
    let c = 0;
    while (c < 2 && u >= trueCat[k][c]) {
      u -= trueCat[k][c];
      c++;
    }
    return ['high', 'mid', 'low'][c];
  });
  const fit = fitLca({ codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems }, { classes: 3, starts: 3, seed: 1, workers: false });
  return { fit, perm: alignClasses(fit, trueItemProbs), classes: sim.classes, y, yb, y0, ycat };
}

const aligned = (r: LcaDistalResult, perm: number[], pick: (r: LcaDistalResult, f: number) => number): number[] => perm.map((f) => pick(r, f));

describe('lcaDistal: normal and binary outcomes, one data set', () => {
  const s = simulate(3000, 11);
  const methods = ['modal', 'bch', 'ml'] as const;
  const normal = Object.fromEntries(methods.map((m) => [m, lcaDistal(s.fit, { outcome: s.y, type: 'normal', method: m })])) as Record<(typeof methods)[number], LcaDistalResult>;
  const binary = Object.fromEntries(methods.map((m) => [m, lcaDistal(s.fit, { outcome: s.yb, type: 'binary', method: m })])) as Record<(typeof methods)[number], LcaDistalResult>;

  it('has real classification error', () => {
    expect(s.fit.entropy as number).toBeGreaterThan(0.55);
    expect(s.fit.entropy as number).toBeLessThan(0.78);
    const { D } = lcaClassificationError(s.fit);
    for (let k = 0; k < 3; k++) expect(D[k][k]).toBeLessThan(0.95);
  });

  it('BCH and ML means are near the truth; modal ones are pulled towards the overall mean', () => {
    const err: Record<string, number> = {};
    for (const m of methods) {
      const r = normal[m];
      expect(r.converged).toBe(true);
      const mu = aligned(r, s.perm, (x, f) => (x.means as number[])[f]);
      const se = aligned(r, s.perm, (x, f) => (x.meansSe as number[])[f]);
      err[m] = mu.reduce((a, v, k) => a + Math.abs(v - trueMu[k]), 0);
      for (const v of se) expect(v).toBeGreaterThan(0);
      if (m !== 'modal') for (let k = 0; k < 3; k++) expect(Math.abs(mu[k] - trueMu[k])).toBeLessThan(3 * se[k]);
      else {
        // the extreme classes absorb misclassified rows from the middle: shrunk towards the mean
        expect(mu[0]).toBeGreaterThan(trueMu[0] + 2 * se[0]);
        expect(mu[2]).toBeLessThan(trueMu[2] - 2 * se[2]);
      }
    }
    console.log(`distal normal, summed |mean − truth|: modal ${err.modal.toFixed(3)}, BCH ${err.bch.toFixed(3)}, ML ${err.ml.toFixed(3)}`);
    expect(err.bch).toBeLessThan(err.modal);
    expect(err.ml).toBeLessThan(err.modal);
    expect(err.ml).toBeLessThan(0.5 * err.modal);
  });

  it('binary: BCH and ML probabilities near the truth, modal biased; ML equals BCH (saturated table)', () => {
    const err: Record<string, number> = {};
    for (const m of methods) {
      const r = binary[m];
      const p = aligned(r, s.perm, (x, f) => (x.probs as number[][])[f][1]);
      const se = aligned(r, s.perm, (x, f) => (x.probsSe as number[][])[f][1]);
      err[m] = p.reduce((a, v, k) => a + Math.abs(v - trueP[k]), 0);
      if (m !== 'modal') for (let k = 0; k < 3; k++) expect(Math.abs(p[k] - trueP[k])).toBeLessThan(3 * se[k]);
      for (const row of r.probs as number[][]) expect(row[0] + row[1]).toBeCloseTo(1, 12);
    }
    console.log(`distal binary, summed |P(1) − truth|: modal ${err.modal.toFixed(3)}, BCH ${err.bch.toFixed(3)}, ML ${err.ml.toFixed(3)}`);
    expect(err.bch).toBeLessThan(err.modal);
    expect(err.ml).toBeLessThan(err.modal);
    // with a categorical outcome the ML model reproduces the assigned-class × outcome table, which
    // is what BCH inverts; so inside the parameter space the two must agree (estimates and SEs)
    const ml = binary.ml.probs as number[][];
    const bch = binary.bch.probs as number[][];
    for (let k = 0; k < 3; k++) {
      expect(ml[k][1]).toBeCloseTo(bch[k][1], 6);
      expect((binary.ml.probsSe as number[][])[k][1]).toBeCloseTo((binary.bch.probsSe as number[][])[k][1], 4);
    }
  });

  it('the ML log-likelihood is the documented objective, at a maximum', () => {
    const r = normal.ml;
    const { D } = lcaClassificationError(s.fit);
    const ll = (pi: number[], mu: number[], v: number[]): number => {
      let t = 0;
      for (let i = 0; i < s.y.length; i++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += D[k][s.fit.modal[i]] * pi[k] * Math.exp(-((s.y[i] - mu[k]) ** 2) / (2 * v[k])) / Math.sqrt(2 * Math.PI * v[k]);
        t += Math.log(sum);
      }
      return t;
    };
    const pi = r.shares.slice();
    const mu = (r.means as number[]).slice();
    const v = (r.variances as number[]).slice();
    const at = ll(pi, mu, v);
    expect(r.logLik as number).toBeCloseTo(at, 6);
    const h = 1e-3;
    for (let k = 0; k < 3; k++) {
      for (const d of [-h, h]) {
        const m2 = mu.slice();
        m2[k] += d;
        expect(ll(pi, m2, v)).toBeLessThan(at);
        const v2 = v.slice();
        v2[k] += d;
        expect(ll(pi, mu, v2)).toBeLessThan(at);
      }
    }
    // moving share between two classes
    expect(ll([pi[0] + h, pi[1] - h, pi[2]], mu, v)).toBeLessThan(at);
    expect(ll([pi[0], pi[1] + h, pi[2] - h], mu, v)).toBeLessThan(at);
  });

  it('modal estimates are the plain means within assigned classes', () => {
    const sum = [0, 0, 0];
    const cnt = [0, 0, 0];
    for (let i = 0; i < s.y.length; i++) {
      sum[s.fit.modal[i]] += s.y[i];
      cnt[s.fit.modal[i]]++;
    }
    for (let k = 0; k < 3; k++) expect((normal.modal.means as number[])[k]).toBeCloseTo(sum[k] / cnt[k], 10);
  });

  it('Wald test rejects equal means when they differ, result shape and tidy table', () => {
    for (const m of methods) {
      expect(normal[m].wald.df).toBe(2);
      expect(normal[m].wald.pValue).toBeLessThan(1e-10);
      expect(binary[m].wald.pValue).toBeLessThan(1e-10);
    }
    const r = normal.ml;
    expect(Object.isFrozen(r)).toBe(true);
    expect(r.varianceType).toBe('observed-information');
    expect(normal.bch.varianceType).toBe('sandwich');
    expect(r.spec.variance).toBe('class');
    expect(normal.bch.logLik).toBeNull();
    expect(r.tidy().length).toBe(9); // share, mean, variance per class
    for (const row of r.tidy()) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining(['class', 'term', 'estimate', 'std.error', 'conf.low', 'conf.high']));
      expect(row['conf.low'] as number).toBeLessThan(row.estimate as number);
      expect(row['conf.high'] as number).toBeGreaterThan(row.estimate as number);
    }
    expect(binary.ml.tidy().filter((t) => t.term === 'Pr(1)').length).toBe(3);
  });

  it('common variance: one variance, estimates still near the truth', () => {
    for (const m of ['bch', 'ml'] as const) {
      const r = lcaDistal(s.fit, { outcome: s.y, type: 'normal', method: m, variance: 'common' });
      expect(r.spec.variance).toBe('common');
      const v = r.variances as number[];
      expect(v[0]).toBe(v[1]);
      expect(Math.abs(v[0] - 1)).toBeLessThan(3 * (r.variancesSe as number[])[0]);
      const mu = aligned(r, s.perm, (x, f) => (x.means as number[])[f]);
      const se = aligned(r, s.perm, (x, f) => (x.meansSe as number[])[f]);
      for (let k = 0; k < 3; k++) expect(Math.abs(mu[k] - trueMu[k])).toBeLessThan(3 * se[k]);
      expect(r.tidy().filter((t) => t.term === 'variance').length).toBe(1);
    }
  });

  it('categorical outcome with string levels', () => {
    for (const m of ['bch', 'ml'] as const) {
      const r = lcaDistal(s.fit, { outcome: s.ycat, type: 'categorical', method: m, levels: ['high', 'mid', 'low'] });
      expect(r.spec.levels).toEqual(['high', 'mid', 'low']);
      expect(r.wald.df).toBe(4);
      expect(r.wald.pValue).toBeLessThan(1e-10);
      const probs = r.probs as number[][];
      const se = r.probsSe as number[][];
      for (let k = 0; k < 3; k++) {
        const f = s.perm[k];
        expect(probs[f].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
        for (let c = 0; c < 3; c++) expect(Math.abs(probs[f][c] - trueCat[k][c])).toBeLessThan(3 * se[f][c]);
      }
    }
    // default levels are the sorted distinct values
    expect(lcaDistal(s.fit, { outcome: s.ycat, type: 'categorical', method: 'modal' }).spec.levels).toEqual(catLevels);
  });
});

describe('lcaDistal: coverage and the null over seeds', () => {
  it('95% CIs of BCH and ML cover the true means; the Wald test holds its size under equal means', () => {
    const seeds = 20;
    const cover = { bch: 0, ml: 0, modal: 0, bchB: 0, mlB: 0 };
    const reject = { bch: 0, ml: 0 };
    for (let seed = 1; seed <= seeds; seed++) {
      const s = simulate(2000, 100 + seed);
      for (const m of ['modal', 'bch', 'ml'] as const) {
        const r = lcaDistal(s.fit, { outcome: s.y, type: 'normal', method: m });
        for (let k = 0; k < 3; k++) {
          const f = s.perm[k];
          if (Math.abs((r.means as number[])[f] - trueMu[k]) <= 1.96 * (r.meansSe as number[])[f]) cover[m]++;
        }
        if (m === 'modal') continue;
        const rb = lcaDistal(s.fit, { outcome: s.yb, type: 'binary', method: m });
        for (let k = 0; k < 3; k++) {
          const f = s.perm[k];
          if (Math.abs((rb.probs as number[][])[f][1] - trueP[k]) <= 1.96 * (rb.probsSe as number[][])[f][1]) cover[m === 'bch' ? 'bchB' : 'mlB']++;
        }
        const r0 = lcaDistal(s.fit, { outcome: s.y0, type: 'normal', method: m });
        if (r0.wald.pValue < 0.05) reject[m]++;
      }
    }
    const rate = (x: number): number => x / (3 * seeds);
    console.log(`distal coverage of 95% CIs over ${seeds} seeds × 3 classes: normal modal ${rate(cover.modal).toFixed(2)}, BCH ${rate(cover.bch).toFixed(2)}, ML ${rate(cover.ml).toFixed(2)}; binary BCH ${rate(cover.bchB).toFixed(2)}, ML ${rate(cover.mlB).toFixed(2)}; Wald rejections at 5% under equal means: BCH ${reject.bch}/${seeds}, ML ${reject.ml}/${seeds}`);
    expect(rate(cover.bch)).toBeGreaterThanOrEqual(0.8);
    expect(rate(cover.ml)).toBeGreaterThanOrEqual(0.8);
    expect(rate(cover.bchB)).toBeGreaterThanOrEqual(0.8);
    expect(rate(cover.mlB)).toBeGreaterThanOrEqual(0.8);
    expect(rate(cover.modal)).toBeLessThan(0.7);
    // P(≥ 4 of 20) = 1.6 % at the nominal 5 % size
    expect(reject.bch).toBeLessThanOrEqual(3);
    expect(reject.ml).toBeLessThanOrEqual(3);
  }, 30_000);
});

describe('lcaDistal: missing values, weights and errors', () => {
  const s = simulate(1500, 5);

  it('excludes and counts missing outcome rows', () => {
    const y: Array<number | null | undefined> = s.y.slice();
    y[0] = null;
    y[10] = NaN;
    y[20] = undefined;
    for (let i = 100; i < 200; i++) y[i] = null;
    for (const m of ['modal', 'bch', 'ml'] as const) {
      const r = lcaDistal(s.fit, { outcome: y, type: 'normal', method: m });
      expect(r.nExcluded).toBe(103);
      expect(r.nUsed).toBe(1500 - 103);
      expect(r.N).toBe(1500 - 103);
      for (const v of r.means as number[]) expect(Number.isFinite(v)).toBe(true);
      expect(r.warnings.some((w) => w.includes('103 of 1,500'))).toBe(true);
    }
    // modal means are those of the observed rows only
    const sum = [0, 0, 0];
    const cnt = [0, 0, 0];
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (v == null || Number.isNaN(v)) continue;
      sum[s.fit.modal[i]] += v;
      cnt[s.fit.modal[i]]++;
    }
    const r = lcaDistal(s.fit, { outcome: y, type: 'normal', method: 'modal' });
    for (let k = 0; k < 3; k++) expect((r.means as number[])[k]).toBeCloseTo(sum[k] / cnt[k], 10);
    const yb: Array<number | null> = s.yb.slice();
    yb[3] = null;
    expect(lcaDistal(s.fit, { outcome: yb, type: 'binary', method: 'ml' }).nExcluded).toBe(1);
  });

  it('a case weight of 2 equals a duplicated row', () => {
    const nd = 300;
    const n = s.fit.nRows;
    const sim = simulateLca(1500, shares, trueItemProbs, 5); // same rows as s
    const codesDup = new Int16Array((n + nd) * J);
    codesDup.set(sim.codes);
    codesDup.set(sim.codes.subarray(0, nd * J), n * J);
    const dup = fitLca({ codes: codesDup, nRows: n + nd, nItems: J }, { classes: 3, starts: 3, seed: 1, workers: false, paramTol: 1e-12 });
    const weights = Array.from({ length: n }, (_, i) => (i < nd ? 2 : 1));
    const wfit = fitLca({ codes: sim.codes, nRows: n, nItems: J }, { classes: 3, weights, workers: false, paramTol: 1e-12, startValues: { itemProbs: dup.itemProbs, shares: dup.shares } });
    const yDup = s.y.concat(s.y.slice(0, nd));
    for (const m of ['modal', 'bch', 'ml'] as const) {
      const a = lcaDistal(dup, { outcome: yDup, type: 'normal', method: m });
      const b = lcaDistal(wfit, { outcome: s.y, type: 'normal', method: m });
      expect(b.N).toBe(n + nd);
      for (let k = 0; k < 3; k++) {
        expect((b.means as number[])[k]).toBeCloseTo((a.means as number[])[k], 6);
        expect((b.meansSe as number[])[k] / (a.meansSe as number[])[k]).toBeCloseTo(1, 4);
      }
    }
  });

  it('an outcome determined by the assigned class: BCH leaves [0, 1], ML sits on the boundary, both say so', () => {
    const yz = Array.from(s.fit.modal, (k) => (k === 2 ? 1 : 0));
    const bch = lcaDistal(s.fit, { outcome: yz, type: 'binary', method: 'bch' });
    expect((bch.probs as number[][]).some((p) => p[1] < 0 || p[1] > 1)).toBe(true);
    expect(bch.warnings.some((w) => w.includes('outside [0, 1]'))).toBe(true);
    const ml = lcaDistal(s.fit, { outcome: yz, type: 'binary', method: 'ml' });
    for (const p of ml.probs as number[][]) for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
    expect(ml.warnings.some((w) => w.includes('boundary'))).toBe(true);
    // on the boundary the contrasts' covariance is singular: no test, and a warning says so
    expect(Number.isNaN(ml.wald.statistic)).toBe(true);
    expect(Number.isNaN(ml.wald.pValue)).toBe(true);
    expect(ml.warnings.some((w) => w.includes('no test'))).toBe(true);
  });

  it('modal on an outcome fixed within each assigned class: proportions 0/1 and a constant mean have no SE (null, named), not SE 0', () => {
    // Pr(1) is 0 or 1 in every modal class, so p(1 − p)/n = 0: the old code printed SE 0 and a
    // zero-width CI.
    const yz = Array.from(s.fit.modal, (k) => (k === 2 ? 1 : 0));
    const m = lcaDistal(s.fit, { outcome: yz, type: 'binary', method: 'modal' });
    for (const p of m.probsSe as number[][]) for (const v of p) expect(v).toBeNaN();
    const rows = m.tidy().filter((r) => r.term === 'Pr(1)');
    expect(rows).toHaveLength(3);
    for (const r of rows) { expect(r['std.error']).toBeNull(); expect(r['conf.low']).toBeNull(); }
    expect(m.sharesSe.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(m.warnings).toContain('modal: variance is zero, negative or not finite for class1:Pr(0), class1:Pr(1), class2:Pr(0), class2:Pr(1), class3:Pr(0), class3:Pr(1); standard errors and tests are NaN (reported as null)');
    // A normal outcome that is constant in modal class 1: its mean's variance is 0 to rounding.
    const yc = Array.from(s.fit.modal, (k, i) => (k === 0 ? 3 : s.y[i]));
    const mc = lcaDistal(s.fit, { outcome: yc, type: 'normal', method: 'modal' });
    expect((mc.meansSe as number[])[0]).toBeNaN();
    expect((mc.variancesSe as number[])[0]).toBeNaN();
    expect(Number.isFinite((mc.meansSe as number[])[1])).toBe(true);
    expect(mc.warnings).toContain('modal: variance is zero, negative or not finite for class1:mean, class1:variance; standard errors and tests are NaN (reported as null)');
  });

  it('fails clearly on a wrong length or an invalid value', () => {
    expect(() => lcaDistal(s.fit, { outcome: s.y.slice(0, 10), type: 'normal', method: 'ml' })).toThrow(/outcome has 10 values but the fit has 1500 rows/);
    const bad: Array<number | string> = s.y.slice();
    bad[7] = 'x';
    expect(() => lcaDistal(s.fit, { outcome: bad, type: 'normal', method: 'bch' })).toThrow(/row 8/);
    const badB = s.yb.slice();
    badB[3] = 2;
    expect(() => lcaDistal(s.fit, { outcome: badB, type: 'binary', method: 'ml' })).toThrow(/row 4: 2 is not 0\/1/);
  });
});
