/**
 * Latent-class membership as a predictor in a Cox model, with or without correction for
 * classification error (step 3 of the three-step approach).
 *
 * Method. 'modal': each unit enters once with its modal class (biased towards no effect when
 * classes overlap). 'bch': each unit enters K times, copy k with class k and BCH weight
 * w_ik = (D⁻¹)[W_i][k] (Bolck, Croon & Hagenaars 2004; Vermunt 2010), and the weighted partial
 * likelihood is maximised. BCH is used rather than the ML three-step correction because the
 * ML correction needs a full likelihood for the outcome given the class, which the Cox partial
 * likelihood is not, whereas BCH only reweights the estimating equations, so strata, clustering
 * and delayed entry carry over unchanged (Bakk & Kuha 2021, Br J Math Stat Psychol 74:340–362,
 * on BCH as the robust choice for complex step-3 models; Lythgoe, Garcia-Fiñana & Cox 2019,
 * Struct Equ Modeling 26:51–65, on three-step approaches with time-to-event distal outcomes).
 *
 * Ties. The copies of a unit share its event time, so a tie correction that treats them as
 * distinct deaths (Efron) would distort the estimate; the default is Breslow, under which the
 * weighted copies contribute exactly Σ_k w_ik times their per-class score. Use the same ties for
 * modal and BCH when comparing them.
 *
 * Scale. The copies share time, status, strata, covariates and cluster, so the partial
 * likelihood is summed over them inside the risk sets (survival/coxCopies.ts): memory and time
 * grow with the units, not n·K rows, and the numbers equal the fit of the expanded rows.
 *
 * Variance. Sandwich (grouped dfbeta, as coxph's cluster()) on `cluster`, or on the unit when no
 * cluster is given, so the K copies of a unit are one cluster; step-1 parameters are treated as
 * known, as is standard for the three-step approach (Vermunt 2010; Bakk, Tekle & Vermunt 2013).
 * Negative weights are allowed in the estimating equations; the sandwich needs no positivity.
 */
import type { ProgressCallback } from '../core/progress';
import { fitCox, type CoxFit } from '../survival/index';
import { fitCoxCopies } from '../survival/coxCopiesFit';
import type { CoxTies } from '../survival/index';
import { toDense, type DenseMatrix, type MatrixInput } from '../core/matrix';
import { labelCodes, type Label } from '../core/groups';
import { bchWeightTable, checkExpansionSize, classDesign, classExpand, type ClassEffectMethod } from './expand';

export interface CoxClassEffectsInput {
  time: ArrayLike<number>;
  event: ArrayLike<number | boolean>;
  entry?: ArrayLike<number>;
  /** Other covariates, n × q (no intercept), or omitted. */
  x?: MatrixInput | null;
  names?: string[];
  strata?: ArrayLike<Label>;
  /** Cluster of each unit (e.g. child id); default: the unit itself. */
  cluster?: ArrayLike<Label>;
  /** Posterior class probabilities of each unit, n × K (rows sum to 1). */
  posterior: DenseMatrix;
  method: ClassEffectMethod;
  /** Reference class, 0-based (default 0). */
  reference?: number;
  /** Class labels for term names `class<label>` (default '1'..'K'). */
  classNames?: string[];
  /**
   * BCH only: fit the n·K expanded rows with fitCox instead of summing the copies inside the
   * partial likelihood (same numbers, K times the memory; kept as the reference the copy core is
   * tested against). Default false.
   */
  expand?: boolean;
  /** With expand: ceiling on expanded rows × columns (default MAX_EXPANDED_CELLS); above it the fit stops with an error. */
  maxCells?: number;
  ties?: CoxTies;
  /** Called after each Newton iteration (as fitCox's onProgress). */
  onProgress?: ProgressCallback;
}

export type CoxClassEffectsFit = CoxFit & {
  readonly method: ClassEffectMethod;
  /** Rows of the expanded data (n for modal, n·K for BCH). */
  readonly nExpanded: number;
  readonly classificationError: number[][];
  readonly classTerms: readonly string[];
};

/**
 * Fits the Cox model with class dummies (all but `reference`) then x. Output: a CoxFit whose n
 * and nEvent count units, not copies, plus the method and the classification-error matrix.
 * Failure: as fitCox, or when D is singular.
 */
