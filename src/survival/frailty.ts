// Shared gamma frailty in the Cox model by penalised partial likelihood, as R's
// coxph(Surv(...) ~ x + frailty(g, distribution = "gamma")). Source: Therneau, Grambsch &
// Pankratz (2003), J. Comput. Graph. Stat. 12:156–175; Therneau & Grambsch (2000), ch. 9.
// For fixed θ the log-frailties w enter as indicator columns with the gamma penalty
// (1/θ) Σ (exp(w_j) − w_j); θ maximises the integrated (I-) likelihood, i.e. the penalised
// partial likelihood plus a closed-form correction (R's default 'em' method for gamma frailty
// targets the same maximum), found as the root of its slope (frailtyTheta.ts). The inner fits
// share one workspace, start from the previous θ's solution and reuse its sweep.
import { pChisqUpper, pNormTwoSided } from '../core/distributions';
import { degenerateMessage, guardedSe, usableVariance, waldInference } from '../core/guard';
import { cholesky, cholSolve } from '../core/linalg';
import { formatNumber } from '../core/numberStyle';
import { labelCodes, type Label } from '../core/groups';
import { reportProgress } from '../core/progress';
import type { FitProtocol, TidyRow } from '../core/result';
import type { CoxData } from './coxcore';
import { frailtyLogLik, makeFrailtyWorkspace, type FrailtySweepWorkspace } from './frailtySweep';
import { denseInformation, denseVariance, FULL_VARIANCE_LIMIT, sparseVariance, type SparseInfo } from './frailtyVariance';
import { prepareCox, type CoxInput } from './coxPrepare';
import { gammaCorrection, iLikelihoodSlope, searchTheta } from './frailtyTheta';

export interface CoxFrailtyInput extends CoxInput {
  /** Group of each row (e.g. LA); the shared gamma frailty's grouping. */
  frailty: ArrayLike<Label>;
  /** Fix the frailty variance θ (R's frailty(theta =)); default: maximise the I-likelihood. */
  frailtyTheta?: number;
}

export interface CoxFrailtyFit extends FitProtocol {
  readonly kind: 'coxph-frailty';
  readonly names: readonly string[];
  readonly coef: readonly number[];
  /** sqrt(diag(var)): the coefficient block of H⁻¹ under R's sparse convention (see `sparse`). */
  readonly se: readonly number[];
  /** R's se2: the coefficient block of H⁻¹ I H⁻¹. */
  readonly se2: readonly number[];
  readonly vcov: readonly (readonly number[])[];
  readonly vcov2: readonly (readonly number[])[];
  readonly chisq: readonly number[];
  readonly p: readonly number[];
  /** Frailty variance (R's 'Variance of random effect'). */
  readonly theta: number;
  readonly frailtyLevels: readonly string[];
  /** Estimated log-frailties w_j (levels in sorted order) and their variances (frailty diagonal of H⁻¹). */
  readonly frailties: Float64Array;
  readonly frailtyVariance: Float64Array;
  readonly frailtyTest: { statistic: number; df: number; p: number };
  /** Effective degrees of freedom per term: the coefficients, then 'frailty'. */
  readonly dfTerms: Readonly<Record<string, number>>;
  /** [partial log-likelihood at 0, at the estimate (no penalty)]. */
  readonly logLik: readonly [number, number];
  /** R's fit$penalty: (1/θ) Σ(−w_j). */
  readonly penalty: number;
  readonly penalizedLogLik: number;
  readonly gammaCorrection: number;
  readonly iLikelihood: number;
  readonly lrTest: { statistic: number; df: number; p: number };
  readonly means: readonly number[];
  /** x′β + w_g − Σ means·β, original row order. */
  readonly linearPredictors: Float64Array;
  /** R's default (sparse = TRUE with > 5 groups) keeps only the diagonal of the frailty block of H and I. */
  readonly sparse: boolean;
  /**
   * The same fit's variance from the full matrices (R's sparse = FALSE at the same θ); null when
   * n·(p + G)² exceeds FULL_VARIANCE_LIMIT with more than 5 groups (the sparse fit never forms them).
   */
  readonly nonsparse: null | { readonly se: readonly number[]; readonly se2: readonly number[]; readonly vcov: readonly (readonly number[])[]; readonly dfTerms: Readonly<Record<string, number>> };
  readonly n: number;
  readonly nEvent: number;
  readonly converged: boolean;
  readonly thetaSearch: readonly { theta: number; iLikelihood: number }[];
  /** tidy() rows, then the frailty term's test (statistic, df, p). */
  summary(): TidyRow[];
}

