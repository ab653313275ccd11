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
import { posteriorAt } from './em';
import type { LcaData, LcaParams } from './types';
import type { PreparedLca } from './prepare';

/** What lcaVcov reads from a fit (an LcaFit has all of it); structural so vcov needs no import of fit. */
export interface LcaVcovFit {
  readonly nClasses: number;
  readonly itemNames: readonly string[];
  readonly betaNames: readonly string[] | null;
  readonly residDf: number;
  readonly internal: { params: LcaParams; prepared: PreparedLca; useSparse: boolean };
}
import { modalCategories } from './prepare';
import { degenerateMessage } from '../core/guard';

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
  const sumVar = (idx: number[]): number => {
    let v = 0;
    for (const a of idx) for (const b of idx) v += V[a][b];
    return Math.sqrt(Math.max(v, 0));
  };
  const sharesSe: Array<number | null> = new Array(K).fill(null);
  if (!hasCov && shareIdx[1] >= 0) {
    const all: number[] = [];
    for (let k = 1; k < K; k++) {
      sharesSe[k] = Math.sqrt(V[shareIdx[k]][shareIdx[k]]);
      all.push(shareIdx[k]);
    }
    sharesSe[0] = sumVar(all);
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
        row[c] = Math.sqrt(V[probIdx[base + c]][probIdx[base + c]]);
        idx.push(probIdx[base + c]);
      }
      row[refCat[k * J + j]] = sumVar(idx);
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
        r.push(Math.sqrt(V[a][a]));
      }
      betaSe.push(r);
    }
  }
  return { names, vcov: V, sharesSe, itemProbsSe, betaSe, method, warnings };
}

/** What the score of a row needs; D = number of non-item (share / coefficient) parameters. */
interface ScoreCtx {
  data: LcaData;
  params: LcaParams;
  K: number;
  J: number;
  T: number;
  S: number;
  hasCov: boolean;
  D: number;
  P: number;
  shareIdx: Int32Array;
  betaIdx: Int32Array | null;
  probIdx: Int32Array;
  /** K × J: the class's most likely category (the dependent one of its block) */
  modelRef: Int32Array;
  /** nRows × K posterior at the estimates */
  tau: Float64Array;
  /** K scratch for the covariate prior */
  prior: Float64Array;
}

/**
 * Adds the share / covariate-logit scores of row i to out[0..D) (out must be zeroed by the
 * caller; it may be the full score vector since those parameters come first).
 */
function nonItemScore(c: ScoreCtx, i: number, out: Float64Array): void {
  const { K, S, tau, prior, params } = c;
  const ti = i * K;
  if (c.hasCov) {
    const x = c.data.covariates as Float64Array;
    const b = params.beta as Float64Array;
    const betaIdx = c.betaIdx as Int32Array;
    // softmax with the largest logit subtracted, as in the E-step
    let m = 0;
    prior[0] = 0;
    for (let k = 1; k < K; k++) {
      let eta = 0;
      for (let s = 0; s < S; s++) eta += x[i * S + s] * b[s * (K - 1) + k - 1];
      prior[k] = eta;
      if (eta > m) m = eta;
    }
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(prior[k] - m);
    for (let k = 0; k < K; k++) prior[k] = Math.exp(prior[k] - m) / z;
    for (let k = 1; k < K; k++)
      for (let s = 0; s < S; s++) out[betaIdx[s * (K - 1) + k - 1]] += x[i * S + s] * (tau[ti + k] - prior[k]);
  } else {
    const shareIdx = c.shareIdx;
    for (let k = 1; k < K; k++) if (shareIdx[k] >= 0) out[shareIdx[k]] += tau[ti + k] / params.shares[k] - tau[ti] / params.shares[0];
  }
}

/**
 * Direct path for one row: info[a, b] (b ≥ a, upper triangle only) += w_i s_i s_iᵀ.
 * score: scratch of length P (overwritten). Exact for any row, including missing items.
 */
function addRowOuter(c: ScoreCtx, i: number, score: Float64Array, info: Float64Array): void {
  const { data, K, J, T, P, tau, probIdx, modelRef, params } = c;
  score.fill(0);
  nonItemScore(c, i, score);
  const ti = i * K;
  for (let j = 0; j < J; j++) {
    const y = data.codes[i * J + j];
    if (y < 0) continue;
    for (let k = 0; k < K; k++) {
      const base = k * T + data.catOffset[j];
      const r = modelRef[k * J + j];
      if (y === r) {
        const v = tau[ti + k] / params.probs[base + r];
        for (let cc = 0; cc < data.nCategories[j]; cc++) if (probIdx[base + cc] >= 0) score[probIdx[base + cc]] -= v;
      } else if (probIdx[base + y] >= 0) score[probIdx[base + y]] += tau[ti + k] / params.probs[base + y];
    }
  }
  const w = data.weights[i];
  for (let a = 0; a < P; a++) {
    const sa = w * score[a];
    if (sa === 0) continue;
    for (let b = a; b < P; b++) info[a * P + b] += sa * score[b];
  }
}

