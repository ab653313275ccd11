// Shared gamma frailty in the Cox model by penalised partial likelihood, as R's
// coxph(Surv(...) ~ x + frailty(g, distribution = "gamma")). Source: Therneau, Grambsch &
// Pankratz (2003), J. Comput. Graph. Stat. 12:156–175; Therneau & Grambsch (2000), ch. 9.
// For fixed θ the log-frailties w enter as indicator columns with the gamma penalty
// (1/θ) Σ (exp(w_j) − w_j); θ maximises the integrated (I-) likelihood, i.e. the penalised
// partial likelihood plus a closed-form correction (R's default 'em' method for gamma frailty
// targets the same maximum).
import { pChisqUpper, pNormTwoSided } from '../core/distributions';
import { cholesky, cholSolve, symInverse } from '../core/linalg';
import { labelCodes, type Label } from '../core/groups';
import { brentMin } from '../core/optimise';
import type { FitProtocol, TidyRow } from '../core/result';
import { coxLogLik, makeWorkspace, type CoxData } from './coxcore';
import { prepareCox, type CoxInput } from './coxPrepare';

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
  /** The same fit's variance from the full matrices (R's sparse = FALSE at the same θ). */
  readonly nonsparse: { readonly se: readonly number[]; readonly se2: readonly number[]; readonly vcov: readonly (readonly number[])[]; readonly dfTerms: Readonly<Record<string, number>> };
  readonly n: number;
  readonly nEvent: number;
  readonly converged: boolean;
  readonly thetaSearch: readonly { theta: number; iLikelihood: number }[];
}

interface InnerFit { beta: Float64Array; ll: number; ppl: number; imat: Float64Array; converged: boolean }

/** R's frailty.gammacon: Σ_j [d_j + ν log ν − (ν + d_j) log(ν + d_j) + lgamma(ν + d_j) − lgamma(ν)], ν = 1/θ. */
function gammaCorrection(theta: number, events: Float64Array): number {
  if (theta === 0) return 0;
  const nu = 1 / theta;
  let s = 0;
  for (let j = 0; j < events.length; j++) {
    const d = events[j];
    s += d + nu * Math.log(nu) - (nu + d) * Math.log(nu + d) + lgamma(nu + d) - lgamma(nu);
  }
  return s;
}

/** log Γ(x), x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
function lgamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Maximises ℓ(β, w) − (1/θ) Σ (e^{w_j} − w_j) by Newton–Raphson with step halving, from `start`.
 * Columns p..p+G−1 of the data are the frailty indicators. θ = 0 fits w ≡ 0 (no frailty).
 */
function innerFit(d: CoxData, p: number, G: number, theta: number, start: Float64Array, eps: number, iterMax: number): InnerFit {
  const m = p + G;
  const ws = makeWorkspace(d.n, m);
  const nu = theta > 0 ? 1 / theta : 0;
  const free = theta > 0 ? m : p;
  const beta = Float64Array.from(start);
  if (theta === 0) beta.fill(0, p);
  const pen = (b: Float64Array): number => {
    let s = 0;
    // Σ(e^w − 1 − w): 0 at w = 0, and −Σw at the optimum (where mean e^w = 1), R's penalty.
    for (let j = 0; j < G; j++) s += Math.exp(b[p + j]) - 1 - b[p + j];
    return nu * s;
  };
  let ll = coxLogLik(d, beta, ws);
  let ppl = ll - pen(beta);
  let converged = false;
  for (let iter = 0; iter < iterMax; iter++) {
    const H = new Float64Array(free * free);
    const g = new Float64Array(free);
    for (let a = 0; a < free; a++) {
      g[a] = ws.u[a] - (a >= p ? nu * (Math.exp(beta[a]) - 1) : 0);
      for (let b = 0; b < free; b++) H[a * free + b] = ws.imat[a * m + b];
      if (a >= p) H[a * free + a] += nu * Math.exp(beta[a]);
    }
    const L = cholesky(H, free);
    if (!L) break;
    const step = cholSolve(L, free, g);
    let scale = 1;
    let next = Float64Array.from(beta);
    let nll = ll;
    let nppl = -Infinity;
    for (let half = 0; half < 30; half++) {
      next = Float64Array.from(beta);
      for (let a = 0; a < free; a++) next[a] += scale * step[a];
      nll = coxLogLik(d, next, ws);
      nppl = nll - pen(next);
      if (Number.isFinite(nppl) && nppl >= ppl - 1e-12 * Math.abs(ppl)) break;
      scale /= 2;
    }
    let maxStep = 0;
    for (let a = 0; a < free; a++) maxStep = Math.max(maxStep, Math.abs(scale * step[a]));
    const change = Math.abs(1 - ppl / nppl);
    beta.set(next);
    ll = nll;
    ppl = nppl;
    if (change <= eps && maxStep < 1e-9) { converged = true; break; }
  }
  coxLogLik(d, beta, ws);
  return { beta, ll, ppl, imat: Float64Array.from(ws.imat), converged };
}