interface InnerFit { beta: Float64Array; ll: number; ppl: number; converged: boolean; info: SparseInfo }

/**
 * Maximises ℓ(β, w) − (1/θ) Σ (e^{w_j} − w_j) by Newton–Raphson with step halving, from `start`
 * (β then w). The Newton matrix keeps only the diagonal of the frailty block (R's sparse
 * frailty iterations); the score is exact, so the maximum is the same. The step solves the
 * (p + G) system through the p × p Schur complement: O(p²·G) per iteration, no (p + G)² matrix.
 * θ = 0 fits w ≡ 0 (no frailty).
 */
function innerFit(d: CoxData, group: Int32Array, G: number, theta: number, start: Float64Array, eps: number, iterMax: number, ws: FrailtySweepWorkspace, startLL?: number): InnerFit {
  const p = d.p;
  const m = p + G;
  const nu = theta > 0 ? 1 / theta : 0;
  const beta = Float64Array.from(start);
  if (theta === 0) beta.fill(0, p);
  const pen = (b: Float64Array): number => {
    let s = 0;
    // Σ(e^w − 1 − w): 0 at w = 0, and −Σw at the optimum (where mean e^w = 1), R's penalty.
    for (let j = 0; j < G; j++) s += Math.exp(b[p + j]) - 1 - b[p + j];
    return nu * s;
  };
  const evalAt = (b: Float64Array) => frailtyLogLik(d, group, b.subarray(0, p), b.subarray(p), ws);
  // startLL: ws already holds the (penalty-free) sweep at start, e.g. the previous θ's solution.
  let ll = startLL !== undefined && theta > 0 ? startLL : evalAt(beta);
  let ppl = ll - pen(beta);
  let converged = false;
  const step = new Float64Array(m);
  const dinv = new Float64Array(G);
  const gw = new Float64Array(G);
  const vw = new Float64Array(G);
  const z2 = new Float64Array(m);
  const zeroP = new Float64Array(p);
  for (let iter = 0; iter < iterMax; iter++) {
    // Newton matrix K = [[H_bb, H_bw], [H_wb, D]], D = diag(I_ww + ν e^w), solved through the
    // Schur complement S = H_bb − H_bw D⁻¹ H_wb.
    const S = Float64Array.from(ws.imat);
    if (theta > 0) {
      for (let j = 0; j < G; j++) {
        dinv[j] = 1 / (ws.hww[j] + nu * Math.exp(beta[p + j]));
        gw[j] = ws.uw[j] - nu * (Math.exp(beta[p + j]) - 1);
      }
      for (let a = 0; a < p; a++) {
        const ra = a * G;
        for (let c = a; c < p; c++) {
          const rc = c * G;
          let t = 0;
          for (let j = 0; j < G; j++) t += ws.hbw[ra + j] * dinv[j] * ws.hbw[rc + j];
          S[a * p + c] -= t;
          if (c !== a) S[c * p + a] -= t;
        }
      }
    }
    const L = cholesky(S, p);
    if (!L) break;
    const solveK = (gb: Float64Array, gwv: Float64Array, out: Float64Array): void => {
      const rb = Float64Array.from(gb);
      if (theta > 0) for (let a = 0; a < p; a++) { let r = 0; for (let j = 0; j < G; j++) r += ws.hbw[a * G + j] * dinv[j] * gwv[j]; rb[a] -= r; }
      const sb = cholSolve(L, p, rb);
      out.fill(0);
      out.set(sb);
      if (theta > 0) for (let j = 0; j < G; j++) { let t = gwv[j]; for (let a = 0; a < p; a++) t -= ws.hbw[a * G + j] * sb[a]; out[p + j] = dinv[j] * t; }
    };
    solveK(ws.u, gw, step);
    if (theta > 0) {
      // The dropped off-diagonal frailty block is close to rank one: the indicators sum to the
      // constant column, whose Cox information is 0, so I_ww 1 = 0 and I_ww ≈ diag(h) − h h′/Σh.
      // A Sherman–Morrison update with that term speeds the iterations up (same maximum).
      let hs = 0;
      for (let j = 0; j < G; j++) hs += ws.hww[j];
      if (hs > 0) {
        for (let j = 0; j < G; j++) vw[j] = ws.hww[j] / Math.sqrt(hs);
        solveK(zeroP, vw, z2);
        let vz2 = 0;
        let vz1 = 0;
        for (let j = 0; j < G; j++) { vz2 += vw[j] * z2[p + j]; vz1 += vw[j] * step[p + j]; }
        const den = 1 - vz2;
        if (den > 1e-8) for (let a = 0; a < m; a++) step[a] += (z2[a] * vz1) / den;
      }
    }
    let scale = 1;
    let next = Float64Array.from(beta);
    let nll = ll;
    let nppl = -Infinity;
    for (let half = 0; half < 30; half++) {
      next = Float64Array.from(beta);
      for (let a = 0; a < m; a++) next[a] += scale * step[a];
      nll = evalAt(next);
      nppl = nll - pen(next);
      if (Number.isFinite(nppl) && nppl >= ppl - 1e-12 * Math.abs(ppl)) break;
      scale /= 2;
    }
    let maxStep = 0;
    for (let a = 0; a < m; a++) maxStep = Math.max(maxStep, Math.abs(scale * step[a]));
    const change = Math.abs(1 - ppl / nppl);
    beta.set(next);
    ll = nll;
    ppl = nppl;
    // The sparse Newton matrix converges linearly in w, so stop on a small step as well as a small change.
    if (change <= eps && maxStep < 1e-11) { converged = true; break; }
  }
  // ws already holds the sweep at beta: every evaluated step is taken (beta.set(next) above).
  return {
    beta, ll, ppl, converged,
    info: { ibb: Float64Array.from(ws.imat), ibw: Float64Array.from(ws.hbw), iww: Float64Array.from(ws.hww) },
  };
}

