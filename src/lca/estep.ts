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
 * Self-contained like ./em (imports nothing), so that it can be bundled into worker threads.
 */
import type { LcaData, LcaParams, LcaSparseCodes } from './types';

/** Floor used for log(p) of the reference category in the sparse E-step, where p = 0 would give −∞ + ∞. */
const LOG_FLOOR_P = 1e-300;
/** Below this largest class product a row is redone in log space (see the header). */
const PRODUCT_FLOOR = 1e-250;
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
  /** runs the chunks on other threads too (see ./parallel); null = all in this thread */
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

export function makeScratch(K: number): Scratch {
  return { lk: new Float64Array(K), tau: new Float64Array(K), logPrior: new Float64Array(K), prod: new Float64Array(K) };
}

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

/**
 * Hot loops of the product path, generated once per number of classes K.
 *
 * Why generated: V8 keeps the K running products of a row in registers only when they are
 * separate local variables; looping over a K-length array instead costs a load and a store
 * per class and factor. On 200k × 30 binary items, K = 6, the unrolled loop measured about
 * 3× faster. The generated code is the loop below with `k` unrolled; it has no other logic.
 *
 * blocked(lo, hi, accumulate, tables…, fallback): binary items, one table factor per byte.
 * sparse(lo, hi, accumulate, tables…, fallback): one factor per non-reference response and
 *   per missing item.
 * Both return Σ w_i log P(y_i) over rows without fallback; `fallback(i)` handles rows that
 * need log space (it accumulates their statistics itself and returns w_i log P(y_i)).
 */
interface Kernels {
  blocked: (
    lo: number, hi: number, accumulate: boolean, bytes: Uint8Array, B: number, bp: Float64Array, bs: Float64Array,
    prior: Float64Array, priorScale: number, weights: Float64Array, missStart: Int32Array, bmass: Float64Array,
    classTotal: Float64Array, fallback: (i: number) => number,
  ) => number;
  sparse: (
    lo: number, hi: number, accumulate: boolean, off: Int32Array, entryStart: Int32Array, entryItem: Int32Array,
    entryCat: Int32Array, missStart: Int32Array, missItem: Int32Array, pt: Float64Array, ps: Float64Array,
    mp: Float64Array, ms: Float64Array, prior: Float64Array, priorScale: number, weights: Float64Array,
    counts: Float64Array, missW: Float64Array, classTotal: Float64Array, fallback: (i: number) => number,
  ) => number;
}

const kernelCache = new Map<number, Kernels>();
/** Beyond this many classes the generated code would be long for little gain: loops over arrays instead. */
const MAX_UNROLLED_K = 24;

