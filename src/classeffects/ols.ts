/**
 * Latent-class membership as a predictor in a linear regression, with or without correction
 * for classification error (step 3 of the three-step approach).
 *
 * 'modal': one row per unit with its modal class. 'bch': K copies per unit with BCH weights
 * (Bolck, Croon & Hagenaars 2004; Vermunt 2010; Bakk, Tekle & Vermunt 2013), solving the
 * weighted normal equations XᵀWXb = XᵀWy. BCH is the choice here rather than the ML
 * three-step correction: with covariates in the outcome model, ML needs the class distribution
 * given those covariates to be modelled as well, and it is biased when the outcome's residuals
 * are not normal with equal variance across classes, whereas BCH is not (Bakk & Vermunt 2016,
 * Struct Equ Modeling 23:20–31; Bakk & Kuha 2021, Br J Math Stat Psychol 74:340–362).
 *
 * Cost: the K weighted copies are never materialised. Unit i's copies share y_i and x_i and
 * differ only in the class dummy, and their weights depend on i only through its modal class, so
 * XᵀWX and XᵀWy are assembled from per-modal-class sums of [1 x y][1 x y]ᵀ (O(n·q²) once, memory
 * O(K·q²)), and each unit's copy scores are summed before they enter its cluster (memory O(G·p)).
 * The numbers equal the weighted fit of the n·K expanded rows (`expand: true`, kept as the
 * reference the summed path is tested against, test/classeffects/ols.test.ts) to rounding.
 *
 * Variance: cluster-robust sandwich (XᵀWX)⁻¹ (Σ_g u_g u_gᵀ) (XᵀWX)⁻¹ with u_g = Σ_{r∈g} w_r e_r x_r
 * over all copies of the units in cluster g (default: each unit its own cluster), times the
 * small-sample factor G/(G−1)·(N−1)/(N−p) with N units (sandwich::vcovCL type "HC1" for modal,
 * which is exactly fitOls with vcov 'cluster'). Negative weights need no special treatment in
 * the sandwich. Step-1 parameters are treated as known (Vermunt 2010).
 */
import { toDense, type DenseMatrix, type MatrixInput } from '../core/matrix';
import { addCrossprodUpper, crossprod, sandwich, symInverse } from '../core/linalg';
import { scoreMeat } from '../core/robust';
import { labelCodes } from '../core/groups';
import { degenerateMessage } from '../core/guard';
import type { TidyRow } from '../core/result';
import { coefTable, tidyRows, type CoefTable } from '../regression/fitBase';
import { bchWeightTable, checkExpansionSize, classDesign, classExpand, classificationError, modalClasses, type ClassEffectMethod } from './expand';

export interface OlsClassEffectsInput {
  y: ArrayLike<number>;
  /** Other covariates, n × q (an intercept is added; do not include one). */
  x?: MatrixInput | null;
  names?: string[];
  /** Cluster of each unit (e.g. pupil or LA); default: the unit itself. */
  cluster?: ArrayLike<string | number>;
  posterior: DenseMatrix;
  method: ClassEffectMethod;
  reference?: number;
  classNames?: string[];
  /**
   * Fit the expanded rows (n·K for BCH) with a materialised design instead of summing the copies
   * (same numbers, K times the memory; kept as the reference the summed path is tested against).
   * Default false.
   */
  expand?: boolean;
  /** With expand: ceiling on expanded rows × columns (default MAX_EXPANDED_CELLS); above it the fit stops with an error. */
  maxCells?: number;
  level?: number;
}

export interface OlsClassEffectsFit extends CoefTable {
  readonly model: 'ols-class-effects';
  readonly method: ClassEffectMethod;
  /** Units (rows of the input). */
  readonly n: number;
  /** Weighted copies analysed (n for modal, n·K for BCH), whether or not they were materialised. */
  readonly nExpanded: number;
  readonly nClusters: number;
  readonly classTerms: readonly string[];
  readonly classificationError: number[][];
  readonly warnings: readonly string[];
  readonly varianceType: string;
  readonly spec: Readonly<{ method: ClassEffectMethod; reference: number; level: number; names: readonly string[] }>;
  tidy(): TidyRow[];
  summary(): TidyRow[];
  glance(): TidyRow;
}