/** trace(A_tt⁻¹ B_tt) for the sub-blocks of two m × m matrices on columns `cols` (R's coxph.wtest solve). */
function traceSolve(A: Float64Array, B: Float64Array, m: number, cols: readonly number[]): number {
  const k = cols.length;
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a[i * k + j] = A[cols[i] * m + cols[j]];
  const L = cholesky(a, k);
  if (!L) return NaN;
  let tr = 0;
  for (let j = 0; j < k; j++) {
    const col = cols.map((c) => B[c * m + cols[j]]);
    tr += cholSolve(L, k, col)[j];
  }
  return tr;
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
  // Augment the sweep-ordered design with the frailty indicators (0/1 columns are not centred).
  const x = new Float64Array(n * m);
  const events = new Float64Array(G);
  for (let k = 0; k < n; k++) {
    x.set(base.data.x.subarray(k * p, k * p + p), k * m);
    const g = fc.codes[base.data.order[k]];
    x[k * m + p + g] = 1;
    events[g] += base.data.status[k];
  }
  const d: CoxData = { ...base.data, p: m, x, means: Float64Array.from({ length: m }, (_, j) => (j < p ? base.data.means[j] : 0)) };
  const warnings: string[] = [];
  const zero = new Float64Array(m);
  const ll0 = coxLogLik(d, zero, makeWorkspace(n, m));

  const search: { theta: number; iLikelihood: number }[] = [];
  let warm = new Float64Array(m);
  const iLik = (theta: number): number => {
    const f = innerFit(d, p, G, theta, warm, 1e-13, 200);
    if (theta > 0) warm = f.beta;
    const v = f.ppl + gammaCorrection(theta, events);
    search.push({ theta, iLikelihood: v });
    return v;
  };
  let theta: number;
  if (input.frailtyTheta !== undefined) {
    if (!(input.frailtyTheta >= 0)) throw new Error(`fitCox: frailtyTheta must be ≥ 0 (got ${input.frailtyTheta})`);
    theta = input.frailtyTheta;
  } else {
    // Bracket the maximum on a doubling grid, then Brent on θ (the I-likelihood is smooth in θ).
    const i0 = iLik(0);
    let lo = 0;
    let mid = 0.1;
    let fm = iLik(mid);
    let hi = 0.2;
    let fh = iLik(hi);
    while (fh > fm && hi < 1e4) { lo = mid; mid = hi; fm = fh; hi *= 2; fh = iLik(hi); }
    if (fm <= i0 && lo === 0) { hi = mid; mid = 0; }
    const r = brentMin((t) => -iLik(t), lo, hi, 1e-10);
    theta = r.x;
    if (i0 >= -r.fx || theta < 1e-8) {
      theta = 0;
      warnings.push('fitCox: the frailty variance θ is estimated at its boundary 0 (no between-group variation beyond chance); frailties are 0 and the model is the ordinary Cox model');
    }
  }
  const fit = innerFit(d, p, G, theta, warm, Math.min(eps, 1e-13), Math.max(iterMax, 200));
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
  const variance = (sp: boolean) => {
    const I = Float64Array.from(fit.imat);
    if (sp) for (let a = p; a < m; a++) for (let b = p; b < m; b++) if (a !== b) I[a * m + b] = 0;
    const H = Float64Array.from(I);
    for (let a = p; a < m; a++) H[a * m + a] += nu * Math.exp(beta[a]);
    if (theta === 0) for (let a = p; a < m; a++) { for (let b = 0; b < m; b++) { H[a * m + b] = 0; H[b * m + a] = 0; I[a * m + b] = 0; I[b * m + a] = 0; } H[a * m + a] = 1; }
    const Hi = symInverse(H, m, 1e-14);
    if (!Hi) throw new Error('fitCox: the penalised information matrix is singular at the estimate');
    // W = H⁻¹ I H⁻¹ (R's var2 is its coefficient block).
    const HiI = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let c = 0; c < m; c++) s += Hi[a * m + c] * I[c * m + b]; HiI[a * m + b] = s; }
    const W = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let c = 0; c < m; c++) s += HiI[a * m + c] * Hi[c * m + b]; W[a * m + b] = s; }
    const V2 = new Float64Array(p * p);
    const V = new Float64Array(p * p);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) { V[a * p + b] = Hi[a * m + b]; V2[a * p + b] = W[a * m + b]; }
    // R's coxpenal.df: a term's df is trace(V_tt⁻¹ V2_tt); the sparse frailty term's is
    // G − Σ_j fvar_j · ν e^{w_j} (= trace of the frailty block of H⁻¹ I).
    const df: Record<string, number> = {};
    for (const [term, cols] of termCols) df[term] = traceSolve(Hi, W, m, cols);
    let dfF = 0;
    if (theta > 0) {
      if (sp) for (let a = p; a < m; a++) dfF += 1 - Hi[a * m + a] * nu * Math.exp(beta[a]);
      else dfF = traceSolve(Hi, W, m, Array.from({ length: G }, (_, j) => p + j));
    }
    df.frailty = dfF;
    const fvar = Float64Array.from({ length: G }, (_, j) => Hi[(p + j) * m + p + j]);
    return { V, V2, df, fvar };
  };
  const sv = variance(sparse);
  const full = sparse ? variance(false) : sv;
  const se = Array.from({ length: p }, (_, a) => Math.sqrt(sv.V[a * p + a]));
  const se2 = Array.from({ length: p }, (_, a) => Math.sqrt(sv.V2[a * p + a]));
  const coef = Array.from(beta.subarray(0, p));
  const chisq = coef.map((b, a) => (b * b) / sv.V[a * p + a]);
  const frailties = Float64Array.from(beta.subarray(p));
  let fchisq = 0;
  for (let j = 0; j < G; j++) fchisq += theta > 0 ? (frailties[j] * frailties[j]) / sv.fvar[j] : 0;
  const dfF = sv.df.frailty;
  const dfTotal = Object.values(sv.df).reduce((s, v) => s + v, 0);
  const lr = 2 * (ll - ll0);
  const linearPredictors = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let a = 0; a < m; a++) s += x[k * m + a] * beta[a];
    linearPredictors[base.data.order[k]] = s;
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
    nonsparse: Object.freeze({
      se: Array.from({ length: p }, (_, a) => Math.sqrt(full.V[a * p + a])),
      se2: Array.from({ length: p }, (_, a) => Math.sqrt(full.V2[a * p + a])),
      vcov: nested(full.V, p), dfTerms: Object.freeze(full.df),
    }),
    n, nEvent, converged: fit.converged, thetaSearch: Object.freeze(search.slice()),
    warnings: Object.freeze(warnings), spec, varianceType: sparse ? 'model-penalised-sparse' : 'model-penalised',
    tidy(): TidyRow[] {
      return coef.map((b, a) => ({
        term: names[a], estimate: b, 'std.error': se[a], 'std.error2': se2[a], statistic: chisq[a],
        'p.value': pNormTwoSided(b / se[a]), 'conf.low': b - zq * se[a], 'conf.high': b + zq * se[a], 'hazard.ratio': Math.exp(b),
      }));
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
