/**
 * Dense linear algebra for the regression core, on Float64Array only.
 * - householderQr: the n × p hot path (R's dqrdc2 rule for rank deficiency).
 * - triangular inverse from R, and the score meat of robust variances.
 * Cholesky, inverse, sandwich and cross-products are shared with survival in ../core/linalg.
 */
import { cholInverse } from './linalg';

export interface QrResult {
  /** Column-major n × p working array: R above the diagonal, Householder vectors below. */
  readonly qr: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Numerical rank. */
  readonly rank: number;
  /** pivot[k] = original column index now at position k (first `rank` are the kept ones, in order). */
  readonly pivot: Int32Array;
  /** Diagonal of R. */
  readonly rdiag: Float64Array;
  /** Householder scalars: H_k = I − tau_k v_k v_kᵀ with v_k[k] = 1 implied by storage below. */
  readonly tau: Float64Array;
}

/**
 * Householder QR with R's limited pivoting (dqrdc2): processing columns left to right, a column
 * whose norm (restricted to rows k..n) falls below tol × its original norm is moved to the right
 * edge and excluded from the rank. Inputs: x row-major n × p (not modified), tol (R: 1e-7).
 * Output: QrResult. Preconditions: n ≥ 1. Failure flags: rank < p (aliased columns).
 */
export function householderQr(x: Float64Array, n: number, p: number, tol = 1e-7): QrResult {
  const a = new Float64Array(n * p); // column-major
  for (let i = 0; i < n; i++) {
    const off = i * p;
    for (let j = 0; j < p; j++) a[j * n + i] = x[off + j];
  }
  const pivot = new Int32Array(p);
  for (let j = 0; j < p; j++) pivot[j] = j;
  const orig = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    const c = j * n;
    for (let i = 0; i < n; i++) s += a[c + i] * a[c + i];
    orig[j] = Math.sqrt(s);
  }
  const rdiag = new Float64Array(p);
  const tau = new Float64Array(p);
  let rank = p;
  const tmp = new Float64Array(n);
  const maxSteps = Math.min(n, p);
  let k = 0;
  while (k < rank && k < maxSteps) {
    const c = k * n;
    let s = 0;
    for (let i = k; i < n; i++) s += a[c + i] * a[c + i];
    const norm = Math.sqrt(s);
    if (!(norm > tol * orig[pivot[k]]) || orig[pivot[k]] === 0) {
      // Rotate column k to the end (keeping the order of the others), as dqrdc2 does.
      tmp.set(a.subarray(c, c + n));
      a.copyWithin(c, c + n, rank * n);
      a.set(tmp, (rank - 1) * n);
      const pv = pivot[k];
      const o = orig[pv];
      for (let j = k; j < rank - 1; j++) pivot[j] = pivot[j + 1];
      pivot[rank - 1] = pv;
      void o;
      rank--;
      continue;
    }
    const alpha = a[c + k] > 0 ? -norm : norm;
    // v = x − alpha e1, scaled so v[k] = 1.
    const v0 = a[c + k] - alpha;
    for (let i = k + 1; i < n; i++) a[c + i] /= v0;
    a[c + k] = alpha;
    tau[k] = -v0 / alpha;
    rdiag[k] = alpha;
    const t = tau[k];
    for (let j = k + 1; j < p; j++) {
      const cj = j * n;
      let dot = a[cj + k];
      for (let i = k + 1; i < n; i++) dot += a[c + i] * a[cj + i];
      dot *= t;
      a[cj + k] -= dot;
      for (let i = k + 1; i < n; i++) a[cj + i] -= dot * a[c + i];
    }
    k++;
  }
  if (k < rank) rank = k; // more columns than rows
  return { qr: a, n, p, rank, pivot, rdiag, tau };
}

/** Applies Qᵀ to a vector in place (first `rank` reflections). */
export function qrQty(q: QrResult, y: Float64Array): void {
  const { qr: a, n } = q;
  for (let k = 0; k < q.rank; k++) {
    const c = k * n;
    let dot = y[k];
    for (let i = k + 1; i < n; i++) dot += a[c + i] * y[i];
    dot *= q.tau[k];
    y[k] -= dot;
    for (let i = k + 1; i < n; i++) y[i] -= dot * a[c + i];
  }
}

/** Upper-triangular R (rank × rank, row-major) of the kept columns. */
export function qrR(q: QrResult): Float64Array {
  const r = q.rank;
  const out = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = i; j < r; j++) out[i * r + j] = q.qr[j * q.n + i];
  return out;
}

/** Inverse of an upper-triangular r × r matrix (row-major). */
export function invUpper(R: Float64Array, r: number): Float64Array {
  const inv = new Float64Array(r * r);
  for (let j = 0; j < r; j++) {
    inv[j * r + j] = 1 / R[j * r + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += R[i * r + k] * inv[k * r + j];
      inv[i * r + j] = -s / R[i * r + i];
    }
  }
  return inv;
}

/** (RᵀR)⁻¹ from an upper-triangular R: Rᵀ is a Cholesky factor of RᵀR, so ./linalg's cholInverse does it. */
export function crossprodInverseFromR(R: Float64Array, r: number): Float64Array {
  const L = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) L[i * r + j] = R[j * r + i];
  return cholInverse(L, r);
}