/** g_a(y) = [y = c]/p_c − [y = r]/p_r: the item score of parameter a = (k, j, c) per unit τ_ik. */
function scoreFactor(y: number, c: number, r: number, pc: number, pr: number): number {
  return (y === c ? 1 / pc : 0) - (y === r ? 1 / pr : 0);
}

/** Direct information: upper triangle of info (P × P, zeroed) from every row. O(rows × P²). */
function infoDirect(c: ScoreCtx, info: Float64Array): void {
  const score = new Float64Array(c.P);
  for (let i = 0; i < c.data.nRows; i++) addRowOuter(c, i, score, info);
}

/**
 * Per row, its responses other than the item's data reference category, as entry indices
 * 1..E (entry 0 is the constant). Item j's non-reference categories are the consecutive
 * entries entBase[j] + 0..C_j−2 (categories in increasing order, skipping dataRef[j]).
 */
interface RowEntries {
  dataRef: Int32Array;
  entBase: Int32Array;
  /** number of non-constant entries: T − J */
  E: number;
  /** nRows+1 offsets into ent; within a row entries are increasing */
  start: Int32Array;
  ent: Int32Array;
  /** 1 where the row has a missing item (handled by the direct path) */
  miss: Uint8Array;
}

/**
 * Entry lists of every row: from data.sparse when the fit has it (its reference categories),
 * else by one scan of the codes against the weighted modal categories.
 */
function rowEntries(data: LcaData): RowEntries {
  const n = data.nRows;
  const J = data.nItems;
  const sp = data.sparse;
  const dataRef = sp ? sp.refCat : modalCategories(data.codes, n, J, data.nCategories, data.weights);
  const entBase = new Int32Array(J);
  for (let j = 0; j < J; j++) entBase[j] = 1 + data.catOffset[j] - j;
  const E = data.catOffset[J] - J;
  const entryOf = (j: number, y: number): number => entBase[j] + (y < dataRef[j] ? y : y - 1);
  const start = new Int32Array(n + 1);
  const miss = new Uint8Array(n);
  let ent: Int32Array;
  if (sp) {
    ent = new Int32Array(sp.entryStart[n]);
    for (let i = 0; i < n; i++) {
      start[i] = sp.entryStart[i];
      if (sp.missStart[i + 1] > sp.missStart[i]) miss[i] = 1;
      for (let e = sp.entryStart[i]; e < sp.entryStart[i + 1]; e++) ent[e] = entryOf(sp.entryItem[e], sp.entryCat[e]);
    }
    start[n] = sp.entryStart[n];
    // the moment loops index pairs (e ≤ f) by position: keep each row's entries increasing
    // whatever order the sparse builder used (insertion sort: rows are short)
    for (let i = 0; i < n; i++)
      for (let p = start[i] + 1; p < start[i + 1]; p++) {
        const v = ent[p];
        let q = p - 1;
        while (q >= start[i] && ent[q] > v) {
          ent[q + 1] = ent[q];
          q--;
        }
        ent[q + 1] = v;
      }
  } else {
    let nnz = 0;
    for (let i = 0; i < n * J; i++) {
      const y = data.codes[i];
      if (y >= 0 && y !== dataRef[i % J]) nnz++;
    }
    ent = new Int32Array(nnz);
    let e = 0;
    for (let i = 0; i < n; i++) {
      start[i] = e;
      for (let j = 0; j < J; j++) {
        const y = data.codes[i * J + j];
        if (y < 0) miss[i] = 1;
        else if (y !== dataRef[j]) ent[e++] = entryOf(j, y);
      }
    }
    start[n] = e;
  }
  return { dataRef, entBase, E, start, ent, miss };
}

/** Operation count of the direct path (multiply-adds). */
function directCost(c: ScoreCtx): number {
  return c.data.nRows * ((c.P * (c.P + 1)) / 2 + c.data.nItems * c.K);
}

