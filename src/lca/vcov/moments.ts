/**
 * The 'moments' form of the latent class information (see ./vcov): per-row moments of the
 * posterior and the response indicators, combined once; rows with a missing item go direct.
 */
import { modalCategories } from '../prepare';
import type { LcaData } from '../types';
import { type ScoreCtx, addRowOuter, nonItemScore, scoreFactor } from './scores';

/**
 * Per row, its responses other than the item's data reference category, as entry indices
 * 1..E (entry 0 is the constant). Item j's non-reference categories are the consecutive
 * entries entBase[j] + 0..C_j−2 (categories in increasing order, skipping dataRef[j]).
 */
export interface RowEntries {
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
export function rowEntries(data: LcaData): RowEntries {
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
export function directCost(c: ScoreCtx): number {
  return c.data.nRows * ((c.P * (c.P + 1)) / 2 + c.data.nItems * c.K);
}

/** Operation count of the moments path, from the rows' entry counts. */
export function momentsCost(c: ScoreCtx, r: RowEntries): number {
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
export function infoMoments(c: ScoreCtx, r: RowEntries, info: Float64Array): void {
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
