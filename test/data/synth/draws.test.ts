// Draws and field formats of the generator (src/data/synth/draws): categorical draws follow their
// weights, exponential draws have mean and variance 1, and fields are formatted as the extracts
// record them (raw factor codes change with the 2021 census schema).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { clampRound, expo, fmt1, fmt2, pad, pick, pickIndex, rawCodeFor, factorsForCensusYear, validOnly, codeListsOf } from '../../../src/data/synth/draws';

describe('draws', () => {
  const r = createRng(77);
  it('pick and pickIndex follow their weights (4-SE bands)', () => {
    const n = 50_000; const got: Record<string, number> = { a: 0, b: 0, c: 0 }; const idx = [0, 0, 0];
    for (let i = 0; i < n; i++) { got[pick(r, [['a', 2], ['b', 1], ['c', 1]], 4)]++; idx[pickIndex(r, [0.1, 0.6, 0.3])]++; }
    for (const [k, p] of [['a', 0.5], ['b', 0.25], ['c', 0.25]] as const) expect(Math.abs(got[k] / n - p)).toBeLessThan(4 * Math.sqrt(p * (1 - p) / n));
    [0.1, 0.6, 0.3].forEach((p, k) => expect(Math.abs(idx[k] / n - p)).toBeLessThan(4 * Math.sqrt(p * (1 - p) / n)));
  });
  it('expo has mean 1 and variance 1', () => {
    const n = 100_000; let s = 0; let s2 = 0;
    for (let i = 0; i < n; i++) { const x = expo(r); s += x; s2 += x * x; }
    expect(Math.abs(s / n - 1)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1)).toBeLessThan(0.05);
  });
  it('formats fields', () => {
    expect(pad(7, 3)).toBe('007');
    expect(pad(1234, 3)).toBe('1234');
    expect(fmt1(12.25)).toBe('12.3');
    expect(fmt2(-1.005)).toBe('-1.00');
    expect(clampRound(121.4, 80, 120)).toBe(120);
    expect(clampRound(99.5, 80, 120)).toBe(100);
  });
  it('records factor codes with the list of the census year', () => {
    expect(rawCodeFor('18', 2020)).toBe('18A');
    expect(rawCodeFor('18', 2021)).toBe('18C');
    expect(rawCodeFor('19', 2016)).toBe('19A');
    expect(rawCodeFor('8', 2016)).toBe('8F');
    expect(rawCodeFor('13', 2023)).toBe('13A');
    expect(rawCodeFor('2A', 2016)).toBe('2A');
    expect(() => rawCodeFor('24A', 2019)).toThrow(/no code of factor item 24A is in the census 2019 list/);
  });
  it('re-records an assessment\'s factors under each census year\'s list (18A of 2019/20 is 18C in the 2020/21 row)', () => {
    expect(factorsForCensusYear('18A;2A;19A', 2020)).toBe('18A;2A;19A');
    expect(factorsForCensusYear('18A;2A;19A', 2021)).toBe('18C;2A;19C');
    expect(factorsForCensusYear('21', 2021)).toBe('21');
    expect(factorsForCensusYear('', 2021)).toBe('');
    expect(() => factorsForCensusYear('99Z', 2021)).toThrow(/'99Z' is not a CIN factor code/);
  });
  it('restricts a distribution to the codes of a list, keeping the others\' weights', () => {
    const v = validOnly([['5C', 0.03], ['5D', 0.01], ['6', 0.29]], codeListsOf(2021).referralSource);
    expect(v.dist.map(([c]) => c)).toEqual(['5C', '6']);
    expect(v.total).toBeCloseTo(0.32, 12);
    expect(validOnly([['5D', 0.01]], codeListsOf(2024).referralSource).dist).toEqual([['5D', 0.01]]);
  });
});
