/**
 * One E-step over all row chunks, in this thread or through w.runner (see ../parallel),
 * with the chunks' statistics added up in chunk order (see ./work for why).
 */
import { chunkStart, fillTables, type ChunkAcc, type Work } from './work';
import { eStepRows } from './rows';
import type { LcaData, LcaParams, LcaSparseCodes } from '../types';

/** Run all chunks of `w` in this thread. */
export function runChunksHere(data: LcaData, w: Work, accumulate: boolean): void {
  for (let c = 0; c < w.nChunks; c++) eStepRows(data, w, chunkStart(data.nRows, w.nChunks, c), chunkStart(data.nRows, w.nChunks, c + 1), w.chunks[c], accumulate, null, w.scratch);
}

/**
 * One E-step at `params`: returns the log-likelihood Σ w_i log P(y_i).
 * If `accumulate`, leaves the sufficient statistics reduced over chunks in `w` for the M-step;
 * if `posteriorOut` (nRows × K) is given, writes τ_ik there, and log P(y_i) into `rowLogLikOut`
 * if that is given too (both always in this thread).
 */
export function eStep(data: LcaData, params: LcaParams, w: Work, accumulate: boolean, posteriorOut: Float64Array | null, rowLogLikOut: Float64Array | null = null): number {
  fillTables(data, params, w);
  const C = w.nChunks;
  if (posteriorOut) {
    for (let c = 0; c < C; c++) eStepRows(data, w, chunkStart(data.nRows, C, c), chunkStart(data.nRows, C, c + 1), w.chunks[c], accumulate, posteriorOut, w.scratch, rowLogLikOut);
  } else if (w.runner) w.runner.run(accumulate);
  else runChunksHere(data, w, accumulate);
  let ll = 0;
  for (let c = 0; c < C; c++) ll += w.chunks[c].ll[0];
  if (!accumulate) return ll;
  const sumInto = (dst: Float64Array, pick: (a: ChunkAcc) => Float64Array): void => {
    dst.set(pick(w.chunks[0]));
    for (let c = 1; c < C; c++) {
      const src = pick(w.chunks[c]);
      for (let d = 0; d < dst.length; d++) dst[d] += src[d];
    }
  };
  sumInto(w.classTotal, (a) => a.classTotal);
  sumInto(w.missW, (a) => a.missW);
  sumInto(w.grad, (a) => a.grad);
  sumInto(w.info, (a) => a.info);
  const blocks = w.useSparse && data.sparse && data.blocks ? data.blocks : null;
  if (!blocks) {
    sumInto(w.counts, (a) => a.counts);
    return ll;
  }
  sumInto(w.blockMass, (a) => a.bmass);
  // spread each byte value's mass onto the items whose bit it sets
  const K = w.K;
  const J = data.nItems;
  const off = data.catOffset;
  const refCat = (data.sparse as LcaSparseCodes).refCat;
  const counts = w.counts;
  const bmass = w.blockMass;
  counts.fill(0);
  for (let b = 0; b < blocks.nBlocks; b++)
    for (let v = 1; v < 256; v++) {
      const src = (b * 256 + v) * K;
      for (let bit = 0; bit < 8; bit++) {
        if (!(v & (1 << bit))) continue;
        const j = b * 8 + bit;
        if (j >= J) break;
        const dst = (off[j] + 1 - refCat[j]) * K;
        for (let k = 0; k < K; k++) counts[dst + k] += bmass[src + k];
      }
    }
  return ll;
}
