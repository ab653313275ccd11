/**
 * Standard errors of a latent class fit from the empirical information (sum over rows of the
 * outer product of score vectors), as poLCA reports them. The information is invariant to
 * reparametrisation, so we work directly on the probability scale:
 *   free parameters = shares of classes 2..K (or the logit coefficients with covariates),
 *   then p_kjc for categories c ≥ 1 of every class k and item j.
 * Scores of row i: ∂/∂π_k = τ_ik/π_k − τ_i1/π_1; ∂/∂p_kjc = τ_ik([y_ij = c]/p_kjc − [y_ij = r]/p_kjr)
 * (observed items only); ∂/∂b_k = x_i(τ_ik − π_ik).
 * In each class-item block the most likely category is the dependent one; categories at the
 * boundary (p < 1e-8) are held fixed and get null SEs (poLCA's pseudo-inverse drops them too).
 *
 * Two ways to form the information, equal up to rounding (options.method):
 *  - 'direct': a dense P×P outer product per row, O(rows × P²).
 *  - 'moments': the item part of a score is τ_ik·g_a(y_ij), and for an observed item g_a(y)
 *    is linear in the one-hot indicators z_e of the row's responses other than the item's
 *    DATA reference category ρ_j (its modal category): g_a(y) = g_a(ρ_j) + Σ_e (g_a(e) − g_a(ρ_j)) z_e.
 *    So Σ_i w_i s_ia s_ib is a fixed combination of the moments
 *      G[e,f][k,l] = Σ_i w_i τ_ik τ_il z_ie z_if  (z_0 ≡ 1; symmetric in (e,f) and in (k,l)),
 *      H[e][d,l]  = Σ_i w_i u_id τ_il z_ie       (u = share / covariate-logit scores),
 *      U[d,d']    = Σ_i w_i u_id u_id',
 *    accumulated at cost ~ K²·(entries+1)²/4 per row and combined once at cost ~ P²·C².
 *    Rows with a missing item (g = 0 there, which breaks the linear form) go through the
 *    direct outer product. Precision: where ρ_j is a rare category in class k (p_kρ small) the
 *    combination cancels terms of size 1/p_kρ², so info entries carry relative error ~ ε/p_kρ.
 * 'auto' (default) takes the cheaper by an operation count. The information is then inverted
 * by Cholesky (ml-matrix's LU inverse when it is not clearly positive definite).
 */
import { Matrix, inverse } from 'ml-matrix';
import { cholInverse, cholesky } from '../../core/linalg';
import { toRows } from '../../core/matrix';
import { degenerateMessage, guardedSe } from '../../core/guard';
import { posteriorAt } from '../em/em';
import type { LcaParams } from '../types';
import type { PreparedLca } from '../prepare';
import { type ScoreCtx, infoDirect } from './scores';
import { directCost, infoMoments, momentsCost, rowEntries } from './moments';

/** What lcaVcov reads from a fit (an LcaFit has all of it); structural so vcov needs no import of fit. */
export interface LcaVcovFit {
  readonly nClasses: number;
  readonly itemNames: readonly string[];
  readonly betaNames: readonly string[] | null;
  readonly residDf: number;
  readonly internal: { params: LcaParams; prepared: PreparedLca; useSparse: boolean };
}

function nanRows(P: number): number[][] {
  return Array.from({ length: P }, () => new Array<number>(P).fill(NaN));
}

export interface LcaVcov {
  /** names of the free parameters, in order */
  names: string[];
  vcov: number[][];
  /** sharesSe[k], itemProbsSe[k][j][c] (null where held fixed), betaSe[s][k−1] */
  sharesSe: Array<number | null>;
  itemProbsSe: Array<Array<Array<number | null>>>;
  betaSe: number[][] | null;
  /** how the information was formed */
  method: 'direct' | 'moments';
  /** why SEs are NaN, if they are: negative residual df (not identified) or singular information */
  warnings: string[];
}

