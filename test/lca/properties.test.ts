/**
 * Properties of the EM engine on simulated data with known truth: monotone log-likelihood,
 * invariances (row order, weights vs duplicates, compression, sparse vs dense E-step,
 * worker threads vs in-thread), parameter recovery (ARI, BIC picks the true K), predict,
 * and clear errors on bad input.
 */
import { describe, expect, it } from 'vitest';
import { lcaAdjustedRandIndex, alignClasses, lcaCodesToRows, fitLca, permuteClasses, simulateLca } from '../../src/lca/index';
import { worstExcess } from './fixtures';

// three well separated classes on 8 binary items and one 3-category item
const trueShares = [0.5, 0.3, 0.2];
const hi = 0.9;
const lo = 0.1;
const trueProbs = [
  [...Array.from({ length: 8 }, (_, j) => (j < 4 ? [lo, hi] : [hi, lo])), [0.8, 0.1, 0.1]],
  [...Array.from({ length: 8 }, (_, j) => (j < 4 ? [hi, lo] : [lo, hi])), [0.1, 0.8, 0.1]],
  [...Array.from({ length: 8 }, () => [hi, lo]), [0.1, 0.1, 0.8]],
];
const sim = simulateLca(1500, trueShares, trueProbs, 99, 0.05);
const rows = lcaCodesToRows(sim.codes, sim.nRows, sim.nItems);

/** The first 600 rows with every third weighted 2, the same rows with those duplicated, and one start for both. */
function weightedAndDuplicated(): { half: typeof rows; weights: number[]; dup: typeof rows; sv: { itemProbs: number[][][] } } {
  const half = rows.slice(0, 600);
  const weights = half.map((_, i) => (i % 3 === 0 ? 2 : 1));
  const dup: typeof rows = [];
  half.forEach((r, i) => {
    dup.push(r);
    if (i % 3 === 0) dup.push(r);
  });
  const sv = { itemProbs: fitLca(half, { classes: 3, starts: 1, seed: 8, maxIter: 0 }).itemProbs };
  return { half, weights, dup, sv };
}

describe('EM properties', () => {
  it('log-likelihood never decreases across iterations', () => {
    const f = fitLca(rows, { classes: 3, startValues: { itemProbs: fitLca(rows, { classes: 3, starts: 1, seed: 3, maxIter: 0 }).itemProbs }, trace: true, tol: 1e-12 });
    const tr = f.trace as number[];
    expect(tr.length).toBeGreaterThan(5);
    for (let t = 1; t < tr.length; t++) expect(tr[t] - tr[t - 1]).toBeGreaterThanOrEqual(-1e-9 * Math.abs(tr[t]));
  });

  it('row order does not change the fit', () => {
    const perm = Array.from({ length: rows.length }, (_, i) => i).sort((a, b) => ((a * 7919) % 1500) - ((b * 7919) % 1500));
    const a = fitLca(rows, { classes: 3, starts: 4, seed: 1 });
    const b = fitLca(perm.map((i) => rows[i]), { classes: 3, starts: 4, seed: 1 });
    expect(Math.abs(a.logLik - b.logLik)).toBeLessThan(1e-8);
    expect(worstExcess(b.itemProbs, a.itemProbs, 0, 1e-8)).toBeLessThanOrEqual(0);
    // posterior follows the rows
    for (let t = 0; t < 20; t++) expect(Math.abs(b.posterior.data[t * 3] - a.posterior.data[perm[t] * 3])).toBeLessThan(1e-8);
  });

  it('a weight of 2 equals a duplicated row; compression equals no compression', () => {
    const { half, weights, dup, sv } = weightedAndDuplicated();
    // plain EM: same iterations are expected, and SQUAREM's extrapolation would magnify rounding differences
    const w = fitLca(half, { classes: 3, startValues: sv, weights, sortClasses: false, accelerate: false });
    const d = fitLca(dup, { classes: 3, startValues: sv, sortClasses: false, accelerate: false });
    const u = fitLca(dup, { classes: 3, startValues: sv, sortClasses: false, compress: false, accelerate: false });
    expect(w.N).toBe(dup.length);
    expect(d.nPatterns).toBeLessThan(u.nPatterns);
    expect(Math.abs(w.logLik - d.logLik)).toBeLessThan(1e-8);
    expect(Math.abs(u.logLik - d.logLik)).toBeLessThan(1e-8);
    expect(w.iterations).toBe(d.iterations);
    expect(u.iterations).toBe(d.iterations);
    expect(worstExcess(w.itemProbs, d.itemProbs, 0, 1e-10)).toBeLessThanOrEqual(0);
    expect(worstExcess(u.itemProbs, d.itemProbs, 0, 1e-10)).toBeLessThanOrEqual(0);
    expect(w.bic).toBeCloseTo(d.bic, 6);
  });

  it('with SQUAREM (the default) too, a weight of 2 equals a duplicated row and compression changes nothing', () => {
    // SQUAREM's extrapolation amplifies rounding differences between the three layouts, so the
    // runs need not take the same path bit for bit; they must reach the same maximum
    const { half, weights, dup, sv } = weightedAndDuplicated();
    const opts = { classes: 3, startValues: sv, sortClasses: false, paramTol: 1e-10, maxIter: 20000 };
    const w = fitLca(half, { ...opts, weights });
    const d = fitLca(dup, opts);
    const u = fitLca(dup, { ...opts, compress: false });
    for (const f of [w, u]) {
      expect(f.converged).toBe(true);
      expect(Math.abs(f.logLik - d.logLik)).toBeLessThan(1e-9 * Math.abs(d.logLik));
      expect(worstExcess(f.itemProbs, d.itemProbs, 0, 1e-7)).toBeLessThanOrEqual(0);
    }
  });

  it('sparse E-step equals dense E-step (polytomous item and missing values included)', () => {
    const sv = { itemProbs: fitLca(rows, { classes: 3, starts: 1, seed: 4, maxIter: 0 }).itemProbs };
    const a = fitLca(rows, { classes: 3, startValues: sv, eStep: 'dense', sortClasses: false });
    const b = fitLca(rows, { classes: 3, startValues: sv, eStep: 'sparse', sortClasses: false });
    expect(Math.abs(a.logLik - b.logLik)).toBeLessThan(1e-8);
    expect(worstExcess(b.itemProbs, a.itemProbs, 0, 1e-10)).toBeLessThanOrEqual(0);
    expect(worstExcess(Array.from(b.posterior.data), Array.from(a.posterior.data), 0, 1e-10)).toBeLessThanOrEqual(0);
  });

  it('worker threads give the same answer as in-thread starts (with and without pre-runs)', () => {
    // one worker run covers both stages (pre-run of all starts, then the kept ones)
    const c = fitLca(rows, { classes: 3, starts: 6, seed: 12, workers: 2, preRun: { iterations: 5, keep: 2 } });
    const d = fitLca(rows, { classes: 3, starts: 6, seed: 12, workers: false, preRun: { iterations: 5, keep: 2 } });
    expect(c.warnings.filter((w) => w.includes('in-thread'))).toEqual([]);
    expect(c.startLogLiks).toEqual(d.startLogLiks);
    expect(c.bestLogLikReplicated.total).toBe(2);
    expect(c.itemProbs).toEqual(d.itemProbs);
  });

  it('same seed, same answer; replications of the best are counted', () => {
    const a = fitLca(rows, { classes: 3, starts: 5, seed: 77, workers: false });
    const b = fitLca(rows, { classes: 3, starts: 5, seed: 77, workers: false });
    expect(b.itemProbs).toEqual(a.itemProbs);
    const best = Math.max(...a.startLogLiks);
    expect(a.bestLogLikReplicated.count).toBe(a.startLogLiks.filter((l) => Math.abs(l - best) <= 1e-6).length);
    expect(a.bestLogLikReplicated.total).toBe(5);
  });
});