function kernels(K: number): Kernels | null {
  if (K > MAX_UNROLLED_K) return null;
  const cached = kernelCache.get(K);
  if (cached) return cached;
  const ks = Array.from({ length: K }, (_, k) => k);
  const each = (f: (k: number) => string, sep = ' '): string => ks.map(f).join(sep);
  const rowStart = `${each((k) => `let t${k} = p${k};`)} let scale = priorScale;`;
  // sum ≥ K·floor implies the largest product ≥ floor (the largest is ≥ sum/K), without K compares
  const finish = `
      const sum = ${each((k) => `t${k}`, ' + ')};
      if (!(sum >= ${K * PRODUCT_FLOOR})) { ll += fallback(i); continue; }
      ll += wi * (scale + Math.log(sum));
      if (!accumulate) continue;
      const f = wi / sum;
      ${each((k) => `t${k} *= f; c${k} += t${k};`)}`;
  const head = `${each((k) => `const p${k} = prior[${k}];`)} ${each((k) => `let c${k} = 0;`)} let ll = 0;`;
  const tail = `if (accumulate) { ${each((k) => `classTotal[${k}] += c${k};`)} } return ll;`;
  const mul = (base: string, table: string): string => each((k) => `t${k} *= ${table}[${base} + ${k}];`);
  const add = (base: string, target: string): string => each((k) => `${target}[${base} + ${k}] += t${k};`);
  const blocked = `
    ${head}
    for (let i = lo; i < hi; i++) {
      const wi = weights[i];
      if (missStart[i + 1] > missStart[i]) { ll += fallback(i); continue; }
      ${rowStart}
      const rb = i * B;
      for (let b = 0; b < B; b++) { const v = b * 256 + bytes[rb + b]; scale += bs[v]; const base = v * ${K}; ${mul('base', 'bp')} }
      ${finish}
      for (let b = 0; b < B; b++) { const base = (b * 256 + bytes[rb + b]) * ${K}; ${add('base', 'bmass')} }
    }
    ${tail}`;
  const sparse = `
    ${head}
    for (let i = lo; i < hi; i++) {
      const wi = weights[i];
      ${rowStart}
      const e0 = entryStart[i], e1 = entryStart[i + 1], m0 = missStart[i], m1 = missStart[i + 1];
      for (let e = e0; e < e1; e++) { const r = off[entryItem[e]] + entryCat[e]; scale += ps[r]; const base = r * ${K}; ${mul('base', 'pt')} }
      for (let e = m0; e < m1; e++) { const j = missItem[e]; scale += ms[j]; const base = j * ${K}; ${mul('base', 'mp')} }
      ${finish}
      for (let e = e0; e < e1; e++) { const base = (off[entryItem[e]] + entryCat[e]) * ${K}; ${add('base', 'counts')} }
      for (let e = m0; e < m1; e++) { const base = missItem[e] * ${K}; ${add('base', 'missW')} }
    }
    ${tail}`;
  const k: Kernels = {
    blocked: new Function('lo', 'hi', 'accumulate', 'bytes', 'B', 'bp', 'bs', 'prior', 'priorScale', 'weights', 'missStart', 'bmass', 'classTotal', 'fallback', blocked) as Kernels['blocked'],
    sparse: new Function('lo', 'hi', 'accumulate', 'off', 'entryStart', 'entryItem', 'entryCat', 'missStart', 'missItem', 'pt', 'ps', 'mp', 'ms', 'prior', 'priorScale', 'weights', 'counts', 'missW', 'classTotal', 'fallback', sparse) as Kernels['sparse'],
  };
  kernelCache.set(K, k);
  return k;
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
  for (let k = 1; k < K; k++) {
    const pk = Math.exp(lp[k]);
    const r = wi * (tau[k] - pk);
    for (let q = 0; q < S; q++) grad[q * km1 + k - 1] += r * x[xb + q];
    for (let l = 1; l < K; l++) {
      const pl = Math.exp(lp[l]);
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

/** Slots of the Int32Array that coordinates E-step threads (see ./parallel). */
export const ES_GEN = 0; // bumped by the EM thread for every E-step
export const ES_NEXT = 1; // next chunk to claim
export const ES_DONE = 2; // chunks finished in this E-step
export const ES_ACCUM = 3; // 1 = accumulate statistics
export const ES_STOP = 4; // 1 = threads exit
export const ES_ERROR = 5; // 1 = a thread failed
export const ES_STARTED = 6; // threads that are up
export const ES_HELPED = 7; // chunks done by helper threads, over all E-steps
export const ES_LENGTH = 8;

/**
 * Claim and run chunks of the current E-step until none is left (any thread); returns how many
 * this thread ran. `helper` = called from a helper thread (counts and notifies each chunk).
 */
export function claimChunks(data: LcaData, w: Work, ctrl: Int32Array, s: Scratch, helper: boolean): number {
  const C = w.nChunks;
  let mine = 0;
  for (;;) {
    const c = Atomics.add(ctrl, ES_NEXT, 1);
    if (c >= C) return mine;
    mine++;
    // read after the claim: a thread late from the previous E-step may claim in this one
    const accumulate = Atomics.load(ctrl, ES_ACCUM) === 1;
    eStepRows(data, w, chunkStart(data.nRows, C, c), chunkStart(data.nRows, C, c + 1), w.chunks[c], accumulate, null, s);
    if (helper) Atomics.add(ctrl, ES_HELPED, 1);
    Atomics.add(ctrl, ES_DONE, 1);
    if (helper) Atomics.notify(ctrl, ES_DONE);
  }
}

/** Body of an E-step helper thread: wait for each E-step, help with its chunks, exit on stop. */
export function serveChunks(data: LcaData, w: Work, ctrl: Int32Array): void {
  const s = makeScratch(w.K);
  let seen = Atomics.load(ctrl, ES_GEN);
  Atomics.add(ctrl, ES_STARTED, 1);
  Atomics.notify(ctrl, ES_STARTED);
  for (;;) {
    Atomics.wait(ctrl, ES_GEN, seen);
    seen = Atomics.load(ctrl, ES_GEN);
    if (Atomics.load(ctrl, ES_STOP) === 1) return;
    claimChunks(data, w, ctrl, s, true);
  }
}
