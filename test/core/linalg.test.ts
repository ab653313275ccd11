// Dense linear algebra of src/core/linalg against decompositions known in closed form and against
// ml-matrix (an independent implementation) where there is none.
import { describe, expect, it } from 'vitest';
import { Matrix, inverse } from 'ml-matrix';
import { cholInverse, cholSolve, cholesky, crossprod, logDetFromChol, quadFormInverse, sandwich, selectColumns, subMatrix, symInverse, weightedNormalEquations } from '../../src/core/linalg';

// A = L Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]] (the textbook example), det A = (2·1·3)² = 36
const A = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
const L_KNOWN = [2, 0, 0, 6, 1, 0, -8, 5, 3];

describe('cholesky', () => {
  it('recovers the known factor exactly and leaves the upper triangle zero', () => {
    const l = cholesky(A, 3)!;
    expect(Array.from(l)).toEqual(L_KNOWN);
    expect(logDetFromChol(l, 3)).toBeCloseTo(Math.log(36), 14);
  });
  it('returns null for singular and indefinite matrices', () => {
    expect(cholesky(Float64Array.from([1, 1, 1, 1]), 2)).toBeNull();
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
    expect(cholesky(Float64Array.from([NaN, 0, 0, 1]), 2)).toBeNull();
  });
  it("relTol against the largest diagonal ('max') rejects a small but well-determined pivot that 'own' keeps", () => {
    const d = Float64Array.from([1e10, 0, 0, 1e-3]);
    expect(cholesky(d, 2, 1e-10)).toBeNull();
    const l = cholesky(d, 2, 1e-10, 'own')!;
    expect(l[3]).toBeCloseTo(Math.sqrt(1e-3), 15);
    // a nearly collinear pair fails under 'own' too: the second pivot is 1e-12 of its diagonal
    const c = Float64Array.from([1, 1 - 5e-13, 1 - 5e-13, 1]);
    expect(cholesky(c, 2, 1e-10, 'own')).toBeNull();
  });
});

describe('solves and inverses', () => {
  it('cholSolve recovers x from A x = b', () => {
    const x = cholSolve(cholesky(A, 3)!, 3, [-20, -43, 192]); // A · (1, 2, 3)
    expect(Array.from(x).map((v) => Math.round(v * 1e10) / 1e10)).toEqual([1, 2, 3]);
  });
  it('cholInverse and symInverse equal ml-matrix’s LU inverse and are exactly symmetric', () => {
    const ref = inverse(new Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])).to2DArray();
    const v = cholInverse(cholesky(A, 3)!, 3);
    const s = symInverse(A, 3)!;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        expect(v[i * 3 + j]).toBeCloseTo(ref[i][j], 9);
        expect(s[i * 3 + j]).toBe(v[i * 3 + j]);
        expect(v[i * 3 + j]).toBe(v[j * 3 + i]);
      }
    // (A⁻¹)₃₃ = 1/9 from the factor: last row of L⁻¹ is (…, 1/3)
    expect(v[8]).toBeCloseTo(1 / 9, 14);
  });
  it('symInverse gives null and quadFormInverse NaN on a singular matrix', () => {
    const s = Float64Array.from([2, 2, 2, 2]);
    expect(symInverse(s, 2)).toBeNull();
    expect(quadFormInverse(s, 2, [1, 1])).toBeNaN();
  });
  it('quadFormInverse is bᵀ A⁻¹ b', () => {
    // b = A·(1,2,3) so bᵀ A⁻¹ b = bᵀ (1,2,3) = −20 − 86 + 576
    expect(quadFormInverse(A, 3, [-20, -43, 192])).toBeCloseTo(470, 8);
  });
  it('a large random SPD matrix: cholInverse(A)·A = I', () => {
    const p = 60;
    const x = new Float64Array(200 * p);
    let seed = 7;
    for (let i = 0; i < x.length; i++) { seed = (seed * 1103515245 + 12345) % 2147483648; x[i] = seed / 2147483648 - 0.5; }
    const g = crossprod(x, 200, p, null);
    const v = cholInverse(cholesky(g, p)!, p);
    let worst = 0;
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += v[i * p + k] * g[k * p + j];
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    expect(worst).toBeLessThan(1e-10);
  });
});

describe('products', () => {
  it('crossprod is Xᵀ diag(w) X, skipping zero weights', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]); // 3 × 2
    expect(Array.from(crossprod(x, 3, 2, null))).toEqual([35, 44, 44, 56]);
    // weights (2, 0, 1): 2·(1,2)(1,2)ᵀ + (5,6)(5,6)ᵀ
    expect(Array.from(crossprod(x, 3, 2, Float64Array.from([2, 0, 1])))).toEqual([27, 34, 34, 44]);
  });
  it('sandwich is B M B; subMatrix and selectColumns pick rows and columns', () => {
    const b = Float64Array.from([2, 1, 1, 3]);
    const m = Float64Array.from([1, 0, 0, 2]);
    // B M B = [[2,1],[1,3]]·[[1,0],[0,2]]·[[2,1],[1,3]] = [[6,8],[8,19]]
    expect(Array.from(sandwich(b, m, 2))).toEqual([6, 8, 8, 19]);
    expect(Array.from(subMatrix(A, 3, [0, 2]))).toEqual([4, -16, -16, 98]);
    // selectColumns keeps columns of a rectangular 2 x 3 matrix, in the order asked, repeats allowed
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(selectColumns(x, 2, 3, [2, 0]))).toEqual([3, 1, 6, 4]);
    expect(Array.from(selectColumns(x, 2, 3, [1, 1]))).toEqual([2, 2, 5, 5]);
  });
});

describe('weightedNormalEquations', () => {
  it('A = XᵀWX and b = XᵀWz, as ml-matrix computes them; zero-weight rows ignored; old contents overwritten', () => {
    const n = 5; const p = 3;
    const x = Float64Array.from([1, 0.5, 2, 1, -1, 0, 1, 3, 1, 1, 0, -2, 1, 2, 4]);
    const w = Float64Array.from([1, 0.25, 2, 0, 3]);
    const z = Float64Array.from([0.3, -1, 2, 100, 0.5]);
    const A = new Float64Array(p * p).fill(7); const b = new Float64Array(p).fill(7);
    weightedNormalEquations(x, n, p, w, z, A, b);
    const X = new Matrix(Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * p, (i + 1) * p))));
    const XtW = X.transpose().mmul(Matrix.diag(Array.from(w)));
    const Aref = XtW.mmul(X); const bref = XtW.mmul(Matrix.columnVector(Array.from(z)));
    for (let a = 0; a < p; a++) {
      for (let c = 0; c < p; c++) expect(A[a * p + c]).toBeCloseTo(Aref.get(a, c), 12);
      expect(b[a]).toBeCloseTo(bref.get(a, 0), 12);
    }
  });
});
