import { describe, it, expect } from 'vitest';
import { groupSummary, mostPrevalent, itemPrevalence, crossTab, rateByGroup, prevalenceTable, hazardByInterval } from '../../src/display/summaryTables';
import * as aq from 'arquero';
import { SDC_SUPPRESSED } from '../../src/display/sdc';
import { CSC_DICTIONARY } from '../../src/report/dictionaries';

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

describe('itemPrevalence', () => {
  it('counts rows with the item = 1 (or true) over all rows of the group; missing counts in neither', () => {
    const t = aq.table({ year: [2021, 2020, 2020, 2021, 2020], a: [1, 0, 1, true, null], b: [0, 0, 1, 0, 1] });
    expect(itemPrevalence(t, { group: 'year', items: ['a', 'b'], labels: { a: 'Alcohol' } })).toEqual([
      { group: '2020', item: 'a', label: 'Alcohol', n: 1, total: 3 }, { group: '2020', item: 'b', label: 'b', n: 2, total: 3 },
      { group: '2021', item: 'a', label: 'Alcohol', n: 2, total: 2 }, { group: '2021', item: 'b', label: 'b', n: 0, total: 2 },
    ]);
  });
  it('groups sort numerically (9 before 10)', () => {
    const rows = [{ g: 10, x: 1 }, { g: 9, x: 1 }];
    expect(itemPrevalence(rows, { group: 'g', items: ['x'] }).map((r) => r.group)).toEqual(['9', '10']);
  });
});

describe('crossTab', () => {
  const rows = [
    ...Array.from({ length: 40 }, () => ({ sex: 'F', path: 'CIN' })), ...Array.from({ length: 3 }, () => ({ sex: 'F', path: 'CPP' })),
    ...Array.from({ length: 52 }, () => ({ sex: 'M', path: 'CIN' })), ...Array.from({ length: 21 }, () => ({ sex: 'M', path: 'CPP' })),
    { sex: null, path: 'CIN' },
  ];
  it('counts each pair once, leaves out rows missing either value, and adds a protected Total', () => {
    const t = crossTab(rows, { row: 'sex', col: 'path', rowLabels: { F: 'Female', M: 'Male' } });
    const byLabel = Object.fromEntries(t.rows.map((r) => [r.sex, r]));
    expect(Object.keys(byLabel)).toEqual(['Female', 'Male', 'Total']);
    // F/CPP = 3 is small; with both margins taken as published, its row and its column each need a
    // second hidden cell, and those two a fourth: the whole 2 × 2 goes, the totals stay
    expect(t.suppressed).toEqual({ primary: 1, secondary: 3 });
    for (const r of ['Female', 'Male']) expect([byLabel[r].CIN, byLabel[r].CPP]).toEqual(['[c]', '[c]']);
    // 92 and 24 rounded to 5; the row with sex missing is not counted
    expect([byLabel.Total.CIN, byLabel.Total.CPP]).toEqual([90, 25]);
  });
  it('no Total row when asked', () => {
    expect(crossTab(rows, { row: 'sex', col: 'path', total: false }).rows.map((r) => r.sex)).toEqual(['F', 'M']);
  });
});

describe('rateByGroup', () => {
  it('children, events and percent per group from the protected counts, an All row, missing outcomes left out', () => {
    const rows = [
      ...Array.from({ length: 100 }, (_, i) => ({ g: 'a', y: i < 30 ? 1 : 0 })),
      ...Array.from({ length: 60 }, (_, i) => ({ g: 'b', y: i < 20 ? true : false })),
      { g: 'b', y: null },
    ];
    const t = rateByGroup(rows, { group: 'g', outcome: 'y' });
    expect(t.rows.map((r) => [r.g, r.children, r.events])).toEqual([['a', 100, 30], ['b', 60, 20], ['All', 160, 50]]);
    // one decimal, from the protected counts
    expect(t.rows[0].percent).toBeCloseTo(30, 6);
    expect(t.rows[1].percent).toBeCloseTo(33.3, 6);
    expect(t.rows[2].percent).toBeCloseTo(31.3, 6);
  });
});

describe('prevalenceTable', () => {
  it('one row per item, a percentage per group from protected counts; small numerators and 0% withheld', () => {
    const long = [
      { group: '2020', item: 'a', label: 'Alcohol', n: 40, total: 200 }, { group: '2021', item: 'a', label: 'Alcohol', n: 4, total: 210 },
      { group: '2020', item: 'b', label: 'Neglect', n: 0, total: 200 }, { group: '2021', item: 'b', label: 'Neglect', n: 105, total: 210 },
    ];
    const t = prevalenceTable(long);
    expect(t.columns).toEqual(['factor', '2020 %', '2021 %']);
    expect(t.rows).toEqual([{ factor: 'Alcohol', '2020 %': 20, '2021 %': '[c]' }, { factor: 'Neglect', '2020 %': '[c]', '2021 %': 50 }]);
  });
});

describe('hazardByInterval', () => {
  // at risk 100 on (0,1], 80 on (1,2], 60 on (2,3], 40 on (3,4]; 20 events at each of t = 1, 2, 3, 4
  const curve = { time: [1, 2, 3, 4], nRisk: [100, 80, 60, 40], nEvent: [20, 20, 20, 20] };
  it('events in [from, to) over the person-time at risk in it', () => {
    const t = hazardByInterval(curve, [0, 2, 4]);
    expect(t.rows.map((r) => [r.from, r.to, r.events, r['person-time'], r.hazard])).toEqual([
      [0, 2, 20, 180, Number((20 / 180).toPrecision(3))],
      [2, 4, 40, 100, 0.4],
    ]);
  });
  it('an interval with few events shows neither its count nor its hazard', () => {
    const t = hazardByInterval({ time: [1, 2], nRisk: [100, 95], nEvent: [5, 30] }, [0, 1.5, 3]);
    expect([t.rows[0].events, t.rows[0].hazard]).toEqual(['[c]', '[c]']);
    expect(t.rows[1].events).toBe(30);
  });
});

// With group labels, groupSummary shows the labels in the factor's own order, not the codes sorted.
describe('groupSummary group labels', () => {
  it('rows read "No CSC contact, Child in need, Child protection plan, Looked after", then All', () => {
    const codes = ['CIN', 'CLA', 'CPP', 'none'];
    const rows = Array.from({ length: 400 }, (_, i) => ({ csc_exposure: codes[i % 4], y: (i * 7) % 13 }));
    const t = groupSummary(rows, { group: 'csc_exposure', means: ['y'], groupLabels: CSC_DICTIONARY.csc_exposure.levels });
    expect(t.rows.map((r) => r.csc_exposure)).toEqual(['No CSC contact', 'Child in need', 'Child protection plan', 'Looked after', 'All']);
    expect(t.rows.map((r) => r.pupils)).toEqual([100, 100, 100, 100, 400]);
  });
  it('without labels, codes stay sorted as before', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ g: ['b', 'a'][i % 2], y: i }));
    expect(groupSummary(rows, { group: 'g', means: ['y'] }).rows.map((r) => r.g)).toEqual(['a', 'b', 'All']);
  });
});
