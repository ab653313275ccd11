// Cox proportional hazards: matrix-level API (fitCox) over the typed-array core in coxcore.ts.
import { reportProgress } from '../core/progress';
import { pChisqUpper, pNormTwoSided, qNorm } from '../core/distributions';
import { coxLogLik, makeWorkspace, type CoxData, type CoxTies } from './coxcore';
import { coxResiduals, hazardSweep } from './coxResiduals';
import { concordanceCounts, type ConcordanceCounts } from './concordance';
import type { TidyRow } from '../core/result';
import { cholesky, cholSolve, crossprod, quadFormInverse, symInverse } from '../core/linalg';
import { groupedJackknifeVariance } from '../core/robust';
import { degenerateMessage, guardVariance, integerWeights, robustWeightsNote } from '../core/guard';
import { prepareCox, type CoxInput } from './coxPrepare';
import { fitCoxFrailty, type CoxFrailtyFit, type CoxFrailtyInput } from './frailty';

export type { Label } from '../core/groups';
export { prepareCox, type CoxInput } from './coxPrepare';


export interface CoxTest {
  statistic: number;
  df: number;
  p: number;
}

export type CoxConcordance = ConcordanceCounts;

export interface CoxFit {
  readonly kind: 'coxph';
  readonly names: readonly string[];
  readonly ties: CoxTies;
  readonly coef: readonly number[];
  /** Reported SE: robust when a cluster was given or the weights are non-integer, model-based otherwise. */
  readonly se: readonly number[];
  readonly seNaive: readonly number[];
  readonly robustSe: readonly number[] | null;
  readonly hr: readonly number[];
  readonly ci: { readonly level: number; readonly lower: readonly number[]; readonly upper: readonly number[] };
  readonly z: readonly number[];
  readonly p: readonly number[];
  /** Reported variance (robust when clustered), p × p as nested arrays. */
  readonly vcov: readonly (readonly number[])[];
  readonly vcovNaive: readonly (readonly number[])[];
  /** 'robust-cluster': cluster() term; 'robust': rows as their own clusters (non-integer weights or robust: true). */
  readonly varianceType: 'model' | 'robust' | 'robust-cluster';
  /** [log-likelihood at beta = 0, at beta-hat]. */
  readonly logLik: readonly [number, number];
  readonly waldTest: CoxTest;
  readonly lrTest: CoxTest;
  readonly scoreTest: CoxTest;
  readonly robustScoreTest: CoxTest | null;
  readonly concordance: CoxConcordance;
  readonly n: number;
  readonly nEvent: number;
  readonly nCluster: number | null;
  readonly converged: boolean;
  readonly iterations: number;
  readonly warnings: readonly string[];
  readonly means: readonly number[];
  /** x'β − Σ means·β, original row order. */
  readonly linearPredictors: Float64Array;
  readonly terms: Readonly<Record<string, readonly string[]>>;
  readonly strataLevels: readonly string[] | null;
  readonly spec: Readonly<{ ties: CoxTies; eps: number; iterMax: number; hasEntry: boolean; hasStrata: boolean; hasCluster: boolean; hasWeights: boolean; robust: boolean }>;
  summary(): Array<Record<string, number | string | null>>;
  /** Same rows as summary() (broom's tidy.coxph with the hazard-ratio columns added). */
  tidy(): TidyRow[];
  /** n, nevent, the LR/score/Wald (and robust score) tests, logLik, AIC, BIC (log nevent, as R), concordance. */
  glance(): TidyRow;
}

/** Internals kept beside a frozen fit for residuals, zph and prediction. */
export interface CoxInternals {
  data: CoxData;
  beta: Float64Array;
  varNaive: Float64Array;
}
const internals = new WeakMap<CoxFit, CoxInternals>();

/**
 * A fit with extra read-only fields (a table fit's design, rows and spec), frozen, sharing the
 * original's internals so coxZph, prediction and residuals accept it.
 */
