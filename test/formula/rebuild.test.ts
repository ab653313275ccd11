// Counterfactual designs (src/formula/rebuild): overriding a column gives the design the same
// formula builds on a table where that column was changed, with the original factor coding.
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/formula/design';
import { rebuildDesign } from '../../src/formula/rebuild';

const table = aq.table({ y: [1, 2, 3, 4, 5, 6], x: [0.5, 1, 1.5, 2, 2.5, 3], g: ['a', 'b', 'c', 'a', 'b', 'c'] });

describe('rebuildDesign', () => {
  const spec = { formula: 'y ~ x + g + x:g', factors: ['g'] };
  const d = buildDesign(table, spec, { intercept: true });
  it('equals buildDesign on a table with the column set to the override', () => {
    const cf = rebuildDesign(d, table, { g: 'b', x: 2 });
    const changed = aq.table({ y: [1, 2, 3, 4, 5, 6], x: [2, 2, 2, 2, 2, 2], g: ['a', 'b', 'c', 'a', 'b', 'c'].map(() => 'b') });
    // factorsFrom keeps the original levels: a table holding only 'b' would lose levels a and c
    const want = buildDesign(changed, { ...spec, levels: { g: ['a', 'b', 'c'] } }, { intercept: true, checkCollinear: false });
    expect(cf.ncol).toBe(d.x.ncol);
    expect(Array.from(cf.data)).toEqual(Array.from(want.x.data));
  });
  it('without overrides returns the original design', () => {
    expect(Array.from(rebuildDesign(d, table, {}).data)).toEqual(Array.from(d.x.data));
  });
});
