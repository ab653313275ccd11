// Matrix-level fit of the class-copy Cox model (coxCopies.ts): the same Newton iteration, robust
// variance and result object as fitCox, on n units instead of n·K expanded rows.
import type { Label } from '../core/groups';
import type { MatrixInput } from '../core/matrix';
import type { ProgressCallback } from '../core/progress';
import { prepareCox } from './coxPrepare';
import type { CoxTies } from './coxcore';
import { copiesClusterScores, copiesLogLik, makeCopiesWorkspace, type CoxCopiesData } from './coxCopies';
import { coxNewton, coxRobustVariance } from './coxNewton';
import { buildCoxFit, coxTermMap, type CoxFit } from './coxResult';

export interface CoxCopiesInput {
  time: ArrayLike<number>;
  event: ArrayLike<number | boolean>;
  entry?: ArrayLike<number>;
  /** Unit covariates, n × q (q may be 0). */
  x: MatrixInput;
  /** Names of the K − 1 class columns, then of the q covariates. */
  names: string[];
  strata?: ArrayLike<Label>;
  /** Sandwich clusters; default: the unit (its K copies form one cluster). */
  cluster?: ArrayLike<Label>;
  K: number;
  ref: number;
  /** Per unit: the row of wTable with its K copy weights (for BCH: its modal class). */
  pattern: Int32Array;
  /** nPattern × K copy weights, signed, each used row summing to a non-zero W. */
  wTable: Float64Array;
  ties?: CoxTies;
  terms?: Record<string, string[]>;
  eps?: number;
  iterMax?: number;
  onProgress?: ProgressCallback;
}

/**
 * Fits the weighted Cox model of the class copies without expanding them. Output: a CoxFit with
 * the numbers coxph gives on the expanded rows (weights w_ik, cluster(unit or cluster)), n and
 * nEvent counting units. The concordance is NaN (signed weights define no concordance) and
 * linearPredictors is empty; coxZph and prediction do not accept this fit.
 * Failure: as fitCox; a pattern outside the table throws.
 */
export function fitCoxCopies(input: CoxCopiesInput): CoxFit {
  const who = 'fitCoxClassEffects';
  const { K, ref, pattern, wTable } = input;
  const n = input.time.length;
  const eps = input.eps ?? 1e-9;
  const iterMax = input.iterMax ?? 20;
  if (pattern.length !== n) throw new Error(`${who}: pattern has length ${pattern.length}, expected ${n}`);
  const nPattern = wTable.length / K;
  if (!Number.isInteger(nPattern)) throw new Error(`${who}: the weight table's length ${wTable.length} is not a multiple of K = ${K}`);
  const rowSum = new Float64Array(nPattern);
  for (let g = 0; g < nPattern; g++) for (let k = 0; k < K; k++) rowSum[g] += wTable[g * K + k];
  const unitWeight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = pattern[i];
    if (!(g >= 0 && g < nPattern)) throw new Error(`${who}: pattern at row ${i + 1} is ${g}, not a row of the weight table`);
    unitWeight[i] = rowSum[g];
  }
  const q = input.names.length - (K - 1);
  // Units as rows: prepareCox gives the sweep order, strata, entry order and cluster codes.
  const { data: base, names: xNames, strataLevels, clusterCodes, nCluster } = prepareCox({
    time: input.time, event: input.event, entry: input.entry, x: input.x, names: input.names.slice(K - 1),
    strata: input.strata, cluster: input.cluster, weights: unitWeight, signedWeights: true, ties: input.ties,
  }, { allowNoColumns: true });
  if (base.p !== q) throw new Error(`${who}: x has ${base.p} columns, names give ${q}`);
  const sortedPattern = new Int32Array(n);
  for (let k = 0; k < n; k++) sortedPattern[k] = pattern[base.order[k]];
  const cd: CoxCopiesData = { base, K, ref, pattern: sortedPattern, wTable, nPattern };
  const names = [...input.names.slice(0, K - 1), ...xNames];
  const ws = makeCopiesWorkspace(cd);
  let imprecise = false;
  const nw = coxNewton((theta) => {
    const ll = copiesLogLik(cd, theta, ws);
    imprecise = ws.imprecise;
    return ll;
  }, ws.u, ws.imat, names, eps, iterMax, input.onProgress, who);
  const { beta, varNaive, warnings } = nw;
  if (imprecise) warnings.push(`${who}: the information matrix lost precision at the estimate (a coefficient may be heading to ±∞); its standard errors are approximate`);
  const groups = clusterCodes ?? Int32Array.from(base.order);
  const G = clusterCodes ? nCluster : n;
  const robust = coxRobustVariance((b) => copiesClusterScores(cd, b, ws, groups, G), G, beta, varNaive, true, names, warnings, who);
  let nEvent = 0;
  for (let i = 0; i < n; i++) nEvent += base.status[i];
  const means = new Float64Array(names.length);
  means.set(base.means, K - 1);
  return buildCoxFit({
    names, ties: base.method, beta, varNaive, vcov: robust.vcov, robustSe: robust.robustSe, robustScoreTest: robust.robustScoreTest,
    varianceType: 'robust-cluster', logLik: nw.logLik, logLikNull: nw.logLikNull, scoreStat: nw.scoreStat,
    concordance: { concordant: NaN, discordant: NaN, tiedRisk: NaN, tiedTime: NaN, tiedBoth: NaN, concordance: NaN, stdErr: NaN },
    n, nEvent, nCluster: G, converged: nw.converged, noEstimate: nw.noEstimate, iterations: nw.iterations, warnings, means,
    linearPredictors: new Float64Array(0), terms: coxTermMap(names, input.terms, who), strataLevels,
    spec: {
      ties: base.method, eps, iterMax, hasEntry: base.entry !== null, hasStrata: strataLevels !== null,
      hasCluster: true, hasWeights: true, robust: true,
    },
  });
}
