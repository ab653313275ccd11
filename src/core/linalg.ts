// Small dense linear algebra shared by the numeric cores (survival, regression), on Float64Array.
// Matrices are row-major with full storage. These routines handle p × p systems (p = number of
// coefficients) or one pass over n rows; they allocate only their outputs, so they are safe to
// call once per Newton step. Not exported from src/core/index.ts: an internal building block.

/**
 * Cholesky A = L Lᵀ of a symmetric positive-definite p × p matrix.
 * Inputs: a (only the lower triangle is read), p, relTol (default 0).
 * Output: L (lower triangular, row-major), or null when a pivot is not finite or is
 * ≤ relTol × (largest |diagonal|) — i.e. A is singular, indefinite or numerically so.
 * relTol = 0 rejects only non-positive pivots (the regression callers); the Cox code passes
 * 1e-12 so that near-collinear columns are reported as singular rather than exploding.
 * pivotScale 'own' measures pivot j against relTol × A_jj instead (the LCA information, whose
 * diagonal spans many orders of magnitude across parameter blocks).
 */
export function cholesky(a: Float64Array, p: number, relTol = 0, pivotScale: 'max' | 'own' = 'max'): Float64Array | null {
  const l = new Float64Array(p * p);
  let threshold = 0;
  if (relTol > 0 && pivotScale === 'max') {
    let maxDiag = 0;
    for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i]));
    threshold = relTol * maxDiag;
  }
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
    if (!(d > (pivotScale === 'own' ? relTol * a[j * p + j] : threshold)) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Solves (L Lᵀ) x = b by forward then backward substitution.
 * Inputs: Cholesky factor L (p × p), b (length p). Output: new vector x. Precondition: L from
 * `cholesky` (non-zero diagonal).
 */
export function cholSolve(l: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * y[k];
    y[i] = s / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  return x;
}

/**
 * A⁻¹ from the Cholesky factor L of A, as L⁻ᵀ L⁻¹ (upper triangle computed, mirrored, so the
 * result is exactly symmetric). Inputs: L (p × p). Output: new p × p matrix.
 */
export function cholInverse(l: Float64Array, p: number): Float64Array {
  // mt = (L⁻¹)ᵀ so that every inner product below runs along rows (contiguous at large p)
  const mt = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const rj = j * p;
    mt[rj + j] = 1 / l[rj + j];
    for (let i = j + 1; i < p; i++) {
      const ri = i * p;
      let s = 0;
      for (let k = j; k < i; k++) s += l[ri + k] * mt[rj + k];
      mt[rj + i] = -s / l[ri + i];
    }
  }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) {
    let s = 0;
    for (let k = j; k < p; k++) s += mt[i * p + k] * mt[j * p + k];
    out[i * p + j] = s; out[j * p + i] = s;
  }
  return out;
}

/**
 * Inverse of a symmetric positive-definite p × p matrix via its Cholesky factor.
 * Output: new p × p matrix, or null when `cholesky(a, p, relTol)` fails (singular).
 * Default relTol 1e-12 (the Cox convention; see `cholesky`).
 */
export function symInverse(a: Float64Array, p: number, relTol = 1e-12): Float64Array | null {
  const l = cholesky(a, p, relTol);
  return l ? cholInverse(l, p) : null;
}

/** log det A = 2 Σ log L_ii from the Cholesky factor L of A. */
export function logDetFromChol(l: Float64Array, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) s += Math.log(l[i * p + i]);
  return 2 * s;
}

/**
 * Quadratic form bᵀ A⁻¹ b for symmetric positive-definite A (p × p), via Cholesky with
 * relTol 1e-12. Output: the number, or NaN when A is singular.
 */
export function quadFormInverse(a: Float64Array, p: number, b: ArrayLike<number>): number {
  const l = cholesky(a, p, 1e-12);
  if (!l) return NaN;
  const x = cholSolve(l, p, b);
  let s = 0;
  for (let i = 0; i < p; i++) s += b[i] * x[i];
  return s;
}

/** The k × k sub-matrix of a (p × p) on rows and columns idx (length k). */
export function subMatrix(a: Float64Array, p: number, idx: ArrayLike<number>): Float64Array {
  const k = idx.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = a[idx[i] * p + idx[j]];
  return out;
}

