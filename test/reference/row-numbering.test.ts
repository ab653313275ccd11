// One kind of fault, checked at every matrix-level entry point: an error about a row must count
// rows from 1, as R does ("row 1" is the first row; R's messages and data viewers are 1-based).
// Each case puts the bad value in the FIRST row, so a 0-based count would say "row 0" and fail.
import { describe, expect, it } from 'vitest';
import { labelCodes } from '../../src/core/groups';
import { toDense } from '../../src/core/matrix';
import { fitCox } from '../../src/survival/cox';
import { kaplanMeier } from '../../src/survival/km';
import { cumulativeIncidence } from '../../src/survival/competing';
import { fitFineGray } from '../../src/survival/finegray';
import { pwpData } from '../../src/survival/recurrent';
import { fitLca } from '../../src/lca/fit/fit';
import { lcaMultiGroup } from '../../src/lca/multigroup';
import { checkVector } from '../../src/regression/fitBase';

const first = /\brow 1\b/;

describe('matrix-level errors count rows from 1', () => {
  it('core: group labels and dense matrices', () => {
    expect(() => labelCodes([NaN, 1], 2, 'cluster')).toThrow(first);
    expect(() => labelCodes(['', 'a'], 2, 'strata')).toThrow(first);
    // The first row sets the width, so the ragged row is the second one.
    expect(() => toDense([[1, 2], [1]], 'x')).toThrow(/row 2 has 1 columns/);
  });

  it('survival: Cox, Kaplan–Meier, cumulative incidence, Fine–Gray, PWP', () => {
    expect(() => fitCox({ time: [NaN, 2], event: [1, 0], x: [[0], [1]] })).toThrow(first);
    expect(() => fitCox({ time: [1, 2], event: [3, 0], x: [[0], [1]] })).toThrow(first);
    expect(() => fitCox({ time: [1, 2], event: [1, 0], x: [[NaN], [1]], names: ['a'] })).toThrow(/row 1, column a/);
    expect(() => fitCox({ time: [1, 2], event: [1, 0], weights: [-1, 1], x: [[0], [1]] })).toThrow(first);
    expect(() => kaplanMeier({ time: [NaN, 1], event: [1, 1] })).toThrow(first);
    expect(() => cumulativeIncidence({ time: [1, 2], cause: [null as unknown as number, 1] })).toThrow(first);
    expect(() => fitFineGray({ time: [Infinity, 2], status: [1, 0], cause: 1, x: [[0], [1]] })).toThrow(first);
    expect(() => pwpData({ id: [1], entry: [0], time: [3], event: [2] }, 'total')).toThrow(first);
  });

  it('LCA: item codes, groups', () => {
    expect(() => fitLca([[0, 0.5], [1, 1]], { classes: 2 })).toThrow(/row 1, item 2/);
    expect(() => lcaMultiGroup([[0, 1], [1, 0], [0, 0]], { classes: 2, groups: [null as unknown as string, 'a', 'b'] })).toThrow(first);
  });

  it('regression: vectors', () => {
    expect(() => checkVector([NaN, 1], 2, 'y')).toThrow(first);
  });
});
