// Householder QR of src/core/qr against R's qr() (LINPACK dqrdc2, the rule lm() uses for aliased
// columns). R 4.2:
//   X <- cbind(1, 1:6, 2*(1:6), c(1,0,1,0,1,1)); y <- c(1.2, 2.3, 2.9, 4.1, 5.2, 5.8)
//   q <- qr(X); q$rank; q$pivot; diag(qr.R(q)); qr.qty(q, y); qr.coef(q, y)
//   chol2inv(qr.R(q)[1:3, 1:3])
import { describe, expect, it } from 'vitest';
import { householderQr, qrQty, qrR, invUpper, crossprodInverseFromR } from '../../src/core/qr';

const n = 6;
const p = 4;
const X = new Float64Array(n * p);
for (let i = 0; i < n; i++) {
  X[i * p] = 1; X[i * p + 1] = i + 1; X[i * p + 2] = 2 * (i + 1); X[i * p + 3] = [1, 0, 1, 0, 1, 1][i];
}
const y = [1.2, 2.3, 2.9, 4.1, 5.2, 5.8];

describe('householderQr (R qr, dqrdc2 pivoting)', () => {
  const q = householderQr(X, n, p);
  it('finds the aliased column and moves it to the end, as R', () => {
    expect(q.rank).toBe(3);
    expect(Array.from(q.pivot)).toEqual([0, 1, 3, 2]); // R: 1 2 4 3
  });
  it('gives R\'s diagonal of R', () => {
    const R_DIAG = [-2.44948974278318, 4.18330013267038, -1.12968600778733];
    for (let k = 0; k < 3; k++) expect(q.rdiag[k]).toBeCloseTo(R_DIAG[k], 12);
  });
  it('applies Q\' as qr.qty does, and back-substitution gives qr.coef', () => {
    const qty = Float64Array.from(y);
    qrQty(q, qty);
    const R_QTY = [-8.777338244973055, 3.932302124710155, 0.153434965236787, -0.178546719936769, 0.220905932080015, -0.145302039723467];
    for (let i = 0; i < n; i++) expect(qty[i]).toBeCloseTo(R_QTY[i], 12);
    const Ri = invUpper(qrR(q), 3);
    const coef = [0, 1, 2].map((i) => Ri[i * 3] * qty[0] + Ri[i * 3 + 1] * qty[1] + Ri[i * 3 + 2] * qty[2]);
    // kept columns 1, 2, 4 in R's numbering; column 3 is NA
    const R_COEF = [0.356716417910447, 0.947761194029851, -0.135820895522388];
    for (let k = 0; k < 3; k++) expect(coef[k]).toBeCloseTo(R_COEF[k], 12);
  });
  it('(R\'R)^-1 from R equals chol2inv(qr.R)', () => {
    const V = crossprodInverseFromR(qrR(q), 3);
    const R_V = [1.037313432835822, -0.1791044776119405, -0.3656716417910451, -0.179104477611940, 0.0597014925373135,
      -0.0447761194029851, -0.365671641791045, -0.0447761194029851, 0.7835820895522387];
    for (let k = 0; k < 9; k++) expect(V[k]).toBeCloseTo(R_V[k], 12);
  });
  it('invUpper is the inverse of an upper-triangular matrix (R times its inverse is I)', () => {
    const R = Float64Array.from([2, -1, 3, 0, 0.5, 4, 0, 0, -3]);
    const inv = invUpper(R, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += R[i * 3 + k] * inv[k * 3 + j];
      expect(s).toBeCloseTo(i === j ? 1 : 0, 14);
    }
  });
  it('caps the rank at n when there are more columns than rows', () => {
    const W = Float64Array.from([1, 2, 3, 4, 0, 1, 1, 5]); // 2 x 4
    expect(householderQr(W, 2, 4).rank).toBe(2);
  });
});
