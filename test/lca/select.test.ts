// lcaSelectK: an unconverged or unreplicated fit is flagged and never chosen silently; among
// eligible fits the lowest criterion wins. Fits are real (simulated 3-class data), not stubs.
import { describe, expect, it } from 'vitest';
import { fitLca, lcaCodesToRows, lcaSelectK, simulateLca } from '../../src/lca/index';

const profiles = [
  [0.9, 0.85, 0.8, 0.2, 0.15, 0.1, 0.2, 0.1],
  [0.1, 0.2, 0.15, 0.85, 0.9, 0.8, 0.2, 0.15],
  [0.15, 0.1, 0.2, 0.2, 0.1, 0.15, 0.85, 0.9],
].map((cls) => cls.map((p) => [1 - p, p]));
const sim = simulateLca(3000, [0.5, 0.3, 0.2], profiles, 11);
const rows = lcaCodesToRows(sim.codes, 3000, 8);

describe('lcaSelectK', () => {
  const fits = [2, 3, 4].map((K) => fitLca(rows, { classes: K, starts: 4, seed: 3, workers: false }));
  it('chooses the true K by BIC among converged, replicated fits', () => {
    const sel = lcaSelectK(fits);
    expect(sel.chosen?.nClasses).toBe(3);
    expect(sel.table.map((r) => r.eligible)).toContain('yes');
  });
  it('excludes an unconverged fit even when its BIC is lowest, with a warning naming K', () => {
    const capped = fitLca(rows, { classes: 3, starts: 4, seed: 3, workers: false, maxIter: 2, extendUnconverged: false });
    expect(capped.converged).toBe(false);
    const fake = { ...capped, bic: -Infinity } as typeof capped;
    const sel = lcaSelectK([fits[0], fake, fits[2]]);
    expect(sel.chosen).not.toBe(fake);
    expect(sel.table[1].eligible).toBe('NO');
    expect(sel.warnings.join(' ')).toMatch(/K = 3 excluded.*not converged/);
  });
  it('pre-runs keep at least two starts so replication is measurable', () => {
    const f = fitLca(rows, { classes: 3, starts: 6, seed: 3, workers: false, preRun: { iterations: 10, keep: 1 } });
    expect(f.bestLogLikReplicated.total).toBe(2);
    expect(f.warnings.join(' ')).toMatch(/keep raised from 1 to 2/);
  });
  it('continues an unconverged best start for another maxIter iterations, and says so', () => {
    const g = fitLca(rows, { classes: 3, starts: 2, seed: 3, workers: false, maxIter: 3, extendUnconverged: false });
    const f = fitLca(rows, { classes: 3, starts: 2, seed: 3, workers: false, maxIter: 3, extendUnconverged: true });
    expect(g.converged).toBe(false);
    expect(f.iterations).toBeGreaterThan(g.iterations);
    expect(f.logLik).toBeGreaterThan(g.logLik);
    expect(f.warnings.join(' ')).toMatch(/continued for \d+ more/);
  });
  it('replicate: runs further starts until the best log-likelihood is reached twice', () => {
    const one = fitLca(rows, { classes: 3, starts: 1, seed: 3, workers: false });
    expect(one.bestLogLikReplicated.count).toBe(1);
    const f = fitLca(rows, { classes: 3, starts: 1, seed: 3, workers: false, replicate: { minCount: 2, maxStarts: 10 } });
    expect(f.bestLogLikReplicated.total).toBeGreaterThan(1);
    expect(f.bestLogLikReplicated.count).toBeGreaterThanOrEqual(2);
    expect(f.logLik).toBeGreaterThanOrEqual(one.logLik - 1e-6);
    expect(f.warnings.join(' ')).toMatch(/further starts/);
  });
});
