// Variances of the gamma-frailty Cox fit (R's coxpenal): H = I + the penalty's Hessian
// (1/θ) diag(e^w) on the frailty block; var = the coefficient block of H⁻¹, var2 that of
// H⁻¹ I H⁻¹, fvar the frailty diagonal of H⁻¹, and each term's effective df (coxpenal.df).
// R's sparse convention (default with > 5 groups) keeps only the diagonal of the frailty block of
// H and I; then every quantity follows from the p × p Schur complement in O(p²·G).
import { cholesky, cholSolve, symInverse } from '../core/linalg';
import { coxLogLik, makeWorkspace, type CoxData } from './coxcore';

/** Full variance (sparse = FALSE) only when n·(p + G)² is at most this (the dense sweep's cost). */
export const FULL_VARIANCE_LIMIT = 5e7;

/** The sparse information at the estimate: coefficient block (p × p), coefficient–frailty block (p × G), frailty diagonal (G). */
export interface SparseInfo { ibb: Float64Array; ibw: Float64Array; iww: Float64Array }

export interface FrailtyVariance {
  readonly V: Float64Array;
  readonly V2: Float64Array;
  readonly df: Record<string, number>;
  readonly fvar: Float64Array;
}

/** trace(A_tt⁻¹ B_tt) for the sub-blocks of two m × m matrices on columns `cols` (R's coxph.wtest solve). */
function traceSolve(A: Float64Array, B: Float64Array, m: number, cols: readonly number[]): number {
  const k = cols.length;
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a[i * k + j] = A[cols[i] * m + cols[j]];
  const L = cholesky(a, k);
  if (!L) return NaN;
  let tr = 0;
  for (let j = 0; j < k; j++) {
    const col = cols.map((c) => B[c * m + cols[j]]);
    tr += cholSolve(L, k, col)[j];
  }
  return tr;
}

/**
 * The full (p + G)² information of the model with one indicator column per frailty group, by
 * the dense Cox sweep. Cost O(n·(p + G)²): only for few groups or small data (FULL_VARIANCE_LIMIT).
 */
export function denseInformation(d: CoxData, group: Int32Array, G: number, beta: Float64Array): Float64Array {
  const { n, p } = d;
  const m = p + G;
  const x = new Float64Array(n * m);
  for (let k = 0; k < n; k++) {
    x.set(d.x.subarray(k * p, k * p + p), k * m);
    x[k * m + p + group[k]] = 1;
  }
  const ws = makeWorkspace(n, m);
  coxLogLik({ ...d, p: m, x, means: new Float64Array(m) }, beta, ws);
  return ws.imat;
}

/** R's sparse = FALSE variances from the full information `imat` ((p + G)², symmetric); w: log-frailties; nu = 1/θ (0: no frailty). */
export function denseVariance(imat: Float64Array, w: ArrayLike<number>, p: number, G: number, nu: number, termCols: ReadonlyArray<readonly [string, readonly number[]]>): FrailtyVariance {
  const m = p + G;
  const I = Float64Array.from(imat);
  const H = Float64Array.from(I);
  for (let j = 0; j < G; j++) H[(p + j) * m + p + j] += nu * Math.exp(w[j]);
  if (nu === 0) for (let a = p; a < m; a++) { for (let b = 0; b < m; b++) { H[a * m + b] = 0; H[b * m + a] = 0; I[a * m + b] = 0; I[b * m + a] = 0; } H[a * m + a] = 1; }
  const Hi = symInverse(H, m, 1e-14);
  if (!Hi) throw new Error('fitCox: the penalised information matrix is singular at the estimate');
  // W = H⁻¹ I H⁻¹ (R's var2 is its coefficient block).
  const HiI = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let c = 0; c < m; c++) s += Hi[a * m + c] * I[c * m + b]; HiI[a * m + b] = s; }
  const W = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let c = 0; c < m; c++) s += HiI[a * m + c] * Hi[c * m + b]; W[a * m + b] = s; }
  const V2 = new Float64Array(p * p);
  const V = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) { V[a * p + b] = Hi[a * m + b]; V2[a * p + b] = W[a * m + b]; }
  // R's coxpenal.df: a term's df is trace(V_tt⁻¹ V2_tt).
  const df: Record<string, number> = {};
  for (const [term, cols] of termCols) df[term] = traceSolve(Hi, W, m, cols);
  df.frailty = nu > 0 ? traceSolve(Hi, W, m, Array.from({ length: G }, (_, j) => p + j)) : 0;
  const fvar = Float64Array.from({ length: G }, (_, j) => (nu > 0 ? Hi[(p + j) * m + p + j] : 0));
  return { V, V2, df, fvar };
}

