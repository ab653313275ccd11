/**
 * Numeric core of the latent class engine: EM on (compressed) response patterns.
 *
 * Self-contained on purpose: it imports only the seeded RNG, so that it can be bundled
 * into a worker thread (see ./parallel) and give bit-identical results there and in-thread.
 * It sees typed arrays and dimensions only (no arquero, no I/O).
 *
 * Layouts (all row-major):
 *   codes       nRows × nItems Int16Array, category 0..C_j−1, −1 = missing
 *   probs       nClasses × totalCats, entry [k*T + catOffset[j] + c] = P(item j = c | class k)
 *   beta        nCov × (K−1): log(π_ik/π_i1) = x_i′ b_k (class 0 is the reference)
 * Internally the per-iteration tables are category-major ([cat][k]) so the K values an
 * observed response touches are contiguous.
 */
import { createRng } from '../stats/random';

export interface LcaSparseCodes {
  /** per item the reference category (its most frequent one): rows store only other codes */
  refCat: Int32Array;
  /** nRows+1 offsets into entryItem/entryCat: the row's responses other than the reference */
  entryStart: Int32Array;
  entryItem: Int32Array;
  entryCat: Int32Array;
  /** nRows+1 offsets into missItem: the row's missing items */
  missStart: Int32Array;
  missItem: Int32Array;
}

export interface LcaData {
  nRows: number;
  nItems: number;
  nCategories: Int32Array;
  /** length nItems+1; catOffset[nItems] = total number of categories T */
  catOffset: Int32Array;
  codes: Int16Array;
  /** per-row weight (pattern count × case weight) */
  weights: Float64Array;
  /** sparse copy of codes for the sparse E-step, or null */
  sparse: LcaSparseCodes | null;
  /**
   * For all-binary items: per row, bytes whose bits flag "not the reference category" for
   * items 8b..8b+7 (nRows × nBlocks). The E-step then adds one precomputed 256-entry table
   * value per block and class instead of one value per item. Requires `sparse` (reference
   * categories and missing items). Null when not used.
   */
  blocks: { nBlocks: number; bytes: Uint8Array } | null;
  /** nRows × nCov design including the intercept column, or null */
  covariates: Float64Array | null;
  nCov: number;
}

export interface LcaParams {
  nClasses: number;
  shares: Float64Array;
  probs: Float64Array;
  beta: Float64Array | null;
}

export interface EmOptions {
  maxIter: number;
  /** stop when the log-likelihood gain of an iteration is ≤ tol (poLCA's rule) */
  tol: number;
  /** if set, stop instead when no parameter moved by more than paramTol in the last M-step */
  paramTol: number | null;
  /** also stop when the gain is ≤ relTol·|logLik| (0 = off); sensible for millions of rows */
  relTol: number;
  /** SQUAREM extrapolation (Varadhan & Roland 2008), monotone per cycle; same fixed point, fewer iterations */
  accelerate: boolean;
  useSparse: boolean;
  /** record the log-likelihood at every E-step */
  trace: boolean;
  /** how random starts are drawn (fitLca's default 'seeded'); see randomStart */
  startMethod?: LcaStartMethod;
}

/** Random start methods: see randomStart. */
export type LcaStartMethod = 'polca' | 'margins' | 'seeded' | 'mixed';

export interface EmOutcome {
  logLik: number;
  iterations: number;
  converged: boolean;
  /** largest decrease of the log-likelihood between iterations (0 if none) */
  maxDecrease: number;
  /** Newton step for beta failed (singular information) at least once */
  newtonFailed: boolean;
  trace: number[] | null;
}

/** Floor used for log(p) of the reference category in the sparse E-step, where p = 0 would give −∞ + ∞. */
const LOG_FLOOR_P = 1e-300;

/** Scratch buffers, allocated once per EM run, never per row. */
interface Work {
  K: number;
  T: number;
  logTable: Float64Array; // T × K: log p (dense) or log p_c − log p_ref (sparse)
  missAdj: Float64Array; // J × K: −log p_ref (sparse) — dense skips missing items
  logRef: Float64Array; // K: Σ_j log p_j,ref (sparse)
  logPrior: Float64Array; // K
  lk: Float64Array; // K
  tau: Float64Array; // K
  counts: Float64Array; // T × K expected counts
  missW: Float64Array; // J × K posterior mass of rows where item j is missing
  classTotal: Float64Array; // K
  grad: Float64Array; // D = nCov(K−1)
  info: Float64Array; // D × D
  step: Float64Array; // D
  blockTable: Float64Array; // nBlocks × 256 × K summed log-ratios (blocked E-step)
  blockMass: Float64Array; // nBlocks × 256 × K posterior mass per byte value
}