/** The columns `cols` of a row-major n × p matrix x, as a new row-major n × cols.length matrix. */
export function selectColumns(x: Float64Array, n: number, p: number, cols: ArrayLike<number>): Float64Array {
  const r = cols.length;
  const out = new Float64Array(n * r);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) out[i * r + j] = x[i * p + cols[j]];
  return out;
}

/**
 * Sandwich B M B for symmetric p × p B (bread) and M (meat). Output: new p × p matrix, upper
 * triangle computed and mirrored so the variance is exactly symmetric.
 */
export function sandwich(bread: Float64Array, meat: Float64Array, p: number): Float64Array {
  const t = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += bread[i * p + k] * meat[k * p + j];
    t[i * p + j] = s;
  }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += t[i * p + k] * bread[k * p + j];
    out[i * p + j] = s; out[j * p + i] = s;
  }
  return out;
}

/**
 * Weighted cross-product Xᵀ diag(w) X in one pass over the n rows (upper triangle accumulated,
 * then mirrored). Inputs: x (n × p row-major), w (length n) or null for unweighted.
 * Output: new p × p matrix. Rows with weight 0 are skipped.
 */
export function crossprod(x: Float64Array, n: number, p: number, w: Float64Array | null): Float64Array {
  const g = new Float64Array(p * p);
  addCrossprodUpper(x, n, p, w, g);
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) g[a * p + b] = g[b * p + a];
  return g;
}

/**
 * The weighted normal equations of one IRLS step, A = Xᵀ diag(w) X (p × p, row-major, upper
 * triangle accumulated then mirrored) and b = Xᵀ (w ∘ z) (p), in one pass over the n rows of x
 * (n × p row-major), written into the caller's A and b (no allocation). Rows with weight 0 are
 * skipped. Used by every IRLS fitter (logit, the count GLMs) so the step is computed one way.
 */
export function weightedNormalEquations(x: Float64Array, n: number, p: number, w: Float64Array, z: Float64Array, A: Float64Array, b: Float64Array): void {
  A.fill(0); b.fill(0);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const off = i * p; const wz = wi * z[i];
    for (let a = 0; a < p; a++) {
      const xa = x[off + a];
      if (xa === 0) continue;
      b[a] += xa * wz;
      const wxa = wi * xa; const ga = a * p;
      for (let c = a; c < p; c++) A[ga + c] += wxa * x[off + c];
    }
  }
  for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) A[a * p + c] = A[c * p + a];
}

/**
 * Adds Σ_i w_i x_i x_iᵀ (upper triangle only) into g (p × p, row-major); w null means 1.
 * Rows are taken four at a time so each element of g is loaded and stored once per four rows:
 * at national sizes (millions of rows) the p² accumulator traffic, not the multiplies, sets
 * the speed. Cost O(n·p²/2), no allocation.
 */
export function addCrossprodUpper(x: Float64Array, n: number, p: number, w: Float64Array | null, g: Float64Array): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o0 = i * p;
    const o1 = o0 + p;
    const o2 = o1 + p;
    const o3 = o2 + p;
    const w0 = w === null ? 1 : w[i];
    const w1 = w === null ? 1 : w[i + 1];
    const w2 = w === null ? 1 : w[i + 2];
    const w3 = w === null ? 1 : w[i + 3];
    for (let a = 0; a < p; a++) {
      const a0 = x[o0 + a] * w0;
      const a1 = x[o1 + a] * w1;
      const a2 = x[o2 + a] * w2;
      const a3 = x[o3 + a] * w3;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const ga = a * p;
      for (let b = a; b < p; b++) g[ga + b] += a0 * x[o0 + b] + a1 * x[o1 + b] + a2 * x[o2 + b] + a3 * x[o3 + b];
    }
  }
  for (; i < n; i++) {
    const o = i * p;
    const wi = w === null ? 1 : w[i];
    if (wi === 0) continue;
    for (let a = 0; a < p; a++) {
      const xa = x[o + a] * wi;
      if (xa === 0) continue;
      const ga = a * p;
      for (let b = a; b < p; b++) g[ga + b] += xa * x[o + b];
    }
  }
}