/** Coefficients, the bread (XᵀWX)⁻¹ (null if singular) and the sandwich meat Σ_g u_g u_gᵀ. */
interface Solved { coef: Float64Array; Ainv: Float64Array | null; meat: Float64Array | null }

/**
 * Fits y on the intercept, class dummies (all but `reference`) and x. Output: a frozen fit with
 * the result protocol; coefficients '(Intercept)', 'class<label>'…, then x's names.
 * Failure: throws on length mismatches or non-finite input; a singular XᵀWX gives NaN with a warning.
 */
export function fitOlsClassEffects(input: OlsClassEffectsInput): OlsClassEffectsFit {
  const n = input.y.length;
  const post = input.posterior;
  if (post.nrow !== n) throw new Error(`fitOlsClassEffects: posterior has ${post.nrow} rows, y has ${n}`);
  const K = post.ncol;
  const ref = input.reference ?? 0;
  if (!(ref >= 0 && ref < K)) throw new Error(`fitOlsClassEffects: reference ${ref} is not a class (0..${K - 1})`);
  if (input.method !== 'modal' && input.method !== 'bch') throw new Error(`fitOlsClassEffects: method must be 'modal' or 'bch' (got '${String(input.method)}')`);
  const level = input.level ?? 0.95;
  for (let i = 0; i < n; i++) if (!Number.isFinite(input.y[i])) throw new Error(`fitOlsClassEffects: y is not finite at row ${i + 1}`);
  const xIn = input.x ? toDense(input.x, 'fitOlsClassEffects: x', n) : null;
  const q = xIn ? xIn.ncol : 0;
  if (xIn) for (let i = 0; i < n * q; i++) if (!Number.isFinite(xIn.data[i])) throw new Error(`fitOlsClassEffects: x is not finite at row ${Math.floor(i / q) + 1}, column ${(i % q) + 1}`);
  const labels = input.classNames ?? Array.from({ length: K }, (_, k) => String(k + 1));
  const classTerms = labels.map((l) => `class${l}`).filter((_, k) => k !== ref);
  const xNames = input.names ?? Array.from({ length: q }, (_, j) => `x${j + 1}`);
  const names = ['(Intercept)', ...classTerms, ...xNames];
  const p = K + q;
  const { codes, levels } = input.cluster ? labelCodes(input.cluster, n, 'fitOlsClassEffects: cluster') : { codes: null, levels: null };
  const G = levels ? levels.length : n;
  let s: Solved;
  let D: number[][];
  const warnings: string[] = [];
  if (input.expand) {
    checkExpansionSize('fitOlsClassEffects', n, K, p, input.method, input.maxCells);
    const e = classExpand(post, input.method);
    D = e.D;
    warnings.push(...e.warnings);
    s = solveExpanded(input.y, xIn, q, K, ref, e, codes, G);
  } else {
    // Modal assignment is the copy scheme with the identity weight table: one copy, weight 1.
    let modal: Int32Array;
    let table: Float64Array;
    if (input.method === 'bch') {
      const bt = bchWeightTable(post);
      ({ modal, table, D } = bt);
      warnings.push(...bt.warnings);
    } else {
      modal = modalClasses(post);
      D = classificationError(post, modal);
      table = new Float64Array(K * K);
      for (let k = 0; k < K; k++) table[k * K + k] = 1;
    }
    s = solveSummed(input.y, xIn, q, K, ref, modal, table, codes, G);
  }
  let V = new Float64Array(p * p).fill(NaN);
  if (!s.Ainv) warnings.push(degenerateMessage('fitOlsClassEffects', { kind: 'singular-information', where: 'XᵀWX (class dummies collinear with x?)' }));
  else if (G < 2) warnings.push(degenerateMessage('fitOlsClassEffects', { kind: 'one-cluster', nClusters: G }));
  else {
    V = sandwich(s.Ainv, s.meat!, p);
    const adj = (G / (G - 1)) * ((n - 1) / (n - p));
    for (let i = 0; i < p * p; i++) V[i] *= adj;
  }
  const vcovType = input.cluster ? 'cluster-HC1' : 'HC1';
  const table = coefTable(names, s.coef, V, vcovType, 't', n - p, level);
  const tidy = tidyRows(table);
  return Object.freeze({
    ...table, model: 'ols-class-effects' as const, method: input.method, n, nExpanded: input.method === 'bch' ? n * K : n, nClusters: G, classTerms,
    classificationError: D, warnings, varianceType: vcovType,
    spec: Object.freeze({ method: input.method, reference: ref, level, names }),
    tidy: () => tidy,
    summary: () => tidy,
    glance: () => ({ nobs: n, 'df.residual': n - p, method: input.method, 'n.clusters': G, 'variance.type': vcovType }),
  });
}