function makeWork(data: LcaData, K: number): Work {
  const T = data.catOffset[data.nItems];
  const D = data.covariates ? data.nCov * (K - 1) : 0;
  return {
    K,
    T,
    logTable: new Float64Array(T * K),
    missAdj: new Float64Array(data.nItems * K),
    logRef: new Float64Array(K),
    logPrior: new Float64Array(K),
    lk: new Float64Array(K),
    tau: new Float64Array(K),
    counts: new Float64Array(T * K),
    missW: new Float64Array(data.nItems * K),
    classTotal: new Float64Array(K),
    grad: new Float64Array(D),
    info: new Float64Array(D * D),
    step: new Float64Array(D),
    blockTable: new Float64Array(data.blocks ? data.blocks.nBlocks * 256 * K : 0),
    blockMass: new Float64Array(data.blocks ? data.blocks.nBlocks * 256 * K : 0),
  };
}

function fillLogTables(data: LcaData, params: LcaParams, w: Work, useSparse: boolean): void {
  const { K, T } = w;
  const J = data.nItems;
  const off = data.catOffset;
  const probs = params.probs;
  if (!useSparse) {
    for (let k = 0; k < K; k++) for (let t = 0; t < T; t++) w.logTable[t * K + k] = Math.log(probs[k * T + t]);
    return;
  }
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

/** Log prior of row i into w.logPrior: log shares, or the multinomial logit of the covariates. */
function rowLogPrior(data: LcaData, params: LcaParams, i: number, w: Work, logShares: Float64Array): void {
  const K = w.K;
  const lp = w.logPrior;
  if (!data.covariates || !params.beta) {
    for (let k = 0; k < K; k++) lp[k] = logShares[k];
    return;
  }
  const S = data.nCov;
  const x = data.covariates;
  const b = params.beta;
  const km1 = K - 1;
  lp[0] = 0;
  let m = 0;
  for (let k = 1; k < K; k++) {
    let eta = 0;
    for (let s = 0; s < S; s++) eta += x[i * S + s] * b[s * km1 + k - 1];
    lp[k] = eta;
    if (eta > m) m = eta;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(lp[k] - m);
  const norm = m + Math.log(sum);
  for (let k = 0; k < K; k++) lp[k] -= norm;
}

/**
 * One E-step at `params`: returns the log-likelihood Σ w_i log P(y_i).
 * If `accumulate`, fills the sufficient statistics in `w` for the M-step;
 * if `posteriorOut` (nRows × K) is given, writes τ_ik there.
 */
export function eStep(
  data: LcaData,
  params: LcaParams,
  w: Work,
  useSparse: boolean,
  accumulate: boolean,
  posteriorOut: Float64Array | null,
): number {
  const K = w.K;
  const J = data.nItems;
  const off = data.catOffset;
  const codes = data.codes;
  const weights = data.weights;
  const lk = w.lk;
  const tau = w.tau;
  const table = w.logTable;
  const counts = w.counts;
  const missW = w.missW;
  const hasCov = !!(data.covariates && params.beta);
  const S = data.nCov;
  const D = hasCov ? S * (K - 1) : 0;
  fillLogTables(data, params, w, useSparse);
  const logShares = new Float64Array(K);
  for (let k = 0; k < K; k++) logShares[k] = Math.log(params.shares[k]);
  if (accumulate) {
    counts.fill(0);
    missW.fill(0);
    w.classTotal.fill(0);
    if (hasCov) {
      w.grad.fill(0);
      w.info.fill(0);
    }
  }
  const sp = data.sparse;
  const blocks = useSparse && sp && data.blocks ? data.blocks : null;
  const B = blocks ? blocks.nBlocks : 0;
  const bytes = blocks ? blocks.bytes : null;
  const btab = w.blockTable;
  const bmass = w.blockMass;
  if (blocks) {
    // table[b][v][k] = Σ over set bits of v of log p_(non-ref) − log p_ref, built by removing the lowest bit
    const refCat = (sp as LcaSparseCodes).refCat;
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
    if (accumulate) bmass.fill(0);
  }
  let ll = 0;
  for (let i = 0; i < data.nRows; i++) {
    rowLogPrior(data, params, i, w, logShares);
    if (blocks && sp) {
      for (let k = 0; k < K; k++) lk[k] = w.logPrior[k] + w.logRef[k];
      const rb = i * B;
      for (let b = 0; b < B; b++) {
        const base = (b * 256 + (bytes as Uint8Array)[rb + b]) * K;
        for (let k = 0; k < K; k++) lk[k] += btab[base + k];
      }
      for (let e = sp.missStart[i], end = sp.missStart[i + 1]; e < end; e++) {
        const base = sp.missItem[e] * K;
        for (let k = 0; k < K; k++) lk[k] += w.missAdj[base + k];
      }
    } else if (useSparse && sp) {
      for (let k = 0; k < K; k++) lk[k] = w.logPrior[k] + w.logRef[k];
      for (let e = sp.entryStart[i], end = sp.entryStart[i + 1]; e < end; e++) {
        const base = (off[sp.entryItem[e]] + sp.entryCat[e]) * K;
        for (let k = 0; k < K; k++) lk[k] += table[base + k];
      }
      for (let e = sp.missStart[i], end = sp.missStart[i + 1]; e < end; e++) {
        const base = sp.missItem[e] * K;
        for (let k = 0; k < K; k++) lk[k] += w.missAdj[base + k];
      }
    } else {
      for (let k = 0; k < K; k++) lk[k] = w.logPrior[k];
      const rowBase = i * J;
      for (let j = 0; j < J; j++) {
        const y = codes[rowBase + j];
        if (y < 0) continue;
        const base = (off[j] + y) * K;
        for (let k = 0; k < K; k++) lk[k] += table[base + k];
      }
    }
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (lk[k] > m) m = lk[k];
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(lk[k] - m);
      tau[k] = e;
      sum += e;
    }
    const wi = weights[i];
    ll += wi * (m + Math.log(sum));
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) tau[k] *= inv;
    if (posteriorOut) for (let k = 0; k < K; k++) posteriorOut[i * K + k] = tau[k];
    if (!accumulate) continue;
    // tau now holds w_i·τ_ik (restored below if the logit needs τ)
    for (let k = 0; k < K; k++) {
      tau[k] *= wi;
      w.classTotal[k] += tau[k];
    }
    if (blocks && sp) {
      const rb = i * B;
      for (let b = 0; b < B; b++) {
        const base = (b * 256 + (bytes as Uint8Array)[rb + b]) * K;
        for (let k = 0; k < K; k++) bmass[base + k] += tau[k];
      }
      for (let e = sp.missStart[i], end = sp.missStart[i + 1]; e < end; e++) {
        const base = sp.missItem[e] * K;
        for (let k = 0; k < K; k++) missW[base + k] += tau[k];
      }
    } else if (useSparse && sp) {
      for (let e = sp.entryStart[i], end = sp.entryStart[i + 1]; e < end; e++) {
        const base = (off[sp.entryItem[e]] + sp.entryCat[e]) * K;
        for (let k = 0; k < K; k++) counts[base + k] += tau[k];
      }
      for (let e = sp.missStart[i], end = sp.missStart[i + 1]; e < end; e++) {
        const base = sp.missItem[e] * K;
        for (let k = 0; k < K; k++) missW[base + k] += tau[k];
      }
    } else {
      const rowBase = i * J;
      for (let j = 0; j < J; j++) {
        const y = codes[rowBase + j];
        if (y < 0) {
          for (let k = 0; k < K; k++) missW[j * K + k] += tau[k];
          continue;
        }
        const base = (off[j] + y) * K;
        for (let k = 0; k < K; k++) counts[base + k] += tau[k];
      }
    }
    if (hasCov && wi > 0) {
      for (let k = 0; k < K; k++) tau[k] /= wi;
    }
    if (hasCov) accumulateLogit(data, i, wi, w, S, D);
  }
  if (accumulate && blocks && sp) {
    // spread each byte value's mass onto the items whose bit it sets
    const refCat = sp.refCat;
    for (let b = 0; b < B; b++)
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
  }
  return ll;
}

