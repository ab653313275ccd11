import { describe, it, expect } from 'vitest';
import { groupSummary, mostPrevalent } from '../../src/display/summaryTables';
import { SDC_SUPPRESSED } from '../../src/display/sdc';

describe('mostPrevalent', () => {
  it('keeps the rows of the k items with most cases over groups, in input order; ties: first seen', () => {
    const long = [
      { group: 'a', item: 'x', n: 5 }, { group: 'a', item: 'y', n: 9 }, { group: 'a', item: 'z', n: 7 },
      { group: 'b', item: 'x', n: 5 }, { group: 'b', item: 'y', n: 1 }, { group: 'b', item: 'z', n: 3 },
    ];
    // totals x 10, y 10, z 10: a three-way tie, so the first seen (x) is kept
    expect(mostPrevalent(long, 1).map((r) => r.item)).toEqual(['x', 'x']);
  });
  it('orders by totals', () => {
    const long = [{ item: 'a', n: 1 }, { item: 'b', n: 5 }, { item: 'c', n: 3 }, { item: 'a', n: 1 }];
    expect(mostPrevalent(long, 2)).toEqual([{ item: 'b', n: 5 }, { item: 'c', n: 3 }]);
  });
});

describe('group means: a hidden mean is not recoverable from the All row', () => {
  it('hides a second group mean so (All×N − Σ shown)/n has two unknowns', () => {
    const rows = [
      ...Array.from({ length: 60 }, (_, i) => ({ g: 'a', y: 20 + (i % 7) })),
      ...Array.from({ length: 30 }, (_, i) => ({ g: 'b', y: 40 + (i % 5) })),
      ...Array.from({ length: 12 }, (_, i) => ({ g: 'c', y: 10 + (i % 3) })),
      // d: 12 contributors but one dominates the total, so its mean is withheld
      ...Array.from({ length: 11 }, () => ({ g: 'd', y: 1 })), { g: 'd', y: 500 },
    ];
    const t = groupSummary(rows, { group: 'g', means: ['y'] });
    const mean = (g: string) => t.rows.find((r) => r.g === g)!['mean y'];
    expect(mean('d')).toBe(SDC_SUPPRESSED);
    expect(mean('c')).toBe(SDC_SUPPRESSED); // the smallest other group
    expect(typeof mean('All')).toBe('number');
    const hidden = t.rows.filter((r) => r['mean y'] === SDC_SUPPRESSED).length;
    expect(hidden).toBeGreaterThanOrEqual(2);
  });
});
