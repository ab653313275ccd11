/**
 * Numeric core of the latent class engine: EM on (compressed) response patterns.
 *
 * Nearly self-contained on purpose: it imports only the seeded RNG, the small linear algebra
 * of src/core/linalg and ./estep (none of which import anything), so that it can be bundled
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
import { createRng } from '../core/random';
import { cholSolve, cholesky } from '../core/linalg';
import { type Work, eStep, makeWork } from './estep';

export type { LcaSparseCodes, LcaData, LcaParams } from './types';
import type { LcaData, LcaParams } from './types';

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
  /** record the log-likelihood after every iteration (plain EM) or at every cycle start (SQUAREM) */
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
    // information is symmetric positive definite unless the logit is separated or collinear
    const L = cholesky(w.info, D);
    if (!L) return -1;
    w.step.set(cholSolve(L, D, w.grad));
    for (let d = 0; d < D; d++) {
      params.beta[d] += w.step[d];
      const a = Math.abs(w.step[d]);
      if (a > maxChange) maxChange = a;
    }
  }
  return maxChange;
}

/**
 * Stopping rule: with paramTol, no parameter moved by more than paramTol in the last M-step;
 * otherwise poLCA's gain rule (plus the optional relative one). A decrease larger than
 * rounding is never taken as convergence: it means the step went wrong, not that EM settled.
 */
function stopsHere(gain: number, ll: number, lastChange: number, opts: EmOptions): boolean {
  if (opts.paramTol !== null) return lastChange <= opts.paramTol;
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
    ll = eStep(data, params, w, accumulate, null);
  }
  return ll;
}

/** Makes the E-step's Work for a run; the default keeps everything in this thread (see ./parallel for threads). */
export type WorkFactory = (data: LcaData, K: number, useSparse: boolean) => Work;

/**
 * Run EM from `params` (updated in place) until convergence or maxIter M-steps.
 * `workFactory` decides where the E-step runs; the numbers do not depend on it.
 */
export function runEm(data: LcaData, params: LcaParams, opts: EmOptions, workFactory: WorkFactory | null = null): EmOutcome {
  const w = workFactory ? workFactory(data, params.nClasses, opts.useSparse) : makeWork(data, params.nClasses, opts.useSparse);
  try {
    return opts.accelerate ? runEmAccelerated(data, params, opts, w) : runEmPlain(data, params, opts, w);
  } finally {
    w.runner?.close();
  }
}

/** State both EM loops share: the M-step with its bookkeeping (iterations, last change, Newton failures). */
interface EmRun {
  useSparse: boolean;
  totalWeight: number;
  /** beta before the last M-step (for the step-halving safeguard), or null without covariates */
  prevBeta: Float64Array | null;
  iter: number;
  /** largest parameter change of the last M-step (Infinity after a failed Newton step) */
  lastChange: number;
  newtonFailed: boolean;
}

function beginRun(data: LcaData, params: LcaParams, opts: EmOptions): EmRun {
  let totalWeight = 0;
  for (let i = 0; i < data.nRows; i++) totalWeight += data.weights[i];
  return {
    useSparse: opts.useSparse && !!data.sparse,
    totalWeight,
    prevBeta: params.beta ? new Float64Array(params.beta.length) : null,
    iter: 0,
    lastChange: Infinity,
    newtonFailed: false,
  };
}

/** One M-step from the statistics in w, counted and recorded in `run`. */
function mStepCounted(data: LcaData, params: LcaParams, w: Work, run: EmRun): void {
  if (run.prevBeta) run.prevBeta.set(params.beta as Float64Array);
  const change = mStep(data, params, w, run.useSparse, run.totalWeight);
  if (change < 0) {
    run.newtonFailed = true;
    run.lastChange = Infinity;
  } else run.lastChange = change;
  run.iter++;
}