export function extendCoxFit<T extends object>(fit: CoxFit, extra: T): CoxFit & T {
  const out = Object.freeze({ ...fit, ...extra }) as CoxFit & T;
  internals.set(out, coxInternals(fit));
  return out;
}

export function coxInternals(fit: CoxFit): CoxInternals {
  const v = internals.get(fit);
  if (!v) throw new Error('coxInternals: not a fit returned by fitCox');
  return v;
}

function toNested(a: Float64Array, p: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < p; i++) out.push(Array.from(a.subarray(i * p, i * p + p)));
  return out;
}

/**
 * Robust (grouped dfbeta) variance: D'D with D = per-cluster Σ w·score residual · V.
 * Returns the cluster score sums (G × p) too, for the robust score test.
 */
function clusterScoreSums(data: CoxData, beta: Float64Array, cluster: Int32Array, nCluster: number): Float64Array {
  const hz = hazardSweep(data, beta);
  const g = new Float64Array(nCluster * data.p);
  coxResiduals(data, hz, true, { cluster, out: g });
  return g;
}

/**
 * Fits a Cox model by Newton–Raphson with step-halving (R's coxph algorithm).
 * Inputs: CoxInput. Output: a frozen CoxFit. Failure: throws on malformed input or a singular
 * information matrix at the start; non-convergence and infinite coefficients become warnings.
 */
