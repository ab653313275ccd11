/**
 * The E-step of the latent class EM, split into row chunks so that it can run on several
 * threads with results that do not depend on how many threads ran it.
 *
 * Why chunks: summing the sufficient statistics of millions of rows in a different order
 * changes the last bits of every estimate. Here the rows are cut into a fixed number of
 * chunks that depends only on the number of rows; each chunk accumulates into its own
 * buffers and the chunks are added up in chunk order. One thread or four, the numbers are
 * bit-identical.
 *
 * Why products: the per-row cost used to be dominated by K calls to Math.exp. Each table
 * entry (an item's category, or for binary items a byte of 8 responses) is stored once per
 * iteration both as a log-ratio and as exp(log-ratio − its largest value over classes), with
 * the largest value kept as a scale. A row's class likelihoods are then products of ≤ 1
 * factors (no exp), and its log-likelihood needs one log. When a row's products sum to less
 * than K·1e-250 (possible underflow) or the row has a covariate-dependent prior, the row is
 * done in log space as before. Both paths agree to rounding.
 *
 * Self-contained like ./em (imports nothing outside this folder), so that it can be bundled into worker threads.
 */
import type { LcaData, LcaParams, LcaSparseCodes } from '../types';

/** Floor used for log(p) of the reference category in the sparse E-step, where p = 0 would give −∞ + ∞. */
export const LOG_FLOOR_P = 1e-300;
/** Below this largest class product a row is redone in log space (see the header). */
export const PRODUCT_FLOOR = 1e-250;
/** Rows per chunk at least; at most MAX_CHUNKS chunks. */
const CHUNK_ROWS = 8192;
const MAX_CHUNKS = 16;

/** Number of row chunks of the E-step: a function of the number of rows only. */
export function chunkCount(nRows: number): number {
  return Math.max(1, Math.min(MAX_CHUNKS, Math.floor(nRows / CHUNK_ROWS)));
}

/** First row of chunk c (c = nChunks gives nRows). */
export function chunkStart(nRows: number, nChunks: number, c: number): number {
  return Math.floor((c * nRows) / nChunks);
}

/** Per-chunk sufficient statistics. */
export interface ChunkAcc {
  /** [0] = Σ w_i log P(y_i) over the chunk's rows */
  ll: Float64Array;
  classTotal: Float64Array; // K
  counts: Float64Array; // T × K (dense and sparse E-steps)
  missW: Float64Array; // J × K
  bmass: Float64Array; // nBlocks × 256 × K (blocked E-step)
  grad: Float64Array; // D
  info: Float64Array; // D × D
}

/** Per-thread scratch (never shared). */
export interface Scratch {
  lk: Float64Array;
  tau: Float64Array;
  logPrior: Float64Array;
  /** K values per row (the covariate prior π_i· in accumulateLogit) */
  prod: Float64Array;
}

/**
 * Everything an E-step needs besides the data: per-iteration tables (written by the thread
 * that runs EM, read by all), the per-chunk accumulators, and the reduced statistics that the
 * M-step reads. Arrays are allocated by `alloc`, so that they can live in shared memory.
 */
export interface Work {
  K: number;
  T: number;
  nChunks: number;
  useSparse: boolean;
  // tables
  logTable: Float64Array; // T × K: log p (dense) or log p_c − log p_ref (sparse)
  missAdj: Float64Array; // J × K: −log p_ref (sparse); unused by dense, which skips missing items
  logRef: Float64Array; // K: Σ_j log p_j,ref (sparse)
  logShares: Float64Array; // K
  beta: Float64Array; // D copy of the covariate coefficients (length 0 without covariates)
  prodTable: Float64Array; // T × K: exp(logTable − rowMax)
  prodScale: Float64Array; // T: rowMax of logTable
  missProd: Float64Array; // J × K: exp(missAdj − rowMax)
  missScale: Float64Array; // J
  prior: Float64Array; // K: exp(log share + logRef − max)
  priorScale: Float64Array; // [0] = that max
  blockTable: Float64Array; // nBlocks × 256 × K summed log-ratios (blocked E-step)
  blockProd: Float64Array; // nBlocks × 256 × K
  blockScale: Float64Array; // nBlocks × 256
  // per chunk
  chunks: ChunkAcc[];
  // reduced over chunks, read by the M-step
  counts: Float64Array;
  missW: Float64Array;
  classTotal: Float64Array;
  grad: Float64Array;
  info: Float64Array;
  step: Float64Array;
  blockMass: Float64Array;
  /** runs the chunks on other threads too (see ../parallel); null = all in this thread */
  runner: ChunkRunner | null;
  scratch: Scratch;
}

/** Something that runs runChunks(accumulate) for all chunks of `w`, possibly on several threads. */
export interface ChunkRunner {
  run(accumulate: boolean): void;
  /** release threads; the Work must not be used afterwards */
  close(): void;
  /** chunks done by helper threads so far (diagnostics) */
  helperChunks(): number;
}

/** Per-thread scratch arrays of length K for the row-wise E-step. */
export function makeScratch(K: number): Scratch {
  return { lk: new Float64Array(K), tau: new Float64Array(K), logPrior: new Float64Array(K), prod: new Float64Array(K) };
}

