/**
 * E-step maths for a range of rows: each row's class likelihoods (products of table factors,
 * or log space where products could underflow or the prior depends on covariates), its
 * posterior, and the chunk's sufficient statistics.
 */
import { PRODUCT_FLOOR, type ChunkAcc, type Scratch, type Work } from './work';
import { kernels } from './kernels';
import type { LcaData, LcaSparseCodes } from '../types';

function clearAcc(a: ChunkAcc): void {
  a.ll[0] = 0;
  a.classTotal.fill(0);
  a.counts.fill(0);
  a.missW.fill(0);
  a.bmass.fill(0);
  a.grad.fill(0);
  a.info.fill(0);
}

/** Log prior of row i into s.logPrior: log shares, or the multinomial logit of the covariates. */
function rowLogPrior(data: LcaData, w: Work, i: number, s: Scratch): void {
  const K = w.K;
  const lp = s.logPrior;
  if (!data.covariates || !w.beta.length) {
    for (let k = 0; k < K; k++) lp[k] = w.logShares[k];
    return;
  }
  const S = data.nCov;
  const x = data.covariates;
  const b = w.beta;
  const km1 = K - 1;
  lp[0] = 0;
  let m = 0;
  for (let k = 1; k < K; k++) {
    let eta = 0;
    for (let q = 0; q < S; q++) eta += x[i * S + q] * b[q * km1 + k - 1];
    lp[k] = eta;
    if (eta > m) m = eta;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(lp[k] - m);
  const norm = m + Math.log(sum);
  for (let k = 0; k < K; k++) lp[k] -= norm;
}

/** Multiply the K running products `t` by factor row r of `table` (r × K); returns that row's log scale. */
function multiplyFactor(t: Float64Array, table: Float64Array, scales: Float64Array, r: number, K: number): number {
  const base = r * K;
  for (let k = 0; k < K; k++) t[k] *= table[base + k];
  return scales[r];
}

/**
 * Class likelihoods of row i as products (see the header) into s.tau, unnormalised.
 * Returns log of the common factor taken out, or NaN when the row must go to log space.
 */
function rowProducts(data: LcaData, w: Work, i: number, s: Scratch): number {
  const K = w.K;
  const t = s.tau;
  t.set(w.prior);
  let scale = w.priorScale[0];
  const sp = data.sparse;
  if (w.useSparse && sp) {
    if (data.blocks) {
      const B = data.blocks.nBlocks;
      const bytes = data.blocks.bytes;
      for (let b = 0; b < B; b++) scale += multiplyFactor(t, w.blockProd, w.blockScale, b * 256 + bytes[i * B + b], K);
    } else {
      for (let e = sp.entryStart[i]; e < sp.entryStart[i + 1]; e++) scale += multiplyFactor(t, w.prodTable, w.prodScale, data.catOffset[sp.entryItem[e]] + sp.entryCat[e], K);
    }
    for (let e = sp.missStart[i]; e < sp.missStart[i + 1]; e++) scale += multiplyFactor(t, w.missProd, w.missScale, sp.missItem[e], K);
  } else {
    const J = data.nItems;
    for (let j = 0; j < J; j++) {
      const y = data.codes[i * J + j];
      if (y >= 0) scale += multiplyFactor(t, w.prodTable, w.prodScale, data.catOffset[j] + y, K);
    }
  }
  // the same test as the generated kernels: sum ≥ K·floor implies the largest product ≥ floor
  let sum = 0;
  for (let k = 0; k < K; k++) sum += t[k];
  return sum >= K * PRODUCT_FLOOR ? scale : NaN;
}

/** Class log-likelihoods (including the log prior) of row i into s.lk. */
function rowLogs(data: LcaData, w: Work, i: number, s: Scratch): void {
  const K = w.K;
  const lk = s.lk;
  rowLogPrior(data, w, i, s);
  const sp = data.sparse;
  if (w.useSparse && sp) {
    for (let k = 0; k < K; k++) lk[k] = s.logPrior[k] + w.logRef[k];
    if (data.blocks) {
      const B = data.blocks.nBlocks;
      const bytes = data.blocks.bytes;
      const btab = w.blockTable;
      for (let b = 0, rb = i * B; b < B; b++) {
        const base = (b * 256 + bytes[rb + b]) * K;
        for (let k = 0; k < K; k++) lk[k] += btab[base + k];
      }
    } else {
      const off = data.catOffset;
      const table = w.logTable;
      for (let e = sp.entryStart[i], end = sp.entryStart[i + 1]; e < end; e++) {
        const base = (off[sp.entryItem[e]] + sp.entryCat[e]) * K;
        for (let k = 0; k < K; k++) lk[k] += table[base + k];
      }
    }
    for (let e = sp.missStart[i], end = sp.missStart[i + 1]; e < end; e++) {
      const base = sp.missItem[e] * K;
      for (let k = 0; k < K; k++) lk[k] += w.missAdj[base + k];
    }
  } else {
    const J = data.nItems;
    const off = data.catOffset;
    const codes = data.codes;
    const table = w.logTable;
    for (let k = 0; k < K; k++) lk[k] = s.logPrior[k];
    for (let j = 0, rowBase = i * J; j < J; j++) {
      const y = codes[rowBase + j];
      if (y < 0) continue;
      const base = (off[j] + y) * K;
      for (let k = 0; k < K; k++) lk[k] += table[base + k];
    }
  }
}

/** Product path for rows [lo, hi) (no covariates, sparse or blocked codes); false if K is too large for the kernels. */
function eStepRowsProducts(data: LcaData, w: Work, lo: number, hi: number, acc: ChunkAcc, accumulate: boolean, s: Scratch): boolean {
  const kern = kernels(w.K);
  if (!kern) return false;
  const sp = data.sparse as LcaSparseCodes;
  const fallback = (i: number): number => eStepRowLog(data, w, i, acc, accumulate, null, s);
  if (data.blocks) {
    acc.ll[0] = kern.blocked(lo, hi, accumulate, data.blocks.bytes, data.blocks.nBlocks, w.blockProd, w.blockScale, w.prior, w.priorScale[0], data.weights, sp.missStart, acc.bmass, acc.classTotal, fallback);
  } else {
    acc.ll[0] = kern.sparse(lo, hi, accumulate, data.catOffset, sp.entryStart, sp.entryItem, sp.entryCat, sp.missStart, sp.missItem, w.prodTable, w.prodScale, w.missProd, w.missScale, w.prior, w.priorScale[0], data.weights, acc.counts, acc.missW, acc.classTotal, fallback);
  }
  return true;
}

/**
 * E-step over rows [lo, hi) at the tables in `w`, into `acc` (cleared first).
 * Inputs: data, filled tables, scratch of the calling thread; posteriorOut (nRows × K) or null.
 * Output: acc.ll[0] = Σ w_i log P(y_i); with `accumulate`, the chunk's sufficient statistics.
 */
export function eStepRows(data: LcaData, w: Work, lo: number, hi: number, acc: ChunkAcc, accumulate: boolean, posteriorOut: Float64Array | null, s: Scratch, rowLogLikOut: Float64Array | null = null): void {
  clearAcc(acc);
  const hasCov = !!(data.covariates && w.beta.length);
  if (!hasCov && !posteriorOut && w.useSparse && data.sparse && eStepRowsProducts(data, w, lo, hi, acc, accumulate, s)) return;
  let ll = 0;
  for (let i = lo; i < hi; i++) ll += eStepRowLog(data, w, i, acc, accumulate, posteriorOut, s, !hasCov, rowLogLikOut);
  acc.ll[0] = ll;
}

/**
 * One row of the E-step, general case: in log space, or by products first when `tryProducts`.
 * Returns w_i log P(y_i); accumulates the row's statistics into `acc` if `accumulate`.
 */
function eStepRowLog(data: LcaData, w: Work, i: number, acc: ChunkAcc, accumulate: boolean, posteriorOut: Float64Array | null, s: Scratch, tryProducts = false, rowLogLikOut: Float64Array | null = null): number {
  const K = w.K;
  const J = data.nItems;
  const off = data.catOffset;
  const tau = s.tau;
  const lk = s.lk;
  const hasCov = !!(data.covariates && w.beta.length);
  const S = data.nCov;
  const D = hasCov ? S * (K - 1) : 0;
  const sp = data.sparse;
  const blocks = w.useSparse && sp && data.blocks ? data.blocks : null;
  let rowLL: number;
  const scale = tryProducts ? rowProducts(data, w, i, s) : NaN;
  if (scale === scale) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += tau[k];
    rowLL = scale + Math.log(sum);
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) tau[k] *= inv;
  } else {
    rowLogs(data, w, i, s);
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (lk[k] > m) m = lk[k];
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(lk[k] - m);
      tau[k] = e;
      sum += e;
    }
    rowLL = m + Math.log(sum);
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) tau[k] *= inv;
  }
  const wi = data.weights[i];
  if (posteriorOut) for (let k = 0; k < K; k++) posteriorOut[i * K + k] = tau[k];
  if (rowLogLikOut) rowLogLikOut[i] = rowLL;
  if (!accumulate) return wi * rowLL;
  if (hasCov) accumulateLogit(data, i, wi, w, s, acc, S, D);
  const counts = acc.counts;
  const missW = acc.missW;
  for (let k = 0; k < K; k++) {
    tau[k] *= wi;
    acc.classTotal[k] += tau[k];
  }
  if (blocks && sp) {
    const B = blocks.nBlocks;
    const bytes = blocks.bytes;
    for (let b = 0, rb = i * B; b < B; b++) {
      const base = (b * 256 + bytes[rb + b]) * K;
      for (let k = 0; k < K; k++) acc.bmass[base + k] += tau[k];
    }
    for (let e = sp.missStart[i], end = sp.missStart[i + 1]; e < end; e++) {
      const base = sp.missItem[e] * K;
      for (let k = 0; k < K; k++) missW[base + k] += tau[k];
    }
  } else if (w.useSparse && sp) {
    for (let e = sp.entryStart[i], end = sp.entryStart[i + 1]; e < end; e++) {
      const base = (off[sp.entryItem[e]] + sp.entryCat[e]) * K;
      for (let k = 0; k < K; k++) counts[base + k] += tau[k];
    }
    for (let e = sp.missStart[i], end = sp.missStart[i + 1]; e < end; e++) {
      const base = sp.missItem[e] * K;
      for (let k = 0; k < K; k++) missW[base + k] += tau[k];
    }
  } else {
    const codes = data.codes;
    for (let j = 0, rowBase = i * J; j < J; j++) {
      const y = codes[rowBase + j];
      if (y < 0) {
        for (let k = 0; k < K; k++) missW[j * K + k] += tau[k];
        continue;
      }
      const base = (off[j] + y) * K;
      for (let k = 0; k < K; k++) counts[base + k] += tau[k];
    }
  }
  return wi * rowLL;
}