/**
 * Gradient and information of the complete-data multinomial logit Σ τ_ik log π_ik(b)
 * at the current b (w.logPrior holds log π_i·). Parameters ordered (s, k−1).
 */
function accumulateLogit(data: LcaData, i: number, wi: number, w: Work, S: number, D: number): void {
  const K = w.K;
  const km1 = K - 1;
  const x = data.covariates as Float64Array;
  const xb = i * S;
  const grad = w.grad;
  const info = w.info;
  const tau = w.tau;
  const lp = w.logPrior;
  for (let k = 1; k < K; k++) {
    const pk = Math.exp(lp[k]);
    const r = wi * (tau[k] - pk);
    for (let s = 0; s < S; s++) grad[s * km1 + k - 1] += r * x[xb + s];
    for (let l = 1; l < K; l++) {
      const pl = Math.exp(lp[l]);
      const v = wi * ((k === l ? pk : 0) - pk * pl);
      if (v === 0) continue;
      for (let s = 0; s < S; s++) {
        const row = (s * km1 + k - 1) * D;
        const vs = v * x[xb + s];
        for (let t = 0; t < S; t++) info[row + t * km1 + l - 1] += vs * x[xb + t];
      }
    }
  }
}

/** Solve A x = b in place (A D×D symmetric positive definite, destroyed) by Cholesky; false if not PD. */
export function choleskySolve(A: Float64Array, b: Float64Array, x: Float64Array, D: number): boolean {
  for (let j = 0; j < D; j++) {
    let d = A[j * D + j];
    for (let k = 0; k < j; k++) d -= A[j * D + k] * A[j * D + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    A[j * D + j] = ljj;
    for (let i = j + 1; i < D; i++) {
      let s = A[i * D + j];
      for (let k = 0; k < j; k++) s -= A[i * D + k] * A[j * D + k];
      A[i * D + j] = s / ljj;
    }
  }
  for (let i = 0; i < D; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= A[i * D + k] * x[k];
    x[i] = s / A[i * D + i];
  }
  for (let i = D - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < D; k++) s -= A[k * D + i] * x[k];
    x[i] = s / A[i * D + i];
  }
  return true;
}

