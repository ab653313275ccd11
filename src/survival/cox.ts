// Cox proportional hazards: matrix-level API (fitCox) over the typed-array core in coxcore.ts.
import { countEventTimes, coxLogLik, makeWorkspace, type CoxData, type CoxWorkspace } from './coxcore';
import { makeHazardTermArrays } from './efron';
import { coxResiduals, hazardSweep, type ResidualHazard } from './coxResiduals';
import { concordanceCounts } from './concordance';
import { integerWeights, robustWeightsNote } from '../core/guard';
import { prepareCox, type CoxInput } from './coxPrepare';
import { fitCoxFrailty, type CoxFrailtyFit, type CoxFrailtyInput } from './frailty';
import { coxNewton, coxRobustVariance, type CoxRobust } from './coxNewton';
import { buildCoxFit, coxTermMap, type CoxFit } from './coxResult';

export type { Label } from '../core/groups';
export { prepareCox, type CoxInput } from './coxPrepare';
export type { CoxConcordance, CoxFit, CoxTest } from './coxResult';

/** Internals kept beside a frozen fit for residuals, zph and prediction. */
export interface CoxInternals {
  data: CoxData;
  beta: Float64Array;
  varNaive: Float64Array;
}
const internals = new WeakMap<CoxFit, CoxInternals | (() => CoxInternals)>();

/**
 * A fit with extra read-only fields (a table fit's design, rows and spec), frozen, sharing the
 * original's internals so coxZph, prediction and residuals accept it.
 */
export function extendCoxFit<F extends CoxFit, T extends object>(fit: F, extra: T): F & T {
  const out = Object.freeze({ ...fit, ...extra }) as F & T;
  const v = internals.get(fit);
  if (!v) throw new Error('coxInternals: not a fit returned by fitCox');
  internals.set(out, v);
  return out;
}

/**
 * Internals built on first use, once (fitFineGray: the expanded finegray() data, written only when
 * coxZph, prediction or residuals ask for it).
 */
export function setLazyCoxInternals(fit: CoxFit, build: () => CoxInternals): void {
  let done: CoxInternals | null = null;
  internals.set(fit, () => (done ??= build()));
}

export function coxInternals(fit: CoxFit): CoxInternals {
  const v = internals.get(fit);
  if (!v) throw new Error('coxInternals: not a fit returned by fitCox');
  // A fit without an estimate (coxNewton's noEstimate) has nothing to test, predict or take residuals at.
  if (fit.coef.some(Number.isNaN)) throw new Error(`the Cox fit has no estimate (${fit.warnings[0] ?? 'NaN coefficients'}): no zph test, prediction or residuals`);
  return typeof v === 'function' ? v() : v;
}

/**
 * Per-cluster Σ w·score residual (G × p) at beta, for the robust variance: from hazard terms
 * recorded by coxLogLik at the same beta when given (eta: the linear predictor there), else from
 * a fresh hazard sweep. g (G × p) is overwritten and returned: coxRobustVariance reads each set
 * of sums before asking for the next, so one buffer serves both (G·p is 370 MB at national size).
 */
function clusterScoreSums(data: CoxData, beta: Float64Array, cluster: Int32Array, rec: ResidualHazard | null, g: Float64Array): Float64Array {
  const hz = rec ?? hazardSweep(data, beta);
  g.fill(0);
  coxResiduals(data, hz, true, { cluster, out: g });
  return g;
}

/** Hazard terms recorded by the workspace's last coxLogLik call, as residual input (copied when `copy`). */
function recorded(ws: CoxWorkspace, nTimes: number, eta: Float64Array, copy: boolean): ResidualHazard | null {
  const hz = ws.hz;
  if (hz === null || !ws.hzValid) return null;
  const c = (a: Float64Array) => (copy ? a.slice() : a);
  return { nTimes, dH: c(hz.dH), dH2: c(hz.dH2), dA: c(hz.dA), dA2: c(hz.dA2), mbar: c(hz.mbar), kStop: ws.kStop, kEnd: ws.kEnd, eta };
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
  const nTimes = countEventTimes(data);
  const ws = makeWorkspace(n, p, nTimes);
  // R's coxph: robust when a cluster is given, or by default when case weights are not integers.
  const robustRows = !clusterCodes && (input.robust ?? !integerWeights(data.weight));
  const groups = clusterCodes ?? (robustRows ? Int32Array.from({ length: n }, (_, k) => k) : null);
  const nGroups = clusterCodes ? nCluster : n;
  // The robust variance needs the hazard terms at β̂ and at 0 (robust score test): coxLogLik
  // records them on the way (its first call is at 0), so no extra risk-set sweeps are run.
  if (groups) ws.hz = makeHazardTermArrays(nTimes, p);
  let atZero: ResidualHazard | null = null;
  let calls = 0;
  const nw = coxNewton((beta) => {
    const ll = coxLogLik(data, beta, ws);
    if (calls++ === 0) atZero = recorded(ws, nTimes, new Float64Array(n), true);
    return ll;
  }, ws.u, ws.imat, names, eps, iterMax, input.onProgress, 'fitCox');
  const { beta, varNaive, warnings } = nw;
  const atBeta = recorded(ws, nTimes, ws.eta, false);

  let vcov = varNaive;
  let robust: CoxRobust | null = null;
  if (robustRows && input.robust === undefined) warnings.push(robustWeightsNote('fitCox'));
  if (groups) {
    const g = new Float64Array(nGroups * p);
    const sums = (b: Float64Array): Float64Array => {
      const zero = b.every((v) => v === 0);
      return clusterScoreSums(data, b, groups, zero ? atZero : b === beta ? atBeta : null, g);
    };
    robust = coxRobustVariance(sums, nGroups, beta, varNaive, clusterCodes !== null, names, warnings, 'fitCox');
    vcov = robust.vcov;
    ws.hz = null;
  }

  // Linear predictors in original row order and concordance on them (the workspace's risk
  // buffer is free by now; reusing it spares an n-long allocation).
  const lpSorted = ws.risk;
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

  const fit = buildCoxFit({
    names, ties: data.method, beta, varNaive, vcov, robustSe: robust ? robust.robustSe : null,
    robustScoreTest: robust ? robust.robustScoreTest : null,
    varianceType: clusterCodes ? 'robust-cluster' : robustRows ? 'robust' : 'model',
    logLik: nw.logLik, logLikNull: nw.logLikNull, scoreStat: nw.scoreStat, concordance: cc, n, nEvent,
    nCluster: clusterCodes ? nCluster : null, converged: nw.converged, noEstimate: nw.noEstimate, iterations: nw.iterations, warnings,
    means: data.means, linearPredictors, terms: coxTermMap(names, input.terms, 'fitCox'), strataLevels,
    spec: {
      ties: data.method, eps, iterMax, hasEntry: data.entry !== null, hasStrata: strataLevels !== null,
      hasCluster: clusterCodes !== null, hasWeights: input.weights !== undefined, robust: groups !== null,
    },
  });
  internals.set(fit, { data, beta: Float64Array.from(beta), varNaive });
  return fit;
}