export function fitCoxClassEffects(input: CoxClassEffectsInput): CoxClassEffectsFit {
  const n = input.time.length;
  const post = input.posterior;
  if (post.nrow !== n) throw new Error(`fitCoxClassEffects: posterior has ${post.nrow} rows, time has ${n}`);
  const K = post.ncol;
  const ref = input.reference ?? 0;
  if (!(ref >= 0 && ref < K)) throw new Error(`fitCoxClassEffects: reference ${ref} is not a class (0..${K - 1})`);
  const x = input.x ? toDense(input.x, 'fitCoxClassEffects: x', n) : null;
  const labels = input.classNames ?? Array.from({ length: K }, (_, k) => String(k + 1));
  const classTerms = labels.map((l) => `class${l}`).filter((_, k) => k !== ref);
  const names = [...classTerms, ...(input.names ?? (x ? Array.from({ length: x.ncol }, (_, j) => `x${j + 1}`) : []))];
  const ties = input.ties ?? 'breslow';
  const levelsOf: Record<string, string[]> = {};
  let fit: CoxFit;
  let e: { D: number[][]; warnings: string[] };
  let m: number;
  if (input.method === 'bch' && !input.expand) {
    const bt = bchWeightTable(post);
    e = bt;
    m = n * K;
    // Strata coded here too, so reported levels are the caller's labels in the same order as the expanded path.
    const strata = input.strata ? labelCodes(input.strata, n, 'fitCoxClassEffects: strata') : null;
    if (strata) levelsOf.strata = strata.levels;
    fit = fitCoxCopies({
      time: input.time, event: input.event, entry: input.entry, x: x ?? { nrow: n, ncol: 0, data: new Float64Array(0) }, names,
      strata: strata ? strata.codes : undefined, cluster: input.cluster, K, ref, pattern: bt.modal, wTable: bt.table,
      ties, terms: { class: classTerms }, onProgress: input.onProgress,
    });
  } else {
    checkExpansionSize('fitCoxClassEffects', n, K, K - 1 + (x ? x.ncol : 0), input.method, input.maxCells);
    const ex = classExpand(post, input.method);
    e = ex;
    const design = classDesign(ex, x, ref);
    m = ex.row.length;
    // Strata and clusters coded once per unit, so the expanded rows carry integers (labelCodes' fast path).
    const codesOf = (src: ArrayLike<Label>, what: string): Int32Array => {
      const c = labelCodes(src, n, `fitCoxClassEffects: ${what}`);
      levelsOf[what] = c.levels;
      return Int32Array.from(ex.row, (i) => c.codes[i]);
    };
    fit = fitCox({
      time: Float64Array.from(ex.row, (i) => Number(input.time[i])), event: Float64Array.from(ex.row, (i) => Number(input.event[i])),
      entry: input.entry ? Float64Array.from(ex.row, (i) => Number(input.entry![i])) : undefined,
      x: { nrow: m, ncol: design.ncol, data: design.data }, names,
      strata: input.strata ? codesOf(input.strata, 'strata') : undefined,
      cluster: input.cluster ? codesOf(input.cluster, 'cluster') : ex.row,
      weights: input.method === 'bch' ? ex.weight : undefined,
      signedWeights: input.method === 'bch',
      ties,
      terms: { class: classTerms },
      onProgress: input.onProgress,
    });
  }
  let nEvent = 0;
  for (let i = 0; i < n; i++) nEvent += Number(input.event[i]) ? 1 : 0;
  const warnings = [...fit.warnings, ...e.warnings];
  const baseGlance = fit.glance;
  return Object.freeze({
    ...fit,
    n, nEvent, warnings,
    // strata were passed as codes 0..S−1 (in the order of these levels); report their names
    strataLevels: fit.strataLevels ? fit.strataLevels.map((c: string) => levelsOf.strata[Number(c)]) : null,
    method: input.method, nExpanded: m, classificationError: e.D, classTerms,
    tidy: () => fit.tidy(),
    summary: () => fit.summary(),
    // With BCH weights the weighted partial likelihood is an estimating function, not a likelihood.
    glance: () => ({ ...baseGlance(), n, nobs: n, nevent: nEvent, method: input.method, ...(input.method === 'bch' ? { logLik: null, AIC: null, BIC: null } : {}) }),
  });
}