/**
 * M-step from the statistics of the last E-step. Returns the largest absolute change of
 * any parameter, or −1 if the Newton step for beta failed (beta then stays put).
 */
export function mStep(data: LcaData, params: LcaParams, w: Work, useSparse: boolean, totalWeight: number): number {
  const { K, T } = w;
  const J = data.nItems;
  const off = data.catOffset;
  const counts = w.counts;
  let maxChange = 0;
  for (let j = 0; j < J; j++) {
    const C = data.nCategories[j];
    const base = off[j];
    for (let k = 0; k < K; k++) {
      if (useSparse && data.sparse) {
        // the reference category's count is what is left of the class's observed mass
        const r = data.sparse.refCat[j];
        let rest = 0;
        for (let c = 0; c < C; c++) if (c !== r) rest += counts[(base + c) * K + k];
        const n0 = w.classTotal[k] - w.missW[j * K + k] - rest;
        counts[(base + r) * K + k] = n0 > 0 ? n0 : 0;
      }
      let denom = 0;
      for (let c = 0; c < C; c++) denom += counts[(base + c) * K + k];
      // an empty class (no posterior mass on this item) keeps its previous probabilities
      if (!(denom > 0)) continue;
      for (let c = 0; c < C; c++) {
        const p = counts[(base + c) * K + k] / denom;
        const idx = k * T + base + c;
        const d = Math.abs(p - params.probs[idx]);
        if (d > maxChange) maxChange = d;
        params.probs[idx] = p;
      }
    }
  }
  for (let k = 0; k < K; k++) {
    const s = w.classTotal[k] / totalWeight;
    const d = Math.abs(s - params.shares[k]);
    if (d > maxChange) maxChange = d;
    params.shares[k] = s;
  }
  if (data.covariates && params.beta) {
    const D = data.nCov * (K - 1);
    if (!choleskySolve(w.info, w.grad, w.step, D)) return -1;
    for (let d = 0; d < D; d++) {
      params.beta[d] += w.step[d];
      const a = Math.abs(w.step[d]);
      if (a > maxChange) maxChange = a;
    }
  }
  return maxChange;
}

/**
 * Gain-based stopping rule (poLCA's, plus the optional relative one). A decrease larger than
 * rounding is never taken as convergence: it means the step went wrong, not that EM settled.
 */
function isConverged(gain: number, ll: number, opts: EmOptions): boolean {
  if (gain < -1e-9 * Math.max(1, Math.abs(ll))) return false;
  return gain <= Math.max(opts.tol, opts.relTol * Math.abs(ll));
}

