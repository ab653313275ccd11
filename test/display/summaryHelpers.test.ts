// mostPrevalent, modalClassTable and kmRateRows: the helpers the notebooks call instead of loops.
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { createRng } from '../../src/core/random';
import { km } from '../../src/survival/index';
import { kmRateRows, modalClassTable, mostPrevalent, protectedKmAtTimes } from '../../src/display/index';

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

describe('modalClassTable', () => {
  it('labels each assessment with its zero-padded modal class', () => {
    const t = modalClassTable(['a1', 'a2'], Int32Array.from([0, 9]), Array.from({ length: 10 }, (_, k) => `C${k + 1}`));
    expect(t.objects()).toEqual([{ assessment_id: 'a1', class: '01. C1' }, { assessment_id: 'a2', class: '10. C10' }]);
  });
});

describe('kmRateRows', () => {
  const rng = createRng(4);
  const cols: Record<string, number[]> = { t: [], e: [] };
  for (let i = 0; i < 400; i++) {
    const t = -Math.log(1 - rng.nextFloat()) / 0.3; const c = 4 * rng.nextFloat();
    cols.t.push(Math.min(t, c)); cols.e.push(t <= c ? 1 : 0);
  }
  const fit = km(aq.table(cols), { time: 't', event: 'e' });
  it('one row per group: the count and, per time, the protected percentage and its CI; [c] past the curve', () => {
    const rows = kmRateRows(fit.byGroup, [1, 10], { label: 'group', rules: { minCount: 10 } });
    const [one] = protectedKmAtTimes(fit.curves[0], [1], { minCount: 10 });
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0])).toEqual(['group', 'episodes', '% by 1y', '95% CI 1y', '% by 10y', '95% CI 10y']);
    expect(rows[0]).toMatchObject({ episodes: 400, '% by 1y': one.pct, '95% CI 1y': `${one.low!.toFixed(1)}–${one.high!.toFixed(1)}`, '% by 10y': null, '95% CI 10y': '[c]' });
    expect(one.pct).toBeGreaterThan(20); // 1 − exp(−0.3) ≈ 26%
    expect(one.pct).toBeLessThan(32);
  });
});