function runEmPlain(data: LcaData, params: LcaParams, opts: EmOptions, w: Work): EmOutcome {
  const run = beginRun(data, params, opts);
  const trace: number[] | null = opts.trace ? [] : null;
  let prevLL = -Infinity;
  let converged = false;
  let maxDecrease = 0;
  let ll = -Infinity;
  for (;;) {
    const accumulate = run.iter < opts.maxIter;
    ll = eStep(data, params, w, accumulate, null);
    if (run.iter > 0 && run.prevBeta) ll = backtrackBeta(data, params, w, run.useSparse, accumulate, run.prevBeta, prevLL, ll);
    if (trace) trace.push(ll);
    if (run.iter > 0) {
      const gain = ll - prevLL;
      if (gain < 0 && -gain > maxDecrease) maxDecrease = -gain;
      if (stopsHere(gain, ll, run.lastChange, opts)) {
        converged = true;
        break;
      }
    }
    if (run.iter >= opts.maxIter) break;
    mStepCounted(data, params, w, run);
    prevLL = ll;
  }
  return { logLik: ll, iterations: run.iter, converged, maxDecrease, newtonFailed: run.newtonFailed, trace };
}

/** Posterior τ (nRows × K), optionally each row's log P(y_i), and the log-likelihood at fixed params. */
export function posteriorAt(data: LcaData, params: LcaParams, useSparse: boolean, out: Float64Array, rowLogLikOut: Float64Array | null = null): number {
  const w = makeWork(data, params.nClasses, useSparse);
  return eStep(data, params, w, false, out, rowLogLikOut);
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

/** Set bits per byte value, for Hamming distances on the blocked codes. */
const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let v = 1; v < 256; v++) t[v] = t[v >> 1] + (v & 1);
  return t;
})();

/**
 * Number of items observed in both rows i and s on which they differ. Uses the cheapest
 * layout available: the blocked bytes (binary items: popcount of XOR), the sparse entries
 * (`seedCat` = row s's non-reference category per item, −1 for the reference), or the codes.
 * Rows with missing items always use the codes.
 */
function hamming(data: LcaData, i: number, s: number, seedCat: Int32Array): number {
  const sp = data.sparse;
  const noMissing = sp ? sp.missStart[i + 1] === sp.missStart[i] && sp.missStart[s + 1] === sp.missStart[s] : false;
  if (sp && noMissing && data.blocks) {
    const B = data.blocks.nBlocks;
    const bytes = data.blocks.bytes;
    let d = 0;
    for (let b = 0; b < B; b++) d += POPCOUNT[bytes[i * B + b] ^ bytes[s * B + b]];
    return d;
  }
  if (sp && noMissing) {
    // items where s is non-reference all differ unless i has the same category there
    let d = sp.entryStart[s + 1] - sp.entryStart[s];
    for (let e = sp.entryStart[i]; e < sp.entryStart[i + 1]; e++) {
      const c = seedCat[sp.entryItem[e]];
      if (c < 0) d++;
      else if (c === sp.entryCat[e]) d--;
    }
    return d;
  }
  const J = data.nItems;
  let d = 0;
  for (let j = 0; j < J; j++) {
    const a = data.codes[i * J + j];
    const b = data.codes[s * J + j];
    if (a >= 0 && b >= 0 && a !== b) d++;
  }
  return d;
}

