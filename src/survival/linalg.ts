// Small dense symmetric solvers for p × p systems (p = number of coefficients, tens at most).
// Not hot: called once per Newton step, so clarity beats speed here.

/**
 * Cholesky factorisation of a symmetric positive-definite p × p matrix (row-major, full storage).
 * Input: a (only the lower triangle is read). Output: L (row-major, lower) or null when a pivot
 * is ≤ tol × (largest diagonal), i.e. the matrix is singular or not positive definite.
 */
export function cholesky(a: Float64Array, p: number, tol = 1e-12): Float64Array | null {
  const l = new Float64Array(p * p);
  let maxDiag = 0;
  for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i]));
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
    if (!(d > tol * maxDiag) || !Number.isFinite(d)) return null;
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

/** Solves (L L') x = b given the Cholesky factor L; returns a new vector. */
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

/** Inverse of a symmetric positive-definite matrix, or null when it is singular. */
export function symInverse(a: Float64Array, p: number): Float64Array | null {
  const l = cholesky(a, p);
  if (!l) return null;
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    const col = cholSolve(l, p, e);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i];
  }
  // Symmetrise to remove rounding asymmetry.
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const m = 0.5 * (inv[i * p + j] + inv[j * p + i]);
      inv[i * p + j] = m;
      inv[j * p + i] = m;
    }
  }
  return inv;
}

/** Quadratic form b' A⁻¹ b for symmetric positive-definite A; NaN when A is singular. */
export function quadFormInverse(a: Float64Array, p: number, b: ArrayLike<number>): number {
  const l = cholesky(a, p);
  if (!l) return NaN;
  const x = cholSolve(l, p, b);
  let s = 0;
  for (let i = 0; i < p; i++) s += b[i] * x[i];
  return s;
}

/** Extracts the sub-matrix of a (p × p) on the given row/column indices. */
export function subMatrix(a: Float64Array, p: number, idx: ArrayLike<number>): Float64Array {
  const k = idx.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = a[idx[i] * p + idx[j]];
  return out;
}
