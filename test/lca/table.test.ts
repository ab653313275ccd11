/** Table-level wrapper (arquero) and model-selection helpers. */
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { bootstrapLrt, lcaCodesToRows, compareLca, lca, predictLcaTable, simulateLca } from '../../src/lca/index';
import { loadLca, relClose } from './fixtures';

describe('lca(table, …)', () => {
  it('codes text labels, records the level mapping and matches poLCA (lca_covariate, one-step z)', () => {
    const fx = loadLca('lca_covariate');
    const e = fx.expected.K;
    const cols: Record<string, unknown[]> = {};
    fx.items.forEach((it, j) => (cols[it] = fx.rows.map((r) => (r[j] === null ? null : r[j] === 1 ? 'yes' : 'no'))));
    cols.z = fx.extra.z;
    const t = aq.table(cols);
    const f = lca(t, { items: fx.items, classes: 3, covariates: ['z'], starts: 2, seed: 9 });
    expect(f.itemLevels?.[0]).toEqual(['no', 'yes']);
    expect(f.itemNames).toEqual(fx.items);
    expect(f.betaNames).toEqual(['(Intercept)', 'z']);
    expect(relClose(f.logLik, e.loglik, 1e-6)).toBe(true);
    expect(f.nParams).toBe(e.n_parameters);
    const s = f.summary();
    expect(s.some((r) => r.term === 'u1[yes]' && r.level === 'yes')).toBe(true);
    const p = predictLcaTable(f, t.slice(0, 5), ['z']);
    expect(Array.from(p.modal)).toEqual(Array.from(f.modal.subarray(0, 5)));
  });

  it('explains bad columns and values', () => {
    const t = aq.table({ a: ['x', 'y', 'x'], b: ['p', 'q', 'r'] });
    expect(() => lca(t, { items: ['a', 'nope'], classes: 2 })).toThrow(/column "nope"/);
    expect(() => lca(t, { items: ['a', 'b'], classes: 2, levels: { b: ['p', 'q'] } })).toThrow(/column "b", row 3: value r/);
  });
});

describe('compareLca and bootstrapLrt', () => {
  const probs = [
    Array.from({ length: 6 }, () => [0.15, 0.85]),
    Array.from({ length: 6 }, () => [0.85, 0.15]),
  ];
  const sim = simulateLca(600, [0.55, 0.45], probs, 31);
  const rows = lcaCodesToRows(sim.codes, sim.nRows, sim.nItems);

  it('one tidy row per K; BIC minimum at the true K', () => {
    const c = compareLca(rows, { classes: [1, 2, 3], starts: 3, seed: 2 });
    expect(c.table.map((r) => r.classes)).toEqual([1, 2, 3]);
    const bic = c.table.map((r) => r.bic as number);
    expect(bic.indexOf(Math.min(...bic))).toBe(1);
    for (const r of c.table) for (const k of ['logLik', 'nParams', 'aic', 'bic', 'sabic', 'caic', 'residDf']) expect(typeof r[k]).toBe('number');
    expect(c.table[0].entropy).toBeNull();
    expect(c.fits[1].nParams).toBe(2 * 6 + 1);
  });

  it('bootstrap LRT rejects 1 vs 2 classes and respects the replicate cap', () => {
    const r = bootstrapLrt(rows, { classes: 2, replicates: 19, bootstrapStarts: 1, seed: 4 });
    // no replicate exceeds, so p = 1/20 stays ≤ 0.05 and all 19 run
    expect(r.replicates).toBe(19);
    expect(r.stoppedEarly).toBe(false);
    expect(r.lr).toBeGreaterThan(Math.max(...r.bootstrapLr));
    expect(r.pValue).toBeCloseTo(1 / (r.replicates + 1), 12);
    // with a cap of 9 replicates p ≥ 1/10 > 0.05 whatever happens: the test stops after one replicate
    const r3 = bootstrapLrt(rows, { classes: 3, replicates: 9, bootstrapStarts: 2, seed: 4 });
    expect(r3.replicates).toBe(1);
    expect(r3.stoppedEarly).toBe(true);
    expect(r3.pValue).toBeGreaterThan(0.05);
  });
});
