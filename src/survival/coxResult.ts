// The CoxFit result object (R's coxph print/summary and broom's tidy/glance), built from the
// numbers of a fit; shared by fitCox and the class-copy fit (src/classeffects/coxBch.ts).
import { pChisqUpper, pNormTwoSided, qNorm } from '../core/distributions';
import { degenerateMessage, guardedSe, usableVariance, waldInference } from '../core/guard';
import { quadFormInverse } from '../core/linalg';
import { formatEstimate } from '../core/numberStyle';
import type { TidyRow } from '../core/result';
import type { ConcordanceCounts } from './concordance';
import type { CoxTies } from './coxcore';

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

/** Term → columns in column order (a grouped term appears where its first column is); throws on a bad terms map. */
export function coxTermMap(names: readonly string[], terms: Record<string, string[]> | undefined, who: string): Record<string, string[]> {
  const termMap: Record<string, string[]> = {};
  const grouped = new Set<string>();
  if (terms) {
    for (const [term, cols] of Object.entries(terms)) {
      for (const c of cols) {
        if (!names.includes(c)) throw new Error(`${who}: terms.${term} names column '${c}', which is not in names`);
        if (grouped.has(c)) throw new Error(`${who}: column '${c}' appears in more than one term`);
        grouped.add(c);
      }
    }
  }
  // Terms in column order: a grouped term appears where its first column is.
  const termOf = new Map<string, string>();
  if (terms) for (const [term, cols] of Object.entries(terms)) for (const c of cols) termOf.set(c, term);
  for (const nm of names) {
    const term = termOf.get(nm);
    if (term === undefined) termMap[nm] = [nm];
    else if (!termMap[term] && terms) termMap[term] = terms[term].slice();
  }

  return termMap;
}

/** Everything a CoxFit reports, as computed by a fitter. */
export interface CoxFitParts {
  names: string[];
  ties: CoxTies;
  beta: Float64Array;
  varNaive: Float64Array;
  /** Reported variance: varNaive, or the robust one. */
  vcov: Float64Array;
  robustSe: number[] | null;
  robustScoreTest: CoxTest | null;
  varianceType: CoxFit['varianceType'];
  logLik: number;
  logLikNull: number;
  scoreStat: number;
  concordance: CoxConcordance;
  n: number;
  nEvent: number;
  nCluster: number | null;
  converged: boolean;
  /** Newton found no maximum (coxNewton's noEstimate): coefficients, SEs, tests and concordance are NaN. */
  noEstimate?: boolean;
  iterations: number;
  warnings: string[];
  means: Float64Array;
  linearPredictors: Float64Array;
  terms: Record<string, string[]>;
  strataLevels: string[] | null;
  spec: CoxFit['spec'];
}

function toNested(a: Float64Array, p: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < p; i++) out.push(Array.from(a.subarray(i * p, i * p + p)));
  return out;
}

/** Builds the frozen CoxFit (Wald, LR and score tests, CIs, summary/tidy/glance) from a fitter's numbers. */
export function buildCoxFit(parts: CoxFitParts): CoxFit {
  const { names, robustScoreTest, n, nEvent, converged, iterations, warnings, linearPredictors, strataLevels } = parts;
  const none = parts.noEstimate === true;
  const nan = (a: ArrayLike<number>): Float64Array => new Float64Array(a.length).fill(NaN);
  const beta = none ? nan(parts.beta) : parts.beta;
  const varNaive = none ? nan(parts.varNaive) : parts.varNaive;
  const vcov = none ? nan(parts.vcov) : parts.vcov;
  const robustSe = parts.robustSe && none ? parts.robustSe.map(() => NaN) : parts.robustSe;
  const cc = none ? { ...parts.concordance, concordance: NaN, stdErr: NaN } : parts.concordance;
  const p = names.length;
  const ll = none ? NaN : parts.logLik;
  const llNull = parts.logLikNull;
  const scoreStat = parts.scoreStat;
  const termMap = parts.terms;
  const nCluster = parts.nCluster;
  const coef = Array.from(beta);
  // A variance that is zero, negative or infinite has no SE, z, p or CI (core/guard), whichever
  // fitter built it; a NaN one was already named by the fitter's own guard.
  const badNaive: string[] = [];
  const seNaive = Array.from({ length: p }, (_, j) => guardedSe(varNaive[j * p + j], names[j], badNaive));
  const zq = qNorm(0.975);
  const inf = coef.map((b, j) => waldInference(b, vcov[j * p + j], zq));
  const se = inf.map((w) => w.se);
  const z = inf.map((w) => w.statistic);
  const pv = z.map((v) => pNormTwoSided(v));
  const bad = names.filter((_, j) => Number.isNaN(se[j]) && !Number.isNaN(vcov[j * p + j]));
  const badModel = badNaive.filter((nm) => !Number.isNaN(varNaive[names.indexOf(nm) * (p + 1)]));
  if (bad.length) warnings.push(degenerateMessage('coxph', { kind: 'zero-variance', terms: bad }));
  if (badModel.length && parts.varianceType !== 'model') warnings.push(degenerateMessage('coxph (model-based variance)', { kind: 'zero-variance', terms: badModel }));
  if (Number.isNaN(cc.stdErr) && Number.isFinite(cc.concordance)) {
    warnings.push(`coxph: the concordance's infinitesimal-jackknife variance is zero (concordance ${formatEstimate(cc.concordance, 4)}; every comparable pair ordered the same way${nCluster === 1 ? ', or one cluster' : ''}); its standard error is NaN`);
  }
  // The Wald test needs every coefficient's variance.
  const wald = se.some(Number.isNaN) ? NaN : quadFormInverse(vcov, p, beta);
  const lr = 2 * (ll - llNull);
  const fit: CoxFit = {
    kind: 'coxph',
    names,
    ties: parts.ties,
    coef,
    se,
    seNaive,
    robustSe: robustSe && robustSe.map((s) => (usableVariance(s) ? s : NaN)),
    hr: coef.map(Math.exp),
    ci: {
      level: 0.95,
      lower: inf.map((w) => Math.exp(w.low)),
      upper: inf.map((w) => Math.exp(w.high)),
    },
    z,
    p: pv,
    vcov: toNested(vcov, p),
    vcovNaive: toNested(varNaive, p),
    varianceType: parts.varianceType,
    logLik: [llNull, ll],
    waldTest: { statistic: wald, df: p, p: pChisqUpper(wald, p) },
    lrTest: { statistic: lr, df: p, p: pChisqUpper(lr, p) },
    scoreTest: { statistic: scoreStat, df: p, p: pChisqUpper(scoreStat, p) },
    robustScoreTest,
    concordance: cc,
    n,
    nEvent,
    nCluster,
    converged,
    iterations,
    warnings,
    means: Array.from(parts.means),
    linearPredictors,
    terms: termMap,
    strataLevels,
    spec: parts.spec,
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
        'n.clusters': nCluster, 'variance.type': fit.varianceType,
      };
    },
    summary() {
      return coef.map((b, j) => ({
        term: names[j],
        estimate: b,
        'std.error': se[j],
        statistic: z[j],
        'p.value': pv[j],
        'conf.low': inf[j].low,
        'conf.high': inf[j].high,
        'hazard.ratio': Math.exp(b),
        'hr.conf.low': Math.exp(inf[j].low),
        'hr.conf.high': Math.exp(inf[j].high),
        'robust.se': fit.robustSe ? fit.robustSe[j] : null,
        'naive.se': seNaive[j],
      }));
    },
  };
  return deepFreeze(fit);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !ArrayBuffer.isView(o) && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}
