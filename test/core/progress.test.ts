import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import type { ProgressEvent } from '../../src/core/progress';
import { fitLca } from '../../src/lca/index';
import { compareLca, bootstrapLrt } from '../../src/lca/compare';
import { simulateLca } from '../../src/lca/simulate';
import { cox } from '../../src/survival/index';
import { createRng } from '../../src/core/random';

const probs = [[0.9, 0.9, 0.1, 0.1], [0.1, 0.2, 0.9, 0.8]].map((c) => c.map((p) => [1 - p, p]));
const sim = simulateLca(400, [0.6, 0.4], probs, 5);
const X = { nRows: sim.nRows, nItems: sim.nItems, codes: sim.codes };

describe('onProgress', () => {
  it('LCA starts: pre-runs then final runs, ends at done = total, fit unchanged', () => {
    const ev: ProgressEvent[] = [];
    const opts = { classes: 2, starts: 6, seed: 3, workers: false as const, preRun: { iterations: 10, keep: 2 } };
    const a = fitLca(X, { ...opts, onProgress: (e) => ev.push(e) });
    const b = fitLca(X, opts);
    expect(a.logLik).toBe(b.logLik);
    expect(ev.map((e) => e.done)).toEqual([0, 6, 8]);
    expect(ev.at(-1)!.total).toBe(8);
    expect(ev[1].stage).toMatch(/final runs/);
  });
  it('model selection reports one unit per K; a throwing display does not break the fit', () => {
    const ev: ProgressEvent[] = [];
    const cmp = compareLca(X, { classes: [1, 2, 3], starts: 2, seed: 1, workers: false, onProgress: (e) => { ev.push(e); throw new Error('display gone'); } });
    expect(cmp.fits.length).toBe(3);
    expect(ev.map((e) => `${e.done}/${e.total}`)).toEqual(['0/3', '1/3', '2/3', '3/3']);
    expect(cmp.spec).not.toHaveProperty('onProgress');
  });
  it('bootstrap reports every replicate', () => {
    const ev: ProgressEvent[] = [];
    const r = bootstrapLrt(X, { classes: 2, replicates: 3, alpha: 0, starts: 2, bootstrapStarts: 2, seed: 1, workers: false, onProgress: (e) => ev.push(e) });
    expect(r.replicates).toBe(3);
    expect(ev.filter((e) => /replicates/.test(e.stage ?? '')).map((e) => e.done)).toEqual([1, 2, 3]);
    expect(ev.at(-1)!.done).toBe(ev.at(-1)!.total);
  });
  it('Cox: one event per Newton iteration plus the final one; coefficients unchanged', () => {
    const rng = createRng(2);
    const x = Array.from({ length: 300 }, () => rng.nextNormal());
    const t = x.map((v) => -Math.log(1 - rng.nextFloat()) / Math.exp(0.5 * v));
    const tab = aq.table({ x, t, e: t.map(() => 1) });
    const ev: ProgressEvent[] = [];
    const a = cox(tab, { formula: 'Surv(t, e) ~ x', onProgress: (e) => ev.push(e) });
    const b = cox(tab, { formula: 'Surv(t, e) ~ x' });
    expect(a.coef[0]).toBe(b.coef[0]);
    expect(a.coef[0]).toBeGreaterThan(0.3);
    expect(ev.length).toBe(a.iterations + 1);
    expect(ev.at(-1)!.stage).toMatch(/converged/);
  });
});