/**
 * Safeguard for the covariate coefficients. poLCA takes one full Newton step for beta per
 * EM iteration; far from the optimum (e.g. the first iterations after a random start, when
 * posteriors are near 0/1) that step can overshoot and the log-likelihood can fall by orders of
 * magnitude. Here, if ℓ fell below `prevLL`, the beta step is halved (the item probabilities
 * keep their M-step values) until ℓ no longer falls. With the step shrunk to zero this is an
 * EM step for the probabilities alone, which cannot decrease ℓ, so the loop ends: the result
 * is a generalised EM that is monotone. Inputs: params after the M-step, `prevBeta` = beta
 * before it, `ll` = ℓ at params (with statistics accumulated if `accumulate`). Returns ℓ at
 * the accepted params, whose statistics are then in `w`. When ℓ did not fall, nothing changes,
 * so runs that never overshoot (all the poLCA fixtures) are bit-identical to plain poLCA EM.
 */
function backtrackBeta(data: LcaData, params: LcaParams, w: Work, useSparse: boolean, accumulate: boolean, prevBeta: Float64Array, prevLL: number, ll: number): number {
  const beta = params.beta as Float64Array;
  const slack = 1e-12 * Math.max(1, Math.abs(prevLL));
  for (let halving = 0; halving < 60 && !(ll >= prevLL - slack); halving++) {
    for (let d = 0; d < beta.length; d++) beta[d] = prevBeta[d] + 0.5 * (beta[d] - prevBeta[d]);
    if (halving === 59) beta.set(prevBeta);
    ll = eStep(data, params, w, useSparse, accumulate, null);
  }
  return ll;
}

/** Run EM from `params` (updated in place) until convergence or maxIter M-steps. */
export function runEm(data: LcaData, params: LcaParams, opts: EmOptions): EmOutcome {
  if (opts.accelerate) return runEmAccelerated(data, params, opts);
  const K = params.nClasses;
  const w = makeWork(data, K);
  const useSparse = opts.useSparse && !!data.sparse;
  let totalWeight = 0;
  for (let i = 0; i < data.nRows; i++) totalWeight += data.weights[i];
  const trace: number[] | null = opts.trace ? [] : null;
  let prevLL = -Infinity;
  let iter = 0;
  let converged = false;
  let lastChange = Infinity;
  let maxDecrease = 0;
  let newtonFailed = false;
  let ll = -Infinity;
  const prevBeta = params.beta ? new Float64Array(params.beta.length) : null;
  for (;;) {
    ll = eStep(data, params, w, useSparse, iter < opts.maxIter, null);
    if (iter > 0 && prevBeta) ll = backtrackBeta(data, params, w, useSparse, iter < opts.maxIter, prevBeta, prevLL, ll);
    if (trace) trace.push(ll);
    if (iter > 0) {
      const gain = ll - prevLL;
      if (gain < 0 && -gain > maxDecrease) maxDecrease = -gain;
      const done = opts.paramTol === null ? isConverged(gain, ll, opts) : lastChange <= opts.paramTol;
      if (done) {
        converged = true;
        break;
      }
    }
    if (iter >= opts.maxIter) break;
    if (prevBeta) prevBeta.set(params.beta as Float64Array);
    const change = mStep(data, params, w, useSparse, totalWeight);
    if (change < 0) {
      newtonFailed = true;
      lastChange = Infinity;
    } else lastChange = change;
    iter++;
    prevLL = ll;
  }
  return { logLik: ll, iterations: iter, converged, maxDecrease, newtonFailed, trace };
}

/** Posterior τ (nRows × K) and log-likelihood at fixed params. */
export function posteriorAt(data: LcaData, params: LcaParams, useSparse: boolean, out: Float64Array): number {
  const w = makeWork(data, params.nClasses);
  return eStep(data, params, w, useSparse && !!data.sparse, false, out);
}

/** Seed of start `index` of a run seeded with `seed`: independent of where the start runs. */
export function startSeed(seed: number, index: number): number {
  return (Math.imul(seed | 0, 0x2545f491) ^ Math.imul(index + 1, 0x9e3779b1)) | 0;
}