/** k-means++ seeding on (pattern) rows with Hamming distance over items observed in both rows; weights = row weights. */
function seedRows(data: LcaData, K: number, rng: ReturnType<typeof createRng>): Int32Array {
  const n = data.nRows;
  const J = data.nItems;
  const seeds = new Int32Array(K);
  const dist = new Float64Array(n).fill(Infinity);
  // draw over the patterns in an order fixed by their codes alone, so that the seeds do not
  // depend on the order of the input rows (which fixes the order of the compressed patterns):
  // by a 53-bit hash of the codes (one numeric compare per step instead of up to J), ties by the codes
  const order = new Int32Array(n);
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let j = 0; j < J; j++) {
      const c = data.codes[i * J + j] + 2;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    key[i] = (h1 >>> 0) * 2097152 + ((h2 >>> 0) >>> 11);
  }
  order.sort((a, b) => {
    const d = key[a] - key[b];
    if (d !== 0) return d;
    for (let j = 0; j < J; j++) {
      const c = data.codes[a * J + j] - data.codes[b * J + j];
      if (c !== 0) return c;
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
    let pot = 0;
    for (let i = 0; i < n; i++) {
      const d = hamming(data, i, s, seedCat);
      const v = d < dist[i] ? d : dist[i];
      out[i] = v;
      pot += data.weights[i] * v * v;
    }
    return pot;
  };
  // the seed's non-reference category per item (−1 = reference), for the sparse distance
  const seedCat = new Int32Array(J);
  const markSeed = (s: number): void => {
    if (!data.sparse) return;
    seedCat.fill(-1);
    for (let e = data.sparse.entryStart[s]; e < data.sparse.entryStart[s + 1]; e++) seedCat[data.sparse.entryItem[e]] = data.sparse.entryCat[e];
  };
  for (let k = 0; k < K; k++) {
    if (k === 0) {
      seeds[0] = pick((i) => data.weights[i]);
      markSeed(seeds[0]);
      distTo(seeds[0], bestDist);
      dist.set(bestDist);
      continue;
    }
    let bestPot = Infinity;
    for (let c = 0; c < nCand; c++) {
      const s = pick((i) => data.weights[i] * dist[i] * dist[i]);
      markSeed(s);
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

/**
 * Flat working vector for SQUAREM: log shares, log item probabilities, beta. In log space an
 * extrapolated point is always a valid model after renormalising, so no projection onto the
 * simplex is needed (probabilities near 0 are where EM is slowest and raw-space steps leave it).
 */
function toWorking(p: LcaParams, out: Float64Array): void {
  const K = p.nClasses;
  const P = p.probs.length;
  for (let k = 0; k < K; k++) out[k] = Math.log(p.shares[k] > 1e-300 ? p.shares[k] : 1e-300);
  for (let t = 0; t < P; t++) out[K + t] = Math.log(p.probs[t] > 1e-300 ? p.probs[t] : 1e-300);
  if (p.beta) out.set(p.beta, K + P);
}

/** Inverse of toWorking: exponentiate and renormalise shares and each class-item distribution. */
function fromWorking(x: Float64Array, p: LcaParams, data: LcaData): void {
  const K = p.nClasses;
  const T = p.probs.length / K;
  const softmaxInto = (dst: Float64Array, dstOff: number, srcOff: number, n: number): void => {
    let m = -Infinity;
    for (let c = 0; c < n; c++) if (x[srcOff + c] > m) m = x[srcOff + c];
    let s = 0;
    for (let c = 0; c < n; c++) {
      const v = Math.exp(x[srcOff + c] - m);
      dst[dstOff + c] = v;
      s += v;
    }
    for (let c = 0; c < n; c++) dst[dstOff + c] /= s;
  };
  softmaxInto(p.shares, 0, 0, K);
  for (let k = 0; k < K; k++)
    for (let j = 0; j < data.nItems; j++) {
      const base = k * T + data.catOffset[j];
      softmaxInto(p.probs, base, K + base, data.nCategories[j]);
    }
  if (p.beta) for (let d = 0; d < p.beta.length; d++) p.beta[d] = x[K + p.probs.length + d];
}

/**
 * SQUAREM-accelerated EM (Varadhan & Roland 2008, scheme S3, with the step-length control of
 * R's SQUAREM package: the step α starts capped at 1 and the cap grows ×4 each time α hits it).
 * One cycle from θ0 (ℓ0 known, its E-step statistics in w):
 *   θ1 = F(θ0), θ2 = F(θ1), r = θ1 − θ0, v = θ2 − 2θ1 + θ0 (working space, see toWorking),
 *   α = clamp(‖r‖/‖v‖, 1, cap), θ′ = F(θ0 + 2αr + α²v)  (the F stabilises the jump),
 * accepted if ℓ(θ′) ≥ ℓ0, else θ′ = θ2 (and the cap shrinks back). So ℓ at cycle starts never
 * decreases, and the fixed points are EM's. `iterations` counts EM maps F (M-steps): a cycle is
 * 3 M-steps and 4 E-steps (5 when the jump is rejected), plus any beta step-halving. The stopping
 * rule is plain EM's, applied to the larger of the cycle's gains at θ2 and θ′: a jump that lands
 * between θ0 and θ2 does not stop EM while the two plain steps were still gaining.
 */
function runEmAccelerated(data: LcaData, params: LcaParams, opts: EmOptions, w: Work): EmOutcome {
  const run = beginRun(data, params, opts);
  const L = params.nClasses + params.probs.length + (params.beta ? params.beta.length : 0);
  const x0 = new Float64Array(L);
  const x1 = new Float64Array(L);
  const x2 = new Float64Array(L);
  const xp = new Float64Array(L);
  const trace: number[] | null = opts.trace ? [] : null;
  const STEP_MAX0 = 1;
  const STEP_FACTOR = 4;
  let stepMax = STEP_MAX0;
  let converged = false;
  let maxDecrease = 0;
  // EM map F applied to params, whose E-step statistics (at log-likelihood llAt) are in w;
  // returns ℓ at the new params, with their statistics in w.
  const emMap = (llAt: number): number => {
    mStepCounted(data, params, w, run);
    const ll = eStep(data, params, w, true, null);
    return run.prevBeta ? backtrackBeta(data, params, w, run.useSparse, true, run.prevBeta, llAt, ll) : ll;
  };
  let ll0 = eStep(data, params, w, opts.maxIter > 0, null);
  if (trace) trace.push(ll0);
  while (run.iter < opts.maxIter) {
    toWorking(params, x0);
    const ll1 = emMap(ll0);
    let llNew: number;
    // ℓ the stopping rule compares with ℓ0 (see the header)
    let gainRef = -Infinity;
    if (run.iter >= opts.maxIter) llNew = ll1;
    else {
      toWorking(params, x1);
      const ll2 = emMap(ll1);
      toWorking(params, x2);
      llNew = ll2;
      let rr = 0;
      let vv = 0;
      for (let d = 0; d < L; d++) {
        const r = x1[d] - x0[d];
        const v = x2[d] - 2 * x1[d] + x0[d];
        rr += r * r;
        vv += v * v;
      }
      if (vv > 0 && run.iter < opts.maxIter) {
        const alpha = Math.max(1, Math.min(stepMax, Math.sqrt(rr / vv)));
        for (let d = 0; d < L; d++) {
          const r = x1[d] - x0[d];
          const v = x2[d] - 2 * x1[d] + x0[d];
          xp[d] = x0[d] + 2 * alpha * r + alpha * alpha * v;
        }
        fromWorking(xp, params, data);
        // what the M-step at θ2 left, restored if the jump is rejected
        const changeAtX2: number = run.lastChange;
        const newtonFailedAtX2: boolean = run.newtonFailed;
        const llJump = eStep(data, params, w, true, null);
        const llp = Number.isFinite(llJump) ? emMap(llJump) : -Infinity;
        if (llp >= ll0 && Number.isFinite(llp)) {
          llNew = llp;
          gainRef = Math.max(llp, ll2);
          if (alpha === stepMax) stepMax *= STEP_FACTOR;
        } else {
          // back to θ2 (its statistics are recomputed: w now holds the rejected point's)
          if (alpha === stepMax) stepMax = Math.max(STEP_MAX0, stepMax / STEP_FACTOR);
          run.lastChange = changeAtX2;
          run.newtonFailed = newtonFailedAtX2;
          fromWorking(x2, params, data);
          llNew = eStep(data, params, w, true, null);
        }
      }
    }
    if (trace) trace.push(llNew);
    if (llNew < ll0 && ll0 - llNew > maxDecrease) maxDecrease = ll0 - llNew;
    const gain = Math.max(llNew, gainRef) - ll0;
    ll0 = llNew;
    if (stopsHere(gain, llNew, run.lastChange, opts)) {
      converged = true;
      break;
    }
  }
  return { logLik: ll0, iterations: run.iter, converged, maxDecrease, newtonFailed: run.newtonFailed, trace };
}
