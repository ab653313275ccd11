/**
 * Step 2 of the three-step approach for class effects in outcome models: from posterior class
 * probabilities to analysis rows. Modal assignment gives one row per unit; BCH gives K copies
 * per unit, copy k carrying weight w_ik = (D⁻¹)[W_i][k], where W_i is the modal class and
 * D[k][s] = P(W = s | X = k) = Σ_i τ_ik [W_i = s] / Σ_i τ_ik is the classification-error matrix
 * (Bolck, Croon & Hagenaars 2004; Vermunt 2010, eqs. 6–8; Bakk, Tekle & Vermunt 2013).
 * A weighted analysis of the copies solves the same estimating equations as if the true class
 * were known (in expectation), so any M-estimator (OLS, Cox partial likelihood) is corrected
 * without modelling the outcome jointly with the classes. The weights of a unit sum to 1 and
 * can be negative, so standard errors must be sandwich estimates clustered on the unit (or a
 * coarser cluster): the copies of one unit are not independent observations.
 */
import { Matrix, inverse } from 'ml-matrix';
import type { DenseMatrix } from '../core/matrix';
import { formatEstimate, formatWhole } from '../core/numberStyle';

export type ClassEffectMethod = 'modal' | 'bch';

/** Modal class per row (0-based; ties go to the lower class, as `fit.modal`). */
export function modalClasses(posterior: DenseMatrix): Int32Array {
  const { nrow: n, ncol: K, data } = posterior;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (data[i * K + k] > data[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}

/**
 * Classification-error matrix of modal assignment over the given rows:
 * D[k][s] = P(assigned s | class k), rows summing to 1 (Vermunt 2010, eq. 6).
 * Input: posterior (n × K, rows summing to 1). Throws when a class has no posterior mass.
 */
export function classificationError(posterior: DenseMatrix, modal?: Int32Array): number[][] {
  const { nrow: n, ncol: K, data } = posterior;
  const W = modal ?? modalClasses(posterior);
  const D = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const tot = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) {
    const s = W[i];
    for (let k = 0; k < K; k++) {
      const t = data[i * K + k];
      D[k][s] += t;
      tot[k] += t;
    }
  }
  for (let k = 0; k < K; k++) {
    if (!(tot[k] > 0)) throw new Error(`classificationError: class ${k + 1} has no posterior mass among these rows`);
    for (let s = 0; s < K; s++) D[k][s] /= tot[k];
  }
  return D;
}

export interface ClassExpansion {
  method: ClassEffectMethod;
  nClasses: number;
  /** original row of each analysis row (length m = n for modal, n·K for BCH) */
  row: Int32Array;
  /** class (0-based) of each analysis row */
  cls: Int32Array;
  /** weight of each analysis row (1 for modal; BCH weights, possibly negative) */
  weight: Float64Array;
  /** D[k][s] = P(assigned s | class k) */
  D: number[][];
  /** smallest BCH weight (1 for modal): a large negative value flags weak separation */
  minWeight: number;
  warnings: string[];
}

/** BCH weights without expanding: unit i's copy k has weight table[modal_i·K + k] = (D⁻¹)[W_i][k]. */
export interface BchWeightTable {
  nClasses: number;
  /** Modal class of each unit (0-based). */
  modal: Int32Array;
  /** K × K, row s = the copy weights of a unit assigned to class s (rows sum to 1). */
  table: Float64Array;
  D: number[][];
  minWeight: number;
  warnings: string[];
}

/**
 * BCH weights (Vermunt 2010, eqs. 6–8) as a K × K table indexed by the modal class, so a fitter
 * can sum the copies inside its estimating equations. Input: posterior (n × K).
 * Failure: throws if D is singular (classes not separated at all).
 */
export function bchWeightTable(posterior: DenseMatrix): BchWeightTable {
  const K = posterior.ncol;
  if (K < 2) throw new Error('classExpand: needs at least 2 classes');
  const modal = modalClasses(posterior);
  const D = classificationError(posterior, modal);
  let Dinv: number[][];
  try {
    Dinv = inverse(new Matrix(D)).to2DArray();
  } catch {
    throw new Error('classExpand: the classification-error matrix is singular; BCH weights are not defined');
  }
  if (!Dinv.every((r) => r.every(Number.isFinite))) throw new Error('classExpand: the classification-error matrix is singular; BCH weights are not defined');
  const table = new Float64Array(K * K);
  // The smallest weight any unit actually carries (rows of D⁻¹ of classes nobody is assigned to are unused).
  const used = new Uint8Array(K);
  for (let i = 0; i < modal.length; i++) used[modal[i]] = 1;
  let minWeight = Infinity;
  for (let s = 0; s < K; s++) {
    for (let k = 0; k < K; k++) {
      table[s * K + k] = Dinv[s][k];
      if (used[s] && Dinv[s][k] < minWeight) minWeight = Dinv[s][k];
    }
  }
  const warnings: string[] = [];
  // Vermunt (2010) notes that weights far below 0 come with poorly separated classes and unstable estimates.
  if (minWeight < -1) warnings.push(`BCH weights reach ${formatEstimate(minWeight, 2)}: classes are poorly separated and the corrected estimates may be unstable`);
  return { nClasses: K, modal, table, D, minWeight, warnings };
}

/**
 * Expands n units into analysis rows. Input: posterior (n × K). Output: the row/class/weight
 * triples; for BCH, K copies per unit in unit order (copy k of unit i at i·K + k).
 * Failure: throws if D is singular (classes not separated at all).
 */
export function classExpand(posterior: DenseMatrix, method: ClassEffectMethod): ClassExpansion {
  const { nrow: n, ncol: K } = posterior;
  if (K < 2) throw new Error('classExpand: needs at least 2 classes');
  if (method === 'modal') {
    const W = modalClasses(posterior);
    const D = classificationError(posterior, W);
    const row = Int32Array.from({ length: n }, (_, i) => i);
    return { method, nClasses: K, row, cls: W, weight: new Float64Array(n).fill(1), D, minWeight: 1, warnings: [] };
  }
  if (method !== 'bch') throw new Error(`classExpand: method must be 'modal' or 'bch' (got '${String(method)}')`);
  const bt = bchWeightTable(posterior);
  const row = new Int32Array(n * K);
  const cls = new Int32Array(n * K);
  const weight = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const o = bt.modal[i] * K;
    for (let k = 0; k < K; k++) {
      const m = i * K + k;
      row[m] = i;
      cls[m] = k;
      weight[m] = bt.table[o + k];
    }
  }
  return { method, nClasses: K, row, cls, weight, D: bt.D, minWeight: bt.minWeight, warnings: bt.warnings };
}

