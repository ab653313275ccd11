import { describe, expect, it } from 'vitest';
import { fitLca, lcaBchWeights, lcaClassificationError } from '../../src/lca/index';
import { checkExpansionSize, classExpand, classificationError, classDesign, fitOlsClassEffects, simulateClassOutcome } from '../../src/classeffects/index';
import { SIM_SHARES, SIM_ITEM_PROBS } from '../helpers/classEffectsSim';

const shares = SIM_SHARES;
const itemProbs = SIM_ITEM_PROBS;

describe('classExpand', () => {
  const s = simulateClassOutcome(1500, { shares, itemProbs, classEffects: [0, 1, -1], zEffect: 0, outcome: 'normal', seed: 5 });
  const fit = fitLca({ codes: s.codes, nRows: s.nRows, nItems: s.nItems }, { classes: 3, startValues: { itemProbs, shares }, sortClasses: false, tol: 1e-8, workers: false, compress: false });

  it('D and the BCH weights equal the LCA engine\'s (lcaClassificationError, lcaBchWeights)', () => {
    const D = classificationError(fit.posterior);
    const ref = lcaClassificationError(fit).D;
    for (let k = 0; k < 3; k++) for (let j = 0; j < 3; j++) expect(D[k][j]).toBeCloseTo(ref[k][j], 12);
    const e = classExpand(fit.posterior, 'bch');
    const bw = lcaBchWeights(fit).data;
    expect(e.row.length).toBe(1500 * 3);
    for (let m = 0; m < e.row.length; m++) expect(e.weight[m]).toBeCloseTo(bw[e.row[m] * 3 + e.cls[m]], 12);
    // each unit's weights sum to 1 (rows of D⁻¹ sum to 1 because rows of D do); some are negative
    for (let i = 0; i < 1500; i++) expect(e.weight[3 * i] + e.weight[3 * i + 1] + e.weight[3 * i + 2]).toBeCloseTo(1, 12);
    expect(e.minWeight).toBeLessThan(0);
  });

  it('modal expansion keeps one row per unit with its modal class', () => {
    const e = classExpand(fit.posterior, 'modal');
    expect(Array.from(e.cls)).toEqual(Array.from(fit.modal));
    expect(Array.from(e.weight).every((w) => w === 1)).toBe(true);
  });

  it('with certain classes BCH is modal: weights are 1 on the class and 0 elsewhere', () => {
    const post = { nrow: 4, ncol: 2, data: Float64Array.from([1, 0, 0, 1, 1, 0, 0, 1]) };
    const e = classExpand(post, 'bch');
    expect(Array.from(e.weight)).toEqual([1, 0, 0, 1, 1, 0, 0, 1].map((v) => v + 0));
    const d = classDesign(e, { nrow: 4, ncol: 1, data: Float64Array.from([5, 6, 7, 8]) }, 0);
    expect(d.ncol).toBe(2);
    expect(Array.from(d.data.subarray(0, 4))).toEqual([0, 5, 1, 5]);
  });

  it('refuses a singular classification-error matrix', () => {
    const post = { nrow: 3, ncol: 2, data: Float64Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]) };
    expect(() => classExpand(post, 'bch')).toThrow(/singular/);
  });
});

describe('checkExpansionSize', () => {
  it('stops BCH designs above the memory ceiling with a message naming the sizes, and lets modal through', () => {
    expect(() => checkExpansionSize('fitCoxClassEffects', 3_400_000, 12, 23, 'bch')).toThrow(/40,800,000 rows × 23 columns/);
    expect(() => checkExpansionSize('fitCoxClassEffects', 3_400_000, 12, 23, 'modal')).not.toThrow();
    // The one number style (thousands separators), not "2.0e+9"
    expect(() => checkExpansionSize('fitCoxClassEffects', 3_400_000, 12, 60, 'bch', 2e9)).toThrow(/= 2,448,000,000 cells, above the memory ceiling of 2,000,000,000 cells/);
    const post = { nrow: 4, ncol: 2, data: Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.7, 0.3, 0.4, 0.6]) };
    expect(() => fitOlsClassEffects({ y: [1, 2, 3, 4], posterior: post, method: 'bch', expand: true, maxCells: 10 })).toThrow(/8 rows × 2 columns/);
    // The summed path (default) never builds the copies, so the ceiling does not apply to it.
    expect(() => fitOlsClassEffects({ y: [1, 2, 3, 4], posterior: post, method: 'bch', maxCells: 10 })).not.toThrow();
  });
});
