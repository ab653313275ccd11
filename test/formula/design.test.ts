// buildDesign: R model.matrix naming, order and coding checked against hand-built matrices;
// missing-row accounting; collinear columns; clear errors.
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/formula/index';

const t = aq.table({
  y: [1.5, 2.0, 3.5, NaN, 0.5, 4.0, 2.5, 1.0],
  x: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
  z: [1, 2, 4, 8, 16, 0, 3, 5],
  g: ['B', 'A', 'C', 'A', null, 'B', 'C', 'A'],
  f: [true, false, true, false, true, true, false, false],
  k: [3, 1, 2, 1, 3, 2, 1, 3],
});
// Rows kept for formulas using y, g and log(z): 0, 1, 2, 6, 7 (3: y NaN; 4: g missing; 5: log(0)).
const kept = [0, 1, 2, 6, 7];
const col = (name: string, rows = kept) => rows.map((i) => (t.array(name) as unknown[])[i]);
// Few rows, many columns: these tests check coding, so rank checks are switched off.
const noRank = { checkCollinear: false } as const;

function matrixRows(d: ReturnType<typeof buildDesign>): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < d.x.nrow; i++) out.push(Array.from(d.x.data.subarray(i * d.x.ncol, (i + 1) * d.x.ncol)));
  return out;
}

describe('buildDesign vs hand-built model.matrix', () => {
  it('factors with treatment coding, interactions (first factor fastest), log transform; drops and counts missing rows', () => {
    const d = buildDesign(t, 'y ~ x + g*f + log(z)', noRank);
    expect(d.names).toEqual(['(Intercept)', 'x', 'gB', 'gC', 'fTRUE', 'log(z)', 'gB:fTRUE', 'gC:fTRUE']);
    expect(d.assign).toEqual([0, 1, 2, 2, 3, 4, 5, 5]);
    expect(d.terms).toEqual(['x', 'g', 'f', 'log(z)', 'g:f']);
    expect(Array.from(d.rowIndex)).toEqual(kept);
    expect(d.dropped).toEqual({ total: 3, missing: { y: 1, g: 1 }, nonFinite: { 'log(z)': 1 } });
    const x = col('x') as number[]; const g = col('g') as string[]; const f = col('f') as boolean[]; const z = col('z') as number[];
    const expected = kept.map((_, r) => [1, x[r], +(g[r] === 'B'), +(g[r] === 'C'), +f[r], Math.log(z[r]), +(g[r] === 'B' && f[r]), +(g[r] === 'C' && f[r])]);
    expect(matrixRows(d)).toEqual(expected);
    expect(Array.from(d.y!)).toEqual(col('y'));
  });
  it('no intercept → full dummy coding of the first factor; x:g inside g gets indicators', () => {
    const d = buildDesign(t, 'y ~ 0 + g + g:x', noRank);
    expect(d.names).toEqual(['gA', 'gB', 'gC', 'gA:x', 'gB:x', 'gC:x']);
    const rows = [0, 1, 2, 5, 6, 7];
    expect(Array.from(d.rowIndex)).toEqual(rows);
    const x = col('x', rows) as number[]; const g = col('g', rows) as string[];
    expect(matrixRows(d)).toEqual(rows.map((_, r) => [+(g[r] === 'A'), +(g[r] === 'B'), +(g[r] === 'C'), (g[r] === 'A' ? 1 : 0) * x[r], (g[r] === 'B' ? 1 : 0) * x[r], (g[r] === 'C' ? 1 : 0) * x[r]]));
  });
  it('listed level order and a chosen reference; numeric column as factor; names as R', () => {
    const d = buildDesign(t, { formula: 'y ~ g + k + x:f', levels: { g: ['C', 'B', 'A'] }, reference: { g: 'B' }, factors: ['k'] }, noRank);
    // x:f with neither main effect: x numeric, f coded by indicators (x alone not in the model).
    expect(d.names).toEqual(['(Intercept)', 'gC', 'gA', 'k2', 'k3', 'x:fFALSE', 'x:fTRUE']);
    expect(d.factors.g.levels).toEqual(['B', 'C', 'A']);
    expect(d.factors.k.levels).toEqual(['1', '2', '3']);
  });
  it('raw polynomials and I() name columns like R', () => {
    const d = buildDesign(t, 'y ~ poly(x, 2, raw = TRUE) + I(x^3) + sqrt(z)', noRank);
    expect(d.names).toEqual(['(Intercept)', 'poly(x, 2, raw = TRUE)1', 'poly(x, 2, raw = TRUE)2', 'I(x^3)', 'sqrt(z)']);
    const rows = [0, 1, 2, 4, 5, 6, 7]; // only y is missing (row 3); sqrt(0) is finite
    expect(Array.from(d.rowIndex)).toEqual(rows);
    const x = col('x', rows) as number[];
    expect(matrixRows(d).map((r) => r[2])).toEqual(x.map((v) => Math.pow(v, 2)));
    expect(matrixRows(d).map((r) => r[3])).toEqual(x.map((v) => Math.pow(v, 3)));
  });
  it('collinear columns are dropped and reported (R: NA coefficients)', () => {
    const d = buildDesign(t, 'y ~ x + I(2 * x) + f');
    expect(d.names).toEqual(['(Intercept)', 'x', 'fTRUE']);
    expect(d.collinear).toEqual(['I(2 * x)']);
    expect(d.allNames).toEqual(['(Intercept)', 'x', 'I(2 * x)', 'fTRUE']);
    // A listed level that never occurs gives an all-zero column → collinear.
    const d2 = buildDesign(t, { formula: 'y ~ g', levels: { g: ['A', 'B', 'C', 'D'] } });
    expect(d2.collinear).toEqual(['gD']);
  });
  it('extra columns count towards missing rows and come back aligned', () => {
    const d = buildDesign(t, 'y ~ x', { extraColumns: ['g'] });
    expect(d.dropped.missing).toEqual({ y: 1, g: 1 });
    expect(d.extra.g).toEqual([t.array('g')[0], t.array('g')[1], t.array('g')[2], t.array('g')[5], t.array('g')[6], t.array('g')[7]]);
  });
});