/**
 * Expanded design: for analysis row m, the K − 1 class dummies (all classes but `reference`)
 * followed by the unit's own covariates x (n × q, row-major). Output: m × (K − 1 + q), row-major.
 */
export function classDesign(e: ClassExpansion, x: DenseMatrix | null, reference: number): { data: Float64Array; ncol: number } {
  const K = e.nClasses;
  const q = x ? x.ncol : 0;
  const p = K - 1 + q;
  const m = e.row.length;
  const out = new Float64Array(m * p);
  for (let r = 0; r < m; r++) {
    const k = e.cls[r];
    if (k !== reference) out[r * p + (k < reference ? k : k - 1)] = 1;
    if (x) {
      const src = e.row[r] * q;
      for (let j = 0; j < q; j++) out[r * p + K - 1 + j] = x.data[src + j];
    }
  }
  return { data: out, ncol: p };
}

/**
 * Default ceiling on expanded rows × columns (2·10⁸ doubles ≈ 1.6 GB for the design alone; the
 * fitters copy it). Above it the fitters stop with an error instead of exhausting memory.
 */
export const MAX_EXPANDED_CELLS = 2e8;

/** Throws, naming the sizes, when the class-expanded design would exceed `maxCells`. */
export function checkExpansionSize(who: string, nUnits: number, K: number, p: number, method: ClassEffectMethod, maxCells = MAX_EXPANDED_CELLS): void {
  const rows = method === 'bch' ? nUnits * K : nUnits;
  if (rows * p > maxCells) {
    throw new Error(`${who}: the ${method} design would have ${formatWhole(rows)} rows × ${p} columns = ${formatWhole(rows * p)} cells, above the memory ceiling of ${formatWhole(maxCells)} cells; ` +
      'BCH copies each unit once per class; the Cox fit sums the copies without expanding them (the default, expand: false), the OLS fit does not yet');
  }
}
