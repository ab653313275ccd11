// Cox proportional hazards: matrix-level API (fitCox) over the typed-array core in coxcore.ts.
import { toDense, type MatrixInput } from '../core/matrix';
import { pChisqUpper, pNormTwoSided, qNorm } from '../core/distributions';
import {
  coxLogLik, coxResiduals, hazardSweep, makeWorkspace,
  type CoxData, type CoxTies,
} from './coxcore';
import { concordanceCounts, type ConcordanceCounts } from './concordance';
import { cholesky, cholSolve, crossprod, quadFormInverse, symInverse } from '../core/linalg';
import { groupedJackknifeVariance } from '../core/robust';
import { degenerateMessage, guardVariance, integerWeights, robustWeightsNote } from '../core/guard';
import { orderByGroupThenDescending } from './sorting';
import { labelCodes, type Label } from '../core/groups';

export type { Label } from '../core/groups';


export interface CoxInput {
  /** Event/censoring time (the stop of (entry, stop] for counting-process data). */
  time: ArrayLike<number>;
  /** 1 = event at `time`, 0 = censored (booleans accepted). */
  event: ArrayLike<number | boolean>;
  /** Start of the (entry, stop] interval; omit for right-censored data. */
  entry?: ArrayLike<number>;
  /** Covariates, rows × p, no intercept. */
  x: MatrixInput;
  names?: string[];
  strata?: ArrayLike<Label>;
  cluster?: ArrayLike<Label>;
  /**
   * Case weights, > 0. Non-integer weights select the robust (infinitesimal-jackknife) variance
   * by default, each row its own cluster, as R's coxph; `robust: false` keeps the model-based one.
   */
  weights?: ArrayLike<number>;
  /** Robust variance without a cluster term (R's coxph(robust =)); default: true iff weights are non-integer. */
  robust?: boolean;
  ties?: CoxTies;
  /** Multi-column terms (e.g. factors) for coxZph: term name → its column names. */
  terms?: Record<string, string[]>;
  /** Convergence: |1 − ℓ_old/ℓ_new| ≤ eps (R's coxph.control, default 1e-9); iterMax default 20. */
  eps?: number;
  iterMax?: number;
}

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
}

/** Internals kept beside a frozen fit for residuals, zph and prediction. */
export interface CoxInternals {
  data: CoxData;
  beta: Float64Array;
  varNaive: Float64Array;
}
const internals = new WeakMap<CoxFit, CoxInternals>();

export function coxInternals(fit: CoxFit): CoxInternals {
  const v = internals.get(fit);
  if (!v) throw new Error('coxInternals: not a fit returned by fitCox');
  return v;
}

/**
 * Validates inputs and builds the sweep-ordered, centred CoxData.
 * Failure: throws naming the field and row of the first bad value.
 */
