// Recovery of known latent classes (notebook 01): K by BIC, convergence, replicated optimum, ARI,
// shares and item probabilities; the same fits judged against a wrong truth FAIL.
import { describe, expect, it } from 'vitest';
import { lcaTruthChecks } from '../../../src/report/truth/lca';
import { fitLca } from '../../../src/lca/index';
import { simulateLca } from '../../../src/lca/simulate';

describe('lcaTruthChecks', () => {
  const probs = [[0.9, 0.9, 0.9, 0.05, 0.05, 0.05], [0.05, 0.05, 0.9, 0.9, 0.9, 0.05], [0.05, 0.05, 0.05, 0.05, 0.9, 0.95]];
  const shares = [0.5, 0.3, 0.2];
  const sim = simulateLca(3000, shares, probs.map((c) => c.map((p) => [1 - p, p])), 11);
  const items = ['a', 'b', 'c', 'd', 'e', 'f'];
  const fits = [2, 3, 4].map((K) => fitLca({ nRows: sim.nRows, nItems: sim.nItems, codes: sim.codes }, { classes: K, starts: 4, seed: 1, maxIter: 500, tol: 1e-7, workers: false }));
  const counts = [0, 1, 2].map((k) => sim.classes.filter((c) => c === k).length);
  const truth = { classes: { labels: ['x', 'y', 'z'], items, itemProbabilities: probs, lcaSampleCounts: counts, expectedAriTrueParameters: 0.85 } };
  const trueClass = Array.from(sim.classes, (k) => k + 1);
  it('recovers K and the classes', () => {
    const rep = lcaTruthChecks(truth, { fits, fit: fits[1], items, trueClass });
    expect(rep.failed).toEqual([]);
    expect(rep.checks.map((c) => c.check)).toEqual(['K chosen by BIC', 'chosen fit converged', 'best log-likelihood replicated by starts',
      'adjusted Rand index, modal vs true class', 'largest |share − sample share of true class|', 'largest |item probability − truth|']);
    expect(rep.checks[4].pass).toBe(true);
  });
  it('FAILs a reported fit that did not converge or was reached by one start only', () => {
    const once = fitLca({ nRows: sim.nRows, nItems: sim.nItems, codes: sim.codes }, { classes: 3, starts: 1, seed: 1, maxIter: 3, tol: 1e-12, workers: false });
    const rep = lcaTruthChecks(truth, { fits, fit: once, items, trueClass });
    expect(rep.failed).toEqual(expect.arrayContaining(['chosen fit converged', 'best log-likelihood replicated by starts']));
  });
  it('judges K by the selection rule when given one', () => {
    expect(lcaTruthChecks(truth, { fits, fit: fits[1], selected: fits[2], items, trueClass }).failed).toContain('K chosen by BIC');
  });
  it('FAILs when the wrong K is reported and classes are scrambled', () => {
    const scrambled = trueClass.map((c, i) => (i % 2 === 0 ? c : 1 + ((c + 1) % 3)));
    const rep = lcaTruthChecks(truth, { fits, fit: fits[1], items, trueClass: scrambled });
    expect(rep.failed).toEqual(['adjusted Rand index, modal vs true class']);
    const wrongK = { classes: { ...truth.classes, labels: ['x', 'y', 'z', 'w'] } };
    expect(lcaTruthChecks(wrongK, { fits, fit: fits[1], items, trueClass }).failed).toContain('K chosen by BIC');
  });
  it('skips every check on real data, and names a missing classes block', () => {
    expect(lcaTruthChecks(undefined, { fits, fit: fits[1], items, trueClass }).skipped).toBe(true);
    expect(() => lcaTruthChecks({}, { fits, fit: fits[1], items, trueClass })).toThrow('block "classes" missing');
  });
  it('compares shares and item probabilities only when the items match the truth\'s (f_ prefixes aside)', () => {
    const prefixed = lcaTruthChecks(truth, { fits, fit: fits[1], items: items.map((i) => `f_${i}`), trueClass });
    expect(prefixed.checks).toHaveLength(6);
    const other = lcaTruthChecks(truth, { fits, fit: fits[1], items: [...items.slice(1), items[0]], trueClass });
    expect(other.checks.map((c) => c.check)).toEqual(['K chosen by BIC', 'chosen fit converged', 'best log-likelihood replicated by starts', 'adjusted Rand index, modal vs true class']);
  });
});