/**
 * R's sparse-convention variances from the sparse information, without any (p + G)² matrix:
 * with H = [[H_bb, H_bw], [H_wb, D]], D diagonal, H⁻¹ = [[A, B], [B′, C]] where
 * A = (H_bb − H_bw D⁻¹ H_wb)⁻¹, B = −A H_bw D⁻¹, C_jj = D⁻¹_j − D⁻¹_j (H_bw′ B)_jj;
 * var2 = A I_bb A + A I_bw B′ + B I_wb A + B E B′ (E the frailty diagonal of I).
 * The frailty term's df is Σ_j (1 − C_jj ν e^{w_j}). Cost O(p²·G).
 */
export function sparseVariance(info: SparseInfo, w: ArrayLike<number>, p: number, G: number, nu: number, termCols: ReadonlyArray<readonly [string, readonly number[]]>): FrailtyVariance {
  const { ibb, ibw, iww } = info;
  const dinv = new Float64Array(G);
  if (nu > 0) for (let j = 0; j < G; j++) dinv[j] = 1 / (iww[j] + nu * Math.exp(w[j]));
  const S = Float64Array.from(ibb);
  if (nu > 0) {
    for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) {
      let t = 0;
      for (let j = 0; j < G; j++) t += ibw[a * G + j] * dinv[j] * ibw[c * G + j];
      S[a * p + c] -= t;
    }
  }
  const A = symInverse(S, p, 1e-14);
  if (!A) throw new Error('fitCox: the penalised information matrix is singular at the estimate');
  // B = −A H_bw D⁻¹ (p × G); P1 = A I_bb + B I_wb (p × p); P2 = A I_bw + B E (p × G).
  const B = new Float64Array(p * G);
  if (nu > 0) {
    for (let a = 0; a < p; a++) for (let j = 0; j < G; j++) {
      let t = 0;
      for (let c = 0; c < p; c++) t += A[a * p + c] * ibw[c * G + j];
      B[a * G + j] = -t * dinv[j];
    }
  }
  const P1 = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) {
    let t = 0;
    for (let e = 0; e < p; e++) t += A[a * p + e] * ibb[e * p + c];
    for (let j = 0; j < G; j++) t += B[a * G + j] * ibw[c * G + j];
    P1[a * p + c] = t;
  }
  const P2 = new Float64Array(p * G);
  for (let a = 0; a < p; a++) for (let j = 0; j < G; j++) {
    let t = B[a * G + j] * iww[j];
    for (let c = 0; c < p; c++) t += A[a * p + c] * ibw[c * G + j];
    P2[a * G + j] = t;
  }
  const V2 = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) {
    let t = 0;
    for (let e = 0; e < p; e++) t += P1[a * p + e] * A[e * p + c];
    for (let j = 0; j < G; j++) t += P2[a * G + j] * B[c * G + j];
    V2[a * p + c] = t;
  }
  const fvar = new Float64Array(G);
  let dfF = 0;
  if (nu > 0) {
    for (let j = 0; j < G; j++) {
      let t = 0;
      for (let a = 0; a < p; a++) t += ibw[a * G + j] * B[a * G + j];
      fvar[j] = dinv[j] - dinv[j] * t;
      dfF += 1 - fvar[j] * nu * Math.exp(w[j]);
    }
  }
  const df: Record<string, number> = {};
  for (const [term, cols] of termCols) df[term] = traceSolve(A, V2, p, cols);
  df.frailty = dfF;
  return { V: A, V2, df, fvar };
}
