import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { fitLca } from '../../src/lca/index';
import { coxClassEffects, fitCoxClassEffects, fitOlsClassEffects, lcaRowClasses, olsClassEffects, simulateClassOutcome, withModalClass } from '../../src/classeffects/index';
import { SIM_SHARES, SIM_ITEM_PROBS } from '../helpers/classEffectsSim';

const shares = SIM_SHARES;
const itemProbs = SIM_ITEM_PROBS;
const n = 600;
const s = simulateClassOutcome(n, { shares, itemProbs, classEffects: [0, 0.5, -0.5], zEffect: 0.3, outcome: 'cox', seed: 21 });
const fit = fitLca({ codes: s.codes, nRows: n, nItems: s.nItems }, { classes: 3, startValues: { itemProbs, shares }, sortClasses: false, tol: 1e-8, workers: false });
// units in reverse order of the LCA rows, one without a class, and a factor covariate
const units = aq.table({
  lca_row: Array.from({ length: n + 1 }, (_, i) => (i === n ? null : n - 1 - i)),
  time: Array.from({ length: n + 1 }, (_, i) => (i === n ? 1 : s.y[n - 1 - i])),
  event: Array.from({ length: n + 1 }, (_, i) => (i === n ? 1 : s.event[n - 1 - i])),
  y: Array.from({ length: n + 1 }, (_, i) => (i === n ? 0 : s.y[n - 1 - i])),
  z: Array.from({ length: n + 1 }, (_, i) => (i === n ? 0 : s.z[n - 1 - i])),
  g: Array.from({ length: n + 1 }, (_, i) => (i % 3 === 0 ? 'a' : 'b')),
  cl: Array.from({ length: n + 1 }, (_, i) => Math.floor(i / 2)),
});
const rev = (a: ArrayLike<number>) => Array.from({ length: n }, (_, i) => a[n - 1 - i]);
const postRev = { nrow: n, ncol: 3, data: Float64Array.from({ length: n * 3 }, (_, m) => fit.posterior.data[(n - 1 - Math.floor(m / 3)) * 3 + (m % 3)]) };
const labels = ['A', 'B', 'C'];

describe('table-level class effects', () => {
  it('coxClassEffects equals fitCoxClassEffects on the same rows; the unit without a class is dropped and counted', () => {
    const t = coxClassEffects(units, { formula: 'Surv(time, event) ~ z + g + cluster(cl)', factors: { g: 'a' }, lcaRow: 'lca_row', fit, classLabels: labels, method: 'bch' });
    const cl = Array.from({ length: n }, (_, i) => Math.floor(i / 2));
    const m = fitCoxClassEffects({
      time: rev(s.y), event: rev(s.event), x: Array.from({ length: n }, (_, i) => [s.z[n - 1 - i], i % 3 === 0 ? 0 : 1]), names: ['z', 'gb'],
      cluster: cl, posterior: postRev, method: 'bch', classNames: labels,
    });
    expect(t.nDropped).toBe(1);
    expect(t.names).toEqual(['classB', 'classC', 'z', 'gb']);
    t.coef.forEach((v, j) => expect(v).toBeCloseTo(m.coef[j], 10));
    t.se.forEach((v, j) => expect(v).toBeCloseTo(m.se[j], 10));
    expect(t.design.factors.class.levels).toEqual(['A', 'B', 'C']);
  });

  it('olsClassEffects equals fitOlsClassEffects; lcaRowClasses numbers the LCA rows', () => {
    const t = olsClassEffects(units, { formula: 'y ~ z', lcaRow: 'lca_row', fit, classLabels: labels, method: 'modal', cluster: 'cl', referenceClass: 1 });
    const m = fitOlsClassEffects({ y: rev(s.y), x: Array.from({ length: n }, (_, i) => [s.z[n - 1 - i]]), names: ['z'], cluster: Array.from({ length: n }, (_, i) => Math.floor(i / 2)), posterior: postRev, method: 'modal', reference: 1, classNames: labels });
    expect(t.names).toEqual(['(Intercept)', 'classA', 'classC', 'z']);
    t.coef.forEach((v, j) => expect(v).toBeCloseTo(m.coef[j], 10));
    t.se.forEach((v, j) => expect(v).toBeCloseTo(m.se[j], 10));
    const rows = lcaRowClasses(aq.table({ assessment_id: ['x', 'y', 'z'] }));
    expect(Array.from(rows.array('class') as ArrayLike<number>)).toEqual([0, 1, 2]);
  });

  it('withModalClass: one linkage gives the LCA row and the modal class label (as modalClassTable numbers it); null stays null', () => {
    const fitLike = { modal: Int32Array.from([2, 0, 1, 2]) };
    const linked = aq.table({ pmr: ['a', 'b', 'c', 'd'], demand_class: [3, null, 0, 2] });
    const t = withModalClass(linked, fitLike, ['big', 'mid', 'small']);
    expect(t.array('lca_row')).toEqual([3, null, 0, 2]);
    expect(t.array('demand_class')).toEqual(['03. small', null, '03. small', '02. mid']);
    expect(t.array('pmr')).toEqual(['a', 'b', 'c', 'd']);
    expect(() => withModalClass(aq.table({ demand_class: [0, 4] }), fitLike, ['big', 'mid', 'small'])).toThrow(/table row 2 is 4, not a row of the LCA fit/);
  });

  it('rejects an lcaRow outside the LCA matrix', () => {
    const bad = aq.table({ lca_row: [0, n + 5], y: [1, 2] });
    expect(() => olsClassEffects(bad, { formula: 'y ~ 1', lcaRow: 'lca_row', fit, classLabels: labels, method: 'modal' })).toThrow(/not a row of the LCA matrix/);
  });
});