/** Operation count of the moments path, from the rows' entry counts. */
function momentsCost(c: ScoreCtx, r: RowEntries): number {
  const { K, D, P } = c;
  const KP = (K * (K + 1)) / 2;
  let cost = 0;
  for (let i = 0; i < c.data.nRows; i++) {
    if (r.miss[i]) {
      cost += (P * (P + 1)) / 2 + c.data.nItems * K;
      continue;
    }
    const m1 = r.start[i + 1] - r.start[i] + 1;
    cost += ((m1 * (m1 + 1)) / 2 + 1) * KP + m1 * D * K + (D * (D + 1)) / 2 + D * K;
  }
  const avgC = c.T / Math.max(c.J, 1);
  return cost + ((P * (P + 1)) / 2) * avgC * avgC;
}

/**
 * Moments information (see the file header).
 * Inputs: the score context, the rows' entry lists. Output: upper triangle of info (P × P,
 * zeroed on entry). Rows with a missing item are added by the direct outer product.
 * Memory: G has (E+1)(E+2)/2 × K(K+1)/2 doubles, H (E+1) × D × K.
 */
function infoMoments(c: ScoreCtx, r: RowEntries, info: Float64Array): void {
  const { data, K, J, T, D, P, tau, params, probIdx, modelRef } = c;
  const n = data.nRows;
  const E = r.E;
  const KP = (K * (K + 1)) / 2;
  const DK = D * K;
  // packed symmetric indices: pair (e ≤ f) → pairBase[e] + f; classes (k, l) → kl[k·K + l]
  const pairBase = new Int32Array(E + 1);
  for (let e = 0; e <= E; e++) pairBase[e] = e * (E + 1) - (e * (e - 1)) / 2 - e;
  const kl = new Int32Array(K * K);
  for (let k = 0; k < K; k++)
    for (let l = k; l < K; l++) {
      kl[k * K + l] = k * K - (k * (k - 1)) / 2 + (l - k);
      kl[l * K + k] = kl[k * K + l];
    }
  const nPairs = ((E + 1) * (E + 2)) / 2;
  const G = new Float64Array(nPairs * KP);
  const H = new Float64Array((E + 1) * DK);
  const U = new Float64Array(D * D);
  let maxM = 0;
  for (let i = 0; i < n; i++) maxM = Math.max(maxM, r.start[i + 1] - r.start[i]);
  const re = new Int32Array(maxM + 1);
  const outer = new Float64Array(KP);
  const uo = new Float64Array(DK);
  const u = new Float64Array(D);
  const score = new Float64Array(P);
  for (let i = 0; i < n; i++) {
    if (r.miss[i]) {
      addRowOuter(c, i, score, info);
      continue;
    }
    const w = data.weights[i];
    if (w === 0) continue;
    const ti = i * K;
    // every (e, f) block of this row receives the same w τ τᵀ: form it once, then only add
    let o = 0;
    for (let k = 0; k < K; k++) {
      const v = w * tau[ti + k];
      for (let l = k; l < K; l++) outer[o++] = v * tau[ti + l];
    }
    const m1 = r.start[i + 1] - r.start[i] + 1;
    re[0] = 0;
    for (let p = 1; p < m1; p++) re[p] = r.ent[r.start[i] + p - 1];
    for (let p = 0; p < m1; p++) {
      const rb = pairBase[re[p]];
      for (let q = p; q < m1; q++) {
        const base = (rb + re[q]) * KP;
        for (let x = 0; x < KP; x++) G[base + x] += outer[x];
      }
    }
    if (D > 0) {
      u.fill(0);
      nonItemScore(c, i, u);
      for (let d = 0; d < D; d++) {
        const wu = w * u[d];
        for (let l = 0; l < K; l++) uo[d * K + l] = wu * tau[ti + l];
        for (let d2 = d; d2 < D; d2++) U[d * D + d2] += wu * u[d2];
      }
      for (let p = 0; p < m1; p++) {
        const base = re[p] * DK;
        for (let x = 0; x < DK; x++) H[base + x] += uo[x];
      }
    }
  }
  // item parameters a = D..P−1: class, item, and the coefficients of g_a on (1, z_e of item j)
  const nIt = P - D;
  let Cmax = 1;
  for (let j = 0; j < J; j++) Cmax = Math.max(Cmax, data.nCategories[j]);
  const pk = new Int32Array(nIt);
  const pj = new Int32Array(nIt);
  const coef = new Float64Array(nIt * Cmax);
  const ents = new Int32Array(nIt * Cmax);
  for (let k = 0; k < K; k++)
    for (let j = 0; j < J; j++) {
      const base = k * T + data.catOffset[j];
      const rr = modelRef[k * J + j];
      const rho = r.dataRef[j];
      for (let cat = 0; cat < data.nCategories[j]; cat++) {
        const a = probIdx[base + cat] - D;
        if (a < 0) continue;
        pk[a] = k;
        pj[a] = j;
        const pc = params.probs[base + cat];
        const pr = params.probs[base + rr];
        const g0 = scoreFactor(rho, cat, rr, pc, pr);
        coef[a * Cmax] = g0;
        ents[a * Cmax] = 0;
        let m = 1;
        for (let y = 0; y < data.nCategories[j]; y++) {
          if (y === rho) continue;
          coef[a * Cmax + m] = scoreFactor(y, cat, rr, pc, pr) - g0;
          ents[a * Cmax + m] = r.entBase[j] + m - 1;
          m++;
        }
      }
    }
  for (let d = 0; d < D; d++) for (let d2 = d; d2 < D; d2++) info[d * P + d2] += U[d * D + d2];
  for (let b = 0; b < nIt; b++) {
    const Cb = data.nCategories[pj[b]];
    const l = pk[b];
    for (let d = 0; d < D; d++) {
      let s = 0;
      for (let q = 0; q < Cb; q++) s += coef[b * Cmax + q] * H[ents[b * Cmax + q] * DK + d * K + l];
      info[d * P + D + b] += s;
    }
  }
  for (let a = 0; a < nIt; a++) {
    const Ca = data.nCategories[pj[a]];
    const ka = pk[a];
    const row = (D + a) * P + D;
    for (let b = a; b < nIt; b++) {
      const Cb = data.nCategories[pj[b]];
      const klo = kl[ka * K + pk[b]];
      let s = 0;
      for (let p = 0; p < Ca; p++) {
        const ca = coef[a * Cmax + p];
        if (ca === 0) continue;
        const e = ents[a * Cmax + p];
        for (let q = 0; q < Cb; q++) {
          const cb = coef[b * Cmax + q];
          if (cb === 0) continue;
          const f = ents[b * Cmax + q];
          s += ca * cb * G[(e <= f ? pairBase[e] + f : pairBase[f] + e) * KP + klo];
        }
      }
      info[row + b] += s;
    }
  }
}