/**
 * Random start `index` of a run seeded with `seed`, drawn by `method`:
 *  'polca'   — poLCA's draw: item probabilities uniform, normalised per class and item; equal shares.
 *              Poor for sparse binary items (most prevalences < 10 %): every class starts with
 *              endorsement rates near 50 %, far from any class in the data.
 *  'margins' — around the observed item margins: log p_kjc = log m_jc + 1.5·z (z standard normal),
 *              renormalised, so each class starts as a random distortion of the population profile.
 *  'seeded'  — k-means++ on response patterns: K rows are drawn (the first ∝ weight, the next ∝
 *              weight × squared Hamming distance to the nearest seed so far), and class k's profile
 *              is a random mix a ∈ [0.5, 0.8) of its seed row's responses and the margins. Small
 *              classes with a distinct profile get a seed of their own far more often than under
 *              the other two draws.
 *  'mixed'   — 'seeded' for even start indices, 'margins' for odd ones.
 * fitLca's default is 'seeded': on the synthetic demand data (K = 12, 34 sparse items) it reached the
 * maximum found from the true parameters far more often than 'margins', and 'polca' never did.
 * Shares start equal and beta at 0. Output: fresh LcaParams; deterministic in (seed, index).
 */
export function randomStart(data: LcaData, K: number, seed: number, index: number, method: LcaStartMethod = 'polca'): LcaParams {
  const rng = createRng(startSeed(seed, index));
  const T = data.catOffset[data.nItems];
  const probs = new Float64Array(K * T);
  const shares = new Float64Array(K).fill(1 / K);
  const beta = data.covariates ? new Float64Array(data.nCov * (K - 1)) : null;
  const m = method === 'mixed' ? (index % 2 === 0 ? 'seeded' : 'margins') : method;
  if (m === 'polca') {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < data.nItems; j++) {
        const base = k * T + data.catOffset[j];
        const C = data.nCategories[j];
        let s = 0;
        for (let c = 0; c < C; c++) {
          const u = rng.nextFloat() + 1e-12;
          probs[base + c] = u;
          s += u;
        }
        for (let c = 0; c < C; c++) probs[base + c] /= s;
      }
    }
    return { nClasses: K, shares, probs, beta };
  }
  if (m !== 'margins' && m !== 'seeded') throw new Error(`startMethod: '${String(method)}' is not 'polca', 'margins', 'seeded' or 'mixed'`);
  const margins = itemMargins(data);
  if (m === 'margins') {
    for (let k = 0; k < K; k++)
      for (let j = 0; j < data.nItems; j++) {
        const base = data.catOffset[j];
        let s = 0;
        for (let c = 0; c < data.nCategories[j]; c++) {
          const v = margins[base + c] * Math.exp(1.5 * rng.nextNormal());
          probs[k * T + base + c] = v;
          s += v;
        }
        for (let c = 0; c < data.nCategories[j]; c++) probs[k * T + base + c] /= s;
      }
    return { nClasses: K, shares, probs, beta };
  }
  const seeds = seedRows(data, K, rng);
  const J = data.nItems;
  for (let k = 0; k < K; k++) {
    const a = 0.5 + 0.3 * rng.nextFloat();
    const row = seeds[k] * J;
    for (let j = 0; j < J; j++) {
      const base = data.catOffset[j];
      const y = data.codes[row + j];
      for (let c = 0; c < data.nCategories[j]; c++) {
        // a missing response leaves the margins
        probs[k * T + base + c] = y < 0 ? margins[base + c] : (1 - a) * margins[base + c] + (y === c ? a : 0);
      }
    }
  }
  return { nClasses: K, shares, probs, beta };
}

/** Weighted observed share of each category of each item (length T), floored away from 0 and renormalised. */
function itemMargins(data: LcaData): Float64Array {
  const T = data.catOffset[data.nItems];
  const J = data.nItems;
  const m = new Float64Array(T);
  for (let i = 0; i < data.nRows; i++) {
    const w = data.weights[i];
    for (let j = 0; j < J; j++) {
      const y = data.codes[i * J + j];
      if (y >= 0) m[data.catOffset[j] + y] += w;
    }
  }
  for (let j = 0; j < J; j++) {
    const base = data.catOffset[j];
    let s = 0;
    for (let c = 0; c < data.nCategories[j]; c++) s += m[base + c];
    let t = 0;
    for (let c = 0; c < data.nCategories[j]; c++) {
      const v = s > 0 ? Math.max(m[base + c] / s, 1e-3) : 1 / data.nCategories[j];
      m[base + c] = v;
      t += v;
    }
    for (let c = 0; c < data.nCategories[j]; c++) m[base + c] /= t;
  }
  return m;
}