describe('Cox-style designs (for survival)', () => {
  it('dropInterceptColumn: treatment-coded factors without an intercept column; specials returned in extra', () => {
    const d = buildDesign(t, 'Surv(x, f) ~ g + k + strata(k)', { dropInterceptColumn: true });
    expect(d.names).toEqual(['gB', 'gC', 'k']);
    expect(d.y).toBeUndefined();
    expect(d.dropped.missing).toEqual({ g: 1 });
    expect(d.extra.k).toEqual([0, 1, 2, 3, 5, 6, 7].map((i) => (t.array('k') as number[])[i]));
    // Without an intercept at all, the first factor is coded by indicators (R's model.matrix rule).
    expect(buildDesign(t, 'y ~ g - 1').names).toEqual(['gA', 'gB', 'gC']);
  });
});

describe('buildDesign errors name what is wrong', () => {
  it('unknown column', () => {
    expect(() => buildDesign(t, 'y ~ x + ethnicity')).toThrow(/unknown column 'ethnicity'.*columns: y, x, z, g, f, k/);
  });
  it('value not among the listed levels names column, row and value', () => {
    expect(() => buildDesign(t, { formula: 'y ~ g', levels: { g: ['A', 'B'] } })).toThrow(/column 'g', row 3: value 'C' is not one of the listed levels \(A, B\)/);
  });
  it('reference level that does not exist', () => {
    expect(() => buildDesign(t, { formula: 'y ~ g', reference: { g: 'Z' } })).toThrow(/reference level 'Z' for 'g' does not exist; levels are: A, B, C/);
  });
  it('text column in arithmetic or as a response', () => {
    expect(() => buildDesign(t, 'y ~ log(g)')).toThrow(/column 'g' holds text/);
    expect(() => buildDesign(t, 'g ~ x')).toThrow(/response column 'g' holds text/);
  });
  it('orthogonal poly is refused with a hint', () => {
    expect(() => buildDesign(t, 'y ~ poly(x, 2)')).toThrow(/raw = TRUE/);
  });
});