/** Column of class k's dummy in [intercept, class dummies, x]; −1 for the reference class. */
const classColumn = (k: number, ref: number): number => (k === ref ? -1 : 1 + (k < ref ? k : k - 1));

/**
 * The copies summed: unit i (modal class s) has copies k with weight t_k = table[s·K + k], row
 * [1, e_k, x_i] and response y_i. With z_i = [1, x_i, y_i] and M_s = Σ_{i: W_i = s} z_i z_iᵀ,
 * XᵀWX and XᵀWy are Σ_s of (Σ_k t_k)·M_s for the [1 x] block, t_k·M_s[0, ·] for the class rows
 * and t_k·n_s on the class diagonal. Unit i's summed score is (Σ_k t_k e_ik)·[1 x_i] on the
 * intercept and x, and t_k e_ik on class k, with e_ik = y_i − η_i − γ_k.
 */
function solveSummed(y: ArrayLike<number>, x: DenseMatrix | null, q: number, K: number, ref: number,
  modal: Int32Array, table: Float64Array, codes: Int32Array | null, G: number): Solved {
  const n = y.length;
  const p = K + q;
  const m = q + 2; // z = [1, x, y]
  const M = new Float64Array(K * m * m);
  const z = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    z[0] = 1;
    for (let j = 0; j < q; j++) z[1 + j] = x!.data[i * q + j];
    z[m - 1] = y[i];
    const o = modal[i] * m * m;
    for (let a = 0; a < m; a++) { const za = z[a]; if (za === 0) continue; for (let b = a; b < m; b++) M[o + a * m + b] += za * z[b]; }
  }
  // Map [1 x] of z to the design's columns: intercept 0, x_j at K + j.
  const zcol = (a: number): number => (a === 0 ? 0 : K + a - 1);
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let s = 0; s < K; s++) {
    const o = s * m * m;
    if (M[o] === 0) continue; // no unit assigned to s
    let tsum = 0;
    for (let k = 0; k < K; k++) tsum += table[s * K + k];
    for (let a = 0; a < m - 1; a++) {
      for (let c = a; c < m - 1; c++) A[zcol(a) * p + zcol(c)] += tsum * M[o + a * m + c];
      b[zcol(a)] += tsum * M[o + a * m + m - 1];
    }
    for (let k = 0; k < K; k++) {
      const c = classColumn(k, ref);
      if (c < 0) continue;
      const t = table[s * K + k];
      A[c * p + c] += t * M[o];
      A[0 * p + c] += t * M[o];
      for (let a = 1; a < m - 1; a++) A[c * p + zcol(a)] += t * M[o + a];
      b[c] += t * M[o + m - 1];
    }
  }
  for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) A[a * p + c] = A[c * p + a];
  const Ainv = symInverse(A, p);
  const coef = new Float64Array(p).fill(NaN);
  if (!Ainv) return { coef, Ainv: null, meat: null };
  for (let a = 0; a < p; a++) { let v = 0; for (let c = 0; c < p; c++) v += Ainv[a * p + c] * b[c]; coef[a] = v; }
  const gamma = new Float64Array(K);
  for (let k = 0; k < K; k++) { const c = classColumn(k, ref); gamma[k] = c < 0 ? 0 : coef[c]; }
  // Per unit: u_i (p); summed into its cluster, or straight into the meat when each unit is one.
  const U = codes ? new Float64Array(G * p) : null;
  const meat = new Float64Array(p * p);
  const u = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    let eta = coef[0];
    for (let j = 0; j < q; j++) eta += x!.data[i * q + j] * coef[K + j];
    const r = y[i] - eta;
    const o = modal[i] * K;
    let zScore = 0;
    u.fill(0);
    for (let k = 0; k < K; k++) {
      const t = table[o + k];
      if (t === 0) continue;
      const sc = t * (r - gamma[k]);
      zScore += sc;
      const c = classColumn(k, ref);
      if (c >= 0) u[c] = sc;
    }
    u[0] = zScore;
    for (let j = 0; j < q; j++) u[K + j] = zScore * x!.data[i * q + j];
    if (U) { const go = codes![i] * p; for (let a = 0; a < p; a++) U[go + a] += u[a]; }
    else addCrossprodUpper(u, 1, p, null, meat);
  }
  if (U) return { coef, Ainv, meat: crossprod(U, G, p, null) };
  for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) meat[a * p + c] = meat[c * p + a];
  return { coef, Ainv, meat };
}