describe('parameter recovery', () => {
  it('recovers well-separated classes (ARI ≥ 0.9) and BIC picks the true K', () => {
    const fits = [1, 2, 3, 4].map((K) => fitLca(rows, { classes: K, starts: 5, seed: 21 }));
    const bics = fits.map((f) => f.bic);
    expect(bics.indexOf(Math.min(...bics))).toBe(2);
    const f = fits[2];
    expect(lcaAdjustedRandIndex(f.modal, sim.classes)).toBeGreaterThanOrEqual(0.9);
    const perm = alignClasses(f, trueProbs);
    expect(worstExcess(permuteClasses(f.shares, perm), trueShares, 0, 0.04)).toBeLessThanOrEqual(0);
    expect(worstExcess(permuteClasses(f.itemProbs, perm), trueProbs, 0, 0.06)).toBeLessThanOrEqual(0);
    expect(f.entropy as number).toBeGreaterThan(0.8);
    // classification table: average posterior of the assigned class is high on the diagonal
    for (let k = 0; k < 3; k++) expect(f.avgPosterior[k][k]).toBeGreaterThan(0.9);
    expect(f.classCounts.reduce((s, x) => s + x, 0)).toBe(rows.length);
  });

  it('predict on the fitted rows reproduces the posterior and modal classes', () => {
    const f = fitLca(rows, { classes: 3, starts: 3, seed: 5 });
    const p = f.predict(rows.slice(0, 50));
    expect(worstExcess(Array.from(p.posterior.data), Array.from(f.posterior.data.subarray(0, 150)), 0, 1e-12)).toBeLessThanOrEqual(0);
    expect(Array.from(p.modal)).toEqual(Array.from(f.modal.subarray(0, 50)));
    expect(Object.isFrozen(f)).toBe(true);
    const s = f.summary();
    expect(s.filter((r) => r.term === 'share').map((r) => r.estimate)).toEqual(f.shares);
  });
});

describe('bad input', () => {
  it('names the row and item of a bad value', () => {
    expect(() => fitLca([[0, 1], [1, 2.5]], { classes: 2 })).toThrow(/row 2, item 2/);
    expect(() => fitLca([[0, 1], [1]], { classes: 2 })).toThrow(/row 2 has 1 items/);
    expect(() => fitLca([[0, 1], [1, -3]], { classes: 2 })).toThrow(/row 2, item 2/);
    expect(() => fitLca([[0, 1]], { classes: 0 })).toThrow(/classes/);
    expect(() => fitLca([[0, 1], [1, 0]], { classes: 2, weights: [1] })).toThrow(/weights/);
    expect(() => fitLca([[0, null], [1, null]], { classes: 2 })).toThrow(/item 1 is missing in every row/);
  });
});