function nested(a: Float64Array, k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from(a.subarray(i * k, i * k + k)));
}

/**
 * Cox model with a shared gamma frailty: R's
 * `coxph(Surv(time, status) ~ x + frailty(g, distribution = "gamma"))`.
 * Inputs: CoxFrailtyInput (right-censored or (entry, stop] rows, optional strata; no cluster).
 * Output: a frozen CoxFrailtyFit: coefficients, SEs as coxph prints them (R's sparse convention
 * when there are more than 5 groups, full-matrix values in `nonsparse`), θ, frailties and their
 * variances, effective df per term, partial/penalised/integrated likelihoods.
 * θ at the boundary 0 (no between-group variation) is reported as 0 with a warning, as coxph.
 * Failure: throws on a cluster term, robust variance, or fitCox's input errors.
 */
export function fitCoxFrailty(input: CoxFrailtyInput): CoxFrailtyFit {
  if (input.cluster !== undefined || input.robust) throw new Error('fitCox: frailty() cannot be combined with cluster() or a robust variance');
  const eps = input.eps ?? 1e-9;
  const iterMax = input.iterMax ?? 50;
  const base = prepareCox(input);
  const n = base.data.n;
  const p = base.data.p;
  const names = base.names;
  const fc = labelCodes(input.frailty, n, 'fitCox: frailty');
  const G = fc.levels.length;
  const m = p + G;
  // Frailty group of each sweep position; the indicator columns are never formed (frailtySweep.ts).
  const d = base.data;
  const group = new Int32Array(n);
  const events = new Float64Array(G);
  for (let k = 0; k < n; k++) {
    const g = fc.codes[d.order[k]];
    group[k] = g;
    events[g] += d.status[k];
  }
  const warnings: string[] = [];
  // One workspace for every sweep of the fit (θ search and final fit).
  const ws = makeFrailtyWorkspace(n, p, G, d);
  const ll0 = frailtyLogLik(d, group, new Float64Array(p), new Float64Array(G), ws);

  const search: { theta: number; iLikelihood: number }[] = [];
  let warm = new Float64Array(m);
  // The inner fit at each θ tried (β, w and the sparse information: O(p·G) each); the final fit
  // reuses the one at θ̂. wsAt: the solution whose sweep ws holds, so the next θ starts without one.
  const fits = new Map<number, InnerFit>();
  let wsAt: InnerFit | null = null;
  const innerEps = 1e-13;
  const innerMax = 200;
  const at = (theta: number) => {
    const f = innerFit(d, group, G, theta, warm, innerEps, innerMax, ws, wsAt !== null && wsAt.beta === warm ? wsAt.ll : undefined);
    if (theta > 0) warm = f.beta;
    wsAt = f;
    fits.set(theta, f);
    const v = f.ppl + gammaCorrection(theta, events);
    search.push({ theta, iLikelihood: v });
    reportProgress(input.onProgress, search.length, search.length + 1, `frailty variance: inner fit ${search.length} at θ = ${formatNumber(theta, 4)}`);
    return { v, dv: theta > 0 ? iLikelihoodSlope(theta, f.beta.subarray(p), events) : NaN };
  };
  let theta: number;
  if (input.frailtyTheta !== undefined) {
    if (!(input.frailtyTheta >= 0)) throw new Error(`fitCox: frailtyTheta must be ≥ 0 (got ${input.frailtyTheta})`);
    theta = input.frailtyTheta;
  } else {
    const r = searchTheta(at);
    theta = r.theta;
    if (r.warning) warnings.push(r.warning);
    if (r.boundary) warnings.push('fitCox: the frailty variance θ is estimated at its boundary 0 (no between-group variation beyond chance); frailties are 0 and the model is the ordinary Cox model');
  }
  const finalEps = Math.min(eps, innerEps);
  const finalMax = Math.max(iterMax, innerMax);
  const found = finalEps === innerEps && finalMax === innerMax ? fits.get(theta) : undefined;
  const fit = found !== undefined && found.converged ? found : innerFit(d, group, G, theta, warm, finalEps, finalMax, ws);
  reportProgress(input.onProgress, search.length + 1, search.length + 1, `frailty variance θ = ${formatNumber(theta, 4)}`);
  if (!fit.converged) warnings.push(`fitCox: the penalised Newton iterations did not converge at θ = ${theta}`);
  const { beta, ll } = fit;
  const nu = theta > 0 ? 1 / theta : 0;
  let sumW = 0;
  for (let j = 0; j < G; j++) sumW += beta[p + j];
  const penalty = -nu * sumW;
  const gcorr = gammaCorrection(theta, events);

  // Variances: H = I + penalty Hessian. sparse (R's default with > 5 groups) drops the frailty block's off-diagonals.
  const sparse = G > 5;
  const termCols: Array<[string, number[]]> = [];
  {
    const seen = new Set<string>();
    const termOf = new Map<string, string>();
    if (input.terms) for (const [t, cols] of Object.entries(input.terms)) for (const c of cols) termOf.set(c, t);
    names.forEach((nm) => {
      const t = termOf.get(nm) ?? nm;
      if (seen.has(t)) return;
      seen.add(t);
      termCols.push([t, names.flatMap((c, j) => ((termOf.get(c) ?? c) === t ? [j] : []))]);
    });
  }
  const w = beta.subarray(p);
  // R's sparse convention needs only the sparse information (O(p²·G)); the full (p + G)² matrices
  // are formed for R's sparse = FALSE (≤ 5 groups) and, for comparison, when they are cheap.
  const wantFull = !sparse || n * m * m <= FULL_VARIANCE_LIMIT;
  const full = wantFull ? denseVariance(denseInformation(d, group, G, beta), w, p, G, nu, termCols) : null;
  const sv = sparse ? sparseVariance(fit.info, w, p, G, nu, termCols) : full!;
  // H⁻¹ and H⁻¹IH⁻¹ are positive definite in exact arithmetic; a diagonal that is not (rounding on a
  // near-singular H, or the sparse convention's dropped off-diagonals in var2) has no SE or test.
  const bad: string[] = [];
  const bad2: string[] = [];
  const se = Array.from({ length: p }, (_, a) => guardedSe(sv.V[a * p + a], names[a], bad));
  const se2 = Array.from({ length: p }, (_, a) => guardedSe(sv.V2[a * p + a], names[a], bad2));
  if (bad.length) warnings.push(degenerateMessage('fitCox (frailty)', { kind: 'zero-variance', terms: bad }));
  if (bad2.length) warnings.push(degenerateMessage('fitCox (frailty, var2 = H⁻¹IH⁻¹)', { kind: 'zero-variance', terms: bad2 }));
  const coef = Array.from(beta.subarray(0, p));
  const chisq = coef.map((b, a) => (Number.isNaN(se[a]) ? NaN : (b * b) / sv.V[a * p + a]));
  const frailties = Float64Array.from(beta.subarray(p));
  let fchisq = 0;
  const badGroups: string[] = [];
  for (let j = 0; j < G; j++) {
    if (!(theta > 0)) continue;
    if (!usableVariance(sv.fvar[j])) badGroups.push(`frailty[${fc.levels[j]}]`);
    fchisq += (frailties[j] * frailties[j]) / sv.fvar[j];
  }
  if (badGroups.length) {
    fchisq = NaN;
    warnings.push(degenerateMessage('fitCox (frailty test)', { kind: 'zero-variance', terms: badGroups }));
  }
  const dfF = sv.df.frailty;
  const dfTotal = Object.values(sv.df).reduce((s, v) => s + v, 0);
  const lr = 2 * (ll - ll0);
  const linearPredictors = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = beta[p + group[k]];
    for (let a = 0; a < p; a++) s += d.x[k * p + a] * beta[a];
    linearPredictors[d.order[k]] = s;
  }
  let nEvent = 0;
  for (let k = 0; k < n; k++) nEvent += base.data.status[k];
  const zq = 1.959963984540054;
  const spec = Object.freeze({ ties: base.data.method, distribution: 'gamma', thetaFixed: input.frailtyTheta ?? null, sparse, hasStrata: base.strataLevels !== null });
  const out: CoxFrailtyFit = {
    kind: 'coxph-frailty', names, coef, se, se2, vcov: nested(sv.V, p), vcov2: nested(sv.V2, p), chisq,
    p: chisq.map((c) => pChisqUpper(c, 1)),
    theta, frailtyLevels: fc.levels, frailties, frailtyVariance: sv.fvar,
    frailtyTest: { statistic: fchisq, df: dfF, p: pChisqUpper(fchisq, Math.max(dfF, 0.5)) },
    dfTerms: Object.freeze(sv.df), logLik: [ll0, ll], penalty, penalizedLogLik: ll - penalty, gammaCorrection: gcorr,
    iLikelihood: ll - penalty + gcorr, lrTest: { statistic: lr, df: dfTotal, p: pChisqUpper(lr, dfTotal) },
    means: Array.from(base.data.means), linearPredictors, sparse,
    nonsparse: full && Object.freeze({
      se: Array.from({ length: p }, (_, a) => (usableVariance(full.V[a * p + a]) ? Math.sqrt(full.V[a * p + a]) : NaN)),
      se2: Array.from({ length: p }, (_, a) => (usableVariance(full.V2[a * p + a]) ? Math.sqrt(full.V2[a * p + a]) : NaN)),
      vcov: nested(full.V, p), dfTerms: Object.freeze(full.df),
    }),
    n, nEvent, converged: fit.converged, thetaSearch: Object.freeze(search.slice()),
    warnings: Object.freeze(warnings), spec, varianceType: sparse ? 'model-penalised-sparse' : 'model-penalised',
    tidy(): TidyRow[] {
      return coef.map((b, a) => {
        const w = waldInference(b, sv.V[a * p + a], zq);
        return {
          term: names[a], estimate: b, 'std.error': w.se, 'std.error2': se2[a], statistic: chisq[a],
          'p.value': pNormTwoSided(w.statistic), 'conf.low': w.low, 'conf.high': w.high, 'hazard.ratio': Math.exp(b),
        };
      });
    },
    glance(): TidyRow {
      return {
        n, nevent: nEvent, nobs: n, 'df.residual': null, theta, logLik: ll, 'logLik.penalized': ll - penalty,
        iLikelihood: ll - penalty + gcorr, 'statistic.log': lr, 'df.log': dfTotal, 'p.value.log': pChisqUpper(lr, dfTotal),
        'frailty.chisq': fchisq, 'frailty.df': dfF, 'variance.type': out.varianceType,
      };
    },
    summary() {
      return [...out.tidy(), { term: 'frailty', estimate: null, 'std.error': null, statistic: fchisq, 'p.value': out.frailtyTest.p, df: dfF }];
    },
  };
  return Object.freeze(out);
}
