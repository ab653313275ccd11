// Input coding and pattern compression of the LCA (src/lca/prepare), against direct computations
// with Maps and loops (poLCA's conventions: C_j = largest observed code + 1, missing = NA).
import { describe, expect, it } from 'vitest';
import { buildSparse, codeRows, compressPatterns, modalCategories, nonReferenceDensity, prepareLcaData } from '../../src/lca/prepare';
import { createRng } from '../../src/core/random';

function randomCodes(n: number, J: number, C: number, seed: number): Int16Array {
  const r = createRng(seed);
  return Int16Array.from({ length: n * J }, () => (r.nextFloat() < 0.1 ? -1 : r.nextInt(C)));
}

describe('codeRows', () => {
  it('codes null/NaN as missing and sets C_j to the largest code + 1', () => {
    const c = codeRows([[0, 2, null], [1, NaN, 0]]);
    expect(Array.from(c.codes)).toEqual([0, 2, -1, 1, -1, 0]);
    expect(Array.from(c.nCategories)).toEqual([2, 3, 1]);
    expect(Array.from(codeRows([[0, 1]], [3, 2]).nCategories)).toEqual([3, 2]);
  });
  it('names the row and item of a bad value, and an item missing everywhere', () => {
    expect(() => codeRows([[0, 1], [0.5, 1]])).toThrow('rows: row 2, item 1: value 0.5 is not a category code');
    expect(() => codeRows([[0, 1], [0]])).toThrow('rows: row 2 has 1 items, expected 2');
    expect(() => codeRows([[0, null], [1, null]])).toThrow('rows: item 1 is missing in every row');
    expect(() => codeRows([[0, 2]], [2, 2])).toThrow('rows: item 2 has code 2 but nCategories[1] = 2');
    expect(() => codeRows({ codes: Int16Array.from([0, -2]), nRows: 1, nItems: 2 })).toThrow(/row 1, item 2: code -2/);
  });
  it('with given categories an item may be missing in every row; errors then name the source and item', () => {
    const c = codeRows([[0, null], [1, null]], [2, 3], 'newRows', { categories: 'the model', itemNames: ['a', 'b'] });
    expect(Array.from(c.nCategories)).toEqual([2, 3]);
    expect(Array.from(c.codes)).toEqual([0, -1, 1, -1]);
    expect(() => codeRows([[0, 3]], [2, 3], 'newRows', { categories: 'the model', itemNames: ['a', 'b'] })).toThrow('newRows: item b has code 3, the model has 3 categories');
    expect(() => codeRows([[0]], [2, 3], 'newRows', { categories: 'the model' })).toThrow('newRows: 1 items, the model has 2');
  });
});

describe('compressPatterns', () => {
  it('merges identical rows, sums weights, and maps every row to its pattern (vs a Map)', () => {
    const n = 2000; const J = 5;
    const codes = randomCodes(n, J, 2, 9);
    const w = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
    const c = compressPatterns(codes, n, J, w);
    const want = new Map<string, number>();
    for (let i = 0; i < n; i++) { const k = Array.from(codes.subarray(i * J, i * J + J)).join(','); want.set(k, (want.get(k) ?? 0) + w[i]); }
    expect(c.nPatterns).toBe(want.size);
    for (let p = 0; p < c.nPatterns; p++) expect(c.weights[p]).toBe(want.get(Array.from(c.codes.subarray(p * J, p * J + J)).join(',')));
    for (let i = 0; i < n; i++) expect(Array.from(c.codes.subarray(c.rowToPattern[i] * J, c.rowToPattern[i] * J + J))).toEqual(Array.from(codes.subarray(i * J, i * J + J)));
  });
  it('keeps rows with different covariates apart', () => {
    const codes = Int16Array.from([0, 1, 0, 1, 0, 1]);
    const c = compressPatterns(codes, 3, 2, null, { x: Float64Array.from([1, 0.5, 1, 0.5, 1, 0.7]), S: 2 });
    expect(c.nPatterns).toBe(2);
    expect(Array.from(c.weights)).toEqual([2, 1]);
    expect(Array.from(c.covariates!)).toEqual([1, 0.5, 1, 0.7]);
  });
});

describe('sparse representation', () => {
  const n = 300; const J = 4;
  const codes = randomCodes(n, J, 3, 4);
  const w = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 2 : 1));
  const nCat = Int32Array.from([3, 3, 3, 3]);
  const ref = modalCategories(codes, n, J, nCat, w);
  it('modal category is the weighted arg-max of each item', () => {
    for (let j = 0; j < J; j++) {
      const t = [0, 0, 0];
      for (let i = 0; i < n; i++) if (codes[i * J + j] >= 0) t[codes[i * J + j]] += w[i];
      expect(ref[j]).toBe(t.indexOf(Math.max(...t)));
    }
  });
  it('buildSparse lists exactly the non-reference and missing entries of each row', () => {
    const s = buildSparse(codes, n, J, ref);
    for (let i = 0; i < n; i++) {
      const entries: Array<[number, number]> = []; const miss: number[] = [];
      for (let j = 0; j < J; j++) { const v = codes[i * J + j]; if (v < 0) miss.push(j); else if (v !== ref[j]) entries.push([j, v]); }
      const got: Array<[number, number]> = [];
      for (let e = s.entryStart[i]; e < s.entryStart[i + 1]; e++) got.push([s.entryItem[e], s.entryCat[e]]);
      expect(got).toEqual(entries);
      expect(Array.from(s.missItem.subarray(s.missStart[i], s.missStart[i + 1]))).toEqual(miss);
    }
  });
  it('nonReferenceDensity is the weighted share of non-reference entries', () => {
    let c = 0; let t = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < J; j++) { t += w[i]; if (codes[i * J + j] !== ref[j]) c += w[i]; }
    expect(nonReferenceDensity(codes, n, J, ref, w)).toBeCloseTo(c / t, 15);
  });
});

describe('prepareLcaData', () => {
  it('sums case weights to the N of BIC and names a bad weight', () => {
    const coded = codeRows([[0, 1], [0, 1], [1, 0]]);
    const p = prepareLcaData(coded, { weights: [0.5, 1.5, 2] });
    expect(p.totalWeight).toBeCloseTo(4, 15);
    expect(p.data.nRows).toBe(2);
    expect(() => prepareLcaData(coded, { weights: [1, -1, 1] })).toThrow('weights: row 2: -1 is not a finite non-negative number');
    expect(() => prepareLcaData(codeRows([[0, 2]]), { eStep: 'blocked' })).toThrow("eStep: 'blocked' needs binary items only");
  });
});
