/**
 * Numeric core of the latent class engine: EM on (compressed) response patterns.
 *
 * Nearly self-contained on purpose: it imports only the seeded RNG, the small linear algebra
 * of src/core/linalg and the sibling files of this folder (none of which import outside it), so that it can be bundled
 * into a worker thread (see ../parallel) and give bit-identical results there and in-thread.
 * It sees typed arrays and dimensions only (no arquero, no I/O).
 *
 * Layouts (all row-major):
 *   codes       nRows × nItems Int16Array, category 0..C_j−1, −1 = missing
 *   probs       nClasses × totalCats, entry [k*T + catOffset[j] + c] = P(item j = c | class k)
 *   beta        nCov × (K−1): log(π_ik/π_i1) = x_i′ b_k (class 0 is the reference)
 * Internally the per-iteration tables are category-major ([cat][k]) so the K values an
 * observed response touches are contiguous.
 */
import { type Work, makeWork } from './work';
import { eStep } from './estep';
import { mStep } from './mstep';
import type { LcaStartMethod } from './starts';

export type { LcaSparseCodes, LcaData, LcaParams } from '../types';
import type { LcaData, LcaParams } from '../types';

export type { LcaStartMethod } from './starts';
export { startSeed, randomStart } from './starts';
export { mStep } from './mstep';

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
  /**
   * Futility bar (null/undefined = off): stop a run, as `abandoned`, once it cannot reach this
   * log-likelihood within its remaining iterations even if every remaining iteration gained as
   * much as its last iteration (or SQUAREM cycle) did. EM's gains shrink as it settles, so this
   * bound is loose; it only ends runs heading for a maximum well below the bar. Used for the
   * replication batches of fitLca, with the bar at the best log-likelihood found so far minus
   * the replication tolerance: such a run could neither become the best nor replicate it.
   */
  abandonBelow?: number | null;
}

/** Iterations a run makes before the futility bar is looked at (its gains are erratic at first). */
const ABANDON_MIN_ITER = 15;

/** True when the run at ℓ with the last gain cannot reach opts.abandonBelow within its remaining iterations. */
function hopeless(ll: number, gain: number, iter: number, opts: EmOptions): boolean {
  const bar = opts.abandonBelow;
  if (bar === null || bar === undefined || iter < ABANDON_MIN_ITER) return false;
  return ll + Math.max(gain, 0) * Math.max(opts.maxIter - iter, 0) < bar;
}


export interface EmOutcome {
  logLik: number;
  iterations: number;
  converged: boolean;
  /** largest decrease of the log-likelihood between iterations (0 if none) */
  maxDecrease: number;
  /** Newton step for beta failed (singular information) at least once */
  newtonFailed: boolean;
  /** stopped by the futility bar (EmOptions.abandonBelow); not converged */
  abandoned: boolean;
  trace: number[] | null;
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

/** Makes the E-step's Work for a run; the default keeps everything in this thread (see ../parallel for threads). */
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
  let abandoned = false;
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
      if (hopeless(ll, gain, run.iter, opts)) {
        abandoned = true;
        break;
      }
    }
    if (run.iter >= opts.maxIter) break;
    mStepCounted(data, params, w, run);
    prevLL = ll;
  }
  return { logLik: ll, iterations: run.iter, converged, maxDecrease, newtonFailed: run.newtonFailed, abandoned, trace };
}

/** Posterior τ (nRows × K), optionally each row's log P(y_i), and the log-likelihood at fixed params. */
export function posteriorAt(data: LcaData, params: LcaParams, useSparse: boolean, out: Float64Array, rowLogLikOut: Float64Array | null = null): number {
  const w = makeWork(data, params.nClasses, useSparse);
  return eStep(data, params, w, false, out, rowLogLikOut);
}

export interface StartResult {
  index: number;
  logLik: number;
  iterations: number;
  converged: boolean;
  maxDecrease: number;
  newtonFailed: boolean;
  /** stopped early by the futility bar (see EmOptions.abandonBelow) */
  abandoned?: boolean;
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
  let abandoned = false;
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
    if (hopeless(llNew, gain, run.iter, opts)) {
      abandoned = true;
      break;
    }
  }
  return { logLik: ll0, iterations: run.iter, converged, maxDecrease, newtonFailed: run.newtonFailed, abandoned, trace };
}