export function prepareCox(input: CoxInput): { data: CoxData; names: string[]; strataLevels: string[] | null; clusterCodes: Int32Array | null; nCluster: number } {
  const n = input.time.length;
  if (n === 0) throw new Error('fitCox: no rows');
  const xm = toDense(input.x, 'fitCox: x', n);
  const p = xm.ncol;
  if (p === 0) throw new Error('fitCox: x has no columns (the null model is not supported)');
  const names = input.names ? input.names.slice() : Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p) throw new Error(`fitCox: names has ${names.length} entries, x has ${p} columns`);
  if (input.event.length !== n) throw new Error(`fitCox: event has length ${input.event.length}, expected ${n}`);
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  const weight = new Float64Array(n);
  let entryIn: Float64Array | null = null;
  if (input.entry) {
    if (input.entry.length !== n) throw new Error(`fitCox: entry has length ${input.entry.length}, expected ${n}`);
    entryIn = new Float64Array(n);
  }
  for (let i = 0; i < n; i++) {
    const t = Number(input.time[i]);
    if (!Number.isFinite(t)) throw new Error(`fitCox: time is not a finite number at row ${i} (${input.time[i]})`);
    time[i] = t;
    const e = input.event[i];
    const ev = e === true ? 1 : e === false ? 0 : Number(e);
    if (ev !== 0 && ev !== 1) throw new Error(`fitCox: event must be 0/1 at row ${i} (got ${e})`);
    status[i] = ev;
    const w = input.weights ? Number(input.weights[i]) : 1;
    if (!(w > 0) || !Number.isFinite(w)) throw new Error(`fitCox: weights must be positive and finite at row ${i} (got ${input.weights ? input.weights[i] : w})`);
    weight[i] = w;
    if (entryIn && input.entry) {
      const s = Number(input.entry[i]);
      if (!Number.isFinite(s)) throw new Error(`fitCox: entry is not a finite number at row ${i}`);
      if (!(s < t)) throw new Error(`fitCox: entry must be < time at row ${i} (entry ${s}, time ${t})`);
      entryIn[i] = s;
    }
  }
  if (input.weights && input.weights.length !== n) throw new Error(`fitCox: weights has length ${input.weights.length}, expected ${n}`);
  for (let i = 0; i < n * p; i++) {
    if (!Number.isFinite(xm.data[i])) {
      throw new Error(`fitCox: x is not finite at row ${Math.floor(i / p)}, column ${names[i % p]}`);
    }
  }
  let strataCodes: Int32Array | null = null;
  let strataLevels: string[] | null = null;
  if (input.strata) {
    const c = labelCodes(input.strata, n, 'fitCox: strata');
    strataCodes = c.codes;
    strataLevels = c.levels;
  }
  let clusterCodes: Int32Array | null = null;
  let nCluster = 0;
  if (input.cluster) {
    const c = labelCodes(input.cluster, n, 'fitCox: cluster');
    clusterCodes = c.codes;
    nCluster = c.levels.length;
  }

  // Centring as R: weighted column means, except columns whose values are all in {−1, 0, 1}.
  const means = new Float64Array(p);
  const unitOnly = new Uint8Array(p).fill(1);
  let wsum = 0;
  // One row-major pass (x is n × p row-major, so column-wise passes would stride through memory).
  for (let i = 0; i < n; i++) {
    const w = weight[i];
    wsum += w;
    const o = i * p;
    for (let j = 0; j < p; j++) {
      const v = xm.data[o + j];
      means[j] += w * v;
      if (v !== 0 && v !== 1 && v !== -1) unitOnly[j] = 0;
    }
  }
  for (let j = 0; j < p; j++) means[j] = unitOnly[j] ? 0 : means[j] / wsum;

  const sc = strataCodes;
  const nStrataCodes = strataLevels ? strataLevels.length : 1;
  const order = orderByGroupThenDescending(time, sc, nStrataCodes);
  const x = new Float64Array(n * p);
  const stop = new Float64Array(n);
  const st = new Uint8Array(n);
  const wt = new Float64Array(n);
  const entry = entryIn ? new Float64Array(n) : null;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    stop[k] = time[i];
    st[k] = status[i];
    wt[k] = weight[i];
    if (entry && entryIn) entry[k] = entryIn[i];
    const o = i * p;
    const ok = k * p;
    for (let j = 0; j < p; j++) x[ok + j] = xm.data[o + j] - means[j];
  }
  const nStrata = strataLevels ? strataLevels.length : 1;
  const strataStart = new Int32Array(nStrata + 1);
  if (sc !== null) {
    const counts = new Int32Array(nStrata);
    for (let i = 0; i < n; i++) counts[sc[i]]++;
    for (let s = 0; s < nStrata; s++) strataStart[s + 1] = strataStart[s] + counts[s];
  } else strataStart[1] = n;
  let entryOrder: Uint32Array | null = null;
  if (entry) {
    const stratOf = new Int32Array(n);
    for (let s = 0; s < nStrata; s++) for (let k = strataStart[s]; k < strataStart[s + 1]; k++) stratOf[k] = s;
    entryOrder = orderByGroupThenDescending(entry, stratOf, nStrata);
  }
  let clusterSorted: Int32Array | null = null;
  if (clusterCodes) {
    clusterSorted = new Int32Array(n);
    for (let k = 0; k < n; k++) clusterSorted[k] = clusterCodes[order[k]];
  }
  const data: CoxData = {
    n, p, x, stop, entry, status: st, weight: wt, strataStart, order, entryOrder, means,
    method: input.ties ?? 'efron',
  };
  if (data.method !== 'efron' && data.method !== 'breslow') throw new Error(`fitCox: ties must be 'efron' or 'breslow' (got ${String(input.ties)})`);
  return { data, names, strataLevels, clusterCodes: clusterSorted, nCluster };
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
export function fitCox(input: CoxInput): CoxFit {
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