/** Preallocated E-step/M-step work space for K classes (tables, per-chunk accumulators); `alloc` lets worker threads share it. */
export function makeWork(data: LcaData, K: number, useSparse: boolean, alloc: (n: number) => Float64Array = (n) => new Float64Array(n)): Work {
  const T = data.catOffset[data.nItems];
  const J = data.nItems;
  const D = data.covariates ? data.nCov * (K - 1) : 0;
  const nb = data.blocks && useSparse ? data.blocks.nBlocks : 0;
  const nChunks = chunkCount(data.nRows);
  const chunks: ChunkAcc[] = [];
  for (let c = 0; c < nChunks; c++)
    chunks.push({ ll: alloc(1), classTotal: alloc(K), counts: alloc(T * K), missW: alloc(J * K), bmass: alloc(nb * 256 * K), grad: alloc(D), info: alloc(D * D) });
  return {
    K,
    T,
    nChunks,
    useSparse: useSparse && !!data.sparse,
    logTable: alloc(T * K),
    missAdj: alloc(J * K),
    logRef: alloc(K),
    logShares: alloc(K),
    beta: alloc(D),
    prodTable: alloc(T * K),
    prodScale: alloc(T),
    missProd: alloc(J * K),
    missScale: alloc(J),
    prior: alloc(K),
    priorScale: alloc(1),
    blockTable: alloc(nb * 256 * K),
    blockProd: alloc(nb * 256 * K),
    blockScale: alloc(nb * 256),
    chunks,
    counts: new Float64Array(T * K),
    missW: new Float64Array(J * K),
    classTotal: new Float64Array(K),
    grad: new Float64Array(D),
    info: new Float64Array(D * D),
    step: new Float64Array(D),
    blockMass: new Float64Array(nb * 256 * K),
    runner: null,
    scratch: makeScratch(K),
  };
}

/** exp(row − max over the row's K entries) into `prod`, the max into scale[r]; for `rows` rows of K. */
function productRows(src: Float64Array, prod: Float64Array, scale: Float64Array, rows: number, K: number): void {
  for (let r = 0; r < rows; r++) {
    const b = r * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (src[b + k] > m) m = src[b + k];
    if (m === -Infinity) m = 0;
    scale[r] = m;
    for (let k = 0; k < K; k++) prod[b + k] = Math.exp(src[b + k] - m);
  }
}

/** Fill the per-iteration tables of `w` from `params`. */
export function fillTables(data: LcaData, params: LcaParams, w: Work): void {
  const { K, T } = w;
  const J = data.nItems;
  const off = data.catOffset;
  const probs = params.probs;
  for (let k = 0; k < K; k++) w.logShares[k] = Math.log(params.shares[k]);
  if (params.beta && w.beta.length) w.beta.set(params.beta);
  if (!w.useSparse) {
    for (let k = 0; k < K; k++) for (let t = 0; t < T; t++) w.logTable[t * K + k] = Math.log(probs[k * T + t]);
    for (let k = 0; k < K; k++) w.logRef[k] = 0;
  } else {
    const refCat = (data.sparse as LcaSparseCodes).refCat;
    for (let k = 0; k < K; k++) {
      let ref = 0;
      for (let j = 0; j < J; j++) {
        const base = off[j];
        const r = refCat[j];
        const p0 = probs[k * T + base + r];
        const lp0 = Math.log(p0 > LOG_FLOOR_P ? p0 : LOG_FLOOR_P);
        ref += lp0;
        w.missAdj[j * K + k] = -lp0;
        for (let c = 0; c < data.nCategories[j]; c++) w.logTable[(base + c) * K + k] = c === r ? 0 : Math.log(probs[k * T + base + c]) - lp0;
      }
      w.logRef[k] = ref;
    }
  }
  productRows(w.logTable, w.prodTable, w.prodScale, T, K);
  productRows(w.missAdj, w.missProd, w.missScale, J, K);
  let m = -Infinity;
  for (let k = 0; k < K; k++) {
    const v = w.logShares[k] + w.logRef[k];
    if (v > m) m = v;
  }
  if (m === -Infinity) m = 0;
  w.priorScale[0] = m;
  for (let k = 0; k < K; k++) w.prior[k] = Math.exp(w.logShares[k] + w.logRef[k] - m);
  const blocks = w.useSparse && data.blocks ? data.blocks : null;
  if (blocks) {
    // table[b][v][k] = Σ over set bits of v of log p_(non-ref) − log p_ref, built by removing the lowest bit
    const refCat = (data.sparse as LcaSparseCodes).refCat;
    const btab = w.blockTable;
    const table = w.logTable;
    const B = blocks.nBlocks;
    for (let b = 0; b < B; b++) {
      const b0 = b * 256 * K;
      for (let k = 0; k < K; k++) btab[b0 + k] = 0;
      for (let v = 1; v < 256; v++) {
        const low = v & -v;
        const j = b * 8 + (31 - Math.clz32(low));
        const prev = b0 + (v & (v - 1)) * K;
        const dst = b0 + v * K;
        if (j >= J) {
          for (let k = 0; k < K; k++) btab[dst + k] = btab[prev + k];
          continue;
        }
        const src = (off[j] + 1 - refCat[j]) * K;
        for (let k = 0; k < K; k++) btab[dst + k] = btab[prev + k] + table[src + k];
      }
    }
    productRows(btab, w.blockProd, w.blockScale, B * 256, K);
  }
}