/**
 * Inverse of the symmetric information matrix (P × P row-major, full), as nested arrays.
 * A Cholesky inverse when the matrix is clearly positive definite (every pivot above 1e-10 of
 * its diagonal entry: ~6× faster than the general inverse at P ≈ 500); otherwise, for
 * (near-)singular information, ml-matrix's LU inverse as before, so those cases keep their
 * previous behaviour. `info` is not modified.
 */
function invertInfo(info: Float64Array, P: number): number[][] {
  const L = Float64Array.from(info);
  let ok = true;
  // lower triangle of L ← Cholesky factor (rows contiguous: the inner products run along rows)
  for (let j = 0; j < P && ok; j++) {
    const rj = j * P;
    let s = L[rj + j];
    for (let k = 0; k < j; k++) s -= L[rj + k] * L[rj + k];
    if (!(s > 1e-10 * info[rj + j])) {
      ok = false;
      break;
    }
    const d = Math.sqrt(s);
    L[rj + j] = d;
    for (let i = j + 1; i < P; i++) {
      const ri = i * P;
      let t = L[ri + j];
      for (let k = 0; k < j; k++) t -= L[ri + k] * L[rj + k];
      L[ri + j] = t / d;
    }
  }
  if (!ok) {
    const rows: number[][] = [];
    for (let a = 0; a < P; a++) rows.push(Array.from(info.subarray(a * P, a * P + P)));
    return inverse(new Matrix(rows)).to2DArray();
  }
  // Mt = (L⁻¹)ᵀ, upper triangular: row c of Mt is column c of L⁻¹, built by forward substitution
  const Mt = new Float64Array(P * P);
  for (let c = 0; c < P; c++) {
    const rc = c * P;
    Mt[rc + c] = 1 / L[rc + c];
    for (let i = c + 1; i < P; i++) {
      const ri = i * P;
      let t = 0;
      for (let k = c; k < i; k++) t -= L[ri + k] * Mt[rc + k];
      Mt[rc + i] = t / L[ri + i];
    }
  }
  // V = L⁻ᵀ L⁻¹: V[a][b] = Σ_{k ≥ max(a,b)} Mt[a][k] Mt[b][k]
  const V: number[][] = [];
  for (let a = 0; a < P; a++) V.push(new Array<number>(P));
  for (let a = 0; a < P; a++)
    for (let b = a; b < P; b++) {
      let t = 0;
      for (let k = b; k < P; k++) t += Mt[a * P + k] * Mt[b * P + k];
      V[a][b] = t;
      V[b][a] = t;
    }
  return V;
}