/** k-means++ seeding on (pattern) rows with Hamming distance over items observed in both rows; weights = row weights. */
function seedRows(data: LcaData, K: number, rng: ReturnType<typeof createRng>): Int32Array {
  const n = data.nRows;
  const J = data.nItems;
  const seeds = new Int32Array(K);
  const dist = new Float64Array(n).fill(Infinity);
  // draw over the patterns in lexicographic order of their codes, so that the seeds do not
  // depend on the order of the input rows (which fixes the order of the compressed patterns)
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    for (let j = 0; j < J; j++) {
      const d = data.codes[a * J + j] - data.codes[b * J + j];
      if (d !== 0) return d;
    }
    return a - b;
  });
  const pick = (score: (i: number) => number): number => {
    let total = 0;
    for (let r = 0; r < n; r++) total += score(order[r]);
    if (!(total > 0)) return order[rng.nextInt(n)];
    let u = rng.nextFloat() * total;
    for (let r = 0; r < n; r++) {
      u -= score(order[r]);
      if (u < 0) return order[r];
    }
    return order[n - 1];
  };
  // greedy k-means++ (as in scikit-learn): of 2 + ⌊ln K⌋ candidates drawn ∝ w·d², keep the one
  // that lowers the weighted potential Σ w·d² most
  const nCand = 2 + Math.floor(Math.log(K));
  const candDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  const distTo = (s: number, out: Float64Array): number => {
    const sb = s * J;
    let pot = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      const ib = i * J;
      for (let j = 0; j < J; j++) {
        const a = data.codes[ib + j];
        const b = data.codes[sb + j];
        if (a >= 0 && b >= 0 && a !== b) d++;
      }
      const v = d < dist[i] ? d : dist[i];
      out[i] = v;
      pot += data.weights[i] * v * v;
    }
    return pot;
  };
  for (let k = 0; k < K; k++) {
    if (k === 0) {
      seeds[0] = pick((i) => data.weights[i]);
      distTo(seeds[0], bestDist);
      dist.set(bestDist);
      continue;
    }
    let bestPot = Infinity;
    for (let c = 0; c < nCand; c++) {
      const s = pick((i) => data.weights[i] * dist[i] * dist[i]);
      const pot = distTo(s, candDist);
      if (pot < bestPot) {
        bestPot = pot;
        seeds[k] = s;
        bestDist.set(candDist);
      }
    }
    dist.set(bestDist);
  }
  return seeds;
}

export interface StartResult {
  index: number;
  logLik: number;
  iterations: number;
  converged: boolean;
  maxDecrease: number;
  newtonFailed: boolean;
  params: LcaParams;
}

export interface StartsPlan {
  K: number;
  seed: number;
  /** indices of the random starts to run */
  indices: number[];
  em: EmOptions;
}

/** Run a list of random starts in this thread (also the body of each worker). */
export function runStarts(data: LcaData, plan: StartsPlan): StartResult[] {
  const out: StartResult[] = [];
  for (const index of plan.indices) {
    const params = randomStart(data, plan.K, plan.seed, index, plan.em.startMethod);
    const r = runEm(data, params, plan.em);
    out.push({ index, logLik: r.logLik, iterations: r.iterations, converged: r.converged, maxDecrease: r.maxDecrease, newtonFailed: r.newtonFailed, params });
  }
  return out;
}

/** Continue given starts (after a pre-run) in this thread. */
export function continueStarts(data: LcaData, starts: StartResult[], em: EmOptions): StartResult[] {
  return starts.map((s) => {
    const r = runEm(data, s.params, em);
    return { index: s.index, logLik: r.logLik, iterations: s.iterations + r.iterations, converged: r.converged, maxDecrease: Math.max(s.maxDecrease, r.maxDecrease), newtonFailed: s.newtonFailed || r.newtonFailed, params: s.params };
  });
}

function flatten(p: LcaParams, out: Float64Array): void {
  out.set(p.shares, 0);
  out.set(p.probs, p.shares.length);
  if (p.beta) out.set(p.beta, p.shares.length + p.probs.length);
}

/** Write a flat vector back into params, projecting shares and probabilities onto their simplices. */
function unflattenProjected(x: Float64Array, p: LcaParams, data: LcaData): void {
  const K = p.nClasses;
  const T = p.probs.length / K;
  const floor = 1e-12;
  let s = 0;
  for (let k = 0; k < K; k++) {
    const v = x[k] > floor ? x[k] : floor;
    p.shares[k] = v;
    s += v;
  }
  for (let k = 0; k < K; k++) p.shares[k] /= s;
  for (let k = 0; k < K; k++)
    for (let j = 0; j < data.nItems; j++) {
      const base = k * T + data.catOffset[j];
      let t = 0;
      for (let c = 0; c < data.nCategories[j]; c++) {
        const v = x[K + base + c];
        const q = v > floor ? v : floor;
        p.probs[base + c] = q;
        t += q;
      }
      for (let c = 0; c < data.nCategories[j]; c++) p.probs[base + c] /= t;
    }
  if (p.beta) for (let d = 0; d < p.beta.length; d++) p.beta[d] = x[K + p.probs.length + d];
}

