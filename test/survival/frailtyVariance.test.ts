// Gamma-frailty variances (src/survival/frailtyVariance, R's coxpenal): the O(p²G) Schur-complement
// form (sparseVariance) equals the full-matrix form (denseVariance) when the frailty block of the
// information is diagonal, and both equal H⁻¹ and H⁻¹ I H⁻¹ computed with ml-matrix's inverse.
import { describe, expect, it } from 'vitest';
import { inverse, Matrix } from 'ml-matrix';
import { denseVariance, sparseVariance } from '../../src/survival/frailtyVariance';
import { createRng } from '../../src/core/random';

describe('frailty variances', () => {
  const p = 2; const G = 5; const m = p + G;
  const r = createRng(9);
  // information with a diagonal frailty block (R's sparse convention), positive definite
  const I = new Float64Array(m * m);
  const ibb = Float64Array.from([4, 0.6, 0.6, 3]);
  const ibw = Float64Array.from({ length: p * G }, () => 0.3 * r.nextFloat());
  const iww = Float64Array.from({ length: G }, () => 1 + 2 * r.nextFloat());
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) I[a * m + b] = ibb[a * p + b];
  for (let a = 0; a < p; a++) for (let j = 0; j < G; j++) { I[a * m + p + j] = ibw[a * G + j]; I[(p + j) * m + a] = ibw[a * G + j]; }
  for (let j = 0; j < G; j++) I[(p + j) * m + p + j] = iww[j];
  const w = Array.from({ length: G }, () => 0.4 * r.nextNormal());
  const nu = 1 / 0.7;
  const terms: Array<[string, number[]]> = [['x1', [0]], ['x2', [1]]];

  const dense = denseVariance(I, w, p, G, nu, terms);
  const sparse = sparseVariance({ ibb, ibw, iww }, w, p, G, nu, terms);

  it('dense: V and V2 are the coefficient blocks of H^-1 and H^-1 I H^-1 (ml-matrix)', () => {
    const H = new Matrix(Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => I[a * m + b] + (a === b && a >= p ? nu * Math.exp(w[a - p]) : 0))));
    const Hi = inverse(H);
    const W = Hi.mmul(new Matrix(Array.from({ length: m }, (_, a) => Array.from(I.subarray(a * m, a * m + m))))).mmul(Hi);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
      expect(dense.V[a * p + b]).toBeCloseTo(Hi.get(a, b), 12);
      expect(dense.V2[a * p + b]).toBeCloseTo(W.get(a, b), 12);
    }
    for (let j = 0; j < G; j++) expect(dense.fvar[j]).toBeCloseTo(Hi.get(p + j, p + j), 12);
  });
  it('sparse equals dense: V, V2, frailty variances and every df', () => {
    for (let t = 0; t < p * p; t++) { expect(sparse.V[t]).toBeCloseTo(dense.V[t], 12); expect(sparse.V2[t]).toBeCloseTo(dense.V2[t], 12); }
    for (let j = 0; j < G; j++) expect(sparse.fvar[j]).toBeCloseTo(dense.fvar[j], 12);
    for (const k of ['x1', 'x2', 'frailty']) expect(sparse.df[k]).toBeCloseTo(dense.df[k], 10);
    expect(dense.df.frailty).toBeGreaterThan(0);
    expect(dense.df.frailty).toBeLessThan(G);
  });
  it('without a frailty (nu = 0) the frailty df is 0 and V is the inverse of the coefficient block', () => {
    const d0 = denseVariance(I, w, p, G, 0, terms);
    const det = ibb[0] * ibb[3] - ibb[1] * ibb[2];
    expect(d0.V[0]).toBeCloseTo(ibb[3] / det, 13);
    expect(d0.df.frailty).toBe(0);
  });
});