/**
 * Gradient and information of the complete-data multinomial logit Σ τ_ik log π_ik(b)
 * at the current b (s.logPrior holds log π_i·, s.tau the unweighted posterior). Parameters ordered (s, k−1).
 */
function accumulateLogit(data: LcaData, i: number, wi: number, w: Work, s: Scratch, acc: ChunkAcc, S: number, D: number): void {
  const K = w.K;
  const km1 = K - 1;
  const x = data.covariates as Float64Array;
  const xb = i * S;
  const grad = acc.grad;
  const info = acc.info;
  const tau = s.tau;
  const lp = s.logPrior;
  // π_i· once per row (not once per (k, l) pair: K² exps per row were most of the covariate E-step)
  const pi = s.prod;
  for (let k = 1; k < K; k++) pi[k] = Math.exp(lp[k]);
  for (let k = 1; k < K; k++) {
    const pk = pi[k];
    const r = wi * (tau[k] - pk);
    for (let q = 0; q < S; q++) grad[q * km1 + k - 1] += r * x[xb + q];
    for (let l = 1; l < K; l++) {
      const pl = pi[l];
      const v = wi * ((k === l ? pk : 0) - pk * pl);
      if (v === 0) continue;
      for (let q = 0; q < S; q++) {
        const row = (q * km1 + k - 1) * D;
        const vs = v * x[xb + q];
        for (let t = 0; t < S; t++) info[row + t * km1 + l - 1] += vs * x[xb + t];
      }
    }
  }
}