/**
 * SQUAREM-accelerated EM. A cycle: two EM steps θ0→θ1→θ2, extrapolate
 * θ′ = θ0 − 2αr + α²v (r = θ1−θ0, v = θ2−2θ1+θ0, α = −‖r‖/‖v‖ ≤ −1), project, and accept θ′
 * (followed by one stabilising EM step) only if ℓ(θ′) ≥ ℓ(θ1); else continue from θ2.
 * The log-likelihood at cycle starts never decreases; the fixed points are EM's.
 */
function runEmAccelerated(data: LcaData, params: LcaParams, opts: EmOptions): EmOutcome {
  const K = params.nClasses;
  const w = makeWork(data, K);
  const useSparse = opts.useSparse && !!data.sparse;
  let totalWeight = 0;
  for (let i = 0; i < data.nRows; i++) totalWeight += data.weights[i];
  const L = K + params.probs.length + (params.beta ? params.beta.length : 0);
  const x0 = new Float64Array(L);
  const x1 = new Float64Array(L);
  const x2 = new Float64Array(L);
  const xp = new Float64Array(L);
  const trace: number[] | null = opts.trace ? [] : null;
  let prevLL = -Infinity;
  let iter = 0;
  let converged = false;
  let maxDecrease = 0;
  let newtonFailed = false;
  let lastChange = Infinity;
  let ll = -Infinity;
  let cycle = 0;
  const prevBeta = params.beta ? new Float64Array(params.beta.length) : null;
  // ℓ at the params whose statistics are in w (the E-step that feeds the M-step)
  let llBefore = -Infinity;
  const step = (): void => {
    if (prevBeta) prevBeta.set(params.beta as Float64Array);
    const c = mStep(data, params, w, useSparse, totalWeight);
    if (c < 0) {
      newtonFailed = true;
      lastChange = Infinity;
    } else lastChange = c;
    iter++;
    // covariate models: check the beta step now (one extra E-step) so that every EM step in a cycle is monotone
    if (prevBeta) {
      const llAfter = eStep(data, params, w, useSparse, true, null);
      backtrackBeta(data, params, w, useSparse, true, prevBeta, llBefore, llAfter);
    }
  };
  for (;;) {
    ll = eStep(data, params, w, useSparse, iter < opts.maxIter, null);
    if (trace) trace.push(ll);
    if (cycle > 0) {
      const gain = ll - prevLL;
      if (gain < 0 && -gain > maxDecrease) maxDecrease = -gain;
      const done = opts.paramTol === null ? isConverged(gain, ll, opts) : lastChange <= opts.paramTol;
      if (done) {
        converged = true;
        break;
      }
    }
    if (iter >= opts.maxIter) break;
    cycle++;
    prevLL = ll;
    flatten(params, x0);
    llBefore = ll;
    step();
    if (iter >= opts.maxIter) continue;
    flatten(params, x1);
    const ll1 = eStep(data, params, w, useSparse, true, null);
    llBefore = ll1;
    step();
    flatten(params, x2);
    if (iter >= opts.maxIter) continue;
    let rr = 0;
    let vv = 0;
    for (let d = 0; d < L; d++) {
      const r = x1[d] - x0[d];
      const v = x2[d] - 2 * x1[d] + x0[d];
      rr += r * r;
      vv += v * v;
    }
    if (!(vv > 0)) continue;
    const alpha = -Math.sqrt(rr / vv);
    if (alpha >= -1) continue;
    for (let d = 0; d < L; d++) {
      const r = x1[d] - x0[d];
      const v = x2[d] - 2 * x1[d] + x0[d];
      xp[d] = x0[d] - 2 * alpha * r + alpha * alpha * v;
    }
    unflattenProjected(xp, params, data);
    const llp = eStep(data, params, w, useSparse, true, null);
    if (llp >= ll1 && Number.isFinite(llp)) {
      llBefore = llp;
      step();
    } else {
      unflattenProjected(x2, params, data);
    }
  }
  return { logLik: ll, iterations: iter, converged, maxDecrease, newtonFailed, trace };
}