export function fitCox(input: CoxFrailtyInput): CoxFrailtyFit;
export function fitCox(input: CoxInput): CoxFit;
export function fitCox(input: CoxInput | CoxFrailtyInput): CoxFit | CoxFrailtyFit {
  if ('frailty' in input && input.frailty !== undefined) return fitCoxFrailty(input);
  const eps = input.eps ?? 1e-9;
  const iterMax = input.iterMax ?? 20;
  const { data, names, strataLevels, clusterCodes, nCluster } = prepareCox(input);
  const { n, p } = data;
  const ws = makeWorkspace(n, p);
  const warnings: string[] = [];

  let beta = new Float64Array(p);
  let ll = coxLogLik(data, beta, ws);
  if (!Number.isFinite(ll)) throw new Error('fitCox: log-likelihood at beta = 0 is not finite (empty risk set?)');
  const llNull = ll;
  const u0 = Float64Array.from(ws.u);
  const i0 = Float64Array.from(ws.imat);
  const scoreStat = quadFormInverse(i0, p, u0);
  let chol = cholesky(ws.imat, p, 1e-12);
  if (!chol) throw new Error('fitCox: information matrix is singular at beta = 0 (collinear or constant columns?)');
  let step = cholSolve(chol, p, ws.u);
  let newBeta = new Float64Array(p);
  for (let j = 0; j < p; j++) newBeta[j] = beta[j] + step[j];
  let halving = 0;
  let converged = false;
  let iterations = 0;
  let newLl = ll;
  for (let iter = 1; iter <= iterMax; iter++) {
    iterations = iter;
    reportProgress(input.onProgress, iter - 1, iterMax, 'Newton iterations');
    newLl = coxLogLik(data, newBeta, ws);
    if (Number.isFinite(newLl) && Math.abs(1 - ll / newLl) <= eps && halving === 0) {
      converged = true;
      break;
    }
    if (!Number.isFinite(newLl) || newLl < ll) {
      halving++;
      for (let j = 0; j < p; j++) newBeta[j] = (newBeta[j] + beta[j]) / 2;
    } else {
      halving = 0;
      ll = newLl;
      chol = cholesky(ws.imat, p, 1e-12);
      if (!chol) {
        warnings.push(`information matrix became singular at iteration ${iter}`);
        break;
      }
      beta = Float64Array.from(newBeta);
      step = cholSolve(chol, p, ws.u);
      for (let j = 0; j < p; j++) newBeta[j] = beta[j] + step[j];
    }
  }
  reportProgress(input.onProgress, iterMax, iterMax, converged ? `converged in ${iterations} iterations` : 'stopped');
  if (!converged) {
    warnings.push(`Ran out of iterations (${iterMax}) and did not converge`);
    // Report the best accepted point, with its derivatives.
    newBeta = Float64Array.from(beta);
    newLl = coxLogLik(data, newBeta, ws);
  }
  beta = newBeta;
  ll = newLl;
  const varNaive = symInverse(ws.imat, p);
  if (!varNaive) throw new Error('fitCox: information matrix is singular at the estimate (collinear columns?)');
  if (converged) {
    // R: a remaining Newton step that is large relative to the coefficient flags divergence to ±∞.
    const tolerInf = Math.sqrt(eps);
    const bad: string[] = [];
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += varNaive[a * p + b] * ws.u[b];
      const inf = Math.abs(s);
      if (inf > eps && inf > tolerInf * Math.abs(beta[a])) bad.push(names[a]);
    }
    if (bad.length) warnings.push(`Loglik converged before variable ${bad.join(', ')}; coefficient may be infinite.`);
  }

  let vcov = varNaive;
  let robustSe: number[] | null = null;
  let robustScoreTest: CoxTest | null = null;
  // R's coxph: robust when a cluster is given, or by default when case weights are not integers.
  const robustRows = !clusterCodes && (input.robust ?? !integerWeights(data.weight));
  if (robustRows && input.robust === undefined) warnings.push(robustWeightsNote('fitCox'));
  const groups = clusterCodes ?? (robustRows ? Int32Array.from({ length: n }, (_, k) => k) : null);
  const nGroups = clusterCodes ? nCluster : n;
  if (groups) {
    const g = clusterScoreSums(data, beta, groups, nGroups);
    vcov = groupedJackknifeVariance(g, nGroups, p, varNaive);
    if (clusterCodes && nCluster < 2) {
      // One cluster: its dfbeta sum is U(β̂)·V = 0, so D′D is rounding noise, not a variance.
      vcov = vcov.fill(NaN);
      warnings.push(degenerateMessage('fitCox', { kind: 'one-cluster', nClusters: nCluster }));
    } else {
      const bad = guardVariance(vcov, p, names, Array.from({ length: p }, (_, j) => varNaive[j * p + j]));
      if (bad.length) warnings.push(degenerateMessage('fitCox', { kind: 'zero-variance', terms: bad }));
    }
    robustSe = Array.from({ length: p }, (_, j) => Math.sqrt(vcov[j * p + j]));
    const g0 = clusterScoreSums(data, new Float64Array(p), groups, nGroups);
    const b0 = crossprod(g0, nGroups, p, null);
    const uSum = new Float64Array(p);
    for (let c = 0; c < nGroups; c++) for (let a = 0; a < p; a++) uSum[a] += g0[c * p + a];
    const rs = quadFormInverse(b0, p, uSum);
    robustScoreTest = { statistic: rs, df: p, p: pChisqUpper(rs, p) };
  }

  const coef = Array.from(beta);
  const seNaive = Array.from({ length: p }, (_, j) => Math.sqrt(varNaive[j * p + j]));
  const se = Array.from({ length: p }, (_, j) => Math.sqrt(vcov[j * p + j]));
  const zq = qNorm(0.975);
  const z = coef.map((b, j) => b / se[j]);
  const pv = z.map((v) => pNormTwoSided(v));
  const wald = quadFormInverse(vcov, p, beta);
  const lr = 2 * (ll - llNull);

  // Linear predictors in original row order and concordance on them.
  const lpSorted = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += data.x[k * p + j] * beta[j];
    lpSorted[k] = s;
  }
  const linearPredictors = new Float64Array(n);
  for (let k = 0; k < n; k++) linearPredictors[data.order[k]] = lpSorted[k];
  const cc = concordanceCounts(data, lpSorted, clusterCodes, nCluster);
  let nEvent = 0;
  for (let i = 0; i < n; i++) nEvent += data.status[i];

  const termMap: Record<string, string[]> = {};
  const grouped = new Set<string>();
  if (input.terms) {
    for (const [term, cols] of Object.entries(input.terms)) {
      for (const c of cols) {
        if (!names.includes(c)) throw new Error(`fitCox: terms.${term} names column '${c}', which is not in names`);
        if (grouped.has(c)) throw new Error(`fitCox: column '${c}' appears in more than one term`);
        grouped.add(c);
      }
    }
  }
  // Terms in column order: a grouped term appears where its first column is.
  const termOf = new Map<string, string>();
  if (input.terms) for (const [term, cols] of Object.entries(input.terms)) for (const c of cols) termOf.set(c, term);
  for (const nm of names) {
    const term = termOf.get(nm);
    if (term === undefined) termMap[nm] = [nm];
    else if (!termMap[term] && input.terms) termMap[term] = input.terms[term].slice();
  }

  const fit: CoxFit = {
    kind: 'coxph',
    names,
    ties: data.method,
    coef,
    se,
    seNaive,
    robustSe,
    hr: coef.map(Math.exp),
    ci: {
      level: 0.95,
      lower: coef.map((b, j) => Math.exp(b - zq * se[j])),
      upper: coef.map((b, j) => Math.exp(b + zq * se[j])),
    },
    z,
    p: pv,
    vcov: toNested(vcov, p),
    vcovNaive: toNested(varNaive, p),
    varianceType: clusterCodes ? 'robust-cluster' : robustRows ? 'robust' : 'model',
    logLik: [llNull, ll],
    waldTest: { statistic: wald, df: p, p: pChisqUpper(wald, p) },
    lrTest: { statistic: lr, df: p, p: pChisqUpper(lr, p) },
    scoreTest: { statistic: scoreStat, df: p, p: pChisqUpper(scoreStat, p) },
    robustScoreTest,
    concordance: cc,
    n,
    nEvent,
    nCluster: clusterCodes ? nCluster : null,
    converged,
    iterations,
    warnings,
    means: Array.from(data.means),
    linearPredictors,
    terms: termMap,
    strataLevels,
    spec: {
      ties: data.method, eps, iterMax, hasEntry: data.entry !== null, hasStrata: strataLevels !== null,
      hasCluster: clusterCodes !== null, hasWeights: input.weights !== undefined, robust: groups !== null,
    },
    tidy() {
      return fit.summary();
    },
    glance() {
      const ll = fit.logLik[1];
      return {
        n, nevent: nEvent, nobs: n, 'df.residual': null,
        'statistic.log': lr, 'p.value.log': fit.lrTest.p, 'statistic.sc': scoreStat, 'p.value.sc': fit.scoreTest.p,
        'statistic.wald': wald, 'p.value.wald': fit.waldTest.p,
        'statistic.robust': robustScoreTest ? robustScoreTest.statistic : null, 'p.value.robust': robustScoreTest ? robustScoreTest.p : null,
        logLik: ll, AIC: -2 * ll + 2 * p, BIC: -2 * ll + Math.log(nEvent) * p,
        concordance: cc.concordance, 'std.error.concordance': cc.stdErr,
        'n.clusters': clusterCodes ? nCluster : null, 'variance.type': fit.varianceType,
      };
    },
    summary() {
      return coef.map((b, j) => ({
        term: names[j],
        estimate: b,
        'std.error': se[j],
        statistic: z[j],
        'p.value': pv[j],
        'conf.low': b - zq * se[j],
        'conf.high': b + zq * se[j],
        'hazard.ratio': Math.exp(b),
        'hr.conf.low': Math.exp(b - zq * se[j]),
        'hr.conf.high': Math.exp(b + zq * se[j]),
        'robust.se': robustSe ? robustSe[j] : null,
        'naive.se': seNaive[j],
      }));
    },
  };
  deepFreeze(fit);
  internals.set(fit, { data, beta: Float64Array.from(beta), varNaive });
  return fit;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !ArrayBuffer.isView(o) && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}