/** The reference path: the n·K (BCH) or n (modal) weighted rows materialised, as the method is defined. */
function solveExpanded(y: ArrayLike<number>, x: DenseMatrix | null, q: number, K: number, ref: number,
  e: ReturnType<typeof classExpand>, codes: Int32Array | null, G: number): Solved {
  const n = y.length;
  const x1 = new Float64Array(n * (q + 1));
  for (let i = 0; i < n; i++) {
    x1[i * (q + 1)] = 1;
    for (let j = 0; j < q; j++) x1[i * (q + 1) + 1 + j] = x!.data[i * q + j];
  }
  const d = classDesign(e, { nrow: n, ncol: q + 1, data: x1 }, ref);
  // classDesign puts the class dummies first; move the intercept column to the front.
  const p = d.ncol;
  const m = e.row.length;
  const X = new Float64Array(m * p);
  for (let r = 0; r < m; r++) {
    X[r * p] = 1;
    for (let j = 0; j < K - 1; j++) X[r * p + 1 + j] = d.data[r * p + j];
    for (let j = 0; j < q; j++) X[r * p + K + j] = d.data[r * p + K + j];
  }
  const w = e.weight;
  const yv = Float64Array.from(e.row, (i) => y[i]);
  const Ainv = symInverse(crossprod(X, m, p, w), p);
  const coef = new Float64Array(p).fill(NaN);
  if (!Ainv) return { coef, Ainv: null, meat: null };
  const xty = new Float64Array(p);
  for (let r = 0; r < m; r++) for (let a = 0; a < p; a++) xty[a] += w[r] * X[r * p + a] * yv[r];
  for (let a = 0; a < p; a++) { let s = 0; for (let b = 0; b < p; b++) s += Ainv[a * p + b] * xty[b]; coef[a] = s; }
  const score = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let f = 0;
    for (let a = 0; a < p; a++) f += X[r * p + a] * coef[a];
    score[r] = w[r] * (yv[r] - f);
  }
  const clusterOfRow = Int32Array.from(e.row, (i) => (codes ? codes[i] : i));
  return { coef, Ainv, meat: scoreMeat(X, m, p, score, clusterOfRow, G) };
}
