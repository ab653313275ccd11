import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { demandClassCounts } from '../../src/classeffects/index';

describe('demandClassCounts', () => {
  it('tallies assessments by modal class, decile and census year, and counts what it cannot place', () => {
    const lca = aq.table({ assessment_id: ['a1', 'a2', 'a3', 'a4', 'a5'], episode_id: ['e1', 'e2', 'e3', 'e4', 'e5'], census_year: [2020, 2020, 2020, 2021, 2022] });
    const cin = aq.table({ episode_id: ['e1', 'e2', 'e3', 'e4', 'e5'], idaci_decile: [1, 1, null, 2, 2] });
    const pop = aq.table({ idaci_decile: [1, 1, 2, 2], year: [2020, 2020, 2020, 2021], population: [100, 100, 200, 300], extra: [0, 1, 2, 3] });
    const r = demandClassCounts(lca, [0, 0, 1, 1, 2], cin, pop);
    expect(r.dropped).toEqual({ noDecile: 1, noPopulation: 1 });
    expect(r.table.objects()).toEqual([
      { idaci_decile: 1, year: 2020, true_class: 1, referrals: 2, population: 100 },
      { idaci_decile: 2, year: 2021, true_class: 2, referrals: 1, population: 300 },
    ]);
  });
});
