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
 * Variance: cluster-robust sandwich (XᵀWX)⁻¹ (Σ_g u_g u_gᵀ) (XᵀWX)⁻¹ with u_g = Σ_{r∈g} w_r e_r x_r
 * over all copies of the units in cluster g (default: each unit its own cluster), times the
 * small-sample factor G/(G−1)·(N−1)/(N−p) with N units (sandwich::vcovCL type "HC1" for modal,
 * which is exactly fitOls with vcov 'cluster'). Negative weights need no special treatment in
 * the sandwich. Step-1 parameters are treated as known (Vermunt 2010).
 */
import { toDense, type DenseMatrix, type MatrixInput } from '../core/matrix';
import { crossprod, sandwich, symInverse } from '../core/linalg';
import { scoreMeat } from '../core/robust';
import { labelCodes } from '../core/groups';
import { degenerateMessage } from '../core/guard';
import type { TidyRow } from '../core/result';
import { coefTable, tidyRows, type CoefTable } from '../regression/fitBase';
import { checkExpansionSize, classDesign, classExpand, type ClassEffectMethod } from './expand';

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
  /** Ceiling on expanded rows × columns (default MAX_EXPANDED_CELLS); above it the fit stops with an error. */
  maxCells?: number;
  level?: number;
}

export interface OlsClassEffectsFit extends CoefTable {
  readonly model: 'ols-class-effects';
  readonly method: ClassEffectMethod;
  /** Units (rows of the input). */
  readonly n: number;
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
  const level = input.level ?? 0.95;
  for (let i = 0; i < n; i++) if (!Number.isFinite(input.y[i])) throw new Error(`fitOlsClassEffects: y is not finite at row ${i + 1}`);
  const xIn = input.x ? toDense(input.x, 'fitOlsClassEffects: x', n) : null;
  // Intercept first, so the class dummies follow it as in lm's model matrix.
  const q = xIn ? xIn.ncol : 0;
  const x1 = new Float64Array(n * (q + 1));
  for (let i = 0; i < n; i++) {
    x1[i * (q + 1)] = 1;
    for (let j = 0; j < q; j++) x1[i * (q + 1) + 1 + j] = xIn!.data[i * q + j];
  }
  const labels = input.classNames ?? Array.from({ length: K }, (_, k) => String(k + 1));
  const classTerms = labels.map((l) => `class${l}`).filter((_, k) => k !== ref);
  const xNames = input.names ?? Array.from({ length: q }, (_, j) => `x${j + 1}`);
  const names = ['(Intercept)', ...classTerms, ...xNames];
  checkExpansionSize('fitOlsClassEffects', n, K, K + q, input.method, input.maxCells);
  const e = classExpand(post, input.method);
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
  const yv = Float64Array.from(e.row, (i) => input.y[i]);
  const warnings = [...e.warnings];
  const A = crossprod(X, m, p, w);
  const Ainv = symInverse(A, p);
  const coef = new Float64Array(p).fill(NaN);
  let V = new Float64Array(p * p).fill(NaN);
  const { codes, levels } = input.cluster ? labelCodes(input.cluster, n, 'fitOlsClassEffects: cluster') : { codes: Int32Array.from({ length: n }, (_, i) => i), levels: new Array<string>(n) };
  const G = levels.length;
  if (!Ainv) warnings.push(degenerateMessage('fitOlsClassEffects', { kind: 'singular-information', where: 'XᵀWX (class dummies collinear with x?)' }));
  else {
    const xty = new Float64Array(p);
    for (let r = 0; r < m; r++) for (let a = 0; a < p; a++) xty[a] += w[r] * X[r * p + a] * yv[r];
    for (let a = 0; a < p; a++) { let s = 0; for (let b = 0; b < p; b++) s += Ainv[a * p + b] * xty[b]; coef[a] = s; }
    const score = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      let f = 0;
      for (let a = 0; a < p; a++) f += X[r * p + a] * coef[a];
      score[r] = w[r] * (yv[r] - f);
    }
    const clusterOfRow = Int32Array.from(e.row, (i) => codes[i]);
    if (G < 2) warnings.push(degenerateMessage('fitOlsClassEffects', { kind: 'one-cluster', nClusters: G }));
    else {
      V = sandwich(Ainv, scoreMeat(X, m, p, score, clusterOfRow, G), p);
      const adj = (G / (G - 1)) * ((n - 1) / (n - p));
      for (let i = 0; i < p * p; i++) V[i] *= adj;
    }
  }
  const vcovType = input.cluster ? 'cluster-HC1' : 'HC1';
  const table = coefTable(names, coef, V, vcovType, 't', n - p, level);
  const tidy = tidyRows(table);
  return Object.freeze({
    ...table, model: 'ols-class-effects' as const, method: input.method, n, nExpanded: m, nClusters: G, classTerms,
    classificationError: e.D, warnings, varianceType: vcovType,
    spec: Object.freeze({ method: input.method, reference: ref, level, names }),
    tidy: () => tidy,
    summary: () => tidy,
    glance: () => ({ nobs: n, 'df.residual': n - p, method: input.method, 'n.clusters': G, 'variance.type': vcovType }),
  });
}