export interface LcaVcovOptions {
  /**
   * 'direct': per-row dense outer products; 'moments': low-dimensional moments of the sparse
   * responses (same numbers up to rounding, far faster for many rows); 'auto' (default): the
   * cheaper of the two by an operation-count estimate.
   */
  method?: 'auto' | 'direct' | 'moments';
}

const EDGE = 1e-8;

/**
 * Covariance of an LCA fit's free parameters from the empirical information (poLCA's SEs).
 * Input: a fit (its internal parameters and prepared data). Output: LcaVcov — parameter names,
 * P × P vcov, SEs of shares, item probabilities (null for boundary categories, held fixed) and
 * covariate coefficients. NaN SEs with a warning naming the cause when the model is not
 * identified (negative residual df) or the information is singular. Cost O(rows × P²) (direct)
 * or less (moments). Source: poLCA (Linzer & Lewis 2011), empirical-information variance.
 */
export function lcaVcov(fit: LcaVcovFit, options: LcaVcovOptions = {}): LcaVcov {
  const { params, prepared } = fit.internal;
  const data = prepared.data;
  const K = fit.nClasses;
  const J = data.nItems;
  const T = data.catOffset[J];
  const hasCov = !!(data.covariates && params.beta);
  const S = data.nCov;
  // index of each free parameter, −1 = fixed/not free
  const names: string[] = [];
  const shareIdx = new Int32Array(K).fill(-1);
  const betaIdx = hasCov ? new Int32Array(S * (K - 1)).fill(-1) : null;
  if (hasCov) {
    for (let k = 1; k < K; k++)
      for (let s = 0; s < S; s++) {
        (betaIdx as Int32Array)[s * (K - 1) + k - 1] = names.length;
        names.push(`beta[${fit.betaNames?.[s] ?? s}, class ${k + 1}]`);
      }
  } else {
    const shareOk = params.shares.every((p) => p > EDGE);
    if (shareOk)
      for (let k = 1; k < K; k++) {
        shareIdx[k] = names.length;
        names.push(`share[class ${k + 1}]`);
      }
  }
  // the share / coefficient parameters come first: indices 0..nonItem−1
  const nonItem = names.length;
  // per class-item block: reference category = the most likely one; categories at the boundary are fixed
  const probIdx = new Int32Array(K * T).fill(-1);
  const refCat = new Int32Array(K * J);
  for (let k = 0; k < K; k++)
    for (let j = 0; j < J; j++) {
      const base = k * T + data.catOffset[j];
      let r = 0;
      for (let c = 1; c < data.nCategories[j]; c++) if (params.probs[base + c] > params.probs[base + r]) r = c;
      refCat[k * J + j] = r;
      for (let c = 0; c < data.nCategories[j]; c++) {
        if (c === r || !(params.probs[base + c] > EDGE)) continue;
        probIdx[base + c] = names.length;
        names.push(`p[class ${k + 1}, ${fit.itemNames[j]}, ${c}]`);
      }
    }
  const P = names.length;
  const tau = new Float64Array(data.nRows * K);
  posteriorAt(data, params, prepared.useSparse, tau);
  const ctx: ScoreCtx = { data, params, K, J, T, S, hasCov, D: nonItem, P, shareIdx, betaIdx, probIdx, modelRef: refCat, tau, prior: new Float64Array(K) };
  const info = new Float64Array(P * P);
  const want = options.method ?? 'auto';
  let method: 'direct' | 'moments' = 'direct';
  if (want !== 'direct' && P > 0) {
    const entries = rowEntries(data);
    if (want === 'moments' || momentsCost(ctx, entries) < directCost(ctx)) {
      method = 'moments';
      infoMoments(ctx, entries, info);
    }
  }
  if (method === 'direct') infoDirect(ctx, info);
  for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) info[a * P + b] = info[b * P + a];
  // A model with negative residual df is not identified: its information is singular by
  // construction, so say so instead of inverting (poLCA: "ALERT: negative degrees of freedom").
  const warnings: string[] = [];
  let V: number[][];
  if (fit.residDf < 0) {
    warnings.push(degenerateMessage('lcaVcov', { kind: 'negative-df', df: fit.residDf }));
    V = nanRows(P);
  } else {
    try {
      V = P ? invertInfo(info, P) : [];
    } catch {
      warnings.push(degenerateMessage('lcaVcov', { kind: 'singular-information', where: 'at the estimates (the model may not be identified)' }));
      V = nanRows(P);
    }
    if (V.some((row) => row.some((v) => !Number.isFinite(v)))) {
      if (!warnings.length) warnings.push(degenerateMessage('lcaVcov', { kind: 'singular-information', where: 'at the estimates (the model may not be identified)' }));
      V = nanRows(P);
    }
  }
  // Every SE goes through core/guard: a variance that is zero, negative (rounding on a near-singular
  // information) or not finite gives NaN and its parameter is named, never SE 0 or a silent NaN.
  // Parameters already NaN because the whole variance is undefined were named above.
  const bad: string[] = [];
  const wholeUndefined = warnings.length > 0;
  const se = (v: number, name: string): number => (wholeUndefined ? NaN : guardedSe(v, name, bad));
  // A reference category's variance is that of minus the sum of its free siblings: Σ_ab V_ab.
  const sumVar = (idx: number[], name: string): number => {
    if (!idx.length) return 0; // every other category at the boundary: the reference is fixed at 1
    let v = 0;
    for (const a of idx) for (const b of idx) v += V[a][b];
    return se(v, name);
  };
  const sharesSe: Array<number | null> = new Array(K).fill(null);
  if (!hasCov && shareIdx[1] >= 0) {
    const all: number[] = [];
    for (let k = 1; k < K; k++) {
      sharesSe[k] = se(V[shareIdx[k]][shareIdx[k]], names[shareIdx[k]]);
      all.push(shareIdx[k]);
    }
    sharesSe[0] = sumVar(all, 'share[class 1]');
  }
  const itemProbsSe: Array<Array<Array<number | null>>> = [];
  for (let k = 0; k < K; k++) {
    const cls: Array<Array<number | null>> = [];
    for (let j = 0; j < J; j++) {
      const base = k * T + data.catOffset[j];
      const row: Array<number | null> = new Array(data.nCategories[j]).fill(null);
      const idx: number[] = [];
      for (let c = 0; c < data.nCategories[j]; c++) {
        if (probIdx[base + c] < 0) continue;
        row[c] = se(V[probIdx[base + c]][probIdx[base + c]], names[probIdx[base + c]]);
        idx.push(probIdx[base + c]);
      }
      const r = refCat[k * J + j];
      row[r] = sumVar(idx, `p[class ${k + 1}, ${fit.itemNames[j]}, ${r}]`);
      cls.push(row);
    }
    itemProbsSe.push(cls);
  }
  let betaSe: number[][] | null = null;
  if (hasCov) {
    betaSe = [];
    for (let s = 0; s < S; s++) {
      const r: number[] = [];
      for (let k = 1; k < K; k++) {
        const a = (betaIdx as Int32Array)[s * (K - 1) + k - 1];
        r.push(se(V[a][a], names[a]));
      }
      betaSe.push(r);
    }
  }
  if (bad.length) warnings.push(degenerateMessage('lcaVcov', { kind: 'zero-variance', terms: bad }));
  return { names, vcov: V, sharesSe, itemProbsSe, betaSe, method, warnings };
}


/**
 * Inverse of the symmetric information matrix (P × P row-major, full), as nested arrays.
 * A Cholesky inverse (src/core/linalg) when the matrix is clearly positive definite (every
 * pivot above 1e-10 of its own diagonal entry: ~6× faster than the general inverse at
 * P ≈ 500); otherwise, for (near-)singular information, ml-matrix's LU inverse, which throws
 * or gives non-finite entries there (the caller turns both into NaN with a warning).
 * `info` is not modified.
 */
function invertInfo(info: Float64Array, P: number): number[][] {
  const L = cholesky(info, P, 1e-10, 'own');
  if (!L) return inverse(new Matrix(toRows(info, P))).to2DArray();
  return toRows(cholInverse(L, P), P);
}
